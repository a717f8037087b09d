public import FundflowCore
import GRDB

/// A transfer ready to be written: its postings already validated and its balances already checked.
public struct NewTransfer: Sendable {
    public let key: String
    public let kind: String
    public let at: Timestamp
    public let memo: String?
    public let reverses: Int64?
    public let hold: Int64?
    public let auditSeq: Int64
    public let auditHash: String
    /// (account id, side, amount in the account's minor units).
    public let postings: [(accountID: Int64, side: Side, amountMinor: Int64)]

    public init(
        key: String, kind: String, at: Timestamp, memo: String?, reverses: Int64? = nil,
        hold: Int64? = nil,
        auditSeq: Int64, auditHash: String,
        postings: [(accountID: Int64, side: Side, amountMinor: Int64)]
    ) {
        self.key = key
        self.kind = kind
        self.at = at
        self.memo = memo
        self.reverses = reverses
        self.hold = hold
        self.auditSeq = auditSeq
        self.auditHash = auditHash
        self.postings = postings
    }
}

/// A stored transfer with its postings, as history, export and verification read it.
public struct TransferRow: Equatable, Sendable {
    public struct Leg: Equatable, Sendable {
        public let accountID: Int64
        public let account: String
        public let currency: String
        public let side: Side
        public let amountMinor: Int64
    }

    public let id: Int64
    public let key: String
    public let kind: String
    public let at: Timestamp
    public let memo: String?
    public let reverses: Int64?
    public let hold: Int64?
    public let auditSeq: Int64
    public let auditHash: String
    public var legs: [Leg]
}

/// One posting on one account, with the transfer it belongs to: a line of `ledger history`.
public struct HistoryLine: Equatable, Sendable {
    public let transferID: Int64
    public let at: Timestamp
    public let kind: String
    public let memo: String?
    public let side: Side
    public let amountMinor: Int64
}

extension StoreTransaction {
    @discardableResult
    public func insertTransfer(_ transfer: NewTransfer) throws -> Int64 {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO transfer (key, kind, at, memo, reverses, hold, auditSeq, auditHash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try insert.execute(arguments: [
            transfer.key, transfer.kind, transfer.at.millisecondsSinceEpoch, transfer.memo,
            transfer.reverses, transfer.hold, transfer.auditSeq, transfer.auditHash,
        ])
        let id = db.lastInsertedRowID
        // All legs in one statement: one parse, one step (a two-leg transfer is the common case).
        let values = Array(repeating: "(?, ?, ?, ?)", count: transfer.postings.count)
        let posting = try db.cachedStatement(
            sql: "INSERT INTO posting (transfer, account, side, amountMinor) VALUES "
                + values.joined(separator: ", "))
        var arguments: [(any DatabaseValueConvertible)?] = []
        arguments.reserveCapacity(transfer.postings.count * 4)
        for leg in transfer.postings {
            arguments += [id, leg.accountID, leg.side.rawValue, leg.amountMinor]
        }
        try posting.execute(arguments: StatementArguments(arguments))
        return id
    }

    public func transferID(key: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM transfer WHERE key = ?", arguments: [key])
    }

    public func transfer(id: Int64) throws -> TransferRow? {
        try transfers(whereSQL: "t.id = ?", arguments: [id]).first
    }

    /// The transfer that reverses `id`, if there is one.
    public func reversal(of id: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM transfer WHERE reverses = ?", arguments: [id])
    }

    /// Every transfer with its legs, oldest first; `afterID` pages through long ledgers.
    public func transfers(afterID: Int64 = 0, limit: Int = 10_000) throws -> [TransferRow] {
        try transfers(
            whereSQL: "t.id IN (SELECT id FROM transfer WHERE id > ? ORDER BY id LIMIT ?)",
            arguments: [afterID, limit])
    }

    private func transfers(whereSQL: String, arguments: StatementArguments) throws -> [TransferRow]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT t.id, t.key, t.kind, t.at, t.memo, t.reverses, t.hold, t.auditSeq, t.auditHash,
                       p.account, a.name, a.currency, p.side, p.amountMinor
                FROM transfer t JOIN posting p ON p.transfer = t.id JOIN account a ON a.id = p.account
                WHERE \(whereSQL)
                ORDER BY t.id, p.id
                """,
            arguments: arguments)
        var result: [TransferRow] = []
        for row in rows {
            let leg = TransferRow.Leg(
                accountID: row[9], account: row[10], currency: row[11],
                side: Side(rawValue: row[12]) ?? .debit, amountMinor: row[13])
            let id: Int64 = row[0]
            if result.last?.id == id {
                result[result.count - 1].legs.append(leg)
            } else {
                result.append(
                    TransferRow(
                        id: id, key: row[1], kind: row[2],
                        at: Timestamp(millisecondsSinceEpoch: row[3]),
                        memo: row[4], reverses: row[5], hold: row[6], auditSeq: row[7],
                        auditHash: row[8],
                        legs: [leg]))
            }
        }
        return result
    }

    /// The postings of one account in order, with their transfers.
    public func history(accountID: Int64, limit: Int) throws -> [HistoryLine] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT t.id, t.at, t.kind, t.memo, p.side, p.amountMinor
                FROM posting p JOIN transfer t ON t.id = p.transfer
                WHERE p.account = ? ORDER BY p.id LIMIT ?
                """,
            arguments: [accountID, limit]
        ).map { row in
            HistoryLine(
                transferID: row[0], at: Timestamp(millisecondsSinceEpoch: row[1]), kind: row[2],
                memo: row[3], side: Side(rawValue: row[4]) ?? .debit, amountMinor: row[5])
        }
    }

    /// Each account's balance recomputed from its postings on its normal side. SQLite's `SUM`
    /// raises an error on integer overflow instead of going to floating point.
    public func balancesFromPostings() throws -> [Int64: Int64] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.id,
                       COALESCE(SUM(CASE WHEN (p.side = 'debit') = (a.type IN ('asset', 'expense'))
                                         THEN p.amountMinor ELSE -p.amountMinor END), 0)
                FROM account a LEFT JOIN posting p ON p.account = a.id
                GROUP BY a.id
                """)
        var sums: [Int64: Int64] = [:]
        for row in rows { sums[row[0]] = row[1] }
        return sums
    }

    /// Transfers whose debits and credits differ in some currency, or that have fewer than two legs.
    public func unbalancedTransfers() throws -> [(
        transferID: Int64, currency: String, debitMinor: Int64, creditMinor: Int64
    )] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT t.id, COALESCE(a.currency, '?'),
                       COALESCE(SUM(CASE WHEN p.side = 'debit' THEN p.amountMinor ELSE 0 END), 0) AS d,
                       COALESCE(SUM(CASE WHEN p.side = 'credit' THEN p.amountMinor ELSE 0 END), 0) AS c
                FROM transfer t LEFT JOIN posting p ON p.transfer = t.id LEFT JOIN account a ON a.id = p.account
                GROUP BY t.id, a.currency
                HAVING d <> c OR d = 0
                ORDER BY t.id
                """
        ).map { ($0[0], $0[1], $0[2], $0[3]) }
    }

    /// (seq, hash) anchors of every transfer, for the audit chain's cut-off check.
    public func transferAnchors() throws -> [(
        transferID: Int64, auditSeq: Int64, auditHash: String
    )] {
        try Row.fetchAll(db, sql: "SELECT id, auditSeq, auditHash FROM transfer ORDER BY id").map {
            ($0[0], $0[1], $0[2])
        }
    }
}
