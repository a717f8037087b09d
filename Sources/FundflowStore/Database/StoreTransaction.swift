import GRDB

/// The handle a use case works through inside one transaction. It offers typed reads and writes;
/// the engine decides what to do with them.
public struct StoreTransaction {
    let db: Database

    public func meta(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try db.execute(
            sql:
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [key, value])
    }

    /// `PRAGMA integrity_check`: an empty list when SQLite finds the file sound.
    public func integrityProblems() throws -> [String] {
        let rows = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        return rows == ["ok"] ? [] : rows
    }

    /// `PRAGMA foreign_key_check`: rows that point at nothing, as `table rowid → parent`.
    public func foreignKeyProblems() throws -> [String] {
        try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
            let table: String = row[0]
            let rowID: Int64? = row[1]
            let parent: String = row[2]
            return "\(table) row \(rowID.map(String.init) ?? "?") points at a missing \(parent)"
        }
    }
}

extension StoreTransaction {
    /// Runs `body` inside a savepoint: when it throws, its writes are undone but the surrounding
    /// transaction goes on (so a business refusal can still be recorded in it).
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        guard let result else { preconditionFailure("a committed savepoint produced no result") }
        return result
    }
}
