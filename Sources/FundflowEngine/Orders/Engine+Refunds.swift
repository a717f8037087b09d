import FundflowCore
import FundflowStore

/// `refund create ORDER "AMOUNT CCY"`.
public struct RefundRequest: Sendable {
    public let order: Int64
    public let amount: String
    public let key: String?

    public init(order: Int64, amount: String, key: String?) {
        self.order = order
        self.amount = amount
        self.key = key
    }
}

/// `refund chargeback ORDER --flow F "AMOUNT"`: a reversal after success that the channel made.
public struct ChargebackRequest: Sendable {
    public let order: Int64
    public let flow: Int64
    public let amount: String
    public let kind: String
    public let reason: String?
    public let key: String?

    public init(
        order: Int64, flow: Int64, amount: String, kind: String, reason: String?, key: String?
    ) {
        self.order = order
        self.flow = flow
        self.amount = amount
        self.kind = kind
        self.reason = reason
        self.key = key
    }
}

extension Engine {
    /// Refunds part of a paid order, split over its flows cumulatively (DESIGN.md §2): each flow
    /// gets back its share of everything refunded so far, never more than it paid, each by its
    /// original route. Ledger flows are refunded at once; channel flows through the channel.
    public func createRefund(
        _ request: RefundRequest, _ context: CommandContext
    ) throws -> Keyed<OrderView> {
        let key = try SystemKey.user(request.key)
        let fingerprint = RequestFingerprint(
            command: "refund create",
            fields: [.init("order", String(request.order)), .init("amount", request.amount)])
        return try mutate(
            context, needs: .manageLedger,
            request: IdempotentRequest(key: key, fingerprint: fingerprint)
        ) { mutation in
            guard let order = try mutation.transaction.order(id: request.order) else {
                throw OrderError.notFound(String(request.order))
            }
            let currency = order.amount.currency
            var amount = try Money.parsePositive(request.amount, defaultCurrency: currency)
            if let back = try familyRefundInBillCurrency(order: order, amount: amount, in: mutation)
            {
                amount = back
            }
            guard amount.currency == currency else {
                throw MoneyError.currencyMismatch(amount.currency.code, currency.code)
            }
            guard order.paymentState == .succeeded,
                [.paid, .partiallyRefunded].contains(order.tradeState)
            else {
                throw OrderError.refundNotAllowed(
                    order: String(order.id), state: order.tradeState.rawValue)
            }
            let flows = try mutation.transaction.flows(order: order.id).filter {
                $0.status.state == .succeeded
            }
            let paid = flows.map(\.amountMinor)
            let returned = try flows.map {
                try alreadyReturnedMinor(of: $0, in: mutation.transaction)
            }
            let refundable = zip(paid, returned).reduce(0) { $0 + $1.0 - $1.1 }
            guard amount.minorUnits <= refundable else {
                throw OrderError.refundExceedsPaid(
                    order: String(order.id), requested: amount.description,
                    refundable: Money(minorUnits: refundable, currency: currency).description)
            }
            let parts = try Allocation.cumulativeRefund(
                paid: paid, refunded: returned, refund: amount.minorUnits)
            let refund = try mutation.transaction.insertRefund(
                key: key, order: order.id, amountMinor: amount.minorUnits, automatic: false,
                at: mutation.now)
            try recordEvent(
                mutation, order: order.id, object: "refund \(refund.id)", from: nil, to: "pending",
                detail: amount.description)
            let settlement = SystemAccount.settlement(order.payee, currency)
            for (index, (flow, part)) in zip(flows, parts).enumerated() where part > 0 {
                try startRefundPart(
                    refund: refund, flow: flow, amountMinor: part, from: settlement,
                    currency: currency,
                    index: index + 1, in: mutation)
            }
            try settleRefund(refund.id, order: order.id, in: mutation)
            try noticeFamilyRefund(order: order.id, amount: amount, in: mutation)
            return try view(of: order.id, in: mutation.transaction)
        }
    }

