public import FundflowCore
import GRDB

/// One entry of the append-only audit log. `hash` covers every other field and `prevHash`, so the
/// entries form a chain (the engine computes and checks the hashes).
public struct AuditRow: Equatable, Sendable {
    public let seq: Int64
    public let at: Timestamp
    public let actor: String
    public let command: String
    public let outcome: String
    public let marked: Bool
    public let reason: String?
    public let prevHash: String
    public let hash: String

    public init(
        seq: Int64, at: Timestamp, actor: String, command: String, outcome: String, marked: Bool,
        reason: String?, prevHash: String, hash: String
    ) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.command = command
        self.outcome = outcome
        self.marked = marked
        self.reason = reason
        self.prevHash = prevHash
        self.hash = hash
    }

    init(row: Row) {
        self.init(
            seq: row["seq"], at: Timestamp(millisecondsSinceEpoch: row["at"]), actor: row["actor"],
            command: row["command"], outcome: row["outcome"], marked: row["marked"],
            reason: row["reason"],
            prevHash: row["prevHash"], hash: row["hash"])
    }
}

extension StoreTransaction {
    public func lastAuditEntry() throws -> AuditRow? {
        let statement = try db.cachedStatement(
            sql: "SELECT * FROM auditEntry ORDER BY seq DESC LIMIT 1")
        return try Row.fetchOne(statement).map(AuditRow.init)
    }

    public func insertAudit(_ entry: AuditRow) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO auditEntry (seq, at, actor, command, outcome, marked, reason, prevHash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            entry.seq, entry.at.millisecondsSinceEpoch, entry.actor, entry.command, entry.outcome,
            entry.marked, entry.reason, entry.prevHash, entry.hash,
        ])
    }

    /// Entries in storage order (by rowid, which is `seq`): the verifier checks that order itself.
    public func auditEntries(afterSeq: Int64 = 0, limit: Int = 100_000) throws -> [AuditRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM auditEntry WHERE seq > ? ORDER BY seq LIMIT ?",
            arguments: [afterSeq, limit]
        ).map(AuditRow.init)
    }

    /// The newest `limit` entries, newest last.
    public func recentAuditEntries(limit: Int) throws -> [AuditRow] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM (SELECT * FROM auditEntry ORDER BY seq DESC LIMIT ?) ORDER BY seq",
            arguments: [limit]
        ).map(AuditRow.init)
    }
}
