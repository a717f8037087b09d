import Testing

@testable import FundflowCore

/// Every sequence of up to four reports about one flow, checked against a reference written
/// separately from `FlowStatus.applying`: it looks at the whole sequence at once instead of
/// stepping through states.
@Suite struct FlowModelTests {
    /// What the reference says a sequence must end in.
    struct Expected: Equatable {
        var state: FlowState
        var transits: Int
        var cases: Int
        var suspense: [Bool]
    }

    /// The reference: the first explicit terminal outcome decides; processing only shows before
    /// it; the first later report with the opposite outcome opens the one case and its suspense
    /// posting says whether money moved against the flow's state.
    static func reference(_ reports: [FlowReport]) -> Expected {
        let decisive = reports.map(\.outcome).filter { $0 == .success || $0 == .failure }
        guard let first = decisive.first else {
            let processing = reports.contains { $0.outcome == .processing }
            return Expected(
                state: processing ? .processing : .accepted, transits: 0, cases: 0, suspense: [])
        }
        let contradicted = decisive.dropFirst().contains { $0 != first }
        let succeeded = first == .success
        return Expected(
            state: succeeded ? .succeeded : .failed, transits: succeeded ? 1 : 0,
            cases: contradicted ? 1 : 0, suspense: contradicted ? [!succeeded] : [])
    }

    static func sequences(upTo length: Int) -> [[FlowReport]] {
        var all: [[FlowReport]] = [[]]
        var frontier: [[FlowReport]] = [[]]
        for _ in 0..<length {
            frontier = frontier.flatMap { prefix in FlowReport.all.map { prefix + [$0] } }
            all += frontier
        }
        return all
    }

    @Test func everySequenceOfUpToFourReportsMatchesTheReference() {
        let sequences = Self.sequences(upTo: 4)
        #expect(sequences.count == 1 + 12 + 144 + 1_728 + 20_736)
        var mismatches = 0
        for reports in sequences {
            var status = FlowStatus()
            var actual = Expected(state: .accepted, transits: 0, cases: 0, suspense: [])
            var terminalSeen: FlowState?
            for report in reports {
                let (next, actions) = status.applying(report)
                for action in actions {
                    switch action {
                    case .moveToTransit: actual.transits += 1
                    case .openCase: actual.cases += 1
                    case .postToSuspense(let moved): actual.suspense.append(moved)
                    case .stopQueries, .settleOrder: break
                    }
                }
                if actions.contains(where: { if case .openCase = $0 { true } else { false } }) {
                    // A conflict posts only to suspense: no transit move, no settlement.
                    #expect(actions.count == 2, "\(reports): conflict actions \(actions)")
                }
                if let terminal = terminalSeen {
                    #expect(next.state == terminal, "\(reports): a terminal state changed")
                }
                if next.state.isTerminal { terminalSeen = next.state }
                status = next
            }
            actual.state = status.state
            if actual != Self.reference(reports) {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(reports): got \(actual), expected \(Self.reference(reports))")
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func exhaustedQueriesWaitForReconciliationAndALineSettlesIt() {
        let waiting = FlowStatus(state: .processing).queriesExhausted()
        #expect(waiting.state == .awaitingReconciliation)
        let (settled, actions) = waiting.applying(.reconciliationLine)
        #expect(settled.state == .succeeded)
        #expect(actions.contains(.moveToTransit))
        #expect(FlowStatus(state: .failed).queriesExhausted().state == .failed)
    }

    @Test func onlyASucceededFlowCanBeReversed() {
        #expect(FlowStatus(state: .succeeded).reversing()?.state == .reversed)
        #expect(FlowStatus(state: .processing).reversing() == nil)
        #expect(FlowStatus(state: .failed).reversing() == nil)
    }
}
