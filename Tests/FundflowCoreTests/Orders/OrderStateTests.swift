import Testing

@testable import FundflowCore

@Suite struct OrderStateTests {
    @Test func aCombinationPaymentSucceedsOnlyWhenEveryFlowHas() throws {
        var state = PaymentOrderState.open
        (state, _) = try state.applying(.submitFlows)
        let (partly, none) = try state.applying(.flowSucceeded(allSucceeded: false))
        #expect(partly == .paying)
        #expect(none.isEmpty)
        let (done, actions) = try partly.applying(.flowSucceeded(allSucceeded: true))
        #expect(done == .succeeded)
        #expect(actions == [.moveToPayee, .cancelTimers])
    }

    @Test func oneFailedFlowReversesTheOthers() throws {
        let (failed, actions) = try PaymentOrderState.paying.applying(.flowFailed)
        #expect(failed == .failed)
        #expect(actions.contains(.reverseSucceededFlows))
    }

    @Test(arguments: [PaymentOrderState.succeeded, .failed, .closed, .expired])
    func aFlowSucceedingUnderAFinishedOrderIsRefunded(state: PaymentOrderState) throws {
        let (same, actions) = try state.applying(.flowSucceeded(allSucceeded: true))
        #expect(same == state)
        #expect(actions == [.refundLateFlow])
    }

    @Test(arguments: [PaymentOrderState.succeeded, .failed, .closed, .expired])
    func terminalOrdersRefuseEveryChangeOfState(state: PaymentOrderState) {
        for event in [PaymentOrderEvent.close, .expire, .submitFlows, .confirmDuplicate] {
            #expect(throws: OrderError.invalidTransition(state: state.rawValue, event: event.verb))
            {
                try state.applying(event)
            }
        }
    }

    @Test func aHeldDuplicateMustBeConfirmedBeforeItCanBePaid() throws {
        #expect(throws: OrderError.self) { try PaymentOrderState.held.applying(.submitFlows) }
        #expect(try PaymentOrderState.held.applying(.confirmDuplicate).0 == .open)
    }

    @Test func theTradeOrderFollowsItsPaymentAndRefunds() {
        #expect(TradeOrderState.created.following(payment: .paying) == .created)
        #expect(TradeOrderState.created.following(payment: .succeeded) == .paid)
        #expect(TradeOrderState.created.following(payment: .expired) == .cancelled)
        #expect(TradeOrderState.paid.afterRefund(everything: false) == .partiallyRefunded)
        #expect(TradeOrderState.partiallyRefunded.afterRefund(everything: true) == .refunded)
        #expect(TradeOrderState.cancelled.afterRefund(everything: true) == .cancelled)
    }

    @Test func aRefundIsSettledByItsParts() {
        #expect(RefundState.of(parts: [.succeeded, .processing]) == .pending)
        #expect(RefundState.of(parts: [.succeeded, .succeeded]) == .succeeded)
        #expect(RefundState.of(parts: [.failed, .failed]) == .failed)
        #expect(RefundState.of(parts: [.succeeded, .failed]) == .partial)
        #expect(RefundState.of(parts: []) == .pending)
    }
}
