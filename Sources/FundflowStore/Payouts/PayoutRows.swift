public import FundflowCore
import GRDB

/// A payout as stored. The quote (route, amounts, fees, conversions, ETA) is kept as the JSON
/// the engine wrote, so a payout always shows the figures it was approved on.
public struct PayoutRow: Equatable, Sendable {
    public let id: Int64
    public let uetr: String
    public let company: String
    public let beneficiary: String
    public let beneficiaryVersion: Int
    public let status: String
    public let quote: String
    public let executionDate: String
    public let releaseAt: Timestamp
    public let reference: String?
    public let createdBy: String
    public let createdAt: Timestamp
    public let expiresAt: Timestamp
    /// Who approved, in order (comma-separated in the table).
    public let approvals: [String]
    /// The hold on the wallet placed when the payout was fully approved.
    public let hold: Int64?
    /// The journey as the network ran it (JSON written by the engine at release).
    public let journey: String?
    /// When the workers next have something to do with it (release, or the journey's end).
    public let dueAt: Timestamp?
    /// A recall asked after release (JSON written by the engine).
    public let recall: String?
    /// The batch it belongs to, if any.
    public let batch: Int64?
    /// The item's EndToEndId (batch payouts).
    public let endToEnd: String?
    /// The payout found by the duplicate check: this one is held until approved as it is.
    public let duplicateOf: Int64?

