import Foundation
public import FundflowCore
import GRDB

public struct FamilyRow: Equatable, Sendable {
    public let id: String
    public let currency: Currency
    public let timeZone: String
    public let owner: String
    public let refundsRestoreLimits: Bool
    public let createdAt: Timestamp

    init(row: Row) throws {
        id = row["id"]
        guard let currency = Currency.lookup(row["currency"]) else {
            throw StoreError(code: 0, message: "family \(id) has an unknown currency", path: "")
        }
        self.currency = currency
        timeZone = row["timeZone"]
        owner = row["owner"]
        refundsRestoreLimits = row["refundsRestoreLimits"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
    }
}

/// A person's place in a family: invited (not yet a member), active, removed or left.
public struct FamilyMemberRow: Equatable, Sendable {
    public let family: String
    public let person: String
    public let role: FamilyRole
    public let status: String
    public let invitedBy: String
    public let invitedAt: Timestamp
    public let joinedAt: Timestamp?
    public let policy: SpendPolicy

    public var isActive: Bool { status == "active" }

    init(row: Row) throws {
        family = row["family"]
        person = row["person"]
        guard let role = FamilyRole(rawValue: row["role"]) else {
            throw StoreError(
                code: 0, message: "family member \(person) has an unknown role", path: "")
        }
        self.role = role
        status = row["status"]
        invitedBy = row["invitedBy"]
        invitedAt = Timestamp(millisecondsSinceEpoch: row["invitedAt"])
        joinedAt = (row["joinedAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        policy = try JSONDecoder().decode(
            SpendPolicy.self, from: Data((row["policy"] as String).utf8))
    }
}

/// A family purchase: the trade order it is, who spent, where, and how it was split.
public struct FamilyPaymentRow: Equatable, Sendable {
    public let order: Int64
    public let family: String
    public let member: String
    public let merchant: String
    public let category: String
    public let spendMinor: Int64
    public let ownMinor: Int64
    public let poolMinor: Int64
    public let createdAt: Timestamp
    public let paidAt: Timestamp?
    /// The merchant's bill: the spend itself, or for a purchase in another currency that bill
    /// (the spend is what the family paid for it) with the mid rate shown.
    public let billMinor: Int64
    public let billCurrency: String
    public let billRefundedMinor: Int64
    public let rate: String?

    init(row: Row) {
        order = row["tradeOrder"]
        family = row["family"]
        member = row["member"]
        merchant = row["merchant"]
        category = row["category"]
        spendMinor = row["spendMinor"]
        ownMinor = row["ownMinor"]
        poolMinor = row["poolMinor"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
        paidAt = (row["paidAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        billMinor = row["billMinor"]
        billCurrency = row["billCurrency"]
        billRefundedMinor = row["billRefundedMinor"]
        rate = row["rate"]
    }
}

public struct FamilyRequestRow: Equatable, Sendable {
    public let id: Int64
    public let family: String
    public let member: String
    public let order: Int64
    public let funding: String
    public let reasons: [String]
    public let approvalsNeeded: Int
    public let approvals: [String]
    public let status: String
    public let createdAt: Timestamp
    public let expiresAt: Timestamp
    public let decidedAt: Timestamp?
    public let decidedBy: String?

    init(row: Row) {
        id = row["id"]
        family = row["family"]
        member = row["member"]
        order = row["tradeOrder"]
        funding = row["funding"]
        reasons = (row["reasons"] as String).split(separator: "\n").map(String.init)
        approvalsNeeded = row["approvalsNeeded"]
        approvals = (row["approvals"] as String).split(separator: ",").map(String.init)
        status = row["status"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
        expiresAt = Timestamp(millisecondsSinceEpoch: row["expiresAt"])
        decidedAt = (row["decidedAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        decidedBy = row["decidedBy"]
    }
}

public struct FamilyAllowanceRow: Equatable, Sendable {
    public let id: Int64
    public let family: String
    public let member: String
    public let amountMinor: Int64
    public let every: String
    public let startsAt: Timestamp
    public let paidCount: Int
    public let active: Bool
}

public struct FamilyNoticeRow: Equatable, Sendable {
    public let id: Int64
    public let recipient: String
    public let at: Timestamp
    public let text: String
    public let order: Int64?
}

/// Money a member put into the pool or a wallet.
public struct FamilyDepositRow: Equatable, Sendable {
    public let id: Int64
    public let depositor: String
    public let target: String
    public let amountMinor: Int64
    public let source: String
    public let at: Timestamp
}

/// What a refund gave back to one source of a family payment.
public struct FamilyRefundRow: Equatable, Sendable {
    public let order: Int64
    public let source: String
    public let amountMinor: Int64
    public let at: Timestamp
}

extension StoreTransaction {
    // MARK: Families and members

    public func insertFamily(
        id: String, currency: Currency, timeZone: String, owner: String, at time: Timestamp
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO family (id, currency, timeZone, owner, createdAt) VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [id, currency.code, timeZone, owner, time.millisecondsSinceEpoch])
    }

    public func family(id: String) throws -> FamilyRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM family WHERE id = ?", arguments: [id]).map(
            FamilyRow.init)
    }

    public func setRefundsRestoreLimits(family: String, _ value: Bool) throws {
        try db.execute(
            sql: "UPDATE family SET refundsRestoreLimits = ? WHERE id = ?",
            arguments: [value, family])
    }

    /// Families where the person is invited or a member.
    public func families(of person: String) throws -> [FamilyRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT f.* FROM family f JOIN familyMember m ON m.family = f.id
                WHERE m.person = ? AND m.status IN ('invited', 'active') ORDER BY f.id
                """, arguments: [person]
        ).map(FamilyRow.init)
    }

    public func upsertFamilyMember(
        family: String, person: String, role: FamilyRole, status: String, invitedBy: String,
        policy: SpendPolicy, at time: Timestamp
    ) throws {
        let policyText = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO familyMember (family, person, role, status, invitedBy, invitedAt,
                                          joinedAt, policy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (family, person) DO UPDATE SET role = excluded.role,
                    status = excluded.status, invitedBy = excluded.invitedBy,
                    invitedAt = excluded.invitedAt, joinedAt = excluded.joinedAt,
                    endedAt = NULL, policy = excluded.policy
                """,
            arguments: [
                family, person, role.rawValue, status, invitedBy, time.millisecondsSinceEpoch,
                status == "active" ? time.millisecondsSinceEpoch : nil, policyText,
            ])
    }

    public func familyMember(family: String, person: String) throws -> FamilyMemberRow? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM familyMember WHERE family = ? AND person = ?",
            arguments: [family, person]
        ).map(FamilyMemberRow.init)
    }

