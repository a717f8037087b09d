import Foundation
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
        let statement = try db.cachedStatement(sql: "SELECT * FROM idempotency WHERE key = ?")
        guard let row = try Row.fetchOne(statement, arguments: [key]) else { return nil }
        let requestJSON: String = row["request"]
        let fields = try JSONDecoder().decode(
            [RequestFingerprint.Field].self, from: Data(requestJSON.utf8))
        return IdempotencyRow(
            key: row["key"], request: RequestFingerprint(command: row["command"], fields: fields),
            outcome: IdempotencyRow.Outcome(rawValue: row["outcome"]) ?? .refused,
            result: row["result"],
            at: Timestamp(millisecondsSinceEpoch: row["at"]))
    }

    public func insertIdempotency(_ record: IdempotencyRow) throws {
        let fields = String(
            decoding: try JSONEncoder().encode(record.request.fields), as: UTF8.self)
        let statement = try db.cachedStatement(
            sql:
                "INSERT INTO idempotency (key, command, request, outcome, result, at) VALUES (?, ?, ?, ?, ?, ?)"
        )
        try statement.execute(arguments: [
            record.key, record.request.command, fields, record.outcome.rawValue, record.result,
            record.at.millisecondsSinceEpoch,
        ])
    }
}
