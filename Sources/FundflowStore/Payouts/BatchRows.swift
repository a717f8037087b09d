public import FundflowCore
import GRDB

/// An imported payout batch. Its items keep what the file said (JSON written by the engine), so a
/// re-import of the same MsgId is compared item by item and a pain.002 can quote the file's ids.
public struct BatchRow: Equatable, Sendable {
    public let id: Int64
    public let company: String
    public let messageID: String
    public let format: String
    public let fileName: String
    public let status: String
    public let items: Int
    /// Items of the file left out by `--accept-valid`.
    public let leftOut: Int
    /// `[{"currency", "amount"}]` as JSON.
    public let totals: String
    /// The problems reported at import (JSON), kept with the batch when `--accept-valid` took it.
    public let problems: String
    public let importedBy: String
    public let importedAt: Timestamp
    /// Who approved, in order.
    public let approvals: [String]
    public let submittedAt: Timestamp?
    public let submittedBy: String?
    /// Whether the approvals given so far include the possible duplicates (nil: none given).
    public let includesDuplicates: Bool?

    init(row: Row) {
        id = row["id"]
        company = row["company"]
        messageID = row["messageId"]
        format = row["format"]
        fileName = row["fileName"]
        status = row["status"]
        items = row["items"]
        leftOut = row["leftOut"]
        totals = row["totals"]
        problems = row["problems"]
        importedBy = row["importedBy"]
        importedAt = Timestamp(millisecondsSinceEpoch: row["importedAt"])
        let approvals: String = row["approvals"]
        self.approvals = approvals.split(separator: ",").map(String.init)
        submittedAt = (row["submittedAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        submittedBy = row["submittedBy"]
        includesDuplicates = row["includesDuplicates"]
    }
}

/// One item of a batch as stored.
public struct BatchItemRow: Equatable, Sendable {
    public let batch: Int64
    public let position: Int
    public let path: String
    public let item: String
    public let payout: Int64?

    public init(batch: Int64, position: Int, path: String, item: String, payout: Int64?) {
        self.batch = batch
        self.position = position
        self.path = path
        self.item = item
        self.payout = payout
    }

    init(row: Row) {
        batch = row["batch"]
        position = row["position"]
        path = row["path"]
        item = row["item"]
        payout = row["payout"]
    }
}

/// One payout of a batch as its totals see it (amounts as the quote wrote them).
public struct BatchPayoutFigures: Equatable, Sendable {
    public let id: Int64
    public let status: String
    public let debited: String
    public let sendCurrency: String
    public let delivered: String
    public let targetCurrency: String
    public let rateDay: String
    /// The route's first bank: the servicing bank the debit is held towards.
    public let firstBank: String
    /// The payout found by the duplicate check, if any.
    public let duplicateOf: Int64?
    public let expiresAt: Timestamp
    public let releaseAt: Timestamp
    public let uetr: String
    /// Who approved it so far (a held possible duplicate's own approvals after the batch's).
    public let approvals: [String]

    /// The same payout as a statement over the batch has just left it.
    public func with(status: String, approvals: [String]) -> BatchPayoutFigures {
        BatchPayoutFigures(
            id: id, status: status, debited: debited, sendCurrency: sendCurrency,
            delivered: delivered, targetCurrency: targetCurrency, rateDay: rateDay,
            firstBank: firstBank, duplicateOf: duplicateOf, expiresAt: expiresAt,
            releaseAt: releaseAt, uetr: uetr, approvals: approvals)
    }
}

/// What a new batch is stored with.
public struct NewBatch: Sendable {
    public let company: String
    public let messageID: String
    public let format: String
    public let fileName: String
    public let leftOut: Int
    public let totals: String
    public let problems: String
    public let importedBy: String
    public let importedAt: Timestamp

    public init(
        company: String, messageID: String, format: String, fileName: String, leftOut: Int,
        totals: String, problems: String, importedBy: String, importedAt: Timestamp
    ) {
        self.company = company
        self.messageID = messageID
        self.format = format
        self.fileName = fileName
        self.leftOut = leftOut
        self.totals = totals
        self.problems = problems
        self.importedBy = importedBy
        self.importedAt = importedAt
    }
}

extension StoreTransaction {
    public func batch(id: Int64) throws -> BatchRow? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM batch WHERE id = ?"), arguments: [id]
        ).map(
            BatchRow.init)
    }

