import FundflowCore
import FundflowStore

/// An order as `order show` presents it: the trade order, its payment order, flows, refunds and
/// every state change in time order.
public struct OrderView: Equatable, Sendable, Codable {
    public struct Flow: Equatable, Sendable, Codable {
        public let id: Int64
        public let source: String
        public let amount: String
        public let status: String
        public let reference: String
        public let attempt: Int
        public let caseOpen: Bool
        public let lastCode: String?
        public let settledAt: String?
        /// What can still be refunded through this flow.
        public let refundable: String
    }

    public struct Refund: Equatable, Sendable, Codable {
        public struct Part: Equatable, Sendable, Codable {
            public let id: Int64
            public let flow: Int64
            public let amount: String
            public let status: String
        }

        public let id: Int64
        public let key: String
        public let amount: String
        public let status: String
        public let automatic: Bool
        public let createdAt: String
        public let parts: [Part]
    }

    public struct Event: Equatable, Sendable, Codable {
        public let at: String
        public let object: String
        public let from: String?
        public let to: String
        public let detail: String?
    }

    public let id: Int64
    public let key: String
    /// The payment order's state: held, open, paying, succeeded, failed, closed, expired.
    public let status: String
    /// The trade order's state: created, paid, partially_refunded, refunded, cancelled.
    public let tradeStatus: String
    public let payer: String
    public let payee: String
    public let amount: String
    public let currency: String
    public let reference: String?
    public let withholding: Bool
    public let createdAt: String
    public let expiresAt: String
    public let flows: [Flow]
    public let refunds: [Refund]
    public let events: [Event]
}

extension OrderView: Replayable {}

extension Engine {
    /// Builds the view of an order inside a transaction.
    func view(of orderID: Int64, in transaction: StoreTransaction) throws -> OrderView {
        guard let order = try transaction.order(id: orderID) else {
            throw OrderError.notFound(String(orderID))
        }
        let currency = order.amount.currency
        let text = { (minor: Int64) in Money(minorUnits: minor, currency: currency).amountString }
        let flows = try transaction.flows(order: order.id)
        var refundable: [Int64: Int64] = [:]
        // Refunds are for paid orders only: before that nothing can be refunded.
        for flow in flows where order.paymentState == .succeeded {
            refundable[flow.id] = try refundableMinor(of: flow, in: transaction)
        }
        return OrderView(
            id: order.id, key: order.key, status: order.paymentState.rawValue,
            tradeStatus: order.tradeState.rawValue,
            payer: order.payer, payee: order.payee, amount: order.amount.amountString,
            currency: currency.code,
            reference: order.reference, withholding: order.withholding,
            createdAt: order.createdAt.iso8601,
            expiresAt: order.expiresAt.iso8601,
            flows: flows.map { flow in
                OrderView.Flow(
                    id: flow.id, source: flow.source, amount: text(flow.amountMinor),
                    status: flow.status.state.rawValue,
                    reference: flow.reference, attempt: flow.attempt,
                    caseOpen: flow.status.caseOpen,
                    lastCode: flow.lastCode, settledAt: flow.settledAt?.iso8601,
                    refundable: text(refundable[flow.id] ?? 0))
            },
            refunds: try transaction.refunds(order: order.id).map { refund in
                OrderView.Refund(
                    id: refund.id, key: refund.key, amount: text(refund.amountMinor),
                    status: refund.state.rawValue,
                    automatic: refund.automatic, createdAt: refund.createdAt.iso8601,
                    parts: try transaction.refundParts(refund: refund.id).map {
                        OrderView.Refund.Part(
                            id: $0.id, flow: $0.flow, amount: text($0.amountMinor),
                            status: $0.status.state.rawValue)
                    })
            },
            events: try transaction.events(order: order.id).map {
                OrderView.Event(
                    at: $0.at.iso8601, object: $0.object, from: $0.from, to: $0.to,
                    detail: $0.detail)
            })
    }

    /// What can still be refunded through a flow: its amount if it succeeded, less refund parts
    /// that have not failed and reversals after success (chargebacks, returns).
    func refundableMinor(of flow: FlowRow, in transaction: StoreTransaction) throws -> Int64 {
        // A replaced or automatically refunded flow's money never reached the payee.
        guard flow.status.state == .succeeded, !flow.replaced,
            try transaction.refund(key: SystemKey.automaticRefund(flow: flow.id)) == nil
        else { return 0 }
        return flow.amountMinor - (try alreadyReturnedMinor(of: flow, in: transaction))
    }

    /// Refund parts that have not failed plus reversals after success, for one flow.
    func alreadyReturnedMinor(of flow: FlowRow, in transaction: StoreTransaction) throws -> Int64 {
        let parts = try transaction.refundParts(flow: flow.id).filter { $0.status.state != .failed }
        let reversals = try transaction.reversals(flow: flow.id).filter {
            $0.kind != "sibling_failed"
        }
        return parts.reduce(0) { $0 + $1.amountMinor } + reversals.reduce(0) { $0 + $1.amountMinor }
    }
}
