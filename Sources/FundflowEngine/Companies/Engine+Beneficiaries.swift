public import FundflowCore
import FundflowStore

/// What `beneficiary add` and `beneficiary change` are given.
public struct BeneficiaryInput: Sendable {
    public var name: String
    public var account: String
    public var bank: String
    public var currency: String
    public var country: String
    public var address: BeneficiaryDetails.Address
    public var purpose: String?

    public init(
        name: String, account: String, bank: String, currency: String, country: String,
        address: BeneficiaryDetails.Address = .init(), purpose: String?
    ) {
        self.name = name
        self.account = account
        self.bank = bank
        self.currency = currency
        self.country = country
        self.address = address
        self.purpose = purpose
    }
}

/// A beneficiary as `beneficiary show` presents it.
public struct BeneficiaryView: Equatable, Sendable, Codable, Replayable {
    public let company: String
    public let id: String
    public let name: String
    /// `IBAN:DE89370400440532013000`.
    public let account: String
    public let bank: String
    public let currency: String
    public let country: String
    public let street: String?
    public let building: String?
    public let postcode: String?
    public let town: String?
    public let purpose: String?
    public let version: Int
    /// `pending` (waiting for a second user's approval) or `approved`.
    public let status: String
    public let changedBy: String
    public let changedAt: String
    public let approvedBy: String?
    public let approvedAt: String?
    /// Never paid in this version: quotes say so.
    public let isNew: Bool

    init(_ row: BeneficiaryRow) {
        company = row.company
        id = row.id
        name = row.name
        account = "\(row.scheme):\(row.account)"
        bank = row.bank
        currency = row.currency
        country = row.country
        street = row.street
        building = row.building
        postcode = row.postcode
        town = row.town
        purpose = row.purpose
        version = row.version
        status = row.status
        changedBy = row.changedBy
        changedAt = row.changedAt.iso8601
        approvedBy = row.approvedBy
        approvedAt = row.approvedAt?.iso8601
        isNew = row.paidVersion != row.version
    }
}

/// `beneficiary validate`: whether an account (and a bank) is valid, and why not.
public struct AccountCheck: Equatable, Sendable {
    public let valid: Bool
    public let error: String?
    /// The account as stored, when valid: `IBAN:DE89370400440532013000`.
    public let normalized: String?
    public let formatted: String?
}

public enum BeneficiaryStatus: String, Sendable, CaseIterable {
    case pending
    case approved
}

extension Engine {
    /// `beneficiary validate --iban IBAN [--bic BIC]` or `--account SCHEME:VALUE`: no database,
    /// no permission — a check anyone may run.
    public static func checkAccount(iban: String?, account: String?, bic: String?) -> AccountCheck {
        do {
            let parsed: AccountNumber
            if let iban {
                parsed = .iban(try IBAN(parsing: iban))
            } else {
                parsed = try AccountNumber(parsing: account ?? "")
            }
            if let bic {
                let upper = bic.uppercased()
                guard BIC.isWellFormed(upper), CountryCode.isKnown(Network.country(ofBIC: upper))
                else {
                    return AccountCheck(
                        valid: false,
                        error:
                            "BIC \(bic): 8 or 11 characters, 4 letters (bank), a country code, 2 letters or digits (location), optionally 3 (branch)",
                        normalized: nil, formatted: nil)
                }
                if let country = parsed.country, Network.country(ofBIC: upper) != country {
                    return AccountCheck(
                        valid: false,
                        error: BeneficiaryError.countryMismatch(
                            account: parsed.description, accountCountry: country, bank: upper,
                            bankCountry: Network.country(ofBIC: upper)
                        ).description, normalized: nil, formatted: nil)
                }
            }
            let formatted: String
            if case .iban(let value) = parsed {
                formatted = value.formatted
            } else {
                formatted = parsed.value
            }
            return AccountCheck(
                valid: true, error: nil, normalized: parsed.description, formatted: formatted)
        } catch {
            return AccountCheck(
                valid: false, error: error.description, normalized: nil, formatted: nil)
        }
    }

    /// `beneficiary add COMPANY ID …` (a treasurer of the company): the beneficiary waits for a
    /// second user's approval. Adding the same details again returns the beneficiary unchanged.
    public func addBeneficiary(
        company: String, id: String, _ input: BeneficiaryInput, _ context: CommandContext
    ) throws -> BeneficiaryView {
        try mutate(context, needs: nil) { mutation in
            try requireMember(company, context.actor, roles: [.treasurer], in: mutation.transaction)
            try BeneficiaryID.validate(id)
            let details = try BeneficiaryDetails(input)
            if let existing = try mutation.transaction.beneficiary(company: company, id: id) {
                guard Self.same(existing, details) else {
                    throw CompanyError.beneficiaryExists(company: company, id: id)
                }
                return BeneficiaryView(existing)
            }
            let row = Self.row(
                company: company, id: id, details, version: 1, by: context.actor.name,
                at: mutation.now, paidVersion: nil)
            try mutation.transaction.saveBeneficiary(row)
            return BeneficiaryView(row)
        }.value
    }

