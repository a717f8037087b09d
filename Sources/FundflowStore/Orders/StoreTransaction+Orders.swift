public import FundflowCore
import GRDB

private let orderColumns = "t.*, p.state AS paymentState"
private let orderFrom = "tradeOrder t JOIN paymentOrder p ON p.tradeOrder = t.id"

extension StoreTransaction {
    public func insertOrder(_ order: NewOrder) throws -> OrderRow {
        try db.execute(
            sql: """
                INSERT INTO tradeOrder (key, payer, payee, amountMinor, currency, reference, state,
                                        withholding, createdAt, expiresAt, remindAt, actor)
                VALUES (?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, ?, ?)
                """,
            arguments: [
                order.key, order.payer, order.payee, order.amount.minorUnits,
                order.amount.currency.code,
                order.reference, order.withholding, order.createdAt.millisecondsSinceEpoch,
                order.expiresAt.millisecondsSinceEpoch, order.remindAt?.millisecondsSinceEpoch,
                order.actor,
            ])
        let id = db.lastInsertedRowID
        try db.execute(
            sql: "INSERT INTO paymentOrder (tradeOrder, state) VALUES (?, ?)",
            arguments: [id, order.paymentState.rawValue])
        guard let row = try self.order(id: id) else {
            preconditionFailure("an inserted order cannot be read back")
        }
        return row
    }

    public func order(id: Int64) throws -> OrderRow? {
        try Row.fetchOne(
            db, sql: "SELECT \(orderColumns) FROM \(orderFrom) WHERE t.id = ?", arguments: [id]
        )
        .map(OrderRow.init)
    }

    public func order(key: String) throws -> OrderRow? {
        try Row.fetchOne(
            db, sql: "SELECT \(orderColumns) FROM \(orderFrom) WHERE t.key = ?", arguments: [key]
        )
        .map(OrderRow.init)
    }

    /// Orders newest first; `paymentState` filters.
    public func orders(paymentState: PaymentOrderState?, limit: Int) throws -> [OrderRow] {
        if let paymentState {
            return try Row.fetchAll(
                db,
                sql:
                    "SELECT \(orderColumns) FROM \(orderFrom) WHERE p.state = ? ORDER BY t.id DESC LIMIT ?",
                arguments: [paymentState.rawValue, limit]
            ).map(OrderRow.init)
        }
        return try Row.fetchAll(
            db, sql: "SELECT \(orderColumns) FROM \(orderFrom) ORDER BY t.id DESC LIMIT ?",
            arguments: [limit]
        ).map(OrderRow.init)
    }

