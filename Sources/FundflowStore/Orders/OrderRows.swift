public import FundflowCore
import GRDB

/// A trade order with its payment order's state (the two are one-to-one and share the id).
public struct OrderRow: Equatable, Sendable {
    public let id: Int64
    public let key: String
    public let payer: String
    public let payee: String
    public let amount: Money
    public let reference: String?
    public var tradeState: TradeOrderState
    public var paymentState: PaymentOrderState
    public let withholding: Bool
    public let createdAt: Timestamp
    public let expiresAt: Timestamp
    public let remindAt: Timestamp?
    public let actor: String

    init(row: Row) throws {
        let code: String = row["currency"]
        guard let currency = Currency.lookup(code),
            let trade = TradeOrderState(rawValue: row["state"]),
            let payment = PaymentOrderState(rawValue: row["paymentState"])
        else {
            throw StoreError(code: 0, message: "order \(row["id"] as Int64) is damaged", path: "")
        }
        id = row["id"]
        key = row["key"]
        payer = row["payer"]
        payee = row["payee"]
        amount = Money(minorUnits: row["amountMinor"], currency: currency)
        reference = row["reference"]
        tradeState = trade
        paymentState = payment
        withholding = row["withholding"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
        expiresAt = Timestamp(millisecondsSinceEpoch: row["expiresAt"])
        remindAt = (row["remindAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        actor = row["actor"]
    }
}

/// What a new order needs.
public struct NewOrder: Sendable {
    public let key: String
    public let payer: String
    public let payee: String
    public let amount: Money
    public let reference: String?
    public let paymentState: PaymentOrderState
    public let withholding: Bool
    public let createdAt: Timestamp
    public let expiresAt: Timestamp
    public let remindAt: Timestamp?
    public let actor: String

    public init(
        key: String, payer: String, payee: String, amount: Money, reference: String?,
        paymentState: PaymentOrderState, withholding: Bool, createdAt: Timestamp,
        expiresAt: Timestamp,
        remindAt: Timestamp?, actor: String
    ) {
        self.key = key
        self.payer = payer
        self.payee = payee
        self.amount = amount
        self.reference = reference
        self.paymentState = paymentState
        self.withholding = withholding
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.remindAt = remindAt
        self.actor = actor
    }
}

/// One funding flow of a payment order: a ledger account (synchronous) or a channel.
public struct FlowRow: Equatable, Sendable {
    public let id: Int64
    public let order: Int64
    /// `wallet:acme:EUR` for a ledger flow, `channel:sandbox` for a channel flow.
    public let source: String
    public let channel: String?
    public let amountMinor: Int64
    public var status: FlowStatus
    public let reference: String
    public let attempt: Int
    /// Paid again while this flow waited for reconciliation: its success is no longer needed.
    public let replaced: Bool
    public let lastCode: String?
    public let createdAt: Timestamp
    public let submittedAt: Timestamp?
    public let settledAt: Timestamp?

    init(row: Row) throws {
        guard let state = FlowState(rawValue: row["state"]) else {
            throw StoreError(code: 0, message: "flow \(row["id"] as Int64) is damaged", path: "")
        }
        replaced = row["replaced"]
        id = row["id"]
        order = row["paymentOrder"]
        source = row["source"]
        channel = row["channel"]
        amountMinor = row["amountMinor"]
        status = FlowStatus(state: state, caseOpen: row["caseOpen"])
        reference = row["reference"]
        attempt = row["attempt"]
        lastCode = row["lastCode"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
        submittedAt = (row["submittedAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        settledAt = (row["settledAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
    }
}

/// A refund of an order, split into one part per flow.
public struct RefundRow: Equatable, Sendable {
    public let id: Int64
    public let key: String
    public let order: Int64
    public let amountMinor: Int64
    public var state: RefundState
    public let automatic: Bool
    public let createdAt: Timestamp
    public let settledAt: Timestamp?

    init(row: Row) throws {
        guard let state = RefundState(rawValue: row["state"]) else {
            throw StoreError(code: 0, message: "refund \(row["id"] as Int64) is damaged", path: "")
        }
        id = row["id"]
        key = row["key"]
        order = row["tradeOrder"]
        amountMinor = row["amountMinor"]
        self.state = state
        automatic = row["automatic"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
        settledAt = (row["settledAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
    }
}

/// The part of a refund that goes back through one flow's route.
public struct RefundPartRow: Equatable, Sendable {
    public let id: Int64
    public let refund: Int64
    public let flow: Int64
    public let amountMinor: Int64
    public var status: FlowStatus
    public let reference: String
    public let hold: Int64?
    public let createdAt: Timestamp
    public let submittedAt: Timestamp?
    public let settledAt: Timestamp?

    init(row: Row) throws {
        guard let state = FlowState(rawValue: row["state"]) else {
            throw StoreError(
                code: 0, message: "refund part \(row["id"] as Int64) is damaged", path: "")
        }
        id = row["id"]
        refund = row["refund"]
        flow = row["flow"]
        amountMinor = row["amountMinor"]
        status = FlowStatus(state: state, caseOpen: row["caseOpen"])
        reference = row["reference"]
        hold = row["hold"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
        submittedAt = (row["submittedAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        settledAt = (row["settledAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
    }
}

/// A reversal after success (sibling failed, chargeback, direct-debit return): its own transfer,
/// linked to the flow, reducing what can still be refunded.
public struct FlowReversalRow: Equatable, Sendable {
    public let id: Int64
    public let flow: Int64
    public let kind: String
    public let amountMinor: Int64
    public let transfer: Int64
    public let reason: String?
    public let at: Timestamp

    init(row: Row) {
        id = row["id"]
        flow = row["flow"]
        kind = row["kind"]
        amountMinor = row["amountMinor"]
        transfer = row["transfer"]
        reason = row["reason"]
        at = Timestamp(millisecondsSinceEpoch: row["at"])
    }
}

/// A conflict between channel reports, parked in suspense until a person resolves it.
public struct CaseRow: Equatable, Sendable {
    public let id: Int64
    public let order: Int64
    public let flow: Int64?
    public let refundPart: Int64?
    public let reason: String
    public let amount: Money
    public let moved: Bool
    public let suspenseTransfer: Int64
    public let state: String
    public let resolution: String?
    public let resolutionTransfer: Int64?
    public let openedAt: Timestamp
    public let resolvedAt: Timestamp?

    init(row: Row) throws {
        guard let currency = Currency.lookup(row["currency"]) else {
            throw StoreError(code: 0, message: "case \(row["id"] as Int64) is damaged", path: "")
        }
        id = row["id"]
        order = row["tradeOrder"]
        flow = row["flow"]
        refundPart = row["refundPart"]
        reason = row["reason"]
        amount = Money(minorUnits: row["amountMinor"], currency: currency)
        moved = row["moved"]
        suspenseTransfer = row["suspenseTransfer"]
        state = row["state"]
        resolution = row["resolution"]
        resolutionTransfer = row["resolutionTransfer"]
        openedAt = Timestamp(millisecondsSinceEpoch: row["openedAt"])
        resolvedAt = (row["resolvedAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
    }
}

/// One state change of an order or of something it owns, for `order show`.
public struct OrderEventRow: Equatable, Sendable {
    public let id: Int64
    public let order: Int64
    public let at: Timestamp
    public let object: String
    public let from: String?
    public let to: String
    public let detail: String?

    init(row: Row) {
        id = row["id"]
        order = row["tradeOrder"]
        at = Timestamp(millisecondsSinceEpoch: row["at"])
        object = row["object"]
        from = row["fromState"]
        to = row["toState"]
        detail = row["detail"]
    }
}
