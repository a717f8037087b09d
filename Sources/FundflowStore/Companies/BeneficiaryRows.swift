public import FundflowCore
import GRDB

/// A beneficiary as stored: the details of its current version and who changed and approved it.
public struct BeneficiaryRow: Equatable, Sendable {
    /// The account as payouts keep it, `SCHEME:VALUE`.
    public var accountKey: String { "\(scheme):\(account)" }

    public let company: String
    public let id: String
    public let name: String
    public let scheme: String
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
    public let status: String
    public let changedBy: String
    public let changedAt: Timestamp
    public let approvedBy: String?
    public let approvedAt: Timestamp?
    public let paidVersion: Int?

    public init(
        company: String, id: String, name: String, scheme: String, account: String, bank: String,
        currency: String, country: String, street: String?, building: String?, postcode: String?,
        town: String?, purpose: String?, version: Int, status: String, changedBy: String,
        changedAt: Timestamp, approvedBy: String?, approvedAt: Timestamp?, paidVersion: Int?
    ) {
        self.company = company
        self.id = id
        self.name = name
        self.scheme = scheme
        self.account = account
        self.bank = bank
        self.currency = currency
        self.country = country
        self.street = street
        self.building = building
        self.postcode = postcode
        self.town = town
        self.purpose = purpose
        self.version = version
        self.status = status
        self.changedBy = changedBy
        self.changedAt = changedAt
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
        self.paidVersion = paidVersion
    }

    init(row: Row) {
        let approvedAt: Int64? = row["approvedAt"]
        self.init(
            company: row["company"], id: row["id"], name: row["name"], scheme: row["scheme"],
            account: row["account"], bank: row["bank"], currency: row["currency"],
            country: row["country"], street: row["street"], building: row["building"],
            postcode: row["postcode"], town: row["town"], purpose: row["purpose"],
            version: row["version"], status: row["status"], changedBy: row["changedBy"],
            changedAt: Timestamp(millisecondsSinceEpoch: row["changedAt"]),
            approvedBy: row["approvedBy"],
            approvedAt: approvedAt.map { Timestamp(millisecondsSinceEpoch: $0) },
            paidVersion: row["paidVersion"])
    }
}

extension StoreTransaction {
    /// Inserts a new beneficiary or replaces the details of an existing one (a new version).
    public func saveBeneficiary(_ row: BeneficiaryRow) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO beneficiary (company, id, name, scheme, account, bank, currency, country,
                    street, building, postcode, town, purpose, version, status, changedBy, changedAt,
                    approvedBy, approvedAt, paidVersion)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (company, id) DO UPDATE SET
                    name = excluded.name, scheme = excluded.scheme, account = excluded.account,
                    bank = excluded.bank, currency = excluded.currency, country = excluded.country,
                    street = excluded.street, building = excluded.building,
                    postcode = excluded.postcode, town = excluded.town, purpose = excluded.purpose,
                    version = excluded.version, status = excluded.status,
                    changedBy = excluded.changedBy, changedAt = excluded.changedAt,
                    approvedBy = excluded.approvedBy, approvedAt = excluded.approvedAt,
                    paidVersion = excluded.paidVersion
                """
        ).execute(
            arguments: [
                row.company, row.id, row.name, row.scheme, row.account, row.bank, row.currency,
                row.country, row.street, row.building, row.postcode, row.town, row.purpose,
                row.version, row.status, row.changedBy, row.changedAt.millisecondsSinceEpoch,
                row.approvedBy, row.approvedAt?.millisecondsSinceEpoch, row.paidVersion,
            ])
    }

    public func beneficiary(company: String, id: String) throws -> BeneficiaryRow? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM beneficiary WHERE company = ? AND id = ?"),
            arguments: [company, id]
        ).map(BeneficiaryRow.init)
    }

    public func beneficiaries(company: String) throws -> [BeneficiaryRow] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM beneficiary WHERE company = ? ORDER BY id"),
            arguments: [company]
        ).map(BeneficiaryRow.init)
    }
}

extension StoreTransaction {
    /// A payout to this version was credited: quotes stop marking the beneficiary *new*.
    public func markBeneficiaryPaid(company: String, id: String, version: Int) throws {
        try db.cachedStatement(
            sql: """
                UPDATE beneficiary SET paidVersion = ?
                WHERE company = ? AND id = ? AND (paidVersion IS NULL OR paidVersion < ?)
                """
        ).execute(
            arguments: [version, company, id, version])
    }
}
