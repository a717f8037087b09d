public import FundflowCore
import GRDB

/// A user of this database. Only the operator (the first admin, the local account that created the
/// database) has no PIN; everyone else's PIN is stored only as a salted hash.
public struct PersonRow: Equatable, Sendable {
    public let name: String
    public var role: Role
    public var pinHash: String?
    public let isOperator: Bool
    public var disabled: Bool
    public let createdAt: Timestamp

    public init(
        name: String, role: Role, pinHash: String?, isOperator: Bool, disabled: Bool,
        createdAt: Timestamp
    ) {
        self.name = name
        self.role = role
        self.pinHash = pinHash
        self.isOperator = isOperator
        self.disabled = disabled
        self.createdAt = createdAt
    }

    init(row: Row) {
        self.init(
            name: row["name"], role: Role(rawValue: row["role"]) ?? .viewer,
            pinHash: row["pinHash"],
            isOperator: row["isOperator"], disabled: row["disabled"],
            createdAt: Timestamp(millisecondsSinceEpoch: row["createdAt"]))
    }
}

/// Wrong PINs counted per user and source; five lock that pair for a while.
public struct PinFailureRow: Equatable, Sendable {
    public let failures: Int
    public let lockedUntil: Timestamp?

    public init(failures: Int, lockedUntil: Timestamp?) {
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}

extension StoreTransaction {
    public func person(named name: String) throws -> PersonRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM person WHERE name = ?", arguments: [name]).map(
            PersonRow.init)
    }

    public func persons() throws -> [PersonRow] {
        try Row.fetchAll(db, sql: "SELECT * FROM person ORDER BY name").map(PersonRow.init)
    }

    public func insertPerson(_ person: PersonRow) throws {
        try db.execute(
            sql:
                "INSERT INTO person (name, role, pinHash, isOperator, disabled, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                person.name, person.role.rawValue, person.pinHash, person.isOperator,
                person.disabled,
                person.createdAt.millisecondsSinceEpoch,
            ])
    }

    public func updatePerson(_ person: PersonRow) throws {
        try db.execute(
            sql: "UPDATE person SET role = ?, pinHash = ?, disabled = ? WHERE name = ?",
            arguments: [person.role.rawValue, person.pinHash, person.disabled, person.name])
    }

    public func countActiveAdmins() throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM person WHERE role = 'admin' AND disabled = 0") ?? 0
    }

    public func pinFailure(person: String, source: String) throws -> PinFailureRow? {
        try Row.fetchOne(
            db, sql: "SELECT failures, lockedUntil FROM pinFailure WHERE person = ? AND source = ?",
            arguments: [person, source]
        ).map { row in
            PinFailureRow(
                failures: row[0],
                lockedUntil: (row[1] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)))
        }
    }

    public func setPinFailure(person: String, source: String, _ value: PinFailureRow) throws {
        try db.execute(
            sql: """
                INSERT INTO pinFailure (person, source, failures, lockedUntil) VALUES (?, ?, ?, ?)
                ON CONFLICT (person, source) DO UPDATE SET failures = excluded.failures, lockedUntil = excluded.lockedUntil
                """,
            arguments: [person, source, value.failures, value.lockedUntil?.millisecondsSinceEpoch])
    }
}

extension StoreTransaction {
    public func clearPinFailures(person: String) throws {
        try db.execute(sql: "DELETE FROM pinFailure WHERE person = ?", arguments: [person])
    }
}
