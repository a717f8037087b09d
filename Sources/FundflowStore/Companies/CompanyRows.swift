public import FundflowCore
import GRDB

public struct CompanyRow: Equatable, Sendable {
    public let id: String
    public let name: String
    public let country: String
    public let secondApprovalOver: Money?
    public let createdAt: Timestamp

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        country = row["country"]
        let over: Int64? = row["secondApprovalOverMinor"]
        let code: String? = row["secondApprovalCurrency"]
        if let over, let code, let currency = Currency.lookup(code) {
            secondApprovalOver = Money(minorUnits: over, currency: currency)
        } else {
            secondApprovalOver = nil
        }
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
    }
}

public struct CompanyMemberRow: Equatable, Sendable {
    public let company: String
    public let person: String
    public let role: String
    public let addedAt: Timestamp
}

public struct WalletRow: Equatable, Sendable {
    public let company: String
    public let currency: Currency
    public let bank: String
    public let accountID: Int64
    public let openedAt: Timestamp
    /// The IBAN a payment file names this wallet by (its debtor account), if given.
    public var iban: String? = nil
}

extension StoreTransaction {
    public func insertCompany(id: String, name: String, country: String, at time: Timestamp) throws
    {
        try db.cachedStatement(
            sql: "INSERT INTO company (id, name, country, createdAt) VALUES (?, ?, ?, ?)"
        ).execute(
            arguments: [id, name, country, time.millisecondsSinceEpoch])
    }

    public func company(id: String) throws -> CompanyRow? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM company WHERE id = ?"), arguments: [id]
        ).map(
            CompanyRow.init)
    }

    public func companies() throws -> [CompanyRow] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM company ORDER BY id")
        ).map(CompanyRow.init)
    }

    public func setSecondApproval(company: String, over: Money?) throws {
        try db.cachedStatement(
            sql:
                "UPDATE company SET secondApprovalOverMinor = ?, secondApprovalCurrency = ? WHERE id = ?"
        ).execute(
            arguments: [over?.minorUnits, over?.currency.code, company])
    }

    public func upsertMember(
        company: String, person: String, role: String, at time: Timestamp
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO companyMember (company, person, role, addedAt) VALUES (?, ?, ?, ?)
                ON CONFLICT (company, person) DO UPDATE SET role = excluded.role
                """
        ).execute(
            arguments: [company, person, role, time.millisecondsSinceEpoch])
    }

    public func members(company: String) throws -> [CompanyMemberRow] {
        try Row.fetchAll(
            try db.cachedStatement(
                sql: "SELECT * FROM companyMember WHERE company = ? ORDER BY person"),
            arguments: [company]
        ).map {
            CompanyMemberRow(
                company: $0["company"], person: $0["person"], role: $0["role"],
                addedAt: Timestamp(millisecondsSinceEpoch: $0["addedAt"]))
        }
    }

    public func membership(company: String, person: String) throws -> String? {
        try String.fetchOne(
            try db.cachedStatement(
                sql: "SELECT role FROM companyMember WHERE company = ? AND person = ?"),
            arguments: [company, person])
    }

    public func insertWallet(
        company: String, currency: Currency, bank: String, accountID: Int64, at time: Timestamp
    ) throws {
        try db.cachedStatement(
            sql:
                "INSERT INTO wallet (company, currency, bank, account, openedAt) VALUES (?, ?, ?, ?, ?)"
        ).execute(
            arguments: [company, currency.code, bank, accountID, time.millisecondsSinceEpoch])
    }

    public func wallets(company: String) throws -> [WalletRow] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM wallet WHERE company = ? ORDER BY currency"),
            arguments: [company]
        )
        .compactMap(Self.walletRow)
    }

    private static func walletRow(_ row: Row) -> WalletRow? {
        guard let currency = Currency.lookup(row["currency"]) else { return nil }
        return WalletRow(
            company: row["company"], currency: currency, bank: row["bank"],
            accountID: row["account"],
            openedAt: Timestamp(millisecondsSinceEpoch: row["openedAt"]), iban: row["iban"])
    }

    /// The wallet (of any company) a file's debtor IBAN names.
    public func wallet(iban: String) throws -> WalletRow? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM wallet WHERE iban = ?"), arguments: [iban]
        ).flatMap(Self.walletRow)
    }

    public func setWalletIBAN(company: String, currency: Currency, iban: String) throws {
        try db.cachedStatement(
            sql: "UPDATE wallet SET iban = ? WHERE company = ? AND currency = ?"
        ).execute(arguments: [iban, company, currency.code])
    }

    public func wallet(company: String, currency: Currency) throws -> WalletRow? {
        try wallets(company: company).first { $0.currency == currency }
    }
}