    /// One part of a refund: a ledger flow's money goes back at once; a channel flow's is reserved
    /// (from `from` to the clearing account) and sent through the channel by the job queue.
    func startRefundPart(
        refund: RefundRow, flow: FlowRow, amountMinor: Int64, from: String, currency: Currency,
        index: Int,
        in mutation: Mutation
    ) throws {
        let amount = Money(minorUnits: amountMinor, currency: currency)
        let reference = "r\(refund.id)p\(index)"
        var hold: Int64?
        if let channel = flow.channel {
            let clearing = try ensureAccount(
                SystemAccount.clearing(channel, currency), currency, in: mutation.scope)
            hold = try reserve(
                amount, debit: try AccountName(from), credit: clearing,
                key: SystemKey.refundHold(reference),
                expiresAt: nil, memo: "refund \(refund.id) through \(channel)", in: mutation.scope
            ).id
        }
        let part = try mutation.transaction.insertRefundPart(
            refund: refund.id, flow: flow.id, amountMinor: amountMinor, reference: reference,
            hold: hold, at: mutation.now)
        try recordEvent(
            mutation, order: refund.order, object: "refund part \(part.id)", from: nil,
            to: "accepted",
            detail: "\(amount) back to \(flow.source)")
        if flow.channel == nil {
            try move(
                amount, from: from, to: flow.source, kind: "refund",
                key: SystemKey.refundPart(part.id),
                memo: "refund \(refund.id) of order \(refund.order)", in: mutation)
            let (next, _) = part.status.applying(.syncResponse(.success))
            try mutation.transaction.updateRefundPart(
                id: part.id, status: next, submittedAt: mutation.now, settledAt: mutation.now)
            try recordEvent(
                mutation, order: refund.order, object: "refund part \(part.id)", from: "accepted",
                to: next.state.rawValue)
        } else {
            try mutation.transaction.scheduleJob(
                .refundSubmit, subject: part.id, seq: 0, dueAt: mutation.now, at: mutation.now)
        }
    }

    /// Recomputes a refund's state from its parts; when it settles, the trade order follows.
    func settleRefund(_ refundID: Int64, order orderID: Int64, in mutation: Mutation) throws {
        guard let refund = try mutation.transaction.refund(id: refundID),
            let order = try mutation.transaction.order(id: orderID)
        else { return }
        let parts = try mutation.transaction.refundParts(refund: refundID)
        let state = RefundState.of(parts: parts.map(\.status.state))
        guard state != refund.state else { return }
        try mutation.transaction.setRefundState(
            id: refundID, state, settledAt: state == .pending ? nil : mutation.now)
        try recordEvent(
            mutation, order: orderID, object: "refund \(refundID)", from: refund.state.rawValue,
            to: state.rawValue)
        guard !refund.automatic, state == .succeeded || state == .partial else { return }
        let left = try mutation.transaction.flows(order: orderID).reduce(Int64(0)) {
            $0 + (try refundableMinor(of: $1, in: mutation.transaction))
        }
        let trade = order.tradeState.afterRefund(everything: left == 0)
        if trade != order.tradeState {
            try mutation.transaction.setOrderState(
                id: orderID, trade: trade, payment: order.paymentState, settledAt: nil)
            try recordEvent(
                mutation, order: orderID, object: "trade order \(orderID)",
                from: order.tradeState.rawValue, to: trade.rawValue)
        }
    }