    public func familyMembers(family: String) throws -> [FamilyMemberRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM familyMember WHERE family = ?
                ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'guardian' THEN 1 WHEN 'adult' THEN 2
                                   WHEN 'minor' THEN 3 ELSE 4 END, person
                """, arguments: [family]
        ).map(FamilyMemberRow.init)
    }

    public func setFamilyMemberStatus(
        family: String, person: String, status: String, at time: Timestamp
    ) throws {
        let joined = status == "active"
        try db.execute(
            sql: """
                UPDATE familyMember SET status = ?,
                    joinedAt = CASE WHEN ? THEN ? ELSE joinedAt END,
                    endedAt = CASE WHEN ? THEN NULL ELSE ? END
                WHERE family = ? AND person = ?
                """,
            arguments: [
                status, joined, time.millisecondsSinceEpoch, joined, time.millisecondsSinceEpoch,
                family, person,
            ])
    }

    public func setFamilyPolicy(family: String, person: String, policy: SpendPolicy) throws {
        let policyText = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
        try db.execute(
            sql: "UPDATE familyMember SET policy = ? WHERE family = ? AND person = ?",
            arguments: [policyText, family, person])
    }

    // MARK: Payments

    public func insertFamilyPayment(
        order: Int64, family: String, member: String, merchant: String, category: String,
        spendMinor: Int64, bill: Money, rate: String?, at time: Timestamp
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO familyPayment (tradeOrder, family, member, merchant, category,
                                           spendMinor, ownMinor, poolMinor, createdAt,
                                           billMinor, billCurrency, rate)
                VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)
                """,
            arguments: [
                order, family, member, merchant, category, spendMinor,
                time.millisecondsSinceEpoch, bill.minorUnits, bill.currency.code, rate,
            ])
    }

    public func setFamilyBillRefunded(order: Int64, minor: Int64) throws {
        try db.execute(
            sql: "UPDATE familyPayment SET billRefundedMinor = ? WHERE tradeOrder = ?",
            arguments: [minor, order])
    }

    public func markFamilyPaymentPaid(
        order: Int64, ownMinor: Int64, poolMinor: Int64, at time: Timestamp
    ) throws {
        try db.execute(
            sql:
                "UPDATE familyPayment SET ownMinor = ?, poolMinor = ?, paidAt = ? WHERE tradeOrder = ?",
            arguments: [ownMinor, poolMinor, time.millisecondsSinceEpoch, order])
    }

