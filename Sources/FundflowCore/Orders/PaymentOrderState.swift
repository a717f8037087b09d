/// Where a payment order is: the money side of a trade order, owning one flow per funding method.
///
/// | state | meaning | terminal |
/// |---|---|---|
/// | `held` | looks like a duplicate; waits for `--confirm-duplicate` | no |
/// | `open` | created, nothing paid yet | no |
/// | `paying` | flows submitted, not all settled | no |
/// | `succeeded` | every flow succeeded; the money moved on to the payee | yes |
/// | `failed` | a flow failed; the others were reversed by their original route | yes |
/// | `closed` | closed by a person before it was paid | yes |
/// | `expired` | its expiry passed before it was paid | yes |
public enum PaymentOrderState: String, Sendable, CaseIterable, Codable {
    case held
    case open
    case paying
    case succeeded
    case failed
    case closed
    case expired

    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .closed, .expired: return true
        case .held, .open, .paying: return false
        }
    }
}

/// Something that happens to a payment order.
public enum PaymentOrderEvent: Equatable, Sendable {
    case confirmDuplicate
    case submitFlows
    /// One flow reached a terminal state; `allSucceeded` says whether every flow now has.
    case flowSucceeded(allSucceeded: Bool)
    case flowFailed
    case close
    case expire
}

/// What an order transition asks the engine to do, in the same transaction.
public enum PaymentOrderAction: Equatable, Sendable {
    /// Move the order's money from transit to the payee (`settlement:pending:PAYEE:CCY`).
    case moveToPayee
    /// Send every succeeded flow's money back by its original route.
    case reverseSucceededFlows
    /// A flow succeeded although the order can no longer use the money: refund it from transit
    /// automatically, with a key derived from the flow.
    case refundLateFlow
    /// Cancel the order's pending reminder and expiry jobs.
    case cancelTimers
    /// Channel flows not yet sent are failed here and never sent; retries are cancelled.
    case stopUnsentFlows
}

/// Why an event cannot apply to an order in its state.
public enum OrderError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidTransition(state: String, event: String)
    case notFound(String)
    case overpayment(order: String, amount: String, paid: String)
    case sourcesDoNotCoverAmount(order: String, amount: String, sources: String)
    case refundExceedsPaid(order: String, requested: String, refundable: String)
    case refundNotAllowed(order: String, state: String)
    case duplicateSource(String)
    case unknownChannel(String)
    case caseNotFound(Int64)
    case caseAlreadyResolved(Int64)

    public var description: String {
        switch self {
        case .invalidTransition(let state, let event):
            return "cannot \(event) an order that is \(state)"
        case .notFound(let id):
            return "no order \(id): see `order list`"
        case .overpayment(let order, let amount, let paid):
            return "order \(order) is for \(amount); the sources add up to \(paid)"
        case .sourcesDoNotCoverAmount(let order, let amount, let sources):
            return
                "order \(order) is for \(amount) but the sources add up to \(sources): give an amount for each source or let one take the rest"
        case .refundExceedsPaid(let order, let requested, let refundable):
            return
                "cannot refund \(requested) on order \(order): only \(refundable) can still be refunded"
        case .refundNotAllowed(let order, let state):
            return "order \(order) is \(state): only a paid order can be refunded"
        case .duplicateSource(let source):
            return "source \(source) is named twice: one flow per funding method"
        case .unknownChannel(let name):
            return "no channel named \(name): see `channel list`"
        case .caseNotFound(let id):
            return "no case \(id): see `case list`"
        case .caseAlreadyResolved(let id):
            return "case \(id) is already resolved"
        }
    }
}

extension OrderError: BusinessRefusable {
    public var isBusinessRefusal: Bool {
        switch self {
        case .invalidTransition, .refundExceedsPaid, .refundNotAllowed, .caseAlreadyResolved:
            return true
        case .notFound, .overpayment, .sourcesDoNotCoverAmount, .duplicateSource, .unknownChannel,
            .caseNotFound:
            return false
        }
    }
}

extension PaymentOrderState {
    /// Applies one event: the next state and what must happen with it. Terminal states never
    /// change; a flow succeeding under a terminal order that cannot use it is refunded.
    public func applying(
        _ event: PaymentOrderEvent
    ) throws(OrderError) -> (PaymentOrderState, [PaymentOrderAction]) {
        switch (self, event) {
        case (.held, .confirmDuplicate):
            return (.open, [])
        case (.open, .submitFlows), (.paying, .submitFlows):
            return (.paying, [])
        case (.paying, .flowSucceeded(let all)):
            return all ? (.succeeded, [.moveToPayee, .cancelTimers]) : (.paying, [])
        case (.paying, .flowFailed):
            return (.failed, [.stopUnsentFlows, .reverseSucceededFlows, .cancelTimers])
        case (.held, .close), (.open, .close):
            return (.closed, [.cancelTimers])
        case (.held, .expire), (.open, .expire):
            return (.expired, [.cancelTimers])
        // An order given up while paying sends back what its flows already collected.
        case (.paying, .close):
            return (.closed, [.stopUnsentFlows, .reverseSucceededFlows, .cancelTimers])
        case (.paying, .expire):
            return (.expired, [.stopUnsentFlows, .reverseSucceededFlows, .cancelTimers])
        case (.succeeded, .flowSucceeded), (.failed, .flowSucceeded), (.closed, .flowSucceeded),
            (.expired, .flowSucceeded):
            return (self, [.refundLateFlow])
        case (.succeeded, .flowFailed), (.failed, .flowFailed), (.closed, .flowFailed),
            (.expired, .flowFailed):
            return (self, [])
        case (.held, .submitFlows), (.held, .flowSucceeded), (.held, .flowFailed),
            (.open, .confirmDuplicate), (.open, .flowSucceeded), (.open, .flowFailed),
            (.paying, .confirmDuplicate),
            (.succeeded, .confirmDuplicate), (.succeeded, .submitFlows), (.succeeded, .close),
            (.succeeded, .expire),
            (.failed, .confirmDuplicate), (.failed, .submitFlows), (.failed, .close),
            (.failed, .expire),
            (.closed, .confirmDuplicate), (.closed, .submitFlows), (.closed, .close),
            (.closed, .expire),
            (.expired, .confirmDuplicate), (.expired, .submitFlows), (.expired, .close),
            (.expired, .expire):
            throw .invalidTransition(state: rawValue, event: event.verb)
        }
    }
}

extension PaymentOrderEvent {
    /// The event as a verb for messages: "cannot close an order that is succeeded".
    public var verb: String {
        switch self {
        case .confirmDuplicate: return "confirm"
        case .submitFlows: return "pay"
        case .flowSucceeded: return "record a successful flow on"
        case .flowFailed: return "record a failed flow on"
        case .close: return "close"
        case .expire: return "expire"
        }
    }
}
