public import FundflowCore
import GRDB

/// A request a channel was sent, recorded under the job that sent it (one per job).
public struct ChannelRequestRow: Equatable, Sendable {
    public let id: Int64
    public let job: Int64
    public let channel: String
    public let kind: String
    public let reference: String
    public let sentAt: Timestamp
    public let code: String?
    public let subCode: String?
    public let outcome: ChannelOutcome
}

extension StoreTransaction {
    public func saveChannel(name: String, definition: String, at time: Timestamp) throws {
        try db.execute(
            sql: """
                INSERT INTO channel (name, definition, loadedAt) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, loadedAt = excluded.loadedAt
                """,
            arguments: [name, definition, time.millisecondsSinceEpoch])
    }

    public func channelDefinition(name: String) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT definition FROM channel WHERE name = ?", arguments: [name])
    }

    public func channelDefinitions() throws -> [(
        name: String, definition: String, loadedAt: Timestamp
    )] {
        try Row.fetchAll(db, sql: "SELECT name, definition, loadedAt FROM channel ORDER BY name")
            .map {
                ($0[0], $0[1], Timestamp(millisecondsSinceEpoch: $0[2]))
            }
    }

    /// Records what job `job` sent; false when that job already has its request (it ran before).
    public func recordChannelRequest(
        job: Int64, channel: String, kind: String, reference: String, sentAt: Timestamp,
        code: String?,
        subCode: String?, outcome: ChannelOutcome
    ) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO channelRequest (job, channel, kind, reference, sentAt, code, subCode, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job) DO NOTHING
                """,
            arguments: [
                job, channel, kind, reference, sentAt.millisecondsSinceEpoch, code, subCode,
                outcome.rawValue,
            ])
        return db.changesCount == 1
    }

    public func channelRequests(reference: String) throws -> [ChannelRequestRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM channelRequest WHERE reference = ? ORDER BY sentAt, id",
            arguments: [reference]
        )
        .map { row in
            ChannelRequestRow(
                id: row["id"], job: row["job"], channel: row["channel"], kind: row["kind"],
                reference: row["reference"],
                sentAt: Timestamp(millisecondsSinceEpoch: row["sentAt"]), code: row["code"],
                subCode: row["subCode"],
                outcome: ChannelOutcome(rawValue: row["outcome"]) ?? .unknown)
        }
    }

    /// How many requests were sent per (kind, reference), for the exactly-once checks.
    public func channelRequestTally() throws -> [String: Int] {
        var tally: [String: Int] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT kind, reference, COUNT(*) FROM channelRequest GROUP BY kind, reference"
        ) {
            tally["\(row[0] as String) \(row[1] as String)"] = row[2]
        }
        return tally
    }

    /// Records a report once; false when a report with the same key was already recorded.
    public func recordChannelReport(
        key: String, reference: String, source: String, code: String?, subCode: String?,
        outcome: ChannelOutcome,
        at time: Timestamp
    ) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO channelReport (reportKey, reference, source, code, subCode, outcome, receivedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reportKey) DO NOTHING
                """,
            arguments: [
                key, reference, source, code, subCode, outcome.rawValue,
                time.millisecondsSinceEpoch,
            ])
        return db.changesCount == 1
    }
}

/// A report that was applied to a flow or refund part.
public struct ChannelReportRow: Equatable, Sendable {
    public let key: String
    public let reference: String
    public let source: String
    public let code: String?
    public let subCode: String?
    public let outcome: ChannelOutcome
}

extension StoreTransaction {
    public func channelReport(key: String) throws -> ChannelReportRow? {
        try channelReports(whereKey: key).first
    }

    public func channelReports() throws -> [ChannelReportRow] {
        try channelReports(whereKey: nil)
    }

    private func channelReports(whereKey key: String?) throws -> [ChannelReportRow] {
        let rows =
            if let key {
                try Row.fetchAll(
                    db, sql: "SELECT * FROM channelReport WHERE reportKey = ?", arguments: [key])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM channelReport ORDER BY id")
            }
        return rows.map { row in
            ChannelReportRow(
                key: row["reportKey"], reference: row["reference"], source: row["source"],
                code: row["code"],
                subCode: row["subCode"],
                outcome: ChannelOutcome(rawValue: row["outcome"]) ?? .unknown)
        }
    }
}