    init(row: Row) {
        id = row["id"]
        uetr = row["uetr"]
        company = row["company"]
        beneficiary = row["beneficiary"]
        beneficiaryVersion = row["beneficiaryVersion"]
        status = row["status"]
        quote = row["quote"]
        executionDate = row["executionDate"]
        releaseAt = Timestamp(millisecondsSinceEpoch: row["releaseAt"])
        reference = row["reference"]
        createdBy = row["createdBy"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
        expiresAt = Timestamp(millisecondsSinceEpoch: row["expiresAt"])
        let approvals: String = row["approvals"]
        self.approvals = approvals.split(separator: ",").map(String.init)
        hold = row["hold"]
        journey = row["journey"]
        dueAt = (row["dueAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        recall = row["recall"]
        batch = row["batch"]
        endToEnd = row["endToEnd"]
        duplicateOf = row["duplicateOf"]
    }

    /// A payout just written: what was inserted, without reading it back.
    init(id: Int64, _ new: NewPayout) {
        self.id = id
        uetr = new.uetr
        company = new.company
        beneficiary = new.beneficiary
        beneficiaryVersion = new.beneficiaryVersion
        status = new.status
        quote = new.quote
        executionDate = new.executionDate
        releaseAt = new.releaseAt
        reference = new.reference
        createdBy = new.createdBy
        createdAt = new.createdAt
        expiresAt = new.expiresAt
        approvals = []
        hold = nil
        journey = nil
        dueAt = nil
        recall = nil
        batch = new.batch
        endToEnd = new.endToEnd
        duplicateOf = nil
    }
}

/// What a new payout is stored with.
public struct NewPayout: Sendable {
    public let uetr: String
    public let company: String
    public let beneficiary: String
    public let beneficiaryVersion: Int
    public let status: String
    public let quote: String
    public let executionDate: String
    public let releaseAt: Timestamp
    public let reference: String?
    public let createdBy: String
    public let createdAt: Timestamp
    public let expiresAt: Timestamp
    public let batch: Int64?
    /// The position of the batch item it pays.
    public let batchPosition: Int?
    /// The account it pays, `SCHEME:VALUE`.
    public let account: String
    public let endToEnd: String?
    /// The amount asked (sent or to arrive), for the duplicate check.
    public let asked: Money?

    public init(
        uetr: String, company: String, beneficiary: String, beneficiaryVersion: Int, status: String,
        quote: String, executionDate: String, releaseAt: Timestamp, reference: String?,
        createdBy: String, createdAt: Timestamp, expiresAt: Timestamp, account: String,
        batch: Int64? = nil, batchPosition: Int? = nil, endToEnd: String? = nil,
        asked: Money? = nil
    ) {
        self.account = account
        self.batch = batch
        self.batchPosition = batchPosition
        self.endToEnd = endToEnd
        self.asked = asked
        self.uetr = uetr
        self.company = company
        self.beneficiary = beneficiary
        self.beneficiaryVersion = beneficiaryVersion
        self.status = status
        self.quote = quote
        self.executionDate = executionDate
        self.releaseAt = releaseAt
        self.reference = reference
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

extension StoreTransaction {
    public func insertPayout(_ new: NewPayout) throws -> PayoutRow {
        try db.cachedStatement(
            sql: """
                INSERT INTO payout (uetr, company, beneficiary, beneficiaryVersion, status, quote,
                    executionDate, releaseAt, reference, createdBy, createdAt, expiresAt, batch,
                    batchPosition, endToEnd, askedMinor, askedCurrency, account)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                new.uetr, new.company, new.beneficiary, new.beneficiaryVersion,
                new.status, new.quote, new.executionDate,
                new.releaseAt.millisecondsSinceEpoch, new.reference, new.createdBy,
                new.createdAt.millisecondsSinceEpoch, new.expiresAt.millisecondsSinceEpoch,
                new.batch, new.batchPosition, new.endToEnd, new.asked?.minorUnits,
                new.asked?.currency.code, new.account,
            ])
        return PayoutRow(id: db.lastInsertedRowID, new)
    }

    /// A payout of the same company to the same account (through this beneficiary or another
    /// one with that account) for the same amount asked, created at or after `since` and not
    /// cancelled: an interactive double entry.
    public func recentPayout(
        like payout: PayoutRow, account: String, asked: Money, since: Timestamp
    ) throws
        -> Int64?
    {
        try Int64.fetchOne(
            try db.cachedStatement(
                sql: """
                    SELECT id FROM payout
                    WHERE company = ? AND account = ? AND createdAt >= ? AND id <> ?
                        AND askedMinor = ? AND askedCurrency = ? AND status <> 'cancelled'
                    ORDER BY id DESC LIMIT 1
                    """),
            arguments: [
                payout.company, account, since.millisecondsSinceEpoch, payout.id,
                asked.minorUnits, asked.currency.code,
            ])
    }

    /// Payouts released whose journey has not ended by `time`.
    public func payoutsInFlight(at time: Timestamp) throws -> [PayoutRow] {
        try Row.fetchAll(
            try db.cachedStatement(
                sql: "SELECT * FROM payout WHERE status = 'released' AND dueAt > ? ORDER BY id"),
            arguments: [time.millisecondsSinceEpoch]
        ).map(PayoutRow.init)
    }

    public func payout(id: Int64) throws -> PayoutRow? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM payout WHERE id = ?"), arguments: [id]
        ).map(
            PayoutRow.init)
    }

    public func payout(uetr: String) throws -> PayoutRow? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM payout WHERE uetr = ?"), arguments: [uetr]
        ).map(
            PayoutRow.init)
    }

    public func payouts(company: String, status: String?) throws -> [PayoutRow] {
        if let status {
            return try Row.fetchAll(
                try db.cachedStatement(
                    sql: "SELECT * FROM payout WHERE company = ? AND status = ? ORDER BY id"),
                arguments: [company, status]
            ).map(PayoutRow.init)
        }
        return try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM payout WHERE company = ? ORDER BY id"),
            arguments: [company]
        ).map(PayoutRow.init)
    }

    /// Records a payout's state after approval, re-quote, cancellation or release.
    public func updatePayout(
        id: Int64, status: String, quote: String, expiresAt: Timestamp, approvals: [String],
        hold: Int64?
    ) throws {
        try db.cachedStatement(
            sql: """
                UPDATE payout SET status = ?, quote = ?, expiresAt = ?, approvals = ?, hold = ?
                WHERE id = ?
                """
        ).execute(
            arguments: [
                status, quote, expiresAt.millisecondsSinceEpoch, approvals.joined(separator: ","),
                hold,
                id,
            ])
    }

    public func setPayoutRelease(id: Int64, at time: Timestamp) throws {
        try db.cachedStatement(sql: "UPDATE payout SET releaseAt = ? WHERE id = ?").execute(
            arguments: [time.millisecondsSinceEpoch, id])
    }

    /// Sets what the workers do next with a payout and when (nil: nothing).
    public func setPayoutDue(id: Int64, at time: Timestamp?) throws {
        try db.cachedStatement(sql: "UPDATE payout SET dueAt = ? WHERE id = ?").execute(
            arguments: [time?.millisecondsSinceEpoch, id])
    }

    /// Records a released payout's journey, its status and the time of its next step.
    public func setPayoutJourney(
        id: Int64, status: String, journey: String, dueAt: Timestamp?
    ) throws {
        try db.cachedStatement(
            sql: "UPDATE payout SET status = ?, journey = ?, dueAt = ? WHERE id = ?"
        ).execute(
            arguments: [status, journey, dueAt?.millisecondsSinceEpoch, id])
    }

    public func setPayoutRecall(id: Int64, recall: String) throws {
        try db.cachedStatement(sql: "UPDATE payout SET recall = ? WHERE id = ?").execute(
            arguments: [recall, id])
    }

    /// Ids of payouts whose next step is due at `time`, oldest first.
    public func duePayouts(at time: Timestamp, limit: Int) throws -> [Int64] {
        try Int64.fetchAll(
            try db.cachedStatement(
                sql:
                    "SELECT id FROM payout WHERE dueAt IS NOT NULL AND dueAt <= ? ORDER BY dueAt, id LIMIT ?"
            ),
            arguments: [time.millisecondsSinceEpoch, limit])
    }

    public func payouts(batch: Int64) throws -> [PayoutRow] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM payout WHERE batch = ? ORDER BY id"),
            arguments: [batch]
        ).map(PayoutRow.init)
    }

    /// A beneficiary of the company paid to this account in this currency, if one exists.
    public func beneficiaryID(
        company: String, scheme: String, account: String, currency: String
    ) throws -> String? {
        try String.fetchOne(
            try db.cachedStatement(
                sql: """
                    SELECT id FROM beneficiary
                    WHERE company = ? AND scheme = ? AND account = ? AND currency = ?
                    ORDER BY id LIMIT 1
                    """),
            arguments: [company, scheme, account, currency])
    }

    /// Marks each of a batch's payouts with an id above `after` (those its quote just made) and
    /// not marked yet as a possible duplicate of the earliest payout of the company since
    /// `since`, outside the batch and not cancelled, that it may repeat: the same EndToEndId
    /// (`NOTPROVIDED` aside), or the same account (whichever of the company's beneficiaries
    /// carries it), amount asked and reference. One statement for the whole batch; how many
    /// are marked.
    public func markBatchDuplicates(batch: Int64, after: Int64, since: Timestamp) throws -> Int {
        // Read first and write only the few found: an UPDATE over the batch would rewrite
        // every payout row, duplicate or not.
        let found = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT id, earlier FROM (
                        SELECT id, COALESCE(
                            (SELECT e.id FROM payout e
                             WHERE e.company = p.company AND e.endToEnd = p.endToEnd
                               AND p.endToEnd <> 'NOTPROVIDED' AND e.createdAt >= :since
                               AND (e.batch IS NULL OR e.batch <> :batch)
                               AND e.status <> 'cancelled'
                             ORDER BY e.id LIMIT 1),
                            (SELECT e.id FROM payout e
                             WHERE e.company = p.company AND e.account = p.account
                               AND e.createdAt >= :since AND e.askedMinor = p.askedMinor
                               AND e.askedCurrency = p.askedCurrency
                               AND e.reference IS p.reference
                               AND (e.batch IS NULL OR e.batch <> :batch)
                               AND e.status <> 'cancelled'
                             ORDER BY e.id LIMIT 1)) AS earlier
                        FROM payout p
                        WHERE p.batch = :batch AND p.id > :after AND p.duplicateOf IS NULL)
                    WHERE earlier IS NOT NULL
                    """),
            arguments: ["batch": batch, "after": after, "since": since.millisecondsSinceEpoch])
        for row in found {
            try setPayoutDuplicate(id: row[0], of: row[1])
        }
        return try Int.fetchOne(
            try db.cachedStatement(
                sql: """
                    SELECT COUNT(*) FROM payout
                    WHERE batch = ? AND id > ? AND duplicateOf IS NOT NULL
                    """),
            arguments: [batch, after]) ?? 0
    }

    /// The highest payout id so far (0 for none).
    public func lastPayoutID() throws -> Int64 {
        try Int64.fetchOne(try db.cachedStatement(sql: "SELECT MAX(id) FROM payout")) ?? 0
    }

    /// Marks approved, in one statement, the batch's payouts an approval took in (quoted; the
    /// possible duplicates only when `includeDuplicates`), each with the hold placed for it: the
    /// hold whose key is `holdKeyPrefix`, the payout's id and `holdKeySuffix`.
    public func setBatchPayoutsApproved(
        batch: Int64, includeDuplicates: Bool, approvals: [String], holdKeyPrefix: String,
        holdKeySuffix: String
    ) throws {
        try db.cachedStatement(
            sql: """
                UPDATE payout SET status = 'approved', approvals = ?,
                    hold = (SELECT id FROM hold WHERE key = ? || payout.id || ?)
                WHERE batch = ? AND status = 'quoted' AND (? OR duplicateOf IS NULL)
                """
        ).execute(arguments: [
            approvals.joined(separator: ","), holdKeyPrefix, holdKeySuffix, batch,
            includeDuplicates,
        ])
    }

    /// Records who has approved a batch's held possible duplicates so far (quoted, after the
    /// batch's own approval).
    public func setHeldDuplicateApprovals(batch: Int64, approvals: [String]) throws {
        try db.cachedStatement(
            sql: """
                UPDATE payout SET approvals = ?
                WHERE batch = ? AND status = 'quoted' AND duplicateOf IS NOT NULL
                """
        ).execute(arguments: [approvals.joined(separator: ","), batch])
    }

    public func setPayoutDuplicate(id: Int64, of other: Int64?) throws {
        try db.cachedStatement(sql: "UPDATE payout SET duplicateOf = ? WHERE id = ?").execute(
            arguments: [other, id])
    }

    public func payoutCount() throws -> Int {
        try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT COUNT(*) FROM payout")) ?? 0
    }
}

extension StoreTransaction {
    /// Schedules a batch's approved payouts whose release is still ahead (`dueAt` = their
    /// release) in one statement; how many.
    public func scheduleBatchPayouts(batch: Int64, notBefore time: Timestamp) throws -> Int {
        try db.execute(
            sql: """
                UPDATE payout SET dueAt = releaseAt
                WHERE batch = ? AND status = 'approved' AND dueAt IS NULL AND releaseAt >= ?
                """,
            arguments: [batch, time.millisecondsSinceEpoch])
        return db.changesCount
    }

    /// A batch's approved payouts whose release time has passed.
    public func latePayouts(batch: Int64, before time: Timestamp) throws -> [PayoutRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM payout
                WHERE batch = ? AND status = 'approved' AND dueAt IS NULL AND releaseAt < ?
                """,
            arguments: [batch, time.millisecondsSinceEpoch]
        ).map(PayoutRow.init)
    }
}