    public func batch(company: String, messageID: String) throws -> BatchRow? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM batch WHERE company = ? AND messageId = ?"),
            arguments: [company, messageID]
        ).map(BatchRow.init)
    }

    public func batches(company: String) throws -> [BatchRow] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM batch WHERE company = ? ORDER BY id"),
            arguments: [company]
        ).map(BatchRow.init)
    }

    /// Sets the status and the approvals; `includesDuplicates` says what those approvals cover
    /// (reset with them when they are dropped).
    public func setBatchStatus(
        id: Int64, status: String, approvals: [String], includesDuplicates: Bool?
    ) throws {
        try db.cachedStatement(
            sql:
                "UPDATE batch SET status = ?, approvals = ?, includesDuplicates = ? WHERE id = ?"
        ).execute(
            arguments: [
                status, approvals.joined(separator: ","),
                approvals.isEmpty ? nil : includesDuplicates, id,
            ])
    }

    public func setBatchSubmitted(id: Int64, by user: String, at time: Timestamp) throws {
        try db.cachedStatement(
            sql:
                "UPDATE batch SET status = 'scheduled', submittedBy = ?, submittedAt = ? WHERE id = ?"
        ).execute(
            arguments: [user, time.millisecondsSinceEpoch, id])
    }

    /// The statuses of a batch's payouts and how many have each.
    public func batchPayoutStatuses(batch: Int64) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(
            try db.cachedStatement(
                sql: "SELECT status, COUNT(*) AS n FROM payout WHERE batch = ? GROUP BY status"),
            arguments: [batch])
        {
            counts[row["status"]] = row["n"]
        }
        return counts
    }

    /// Each item's position and payout, without the item itself: what counting needs.
    public func batchItemHeads(batch: Int64) throws -> [(position: Int, payout: Int64?)] {
        try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT i.position, p.id FROM batchItem i
                    LEFT JOIN payout p ON p.batch = i.batch AND p.batchPosition = i.position
                    WHERE i.batch = ? ORDER BY i.position
                    """),
            arguments: [batch]
        ).map { ($0[0], $0[1]) }
    }

    /// The figures a batch's totals need from each payout's quote, pulled out by SQLite's JSON
    /// functions: no quote document is decoded for them.
    public func batchPayoutFigures(batch: Int64) throws -> [BatchPayoutFigures] {
        try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT id, status, json_extract(quote, '$.debited'),
                           json_extract(quote, '$.sendCurrency'), json_extract(quote, '$.delivered'),
                           json_extract(quote, '$.targetCurrency'), json_extract(quote, '$.rateDay'),
                           json_extract(quote, '$.path[0]'), duplicateOf, expiresAt, releaseAt, uetr,
                           approvals
                    FROM payout WHERE batch = ? ORDER BY id
                    """),
            arguments: [batch]
        ).map {
            BatchPayoutFigures(
                id: $0[0], status: $0[1], debited: $0[2], sendCurrency: $0[3], delivered: $0[4],
                targetCurrency: $0[5], rateDay: $0[6], firstBank: $0[7], duplicateOf: $0[8],
                expiresAt: Timestamp(millisecondsSinceEpoch: $0[9]),
                releaseAt: Timestamp(millisecondsSinceEpoch: $0[10]), uetr: $0[11],
                approvals: ($0[12] as String).split(separator: ",").map(String.init))
        }
    }

    /// The first payout a batch approval would take in (quoted; the possible duplicates only
    /// when `includeDuplicates`) whose beneficiary is gone, changed since its quote, or pending
    /// without having come new with this batch's import (by `importedBy`): its beneficiary id.
    public func batchBeneficiaryNotPayable(
        batch: Int64, includeDuplicates: Bool, importedBy: String
    ) throws -> String? {
        try String.fetchOne(
            try db.cachedStatement(
                sql: """
                    SELECT p.beneficiary FROM payout p
                    LEFT JOIN beneficiary b ON b.company = p.company AND b.id = p.beneficiary
                    WHERE p.batch = ? AND p.status = 'quoted' AND (? OR p.duplicateOf IS NULL)
                      AND (b.id IS NULL OR b.version <> p.beneficiaryVersion
                           OR (b.status <> 'approved' AND b.changedBy <> ?))
                    ORDER BY p.id LIMIT 1
                    """),
            arguments: [batch, includeDuplicates, importedBy])
    }

    /// Approves the pending beneficiaries the batch's approved payouts go to (those the import
    /// added or changed); how many.
    public func approveBatchBeneficiaries(
        batch: Int64, includeDuplicates: Bool, by user: String, at time: Timestamp
    ) throws -> Int {
        try db.cachedStatement(
            sql: """
                UPDATE beneficiary SET status = 'approved', approvedBy = ?, approvedAt = ?
                WHERE status = 'pending' AND (company, id) IN (
                    SELECT company, beneficiary FROM payout
                    WHERE batch = ? AND status = 'quoted' AND (? OR duplicateOf IS NULL))
                """
        ).execute(arguments: [user, time.millisecondsSinceEpoch, batch, includeDuplicates])
        return db.changesCount
    }

    /// Batch items with the payout made for each (`i` the items): a payout names its item.
    static let itemsWithPayouts = """
        SELECT i.batch, i.position, i.path, i.item, p.id AS payout FROM batchItem i
        LEFT JOIN payout p ON p.batch = i.batch AND p.batchPosition = i.position
        """

    public func batchItems(batch: Int64) throws -> [BatchItemRow] {
        try Row.fetchAll(
            try db.cachedStatement(
                sql: "\(Self.itemsWithPayouts) WHERE i.batch = ? ORDER BY i.position"),
            arguments: [batch]
        ).map(BatchItemRow.init)
    }
}

