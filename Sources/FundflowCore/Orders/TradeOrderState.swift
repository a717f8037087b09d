/// Where a trade order is, as the payer and payee see it: what was asked for, and what became of
/// it. It follows its payment order and its refunds.
///
/// | state | meaning | terminal |
/// |---|---|---|
/// | `created` | waiting for payment | no |
/// | `paid` | the payment order succeeded | no (refunds may follow) |
/// | `partiallyRefunded` | part of the paid amount went back | no |
/// | `refunded` | everything paid went back | yes |
/// | `cancelled` | closed, expired or failed before it was paid | yes |
public enum TradeOrderState: String, Sendable, CaseIterable, Codable {
    case created
    case paid
    case partiallyRefunded = "partially_refunded"
    case refunded
    case cancelled

    public var isTerminal: Bool {
        switch self {
        case .refunded, .cancelled: return true
        case .created, .paid, .partiallyRefunded: return false
        }
    }

    /// The trade order's state after its payment order moved to `payment`.
    public func following(payment: PaymentOrderState) -> TradeOrderState {
        switch (self, payment) {
        case (.created, .succeeded): return .paid
        case (.created, .failed), (.created, .closed), (.created, .expired): return .cancelled
        case (.created, .held), (.created, .open), (.created, .paying): return .created
        case (.paid, _), (.partiallyRefunded, _), (.refunded, _), (.cancelled, _): return self
        }
    }

    /// The trade order's state after a refund succeeded; `everything` when nothing paid is left.
    public func afterRefund(everything: Bool) -> TradeOrderState {
        switch self {
        case .paid, .partiallyRefunded: return everything ? .refunded : .partiallyRefunded
        case .created, .refunded, .cancelled: return self
        }
    }
}

/// Where a refund is: one refund of an order, split over the order's flows, each part going back
/// by its flow's route (a part is itself a flow in the other direction, with ``FlowStatus``).
///
/// | state | meaning | terminal |
/// |---|---|---|
/// | `pending` | some parts are still on their way | no |
/// | `succeeded` | every part arrived back | yes |
/// | `failed` | no part did | yes |
/// | `partial` | some parts arrived, others failed | yes |
public enum RefundState: String, Sendable, CaseIterable, Codable {
    case pending
    case succeeded
    case failed
    case partial

    /// The refund's state from its parts' states.
    public static func of(parts: [FlowState]) -> RefundState {
        guard !parts.isEmpty, parts.allSatisfy(\.isTerminal) else { return .pending }
        let arrived = parts.filter { $0 == .succeeded }.count
        if arrived == parts.count { return .succeeded }
        if arrived == 0 { return .failed }
        return .partial
    }
}