    /// Orders of the same payer, payee and amount created in `[since, until]`: duplicate candidates.
    public func similarOrders(
        payer: String, payee: String, amount: Money, since: Timestamp, until: Timestamp
    )
        throws -> [OrderRow]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT \(orderColumns) FROM \(orderFrom)
                WHERE t.payer = ? AND t.payee = ? AND t.currency = ? AND t.amountMinor = ?
                  AND t.createdAt >= ? AND t.createdAt <= ?
                ORDER BY t.id
                """,
            arguments: [
                payer, payee, amount.currency.code, amount.minorUnits, since.millisecondsSinceEpoch,
                until.millisecondsSinceEpoch,
            ]
        ).map(OrderRow.init)
    }

    public func setOrderState(
        id: Int64, trade: TradeOrderState, payment: PaymentOrderState, settledAt: Timestamp?
    ) throws {
        try db.execute(
            sql: "UPDATE tradeOrder SET state = ? WHERE id = ?", arguments: [trade.rawValue, id])
        try db.execute(
            sql:
                "UPDATE paymentOrder SET state = ?, settledAt = COALESCE(settledAt, ?) WHERE tradeOrder = ?",
            arguments: [payment.rawValue, settledAt?.millisecondsSinceEpoch, id])
    }

    // MARK: Flows

    public func insertFlow(
        order: Int64, source: String, channel: String?, amountMinor: Int64, reference: String,
        attempt: Int,
        at time: Timestamp
    ) throws -> FlowRow {
        try db.execute(
            sql: """
                INSERT INTO paymentFlow (paymentOrder, source, channel, amountMinor, state, reference, attempt, createdAt)
                VALUES (?, ?, ?, ?, 'accepted', ?, ?, ?)
                """,
            arguments: [
                order, source, channel, amountMinor, reference, attempt,
                time.millisecondsSinceEpoch,
            ])
        guard let row = try flow(id: db.lastInsertedRowID) else {
            preconditionFailure("an inserted flow cannot be read back")
        }
        return row
    }

    public func flow(id: Int64) throws -> FlowRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM paymentFlow WHERE id = ?", arguments: [id]).map(
            FlowRow.init)
    }

    public func flow(reference: String) throws -> FlowRow? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM paymentFlow WHERE reference = ?", arguments: [reference]
        )
        .map(FlowRow.init)
    }

    public func flows(order: Int64) throws -> [FlowRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM paymentFlow WHERE paymentOrder = ? ORDER BY id",
            arguments: [order]
        )
        .map(FlowRow.init)
    }

    public func updateFlow(
        id: Int64, status: FlowStatus, lastCode: String? = nil, submittedAt: Timestamp? = nil,
        settledAt: Timestamp? = nil
    ) throws {
        try db.execute(
            sql: """
                UPDATE paymentFlow SET state = ?, caseOpen = ?, lastCode = COALESCE(?, lastCode),
                    submittedAt = COALESCE(submittedAt, ?), settledAt = COALESCE(settledAt, ?)
                WHERE id = ?
                """,
            arguments: [
                status.state.rawValue, status.caseOpen, lastCode,
                submittedAt?.millisecondsSinceEpoch,
                settledAt?.millisecondsSinceEpoch, id,
            ])
    }

    /// Marks a flow as replaced by a new attempt to pay its order.
    public func markFlowReplaced(id: Int64) throws {
        try db.execute(sql: "UPDATE paymentFlow SET replaced = 1 WHERE id = ?", arguments: [id])
    }

    // MARK: Refunds

    public func insertRefund(
        key: String, order: Int64, amountMinor: Int64, automatic: Bool, at time: Timestamp
    )
        throws -> RefundRow
    {
        try db.execute(
            sql: """
                INSERT INTO refund (key, tradeOrder, amountMinor, state, automatic, createdAt)
                VALUES (?, ?, ?, 'pending', ?, ?)
                """,
            arguments: [key, order, amountMinor, automatic, time.millisecondsSinceEpoch])
        guard let row = try refund(id: db.lastInsertedRowID) else {
            preconditionFailure("an inserted refund cannot be read back")
        }
        return row
    }

    public func refund(id: Int64) throws -> RefundRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM refund WHERE id = ?", arguments: [id]).map(
            RefundRow.init)
    }

    public func refund(key: String) throws -> RefundRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM refund WHERE key = ?", arguments: [key]).map(
            RefundRow.init)
    }

    public func refunds(order: Int64) throws -> [RefundRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM refund WHERE tradeOrder = ? ORDER BY id", arguments: [order]
        )
        .map(RefundRow.init)
    }

    public func setRefundState(id: Int64, _ state: RefundState, settledAt: Timestamp?) throws {
        try db.execute(
            sql: "UPDATE refund SET state = ?, settledAt = COALESCE(settledAt, ?) WHERE id = ?",
            arguments: [state.rawValue, settledAt?.millisecondsSinceEpoch, id])
    }

    public func insertRefundPart(
        refund: Int64, flow: Int64, amountMinor: Int64, reference: String, hold: Int64?,
        at time: Timestamp
    ) throws -> RefundPartRow {
        try db.execute(
            sql: """
                INSERT INTO refundPart (refund, flow, amountMinor, state, reference, hold, createdAt)
                VALUES (?, ?, ?, 'accepted', ?, ?, ?)
                """,
            arguments: [refund, flow, amountMinor, reference, hold, time.millisecondsSinceEpoch])
        guard let row = try refundPart(id: db.lastInsertedRowID) else {
            preconditionFailure("an inserted refund part cannot be read back")
        }
        return row
    }

    public func refundPart(id: Int64) throws -> RefundPartRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM refundPart WHERE id = ?", arguments: [id]).map(
            RefundPartRow.init)
    }

    public func refundPart(reference: String) throws -> RefundPartRow? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM refundPart WHERE reference = ?", arguments: [reference]
        )
        .map(RefundPartRow.init)
    }

    public func refundParts(refund: Int64) throws -> [RefundPartRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM refundPart WHERE refund = ? ORDER BY id", arguments: [refund]
        )
        .map(RefundPartRow.init)
    }

    public func refundParts(flow: Int64) throws -> [RefundPartRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM refundPart WHERE flow = ? ORDER BY id", arguments: [flow]
        )
        .map(RefundPartRow.init)
    }

    public func updateRefundPart(
        id: Int64, status: FlowStatus, submittedAt: Timestamp? = nil, settledAt: Timestamp? = nil
    )
        throws
    {
        try db.execute(
            sql: """
                UPDATE refundPart SET state = ?, caseOpen = ?, submittedAt = COALESCE(submittedAt, ?),
                    settledAt = COALESCE(settledAt, ?)
                WHERE id = ?
                """,
            arguments: [
                status.state.rawValue, status.caseOpen, submittedAt?.millisecondsSinceEpoch,
                settledAt?.millisecondsSinceEpoch, id,
            ])
    }

    // MARK: Reversals after success

    public func insertReversal(
        flow: Int64, kind: String, amountMinor: Int64, transfer: Int64, reason: String?,
        at time: Timestamp
    )
        throws
    {
        try db.execute(
            sql:
                "INSERT INTO flowReversal (flow, kind, amountMinor, transfer, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [flow, kind, amountMinor, transfer, reason, time.millisecondsSinceEpoch])
    }

    public func reversals(flow: Int64) throws -> [FlowReversalRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM flowReversal WHERE flow = ? ORDER BY id", arguments: [flow]
        )
        .map(FlowReversalRow.init)
    }

    // MARK: Cases

    public func insertCase(
        order: Int64, flow: Int64?, refundPart: Int64?, reason: String, amount: Money, moved: Bool,
        suspenseTransfer: Int64, at time: Timestamp
    ) throws -> CaseRow {
        try db.execute(
            sql: """
                INSERT INTO flowCase (tradeOrder, flow, refundPart, reason, amountMinor, currency, moved,
                                      suspenseTransfer, state, openedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
                """,
            arguments: [
                order, flow, refundPart, reason, amount.minorUnits, amount.currency.code, moved,
                suspenseTransfer,
                time.millisecondsSinceEpoch,
            ])
        guard let row = try flowCase(id: db.lastInsertedRowID) else {
            preconditionFailure("an inserted case cannot be read back")
        }
        return row
    }

    public func flowCase(id: Int64) throws -> CaseRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM flowCase WHERE id = ?", arguments: [id]).map(
            CaseRow.init)
    }

    public func cases(open: Bool?) throws -> [CaseRow] {
        if let open {
            return try Row.fetchAll(
                db, sql: "SELECT * FROM flowCase WHERE state = ? ORDER BY id",
                arguments: [open ? "open" : "resolved"]
            ).map(CaseRow.init)
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM flowCase ORDER BY id").map(CaseRow.init)
    }

    public func resolveCase(
        id: Int64, resolution: String, transfer: Int64, at time: Timestamp
    ) throws {
        try db.execute(
            sql: """
                UPDATE flowCase SET state = 'resolved', resolution = ?, resolutionTransfer = ?, resolvedAt = ?
                WHERE id = ? AND state = 'open'
                """,
            arguments: [resolution, transfer, time.millisecondsSinceEpoch, id])
    }

    // MARK: Events and notices

    public func insertEvent(
        order: Int64, at time: Timestamp, object: String, from: String?, to: String, detail: String?
    )
        throws
    {
        try db.execute(
            sql:
                "INSERT INTO orderEvent (tradeOrder, at, object, fromState, toState, detail) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [order, time.millisecondsSinceEpoch, object, from, to, detail])
    }

    public func events(order: Int64) throws -> [OrderEventRow] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM orderEvent WHERE tradeOrder = ? ORDER BY at, id",
            arguments: [order]
        )
        .map(OrderEventRow.init)
    }

    public func insertNotice(order: Int64?, text: String, at time: Timestamp) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO notice (at, tradeOrder, text) VALUES (?, ?, ?)",
            arguments: [time.millisecondsSinceEpoch, order, text])
        return db.lastInsertedRowID
    }

    /// Notices newer than `afterID`, oldest first.
    public func notices(
        afterID: Int64, limit: Int
    ) throws -> [(id: Int64, at: Timestamp, text: String)] {
        try Row.fetchAll(
            db, sql: "SELECT id, at, text FROM notice WHERE id > ? ORDER BY id LIMIT ?",
            arguments: [afterID, limit]
        ).map { ($0[0], Timestamp(millisecondsSinceEpoch: $0[1]), $0[2]) }
    }

    public func lastNoticeID() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM notice") ?? 0
    }
}
