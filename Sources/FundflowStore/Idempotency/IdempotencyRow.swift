public import FundflowCore
import GRDB

/// What a keyed request produced the first time: its result, or the business refusal it met.
public struct IdempotencyRow: Equatable, Sendable {
    public enum Outcome: String, Sendable {
        case succeeded
        case refused
    }

    public let key: String
    public let request: RequestFingerprint
    public let outcome: Outcome
    /// The result as JSON for a success, the refusal message for a refusal.
    public let result: String
    public let at: Timestamp

    public init(
        key: String, request: RequestFingerprint, outcome: Outcome, result: String, at: Timestamp
    ) {
        self.key = key
        self.request = request
        self.outcome = outcome
        self.result = result
        self.at = at
    }
}

extension StoreTransaction {
    public func idempotency(key: String) throws -> IdempotencyRow? {
        let statement = try db.cachedStatement(
            sql: "SELECT key, command, request, outcome, result, at FROM idempotency WHERE key = ?")
        return try Row.fetchOne(statement, arguments: [key]).map(IdempotencyRow.init)
    }

    /// The records of those `keys` that have one, in one query per 500 keys (a batch's lookup).
    public func idempotency(keys: [String]) throws -> [String: IdempotencyRow] {
        var found: [String: IdempotencyRow] = [:]
        var start = 0
        while start < keys.count {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT key, command, request, outcome, result, at FROM idempotency WHERE key IN (\(marks))",
                arguments: StatementArguments(chunk))
            for row in rows {
                let record = try IdempotencyRow(row: row)
                found[record.key] = record
            }
            start += chunk.count
        }
        return found
    }

    public func insertIdempotency(_ record: IdempotencyRow) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO idempotency (key, command, request, outcome, result, at)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            record.key, record.request.command, record.request.canonicalFields,
            record.outcome.rawValue, record.result, record.at.millisecondsSinceEpoch,
        ])
    }
}

extension IdempotencyRow {
    init(row: Row) throws {
        let key: String = row[0]
        let command: String = row[1]
        let fields: String = row[2]
        guard let request = RequestFingerprint(command: command, canonicalFields: fields),
            let outcome = Outcome(rawValue: row[3])
        else {
            throw StoreError(
                code: 0, message: "the idempotency record of key '\(key)' is damaged", path: "")
        }
        self.init(
            key: key, request: request, outcome: outcome, result: row[4],
            at: Timestamp(millisecondsSinceEpoch: row[5]))
    }
}
