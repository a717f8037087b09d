public import FundflowCore
import GRDB

/// Where a hold is in its life: reserved, then posted (in full or part), voided or expired.
public enum HoldStatus: String, Sendable, CaseIterable, Codable {
    case pending
    case posted
    case voided
    case expired
}

/// A pending two-leg transfer: the amount is reserved on every account it would lower.
public struct HoldRow: Equatable, Sendable {
    public let id: Int64
    public let key: String
    public let debitAccountID: Int64
    public let creditAccountID: Int64
    public let amountMinor: Int64
    public let status: HoldStatus
    public let placedAt: Timestamp
    public let expiresAt: Timestamp?
    public let closedAt: Timestamp?
    public let memo: String?

    init(
        id: Int64, key: String, debitAccountID: Int64, creditAccountID: Int64, amountMinor: Int64,
        status: HoldStatus, placedAt: Timestamp, expiresAt: Timestamp?, closedAt: Timestamp?,
        memo: String?
    ) {
        self.id = id
        self.key = key
        self.debitAccountID = debitAccountID
        self.creditAccountID = creditAccountID
        self.amountMinor = amountMinor
        self.status = status
        self.placedAt = placedAt
        self.expiresAt = expiresAt
        self.closedAt = closedAt
        self.memo = memo
    }

    init(row: Row) {
        id = row["id"]
        key = row["key"]
        debitAccountID = row["debitAccount"]
        creditAccountID = row["creditAccount"]
        amountMinor = row["amountMinor"]
        status = HoldStatus(rawValue: row["status"]) ?? .pending
        placedAt = Timestamp(millisecondsSinceEpoch: row["placedAt"])
        expiresAt = (row["expiresAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        closedAt = (row["closedAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        memo = row["memo"]
    }
}

extension StoreTransaction {
    public func insertHold(
        key: String, debitAccountID: Int64, creditAccountID: Int64, amountMinor: Int64,
        placedAt: Timestamp, expiresAt: Timestamp?, memo: String?
    ) throws -> HoldRow {
        try db.cachedStatement(
            sql: """
                INSERT INTO hold (key, debitAccount, creditAccount, amountMinor, status, placedAt, expiresAt, memo)
                VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
                """
        ).execute(
            arguments: [
                key, debitAccountID, creditAccountID, amountMinor, placedAt.millisecondsSinceEpoch,
                expiresAt?.millisecondsSinceEpoch, memo,
            ])
        return HoldRow(
            id: db.lastInsertedRowID, key: key, debitAccountID: debitAccountID,
            creditAccountID: creditAccountID, amountMinor: amountMinor, status: .pending,
            placedAt: placedAt, expiresAt: expiresAt, closedAt: nil, memo: memo)
    }

    public func hold(id: Int64) throws -> HoldRow? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM hold WHERE id = ?"), arguments: [id]
        ).map(HoldRow.init)
    }

    public func holds(status: HoldStatus? = nil) throws -> [HoldRow] {
        if let status {
            return try Row.fetchAll(
                db, sql: "SELECT * FROM hold WHERE status = ? ORDER BY id",
                arguments: [status.rawValue]
            )
            .map(HoldRow.init)
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM hold ORDER BY id").map(HoldRow.init)
    }

    /// Pending holds whose expiry is at or before `time`, oldest expiry first.
    public func holdsDue(at time: Timestamp) throws -> [HoldRow] {
        let statement = try db.cachedStatement(
            sql:
                "SELECT * FROM hold WHERE status = 'pending' AND expiresAt <= ? ORDER BY expiresAt, id"
        )
        return try Row.fetchAll(statement, arguments: [time.millisecondsSinceEpoch]).map(
            HoldRow.init)
    }

    public func closeHold(id: Int64, status: HoldStatus, at time: Timestamp) throws {
        precondition(status != .pending, "closing a hold needs a final status")
        try db.execute(
            sql: "UPDATE hold SET status = ?, closedAt = ? WHERE id = ? AND status = 'pending'",
            arguments: [status.rawValue, time.millisecondsSinceEpoch, id])
        precondition(db.changesCount == 1, "hold \(id) was not pending")
    }

    /// Sum of pending holds per account, as `ledger verify` recomputes `heldMinor`.
    public func heldFromHolds() throws -> [Int64: Int64] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT h.debitAccount, a.type, 'debit' AS side, SUM(h.amountMinor) FROM hold h
                  JOIN account a ON a.id = h.debitAccount WHERE h.status = 'pending' GROUP BY h.debitAccount
                UNION ALL
                SELECT h.creditAccount, a.type, 'credit' AS side, SUM(h.amountMinor) FROM hold h
                  JOIN account a ON a.id = h.creditAccount WHERE h.status = 'pending' GROUP BY h.creditAccount
                """)
        var held: [Int64: Int64] = [:]
        for row in rows {
            let type = AccountType(rawValue: row[1]) ?? .asset
            let side = Side(rawValue: row[2]) ?? .debit
            // Only the leg that lowers an account reserves money on it.
            if side != type.normalSide {
                held[row[0], default: 0] += row[3] as Int64
            }
        }
        return held
    }
}
