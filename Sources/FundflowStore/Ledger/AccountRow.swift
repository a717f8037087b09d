public import FundflowCore
import GRDB

/// An account as stored: its definition and its materialised balance.
public struct AccountRow: Equatable, Sendable {
    public let id: Int64
    public let definition: AccountDefinition
    public var balance: Balance
    public let openedAt: Timestamp

    /// Reads the `columns` below by position: id, name, currency, type, mayGoNegative,
    /// isCustomerMoney, openedAt, bookedMinor, heldMinor (the order of the `account` table).
    init(row: Row) throws {
        let name: String = row[1]
        let code: String = row[2]
        let typeText: String = row[3]
        guard let type = AccountType(rawValue: typeText), let currency = Currency.lookup(code)
        else {
            throw StoreError(
                code: 0, message: "account \(name) has an unknown type or currency", path: "")
        }
        let definition = AccountDefinition(
            name: AccountName(stored: name), currency: currency, type: type,
            mayGoNegative: row[4], isCustomerMoney: row[5])
        self.id = row[0]
        self.definition = definition
        self.balance = Balance(bookedMinor: row[7], heldMinor: row[8])
        self.openedAt = Timestamp(millisecondsSinceEpoch: row[6])
    }
}

private let columns =
    "id, name, currency, type, mayGoNegative, isCustomerMoney, openedAt, bookedMinor, heldMinor"

extension StoreTransaction {
    public func account(named name: AccountName) throws -> AccountRow? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM account WHERE name = ?")
        return try Row.fetchOne(statement, arguments: [name.rawValue]).map(AccountRow.init)
    }

    public func account(id: Int64) throws -> AccountRow? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM account WHERE id = ?")
        return try Row.fetchOne(statement, arguments: [id]).map(AccountRow.init)
    }

    /// Accounts ordered by name; `prefix` keeps those whose name starts with it.
    public func accounts(prefix: String? = nil) throws -> [AccountRow] {
        if let prefix {
            // Compare on a range instead of LIKE so '_' and '%' in a prefix mean themselves.
            return try Row.fetchAll(
                db,
                sql: "SELECT \(columns) FROM account WHERE substr(name, 1, ?) = ? ORDER BY name",
                arguments: [prefix.count, prefix]
            ).map(AccountRow.init)
        }
        return try Row.fetchAll(db, sql: "SELECT \(columns) FROM account ORDER BY name").map(
            AccountRow.init)
    }

    public func insertAccount(
        _ definition: AccountDefinition, at time: Timestamp
    ) throws -> AccountRow {
        try db.execute(
            sql: """
                INSERT INTO account (name, currency, type, mayGoNegative, isCustomerMoney, openedAt)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                definition.name.rawValue, definition.currency.code, definition.type.rawValue,
                definition.mayGoNegative, definition.isCustomerMoney, time.millisecondsSinceEpoch,
            ])
        guard let row = try account(id: db.lastInsertedRowID) else {
            preconditionFailure("an inserted account cannot be read back")
        }
        return row
    }

    /// Writes a balance the engine has already computed and checked.
    public func setBalance(accountID: Int64, _ balance: Balance) throws {
        let statement = try db.cachedStatement(
            sql: "UPDATE account SET bookedMinor = ?, heldMinor = ? WHERE id = ?")
        try statement.execute(arguments: [balance.bookedMinor, balance.heldMinor, accountID])
    }
}