    /// Moves a refund part forward by one report from its channel.
    func advanceRefundPart(
        _ part: RefundPartRow, by report: FlowReport, code: String?, source: String,
        in mutation: Mutation
    ) throws {
        guard let refund = try mutation.transaction.refund(id: part.refund),
            let order = try mutation.transaction.order(id: refund.order),
            let flow = try mutation.transaction.flow(id: part.flow), let channel = flow.channel
        else { return }
        let currency = order.amount.currency
        let (next, actions) = part.status.applying(report)
        let settled = next.state.isTerminal && !part.status.state.isTerminal
        try mutation.transaction.updateRefundPart(
            id: part.id, status: next, settledAt: settled ? mutation.now : nil)
        if next.state != part.status.state {
            try recordEvent(
                mutation, order: order.id, object: "refund part \(part.id)",
                from: part.status.state.rawValue,
                to: next.state.rawValue, detail: code.map { "\(source) code \($0)" } ?? source)
        }
        for action in actions {
            switch action {
            case .moveToTransit:
                // The money went back through the channel: book the reservation.
                if let hold = part.hold {
                    _ = try postReservation(
                        hold, amount: nil, key: SystemKey.refundPart(part.id), in: mutation)
                }
            case .stopQueries:
                try mutation.scope.cancelJobs(subject: part.id, kinds: [.refundQuery])
            case .settleOrder(.failed):
                if let hold = part.hold { try voidReservation(hold, in: mutation.scope) }
                try settleRefund(refund.id, order: order.id, in: mutation)
                if refund.automatic {
                    // The money is still ours and belongs to nobody's order: park it for a person.
                    try openCase(
                        order: order.id, flow: nil, refundPart: part.id,
                        reason:
                            "automatic refund of flow \(flow.id) failed; its money is not the payee's",
                        amount: Money(minorUnits: part.amountMinor, currency: currency),
                        clearing: SystemAccount.transit(currency), moved: true, in: mutation)
                }
            case .settleOrder:
                try settleRefund(refund.id, order: order.id, in: mutation)
            case .openCase(let reason):
                // For a refund, "money moved" means it left us: the reverse of a flow's suspense posting.
                let moved = actions.contains(.postToSuspense(moved: true))
                try openCase(
                    order: order.id, flow: nil, refundPart: part.id, reason: reason,
                    amount: Money(minorUnits: part.amountMinor, currency: currency),
                    clearing: SystemAccount.clearing(channel, currency), moved: !moved, in: mutation
                )
            case .postToSuspense:
                break
            }
        }
    }

    /// A chargeback or a direct-debit return: the channel took money back after the flow
    /// succeeded. It is its own transfer, linked to the flow, and reduces what can be refunded.
    public func recordChargeback(
        _ request: ChargebackRequest, _ context: CommandContext
    ) throws -> Keyed<OrderView> {
        let key = try SystemKey.user(request.key)
        let fingerprint = RequestFingerprint(
            command: "refund chargeback",
            fields: [
                .init("order", String(request.order)), .init("flow", String(request.flow)),
                .init("amount", request.amount),
                .init("kind", request.kind),
            ])
        return try mutate(
            context, needs: .manageLedger,
            request: IdempotentRequest(key: key, fingerprint: fingerprint),
            reason: request.reason
        ) { mutation in
            guard ["chargeback", "return"].contains(request.kind) else {
                throw EngineError.invalidArgument(
                    "--kind must be chargeback or return, not '\(request.kind)'")
            }
            guard let order = try mutation.transaction.order(id: request.order),
                let flow = try mutation.transaction.flow(id: request.flow), flow.order == order.id
            else { throw OrderError.notFound("\(request.order) with flow \(request.flow)") }
            guard let channel = flow.channel else {
                throw EngineError.invalidArgument(
                    "flow \(flow.id) is paid from \(flow.source): only a channel flow can be charged back"
                )
            }
            let currency = order.amount.currency
            let amount = try Money.parsePositive(request.amount, defaultCurrency: currency)
            let left = try refundableMinor(of: flow, in: mutation.transaction)
            guard amount.minorUnits <= left else {
                throw OrderError.refundExceedsPaid(
                    order: String(order.id), requested: amount.description,
                    refundable: Money(minorUnits: left, currency: currency).description)
            }
            // Before the order is paid its money sits in the shared transit account, where a
            // chargeback would take another order's money: only a paid order can be charged back.
            guard order.paymentState == .succeeded else {
                throw OrderError.refundNotAllowed(
                    order: String(order.id), state: order.paymentState.rawValue)
            }
            let from = SystemAccount.settlement(order.payee, currency)
            let transfer = try move(
                amount, from: from, to: SystemAccount.clearing(channel, currency),
                kind: request.kind,
                key: SystemKey.chargeback(request.kind, key: key), memo: request.reason,
                in: mutation)
            try mutation.transaction.insertReversal(
                flow: flow.id, kind: request.kind, amountMinor: amount.minorUnits,
                transfer: transfer.transferID,
                reason: request.reason, at: mutation.now)
            try recordEvent(
                mutation, order: order.id, object: "flow \(flow.id)",
                from: flow.status.state.rawValue,
                to: flow.status.state.rawValue, detail: "\(request.kind) of \(amount)")
            return try view(of: order.id, in: mutation.transaction)
        }
    }
}