    /// `beneficiary change COMPANY ID …` (a treasurer): new details are a new version, which waits
    /// for approval again; the same details change nothing.
    public func changeBeneficiary(
        company: String, id: String, _ input: BeneficiaryInput, _ context: CommandContext
    ) throws -> BeneficiaryView {
        try mutate(context, needs: nil) { mutation in
            try requireMember(company, context.actor, roles: [.treasurer], in: mutation.transaction)
            guard let existing = try mutation.transaction.beneficiary(company: company, id: id)
            else {
                throw CompanyError.unknownBeneficiary(company: company, id: id)
            }
            let details = try BeneficiaryDetails(input)
            if Self.same(existing, details) { return BeneficiaryView(existing) }
            let row = Self.row(
                company: company, id: id, details, version: existing.version + 1,
                by: context.actor.name, at: mutation.now, paidVersion: existing.paidVersion)
            try mutation.transaction.saveBeneficiary(row)
            return BeneficiaryView(row)
        }.value
    }

    /// `beneficiary approve COMPANY ID` (a treasurer or approver who did not make the version).
    public func approveBeneficiary(
        company: String, id: String, _ context: CommandContext
    ) throws
        -> BeneficiaryView
    {
        try mutate(context, needs: nil) { mutation in
            try requireMember(
                company, context.actor, roles: [.treasurer, .approver], in: mutation.transaction)
            guard let existing = try mutation.transaction.beneficiary(company: company, id: id)
            else {
                throw CompanyError.unknownBeneficiary(company: company, id: id)
            }
            if existing.status == BeneficiaryStatus.approved.rawValue {
                return BeneficiaryView(existing)
            }
            guard existing.changedBy != context.actor.name else {
                throw CompanyError.ownBeneficiary(user: context.actor.name, id: id)
            }
            let approved = BeneficiaryRow(
                company: existing.company, id: existing.id, name: existing.name,
                scheme: existing.scheme, account: existing.account, bank: existing.bank,
                currency: existing.currency, country: existing.country, street: existing.street,
                building: existing.building, postcode: existing.postcode, town: existing.town,
                purpose: existing.purpose, version: existing.version,
                status: BeneficiaryStatus.approved.rawValue, changedBy: existing.changedBy,
                changedAt: existing.changedAt, approvedBy: context.actor.name,
                approvedAt: mutation.now, paidVersion: existing.paidVersion)
            try mutation.transaction.saveBeneficiary(approved)
            return BeneficiaryView(approved)
        }.value
    }

    /// `beneficiary list COMPANY [--status S]` (members).
    public func beneficiaries(
        company: String, status: BeneficiaryStatus?, as actor: Actor
    ) throws
        -> [BeneficiaryView]
    {
        try store.read { transaction in
            if actor.role != .admin { try requireMember(company, actor, in: transaction) }
            guard try transaction.company(id: company) != nil else {
                throw CompanyError.unknownCompany(company)
            }
            return try transaction.beneficiaries(company: company)
                .filter { status == nil || $0.status == status?.rawValue }.map(BeneficiaryView.init)
        }
    }

    /// `beneficiary show COMPANY ID` (members).
    public func beneficiary(company: String, id: String, as actor: Actor) throws -> BeneficiaryView
    {
        try store.read { transaction in
            if actor.role != .admin { try requireMember(company, actor, in: transaction) }
            guard let row = try transaction.beneficiary(company: company, id: id) else {
                throw CompanyError.unknownBeneficiary(company: company, id: id)
            }
            return BeneficiaryView(row)
        }
    }

    static func same(_ row: BeneficiaryRow, _ details: BeneficiaryDetails) -> Bool {
        row.name == details.name && row.scheme == details.account.scheme
            && row.account == details.account.value && row.bank == details.bank.description
            && row.currency == details.currency.code && row.country == details.country
            && row.street == details.address.street && row.building == details.address.building
            && row.postcode == details.address.postcode && row.town == details.address.town
            && row.purpose == details.purpose
    }

    static func row(
        company: String, id: String, _ details: BeneficiaryDetails, version: Int, by user: String,
        at time: Timestamp, paidVersion: Int?
    ) -> BeneficiaryRow {
        BeneficiaryRow(
            company: company, id: id, name: details.name, scheme: details.account.scheme,
            account: details.account.value, bank: details.bank.description,
            currency: details.currency.code, country: details.country,
            street: details.address.street, building: details.address.building,
            postcode: details.address.postcode, town: details.address.town,
            purpose: details.purpose, version: version,
            status: BeneficiaryStatus.pending.rawValue, changedBy: user, changedAt: time,
            approvedBy: nil, approvedAt: nil, paidVersion: paidVersion)
    }
}

extension BeneficiaryDetails {
    init(_ input: BeneficiaryInput) throws {
        try self.init(
            name: input.name, account: input.account, bank: input.bank, currency: input.currency,
            country: input.country, address: input.address, purpose: input.purpose)
    }
}

/// Beneficiary ids are the company's own references (`acme-supplier-7`, `V10023`).
enum BeneficiaryID {
    static func validate(_ id: String) throws {
        guard (1...40).contains(id.count), let first = id.first, first.isLetter || first.isNumber,
            id.allSatisfy({
                ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "."
            })
        else { throw BeneficiaryError.invalidID(id) }
    }
}