    public func familyPayment(order: Int64) throws -> FamilyPaymentRow? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM familyPayment WHERE tradeOrder = ?", arguments: [order]
        ).map(FamilyPaymentRow.init)
    }

    /// What a member spent in `[window.lowerBound, window.upperBound)`: paid purchases, less
    /// what refunds gave back when `lessRefunds` (a family setting).
    public func familySpend(
        family: String, member: String, in window: Range<Timestamp>, lessRefunds: Bool
    ) throws -> Int64 {
        let spent =
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(spendMinor), 0) FROM familyPayment
                    WHERE family = ? AND member = ? AND paidAt >= ? AND paidAt < ?
                    """,
                arguments: [
                    family, member, window.lowerBound.millisecondsSinceEpoch,
                    window.upperBound.millisecondsSinceEpoch,
                ]) ?? 0
        guard lessRefunds else { return spent }
        let refunded =
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(r.amountMinor), 0) FROM refund r
                    JOIN familyPayment p ON p.tradeOrder = r.tradeOrder
                    WHERE p.family = ? AND p.member = ? AND p.paidAt >= ? AND p.paidAt < ?
                      AND r.state = 'succeeded'
                    """,
                arguments: [
                    family, member, window.lowerBound.millisecondsSinceEpoch,
                    window.upperBound.millisecondsSinceEpoch,
                ]) ?? 0
        return spent - refunded
    }

    /// Paid purchases of a family in a window, oldest first.
    public func familyPayments(
        family: String, paidIn window: Range<Timestamp>
    ) throws
        -> [FamilyPaymentRow]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM familyPayment WHERE family = ? AND paidAt >= ? AND paidAt < ?
                ORDER BY paidAt, tradeOrder
                """,
            arguments: [
                family, window.lowerBound.millisecondsSinceEpoch,
                window.upperBound.millisecondsSinceEpoch,
            ]
        ).map(FamilyPaymentRow.init)
    }

    /// Every refund part that reached a family payment's source, with the source account; of
    /// one order only when `order` is given.
    public func familyRefunds(family: String, order: Int64? = nil) throws -> [FamilyRefundRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT f.paymentOrder AS tradeOrder, f.source AS source, rp.amountMinor AS amountMinor,
                       COALESCE(rp.settledAt, rp.createdAt) AS at
                FROM refundPart rp JOIN paymentFlow f ON f.id = rp.flow
                JOIN familyPayment p ON p.tradeOrder = f.paymentOrder
                WHERE p.family = ? AND rp.state = 'succeeded' AND (? IS NULL OR p.tradeOrder = ?)
                ORDER BY rp.id
                """, arguments: [family, order, order]
        ).map {
            FamilyRefundRow(
                order: $0["tradeOrder"], source: $0["source"], amountMinor: $0["amountMinor"],
                at: Timestamp(millisecondsSinceEpoch: $0["at"]))
        }
    }

    // MARK: Requests

    public func insertFamilyRequest(
        family: String, member: String, order: Int64, funding: String, reasons: [String],
        approvalsNeeded: Int, at time: Timestamp, expiresAt: Timestamp
    ) throws -> FamilyRequestRow {
        try db.execute(
            sql: """
                INSERT INTO familyRequest (family, member, tradeOrder, funding, reasons,
                                           approvalsNeeded, status, createdAt, expiresAt)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                """,
            arguments: [
                family, member, order, funding, reasons.joined(separator: "\n"), approvalsNeeded,
                time.millisecondsSinceEpoch, expiresAt.millisecondsSinceEpoch,
            ])
        guard let row = try familyRequest(id: db.lastInsertedRowID) else {
            preconditionFailure("an inserted request cannot be read back")
        }
        return row
    }

    public func familyRequest(id: Int64) throws -> FamilyRequestRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM familyRequest WHERE id = ?", arguments: [id]).map(
            FamilyRequestRow.init)
    }

    /// Pending requests of one member for the same merchant, category and amount: a repeated
    /// request joins the one already waiting.
    public func pendingFamilyRequest(
        family: String, member: String, merchant: String, category: String, amount: Money,
        funding: String, now: Timestamp
    ) throws -> FamilyRequestRow? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT r.* FROM familyRequest r
                JOIN familyPayment p ON p.tradeOrder = r.tradeOrder
                JOIN tradeOrder t ON t.id = r.tradeOrder
                WHERE r.family = ? AND r.member = ? AND r.status = 'pending' AND r.expiresAt > ?
                  AND p.merchant = ? AND p.category = ? AND t.amountMinor = ? AND t.currency = ?
                  AND r.funding = ?
                ORDER BY r.id LIMIT 1
                """,
            arguments: [
                family, member, now.millisecondsSinceEpoch, merchant, category, amount.minorUnits,
                amount.currency.code, funding,
            ]
        ).map(FamilyRequestRow.init)
    }

    public func familyRequests(family: String) throws -> [FamilyRequestRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM familyRequest WHERE family = ? ORDER BY id", arguments: [family]
        ).map(FamilyRequestRow.init)
    }

    public func setFamilyRequestApprovals(id: Int64, approvals: [String], needed: Int) throws {
        try db.execute(
            sql: "UPDATE familyRequest SET approvals = ?, approvalsNeeded = ? WHERE id = ?",
            arguments: [approvals.joined(separator: ","), needed, id])
    }

    public func decideFamilyRequest(
        id: Int64, status: String, by person: String?, at time: Timestamp
    ) throws {
        try db.execute(
            sql: """
                UPDATE familyRequest SET status = ?, decidedBy = ?, decidedAt = ?
                WHERE id = ? AND status = 'pending'
                """,
            arguments: [status, person, time.millisecondsSinceEpoch, id])
    }

    // MARK: Deposits, allowances, notices

    public func insertFamilyDeposit(
        family: String, depositor: String, target: String, amountMinor: Int64, source: String,
        transfer: Int64, at time: Timestamp
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO familyDeposit (family, depositor, target, amountMinor, source, transfer, at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                family, depositor, target, amountMinor, source, transfer,
                time.millisecondsSinceEpoch,
            ])
    }

    public func familyDeposits(family: String) throws -> [FamilyDepositRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM familyDeposit WHERE family = ? ORDER BY id", arguments: [family]
        ).map {
            FamilyDepositRow(
                id: $0["id"], depositor: $0["depositor"], target: $0["target"],
                amountMinor: $0["amountMinor"], source: $0["source"],
                at: Timestamp(millisecondsSinceEpoch: $0["at"]))
        }
    }

    /// Starts an allowance, ending the member's previous one.
    public func insertFamilyAllowance(
        family: String, member: String, amountMinor: Int64, every: String, startsAt: Timestamp,
        by person: String, at time: Timestamp
    ) throws -> Int64 {
        try db.execute(
            sql:
                "UPDATE familyAllowance SET active = 0 WHERE family = ? AND member = ? AND active = 1",
            arguments: [family, member])
        try db.execute(
            sql: """
                INSERT INTO familyAllowance (family, member, amountMinor, every, startsAt, active,
                                             createdBy, createdAt)
                VALUES (?, ?, ?, ?, ?, 1, ?, ?)
                """,
            arguments: [
                family, member, amountMinor, every, startsAt.millisecondsSinceEpoch, person,
                time.millisecondsSinceEpoch,
            ])
        return db.lastInsertedRowID
    }

    private func allowanceRow(_ row: Row) -> FamilyAllowanceRow {
        FamilyAllowanceRow(
            id: row["id"], family: row["family"], member: row["member"],
            amountMinor: row["amountMinor"], every: row["every"],
            startsAt: Timestamp(millisecondsSinceEpoch: row["startsAt"]),
            paidCount: row["paidCount"], active: row["active"])
    }

    public func familyAllowance(id: Int64) throws -> FamilyAllowanceRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM familyAllowance WHERE id = ?", arguments: [id])
            .map(allowanceRow)
    }

    public func familyAllowances(family: String) throws -> [FamilyAllowanceRow] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM familyAllowance WHERE family = ? AND active = 1 ORDER BY member",
            arguments: [family]
        ).map(allowanceRow)
    }

    public func updateFamilyAllowance(id: Int64, amountMinor: Int64, every: String) throws {
        try db.execute(
            sql: "UPDATE familyAllowance SET amountMinor = ?, every = ? WHERE id = ?",
            arguments: [amountMinor, every, id])
    }

    public func setFamilyAllowancePaid(id: Int64, count: Int) throws {
        try db.execute(
            sql: "UPDATE familyAllowance SET paidCount = ? WHERE id = ?", arguments: [count, id])
    }

    public func stopFamilyAllowances(family: String, member: String) throws {
        try db.execute(
            sql: "UPDATE familyAllowance SET active = 0 WHERE family = ? AND member = ?",
            arguments: [family, member])
    }

    public func insertFamilyNotice(
        family: String, recipient: String, text: String, order: Int64?, at time: Timestamp
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO familyNotice (family, recipient, at, text, tradeOrder)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [family, recipient, time.millisecondsSinceEpoch, text, order])
    }

    public func familyNotices(family: String, recipient: String) throws -> [FamilyNoticeRow] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM familyNotice WHERE family = ? AND recipient = ? ORDER BY id",
            arguments: [family, recipient]
        ).map {
            FamilyNoticeRow(
                id: $0["id"], recipient: $0["recipient"],
                at: Timestamp(millisecondsSinceEpoch: $0["at"]), text: $0["text"],
                order: $0["tradeOrder"])
        }
    }
}
