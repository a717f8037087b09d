import FundflowCore
import FundflowEngine
import Testing

@Suite struct PayoutQuoteTests {
    /// acme (EUR wallet at DEUTDEFFXXX, funded) with an approved Indian beneficiary.
    static func company() throws -> CompanyBooks {
        let company = try CompanyBooks().funded()
        _ = try company.engine.addUser(
            name: "ana", role: .approver, pin: "1234", company.books.context())
        _ = try company.engine.addMember(
            company: "acme", user: "ana", role: "approver", company.books.context())
        let ana = try company.engine.authenticate(name: "ana", pin: "1234", source: "t")
        _ = try company.engine.addBeneficiary(
            company: "acme", id: "tata", BeneficiaryTests.tata, company.context(company.mei))
        _ = try company.engine.approveBeneficiary(company: "acme", id: "tata", company.context(ana))
        return company
    }

    @Test func aQuoteRoutesFromTheWalletsServicingBankAndIsReleasedAtItsCutOff() throws {
        let company = try Self.company()
        let payout = try company.engine.createPayout(
            PayoutRequest(company: "acme", beneficiary: "tata", send: "25000.00 EUR", key: "p1"),
            company.context(company.mei)
        ).value
        #expect(payout.status == "quoted")
        #expect(payout.quote.path.first == "DEUTDEFFXXX")
        #expect(payout.quote.path.last == "HDFCINBBXXX")
        #expect(payout.quote.sendCurrency == "EUR")
        #expect(payout.quote.targetCurrency == "INR")
        // Monday 2 November 2026, 17:00 in Frankfurt.
        #expect(payout.quote.releaseAt == "2026-11-02T16:00:00Z")
        #expect(payout.beneficiaryNew)
        #expect(payout.beneficiaryApproved)
        #expect(UETR(parsing: payout.uetr) != nil)
        // Under SHA only the debtor agent's fee is billed.
        let billed = payout.quote.fees.filter(\.billed)
        #expect(billed.map(\.agent) == ["DEUTDEFFXXX"])
        let debited = try Money.parsePositive("\(payout.quote.debited) EUR")
        let fee = try Money.parsePositive("\(billed[0].amount) EUR")
        #expect(debited.minorUnits == 2_500_000 + fee.minorUnits)
        // The same key and request give the same payout; another request under it is refused.
        let again = try company.engine.createPayout(
            PayoutRequest(company: "acme", beneficiary: "tata", send: "25000.00 EUR", key: "p1"),
            company.context(company.mei))
        #expect(again.value.id == payout.id)
        #expect(again.replayed)
        #expect(throws: (any Error).self) {
            try company.engine.createPayout(
                PayoutRequest(
                    company: "acme", beneficiary: "tata", send: "26000.00 EUR", key: "p1"),
                company.context(company.mei))
        }
    }

    @Test func aFixedReceiveQuoteDeliversAtLeastTheAmountAsked() throws {
        let company = try Self.company()
        let payout = try company.engine.createPayout(
            PayoutRequest(
                company: "acme", beneficiary: "tata", receive: "1000000.00 INR", from: "EUR"),
            company.context(company.mei)
        ).value
        #expect(payout.quote.fixed == "receive")
        let delivered = try Money.parsePositive("\(payout.quote.delivered) INR")
        #expect(delivered.minorUnits >= 100_000_000)
    }

    @Test func aPastOrClosedExecutionDateRollsToTheNextBusinessDayWithAWarning() throws {
        let company = try Self.company()
        let payout = try company.engine.createPayout(
            PayoutRequest(
                company: "acme", beneficiary: "tata", send: "100.00 EUR", date: "2026-11-07"),
            company.context(company.mei)
        ).value
        // Saturday the 7th: released on Monday the 9th at the Frankfurt cut-off.
        #expect(payout.quote.releaseAt == "2026-11-09T16:00:00Z")
        #expect(payout.warnings.contains { $0.contains("2026-11-07 is a weekend") })
    }

    @Test func onlyATreasurerOfTheCompanyQuotesFromItsWallets() throws {
        let company = try Self.company()
        #expect(throws: CompanyError.self) {
            try company.engine.createPayout(
                PayoutRequest(company: "acme", beneficiary: "tata", send: "100.00 EUR"),
                company.context(company.vic))
        }
        #expect(throws: CompanyError.walletNotOpen(company: "acme", currency: "GBP")) {
            try company.engine.createPayout(
                PayoutRequest(company: "acme", beneficiary: "tata", send: "100.00 GBP"),
                company.context(company.mei))
        }
        #expect(throws: PayoutError.amountChoice) {
            try company.engine.createPayout(
                PayoutRequest(company: "acme", beneficiary: "tata"), company.context(company.mei))
        }
    }
}
