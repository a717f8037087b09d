/// Where one payment flow (one funding method of a payment order) is.
///
/// | state | meaning | terminal |
/// |---|---|---|
/// | `accepted` | submitted; the money has not moved yet | no |
/// | `processing` | the channel is working on it | no |
/// | `awaitingReconciliation` | the query schedule ran out without an answer | no |
/// | `succeeded` | the money reached transit | yes (may later be reversed) |
/// | `failed` | the money did not move | yes |
/// | `reversed` | succeeded, then sent back by its original route | yes |
public enum FlowState: String, Sendable, CaseIterable, Codable {
    case accepted
    case processing
    case awaitingReconciliation = "awaiting_reconciliation"
    case succeeded
    case failed
    case reversed

    /// An explicit outcome was reached; later reports can only confirm or conflict.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .reversed: return true
        case .accepted, .processing, .awaitingReconciliation: return false
        }
    }

    /// Whether, by this state, the money moved (for conflict detection).
    var moneyMoved: Bool? {
        switch self {
        case .succeeded, .reversed: return true
        case .failed: return false
        case .accepted, .processing, .awaitingReconciliation: return nil
        }
    }
}

/// What a flow transition asks the engine to do, in the same transaction.
public enum FlowAction: Equatable, Sendable {
    /// Book the flow's amount from its source into `transit:gateway:CCY`.
    case moveToTransit
    /// No more status queries for this flow.
    case stopQueries
    /// Tell the payment order one of its flows reached a terminal state.
    case settleOrder(FlowState)
    /// Reports conflict: open a case saying why.
    case openCase(String)
    /// Post the movement the conflicting report asserts between the channel's clearing account and
    /// `suspense:CCY` (`moved` true: money arrived that the flow says did not; false: the reverse).
    case postToSuspense(moved: Bool)
}

/// A flow's state plus whether a case about it is already open (a second conflicting report does
/// not open a second case).
public struct FlowStatus: Equatable, Sendable {
    public var state: FlowState
    public var caseOpen: Bool

    public init(state: FlowState = .accepted, caseOpen: Bool = false) {
        self.state = state
        self.caseOpen = caseOpen
    }

    /// Applies one report. Transitions only go forward; a terminal state never changes; a late
    /// `processing` or `unknown` changes nothing; a terminal report that contradicts the terminal
    /// state keeps the state and opens a case with a suspense posting.
    public func applying(_ report: FlowReport) -> (FlowStatus, [FlowAction]) {
        var next = self
        switch (state, report.outcome) {
        case (.accepted, .success), (.processing, .success), (.awaitingReconciliation, .success):
            next.state = .succeeded
            return (next, [.moveToTransit, .stopQueries, .settleOrder(.succeeded)])
        case (.accepted, .failure), (.processing, .failure), (.awaitingReconciliation, .failure):
            next.state = .failed
            return (next, [.stopQueries, .settleOrder(.failed)])
        case (.accepted, .processing):
            next.state = .processing
            return (next, [])
        case (.processing, .processing), (.awaitingReconciliation, .processing),
            (.accepted, .unknown), (.processing, .unknown), (.awaitingReconciliation, .unknown):
            return (self, [])
        case (.succeeded, .success), (.reversed, .success), (.failed, .failure):
            return (self, [])
        case (.succeeded, .processing), (.succeeded, .unknown), (.failed, .processing),
            (.failed, .unknown), (.reversed, .processing), (.reversed, .unknown):
            return (self, [])
        case (.succeeded, .failure), (.reversed, .failure):
            return conflict("the flow succeeded but a report says it failed", moved: false)
        case (.failed, .success):
            return conflict("the flow failed but a report says the money moved", moved: true)
        }
    }

    /// The query schedule ran out while the flow was still open.
    public func queriesExhausted() -> FlowStatus {
        guard !state.isTerminal else { return self }
        return FlowStatus(state: .awaitingReconciliation, caseOpen: caseOpen)
    }

    /// A succeeded flow sent back by its original route because a sibling flow failed.
    public func reversing() -> FlowStatus? {
        guard state == .succeeded else { return nil }
        return FlowStatus(state: .reversed, caseOpen: caseOpen)
    }

    private func conflict(_ why: String, moved: Bool) -> (FlowStatus, [FlowAction]) {
        guard !caseOpen else { return (self, []) }
        return (
            FlowStatus(state: state, caseOpen: true),
            [.openCase(why), .postToSuspense(moved: moved)]
        )
    }
}
