public import FundflowCore
import GRDB

/// What a job does when it falls due.
public enum JobKind: String, Sendable, CaseIterable {
    /// Send a channel flow's submission.
    case submit
    /// Ask the channel for a flow's status (seq = the query's number).
    case query
    /// A notification the sandbox channel pushes (seq 1: on time, seq 2: late).
    case notify
    case refundSubmit = "refund_submit"
    case refundQuery = "refund_query"
    /// Remind that an unpaid order expires soon.
    case reminder
    /// Close an order whose expiry passed unpaid.
    case expire
    /// Try a withholding order's failed flow again (seq = the attempt).
    case retry
    /// Pay a family allowance (subject = the allowance, seq = the payment's number).
    case allowance
    /// End a family request nobody answered (subject = the request).
    case requestExpire = "request_expire"
}

/// A unit of deferred work in the database. It is leased in one transaction before it is worked
/// on, and its effect is recorded under its id, so two workers never do it twice.
public struct JobRow: Equatable, Sendable {
    public let id: Int64
    public let kind: JobKind
    public let subject: Int64
    public let seq: Int
    public let dueAt: Timestamp
    public let status: String
    public let leasedBy: String?
    public let attempts: Int

    init(row: Row) throws {
        guard let kind = JobKind(rawValue: row["kind"]) else {
            throw StoreError(
                code: 0, message: "job \(row["id"] as Int64) has an unknown kind", path: "")
        }
        id = row["id"]
        self.kind = kind
        subject = row["subject"]
        seq = row["seq"]
        dueAt = Timestamp(millisecondsSinceEpoch: row["dueAt"])
        status = row["status"]
        leasedBy = row["leasedBy"]
        attempts = row["attempts"]
    }
}

extension StoreTransaction {
    /// Schedules a job; scheduling the same (kind, subject, seq) again does nothing.
    @discardableResult
    public func scheduleJob(
        _ kind: JobKind, subject: Int64, seq: Int, dueAt: Timestamp, at time: Timestamp
    ) throws
        -> Bool
    {
        try db.execute(
            sql: """
                INSERT INTO job (kind, subject, seq, dueAt, status, createdAt) VALUES (?, ?, ?, ?, 'due', ?)
                ON CONFLICT (kind, subject, seq) DO NOTHING
                """,
            arguments: [
                kind.rawValue, subject, seq, dueAt.millisecondsSinceEpoch,
                time.millisecondsSinceEpoch,
            ])
        return db.changesCount == 1
    }

    /// Leases up to `limit` jobs due at `time`, earliest first, until `leaseUntil`. Leases that
    /// ran out (a worker died) are taken over.
    public func leaseDueJobs(
        at time: Timestamp, by worker: String, leaseUntil: Timestamp, limit: Int
    ) throws
        -> [JobRow]
    {
        let ids = try Int64.fetchAll(
            db,
            sql: """
                SELECT id FROM job
                WHERE (status = 'due' AND dueAt <= ?) OR (status = 'leased' AND leaseUntil <= ?)
                ORDER BY dueAt, id LIMIT ?
                """,
            arguments: [time.millisecondsSinceEpoch, time.millisecondsSinceEpoch, limit])
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        try db.execute(
            sql: """
                UPDATE job SET status = 'leased', leasedBy = ?, leaseUntil = ?, attempts = attempts + 1
                WHERE id IN (\(marks))
                """,
            arguments: StatementArguments(
                [worker, leaseUntil.millisecondsSinceEpoch] as [any DatabaseValueConvertible] + ids)
        )
        return try Row.fetchAll(
            db, sql: "SELECT * FROM job WHERE id IN (\(marks)) ORDER BY dueAt, id",
            arguments: StatementArguments(ids)
        )
        .map(JobRow.init)
    }

    public func job(id: Int64) throws -> JobRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(
            JobRow.init)
    }

    /// Marks a leased job done; false when it was not leased (another worker finished it).
    @discardableResult
    public func completeJob(id: Int64, at time: Timestamp) throws -> Bool {
        try db.execute(
            sql:
                "UPDATE job SET status = 'done', doneAt = ?, leasedBy = NULL, leaseUntil = NULL WHERE id = ? AND status = 'leased'",
            arguments: [time.millisecondsSinceEpoch, id])
        return db.changesCount == 1
    }

    /// Marks a leased job failed: its work was refused and retrying would not change that.
    public func failJob(id: Int64, reason: String, at time: Timestamp) throws {
        try db.execute(
            sql: """
                UPDATE job SET status = 'failed', failure = ?, doneAt = ?, leasedBy = NULL, leaseUntil = NULL
                WHERE id = ? AND status = 'leased'
                """,
            arguments: [reason, time.millisecondsSinceEpoch, id])
    }

    /// Cancels the not-yet-done jobs of a subject (`kinds` limits which), except `running`: the
    /// job doing the cancelling finishes as done.
    public func cancelJobs(subject: Int64, kinds: [JobKind], except running: Int64? = nil) throws {
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        try db.execute(
            sql: """
                UPDATE job SET status = 'cancelled', leasedBy = NULL, leaseUntil = NULL
                WHERE subject = ? AND status IN ('due', 'leased') AND kind IN (\(marks)) AND id <> ?
                """,
            arguments: StatementArguments(
                [subject] as [any DatabaseValueConvertible] + kinds.map(\.rawValue) + [
                    running ?? -1
                ]))
    }

    /// When the next job or payout step falls due, if any is waiting.
    public func nextDueAt() throws -> Timestamp? {
        try Int64.fetchOne(
            db,
            sql: """
                SELECT MIN(dueAt) FROM (
                    SELECT MIN(dueAt) AS dueAt FROM job WHERE status = 'due'
                    UNION ALL SELECT MIN(dueAt) FROM payout WHERE dueAt IS NOT NULL)
                """
        ).map(Timestamp.init(millisecondsSinceEpoch:))
    }

    public func jobs(subject: Int64, kind: JobKind) throws -> [JobRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM job WHERE subject = ? AND kind = ? ORDER BY seq",
            arguments: [subject, kind.rawValue]
        ).map(JobRow.init)
    }
}
