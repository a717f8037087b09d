public import FundflowCore
import GRDB

/// A bank told to fail (`network fail BIC --reason CODE [--share BPS] [--seed N]`): payouts
/// released while it stands are rejected there, all of them or the share the seed picks.
public struct NetworkFailureRow: Equatable, Sendable {
    public let bic: String
    public let reason: String
    /// Out of 10,000: 10,000 fails every payout.
    public let shareBps: Int
    public let seed: Int64
    public let setBy: String
    public let setAt: Timestamp

    public init(
        bic: String, reason: String, shareBps: Int, seed: Int64, setBy: String, setAt: Timestamp
    ) {
        self.bic = bic
        self.reason = reason
        self.shareBps = shareBps
        self.seed = seed
        self.setBy = setBy
        self.setAt = setAt
    }

    init(row: Row) {
        bic = row["bic"]
        reason = row["reason"]
        shareBps = row["shareBps"]
        seed = row["seed"]
        setBy = row["setBy"]
        setAt = Timestamp(millisecondsSinceEpoch: row["setAt"])
    }
}

extension StoreTransaction {
    /// Sets (or replaces) the failure of a bank.
    public func saveNetworkFailure(_ failure: NetworkFailureRow) throws {
        try db.execute(
            sql: """
                INSERT INTO networkFailure (bic, reason, shareBps, seed, setBy, setAt)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (bic) DO UPDATE SET reason = excluded.reason,
                    shareBps = excluded.shareBps, seed = excluded.seed, setBy = excluded.setBy,
                    setAt = excluded.setAt
                """,
            arguments: [
                failure.bic, failure.reason, failure.shareBps, failure.seed, failure.setBy,
                failure.setAt.millisecondsSinceEpoch,
            ])
    }

    /// Heals a bank; false when it was not failing.
    public func deleteNetworkFailure(bic: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM networkFailure WHERE bic = ?", arguments: [bic])
        return db.changesCount > 0
    }

    public func networkFailures() throws -> [NetworkFailureRow] {
        try Row.fetchAll(db, sql: "SELECT * FROM networkFailure ORDER BY bic").map(
            NetworkFailureRow.init)
    }
}
