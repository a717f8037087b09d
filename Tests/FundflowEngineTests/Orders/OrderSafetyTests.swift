import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

/// Money that could be stranded, sent twice or taken from the wrong place: each case found in
/// review, pinned down.
@Suite struct OrderSafetyTests {
    @Test func closingAPayingOrderSendsBackWhatItsFlowsCollected() throws {
        let books = try OrderBooks()
        try books.channel("slow", queries: "09", schedule: "1 2")
        let order = try books.create("100.00 EUR")
        try books.pay(order.id, "wallet:acme:EUR=50", "channel:slow")
        _ = try books.advance(seconds: 1)
        _ = try books.engine.closeOrder(id: order.id, books.context())
        let closed = try books.order(order.id)
        #expect(closed.flows.map(\.status) == ["reversed", "processing"])
        #expect(try books.balance("wallet:acme:EUR") == "1000.00")
        #expect(try books.balance("transit:gateway:EUR") == "0.00")
        #expect(try books.verify() == [])
    }

    @Test func aChannelFlowOfAFailedOrderGoesBackThroughItsChannel() throws {
        let books = try OrderBooks()
        try books.channel("slow", queries: "09", schedule: "1 2")
        let order = try books.create("100.00 EUR")
        let paid = try books.pay(order.id, "channel:sandbox=50", "channel:slow")
        _ = try books.advance(seconds: 5)
        #expect(try books.order(order.id).flows[0].status == "succeeded")
        _ = try books.engine.receiveReport(
            reference: paid.flows[1].reference, source: "notification", code: "05", subCode: nil,
            reportID: "n-1",
            books.context())
        _ = try books.advance(seconds: 10)
        let failed = try books.order(order.id)
        #expect(failed.status == "failed")
        #expect(failed.refunds.map(\.automatic) == [true])
        #expect(
            failed.refunds[0].status == "succeeded", "the refund went through the sandbox channel")
        let refunds = try books.requests(
            failed.refunds[0].parts.isEmpty ? "" : "r\(failed.refunds[0].id)p1")
        #expect(refunds.map(\.kind).first == "refund")
        #expect(try books.balance("clearing:sandbox:EUR") == "0.00")
        #expect(try books.balance("transit:gateway:EUR") == "0.00")
        #expect(try books.verify() == [])
    }

    @Test func payingAgainReplacesTheWaitingFlowAndItsLateSuccessIsRefunded() throws {
        let books = try OrderBooks()
        try books.channel("slow", queries: "09", schedule: "1")
        let order = try books.create("100.00 EUR")
        let first = try books.pay(order.id, "channel:slow").flows[0]
        _ = try books.advance(seconds: 5)
        try books.pay(order.id, "wallet:acme:EUR=50", "channel:sandbox", key: "again")
        _ = try books.advance(seconds: 5)
        #expect(try books.order(order.id).status == "succeeded")
        _ = try books.engine.receiveReport(
            reference: first.reference, source: "reconciliation", code: "00", subCode: nil,
            reportID: "st-1",
            books.context())
        _ = try books.advance(seconds: 10)
        let done = try books.order(order.id)
        #expect(
            try books.balance("settlement:pending:globex:EUR") == "100.00",
            "the payee gets the amount once")
        #expect(try books.balance("transit:gateway:EUR") == "0.00")
        #expect(done.refunds.filter(\.automatic).map { $0.parts.map(\.flow) } == [[first.id]])
        let refundable = try done.flows.map {
            try Money.parseMinorUnits($0.refundable, currency: .eur)
        }.reduce(0, +)
        #expect(
            refundable == 10_000, "what can be refunded is the order's amount, not every success")
        #expect(try books.verify() == [])
    }

    @Test func anUnpaidOrderCannotBeChargedBack() throws {
        let books = try OrderBooks()
        try books.channel("slow", queries: "09", schedule: "1 2")
        let order = try books.create("100.00 EUR")
        let flow = try books.pay(order.id, "channel:sandbox=50", "channel:slow").flows[0]
        _ = try books.advance(seconds: 5)
        #expect(throws: OrderError.refundNotAllowed(order: String(order.id), state: "paying")) {
            try books.engine.recordChargeback(
                ChargebackRequest(
                    order: order.id, flow: flow.id, amount: "50.00", kind: "chargeback",
                    reason: nil, key: nil),
                books.context())
        }
    }

    @Test func aFlowNotYetSentIsNeverSentAfterItsOrderIsClosed() throws {
        let books = try OrderBooks()
        let order = try books.create("30.00 EUR")
        let flow = try books.pay(order.id, "channel:sandbox").flows[0]
        _ = try books.engine.closeOrder(id: order.id, books.context())
        _ = try books.advance(seconds: 30)
        #expect(try books.requests(flow.reference).isEmpty)
        #expect(try books.order(order.id).flows[0].status == "failed")
        #expect(try books.verify() == [])
    }

    @Test func aFailedAutomaticRefundOpensACaseAndLeavesNothingRefundable() throws {
        let books = try OrderBooks()
        try books.channel("norefund", queries: "09", schedule: "1", refundSync: "05")
        let order = try books.create("40.00 EUR")
        let flow = try books.pay(order.id, "channel:norefund").flows[0]
        _ = try books.advance(seconds: 0)
        _ = try books.engine.closeOrder(id: order.id, books.context())
        _ = try books.engine.receiveReport(
            reference: flow.reference, source: "reconciliation", code: "00", subCode: nil,
            reportID: "st-9",
            books.context())
        _ = try books.advance(seconds: 10)
        let after = try books.order(order.id)
        #expect(after.refunds.map(\.status) == ["failed"])
        #expect(try books.engine.cases(open: true, as: books.admin).count == 1)
        #expect(try books.balance("transit:gateway:EUR") == "0.00")
        #expect(try books.balance("suspense:EUR") == "40.00")
        #expect(after.flows[0].refundable == "0.00")
        #expect(try books.verify() == [])
    }

    @Test func aReportIdIsScopedToItsReferenceAndCannotChangeItsCode() throws {
        let books = try OrderBooks()
        try books.channel("slow", queries: "09", schedule: "1")
        let a = try books.pay(try books.create("10.00 EUR", key: "a").id, "channel:slow").flows[0]
        let b = try books.pay(try books.create("11.00 EUR", key: "b").id, "channel:slow").flows[0]
        _ = try books.advance(seconds: 5)
        for flow in [a, b] {
            _ = try books.engine.receiveReport(
                reference: flow.reference, source: "reconciliation", code: "00", subCode: nil,
                reportID: "1",
                books.context())
        }
        #expect(try books.order(1).status == "succeeded")
        #expect(
            try books.order(2).status == "succeeded",
            "the same id for another flow is another report")
        #expect(throws: EngineError.self) {
            _ = try books.engine.receiveReport(
                reference: a.reference, source: "notification", code: "00", subCode: nil,
                reportID: "n", books.context())
            _ = try books.engine.receiveReport(
                reference: a.reference, source: "notification", code: "05", subCode: nil,
                reportID: "n", books.context())
        }
    }

    @Test func ordersArePaidOnlyFromPayersMoneyAndHoldsOnItNeedAReason() throws {
        let books = try OrderBooks()
        try books.books.open("suspense:EUR")
        let order = try books.create("10.00 EUR")
        #expect(throws: EngineError.self) { try books.pay(order.id, "suspense:EUR") }
        #expect(throws: LedgerError.customerMoneyNeedsReason("wallet:acme:EUR")) {
            try books.engine.placeHold(
                HoldRequest(
                    debit: "wallet:acme:EUR", credit: "nostro:DEUTDEFFXXX:EUR", amount: "1.00 EUR",
                    expiresInSeconds: nil,
                    key: nil, memo: nil), books.context())
        }
    }

    @Test func userKeysCannotTakeTheEnginesOwnNamespace() throws {
        let books = try OrderBooks()
        #expect(throws: EngineError.self) {
            try books.books.post(
                "nostro:DEUTDEFFXXX:EUR", "wallet:acme:EUR", "1.00 EUR", key: "sys:flow:1:transit")
        }
    }

    @Test func aJobWhoseWorkIsRefusedFailsVisiblyAndIsNotRetried() throws {
        let books = try OrderBooks()
        let order = try books.create("100.00 EUR")
        try books.pay(order.id, "wallet:acme:EUR=60", "channel:sandbox")
        // Someone drains transit by hand while the channel flow is on its way.
        try books.books.post(
            "transit:gateway:EUR", "wallet:acme:EUR", "60.00 EUR", key: "drain",
            reason: "test drain")
        let run = try books.advance(seconds: 5)
        // Every query that finds the flow approved fails the same way; each fails once.
        #expect(!run.failures.isEmpty)
        #expect(
            run.failures.allSatisfy { $0.contains("insufficient funds in transit:gateway:EUR") })
        let again = try books.engine.runDueJobs(worker: "again")
        #expect(again.failures.isEmpty && again.jobs == 0)
        let failed = try books.engine.store.read {
            try $0.jobs(subject: order.flows.last?.id ?? 2, kind: .query)
        }
        #expect(failed.contains { $0.status == "failed" })
        #expect(
            try books.engine.auditLog(limit: 100, as: books.admin).contains {
                $0.outcome.hasPrefix("failed: insufficient funds")
            })
    }
}
