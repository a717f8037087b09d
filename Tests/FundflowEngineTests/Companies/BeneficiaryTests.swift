import FundflowCore
import FundflowEngine
import Testing

@Suite struct BeneficiaryTests {
    static let tata = BeneficiaryInput(
        name: "Tata Steel Ltd", account: "IFSC:HDFC0000240/50100012345678", bank: "HDFCINBBXXX",
        currency: "INR", country: "IN", address: .init(street: "Bombay House", town: "Mumbai"),
        purpose: "SUPP")

    /// acme with mei (treasurer), vic (viewer) and ana (approver).
    static func company() throws -> (CompanyBooks, Actor) {
        let company = try CompanyBooks()
        _ = try company.engine.addUser(
            name: "ana", role: .approver, pin: "1234", company.books.context())
        _ = try company.engine.addMember(
            company: "acme", user: "ana", role: "approver", company.books.context())
        let ana = try company.engine.authenticate(name: "ana", pin: "1234", source: "t")
        return (company, ana)
    }

    @Test func aNewBeneficiaryWaitsForASecondUsersApproval() throws {
        let (company, ana) = try Self.company()
        let added = try company.engine.addBeneficiary(
            company: "acme", id: "tata", Self.tata, company.context(company.mei))
        #expect(added.status == "pending")
        #expect(added.isNew)
        #expect(added.account == "IFSC:HDFC0000240/50100012345678")
        #expect(throws: CompanyError.ownBeneficiary(user: "mei", id: "tata")) {
            try company.engine.approveBeneficiary(
                company: "acme", id: "tata", company.context(company.mei))
        }
        #expect(throws: CompanyError.self) {
            try company.engine.approveBeneficiary(
                company: "acme", id: "tata", company.context(company.vic))
        }
        let approved = try company.engine.approveBeneficiary(
            company: "acme", id: "tata", company.context(ana))
        #expect(approved.status == "approved")
        #expect(approved.approvedBy == "ana")
    }

    @Test func aChangeIsANewVersionThatNeedsApprovalAgainAndTheSameDetailsChangeNothing() throws {
        let (company, ana) = try Self.company()
        _ = try company.engine.addBeneficiary(
            company: "acme", id: "tata", Self.tata, company.context(company.mei))
        _ = try company.engine.approveBeneficiary(company: "acme", id: "tata", company.context(ana))
        let same = try company.engine.changeBeneficiary(
            company: "acme", id: "tata", Self.tata, company.context(company.mei))
        #expect(same.version == 1)
        #expect(same.status == "approved")
        var moved = Self.tata
        moved.account = "IFSC:ICIC0000104/000401000123"
        moved.bank = "ICICINBBXXX"
        let changed = try company.engine.changeBeneficiary(
            company: "acme", id: "tata", moved, company.context(company.mei))
        #expect(changed.version == 2)
        #expect(changed.status == "pending")
        #expect(changed.approvedBy == nil)
        // Adding again with other details is refused; with the same details it is the same one.
        #expect(throws: CompanyError.beneficiaryExists(company: "acme", id: "tata")) {
            try company.engine.addBeneficiary(
                company: "acme", id: "tata", Self.tata, company.context(company.mei))
        }
        #expect(
            try company.engine.addBeneficiary(
                company: "acme", id: "tata", moved, company.context(company.mei)
            )
            .version == 2)
    }

    @Test func detailsAreCheckedBeforeAnythingIsStored() throws {
        let (company, _) = try Self.company()
        var noPurpose = Self.tata
        noPurpose.purpose = nil
        #expect(throws: BeneficiaryError.purposeRequired("INR")) {
            try company.engine.addBeneficiary(
                company: "acme", id: "t1", noPurpose, company.context(company.mei))
        }
        var wrongBank = Self.tata
        wrongBank.bank = "DEUTDEFFXXX"
        #expect(throws: BeneficiaryError.self) {
            try company.engine.addBeneficiary(
                company: "acme", id: "t2", wrongBank, company.context(company.mei))
        }
        let badIBAN = BeneficiaryInput(
            name: "Bosch", account: "IBAN:DE88370400440532013000", bank: "COBADEFFXXX",
            currency: "EUR",
            country: "DE", purpose: nil)
        #expect(
            throws: BeneficiaryError.account(
                .checksum(scheme: "IBAN", value: "DE88370400440532013000"))
        ) {
            try company.engine.addBeneficiary(
                company: "acme", id: "b", badIBAN, company.context(company.mei))
        }
        // A US beneficiary's bank may be its ABA routing number.
        let us = BeneficiaryInput(
            name: "Acme Supply Inc", account: "ABA:026009593/1234567890", bank: "026009593",
            currency: "USD", country: "US", purpose: nil)
        let added = try company.engine.addBeneficiary(
            company: "acme", id: "us", us, company.context(company.mei))
        #expect(added.bank == "US:026009593")
        #expect(
            try company.engine.beneficiaries(company: "acme", status: nil, as: company.vic).map(
                \.id) == ["us"])
        #expect(throws: CompanyError.self) {
            try company.engine.beneficiaries(company: "acme", status: nil, as: company.bob)
        }
    }

    @Test func validateSaysWhyAndNeedsNoDatabase() {
        #expect(
            Engine.checkAccount(iban: "de89 3704 0044 0532 0130 00", account: nil, bic: "COBADEFF")
                .valid)
        let wrongCountry = Engine.checkAccount(
            iban: "DE89370400440532013000", account: nil, bic: "BNPAFRPPXXX")
        #expect(!wrongCountry.valid)
        #expect(wrongCountry.error?.contains("is in DE but the bank BNPAFRPPXXX is in FR") == true)
        #expect(Engine.checkAccount(iban: nil, account: "CLABE:032180000118359719", bic: nil).valid)
        #expect(
            Engine.checkAccount(iban: nil, account: "CLABE:032180000118359718", bic: nil).error
                != nil)
    }
}