extension StoreTransaction {
    /// Starts a batch whose items are written as its file is read (`items` is set at the end).
    public func beginBatch(_ new: NewBatch) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO batch (company, messageId, format, fileName, status, items, leftOut,
                    totals, problems, importedBy, importedAt)
                VALUES (?, ?, ?, ?, 'draft', 1, 0, '[]', '[]', ?, ?)
                """
        ).execute(
            arguments: [
                new.company, new.messageID, new.format, new.fileName, new.importedBy,
                new.importedAt.millisecondsSinceEpoch,
            ])
        return db.lastInsertedRowID
    }

    public func insertBatchItem(batch: Int64, position: Int, path: String, item: String) throws {
        try db.cachedStatement(
            sql: "INSERT INTO batchItem (batch, position, path, item) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [batch, position, path, item])
    }

    public func batchItem(batch: Int64, position: Int) throws -> BatchItemRow? {
        try Row.fetchOne(
            try db.cachedStatement(
                sql: "\(Self.itemsWithPayouts) WHERE i.batch = ? AND i.position = ?"),
            arguments: [batch, position]
        ).map(BatchItemRow.init)
    }

    public func batchItemCount(batch: Int64) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM batchItem WHERE batch = ?", arguments: [batch]) ?? 0
    }

    /// Drops the items of one block (`--accept-valid` leaving out a block with a problem of its
    /// own); how many went.
    public func deleteBatchItems(batch: Int64, under path: String) throws -> Int {
        try db.execute(
            sql: "DELETE FROM batchItem WHERE batch = ? AND substr(path, 1, ?) = ?",
            arguments: [batch, path.count + 1, path + "/"])
        return db.changesCount
    }

    /// The batch's counts, totals and problems once its file was read.
    public func finishBatch(
        id: Int64, items: Int, leftOut: Int, totals: String, problems: String
    ) throws {
        try db.execute(
            sql: "UPDATE batch SET items = ?, leftOut = ?, totals = ?, problems = ? WHERE id = ?",
            arguments: [items, leftOut, totals, problems, id])
    }
}

extension StoreTransaction {
    /// Runs `body` with a small page cache (4 MiB): a batch import writes each page once, so a
    /// larger cache would only hold a file of 100,000 payments' pages in memory until commit
    /// (SQLite spills dirty pages to the WAL when the cache is full).
    public func withSmallPageCache<T>(_ body: () throws -> T) throws -> T {
        let previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -4096")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(previous)") }
        return try body()
    }
}
