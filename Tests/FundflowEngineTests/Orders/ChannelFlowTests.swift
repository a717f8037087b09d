import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct ChannelFlowTests {
    @Test func submittingReturnsAtOnceWithTheFlowAccepted() throws {
        let books = try OrderBooks()
        let order = try books.create("50.00 EUR")
        let paid = try books.pay(order.id, "channel:sandbox")
        #expect(paid.status == "paying")
        #expect(paid.flows.map(\.status) == ["accepted"])
        #expect(
            try books.requests(paid.flows[0].reference).isEmpty,
            "nothing is sent before the job queue runs")
    }

    @Test func queriesFireAtTheScheduleAndNeverAfterATerminalState() throws {
        let books = try OrderBooks()
        try books.channel("slow", queries: "09")
        let order = try books.create("50.00 EUR")
        let flow = try books.pay(order.id, "channel:slow").flows[0]
        let start = try books.engine.now()
        _ = try books.advance(seconds: 1_000)
        let requests = try books.requests(flow.reference)
        let offsets = requests.map {
            ($0.sentAt.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000
        }
        #expect(requests.map(\.kind) == ["submit"] + Array(repeating: "query", count: 7))
        #expect(offsets == [0, 1, 2, 5, 10, 20, 40, 100])
        #expect(try books.order(order.id).flows[0].status == "awaiting_reconciliation")

        try books.channel("quick", queries: "09 09 00")
        let second = try books.create("20.00 EUR", key: "second")
        let flow2 = try books.pay(second.id, "channel:quick").flows[0]
        let start2 = try books.engine.now()
        _ = try books.advance(seconds: 1_000)
        let sent = try books.requests(flow2.reference).map {
            ($0.sentAt.millisecondsSinceEpoch - start2.millisecondsSinceEpoch) / 1000
        }
        #expect(sent == [0, 1, 2, 5], "the third query succeeded; no query after it")
        #expect(try books.order(second.id).status == "succeeded")
        #expect(try books.verify() == [])
    }

    @Test func aSlowChannelsSynchronousAnswerArrivesAfterItsLatency() throws {
        let books = try OrderBooks()
        try books.channel("laggy", sync: "00", queries: "09", schedule: "10", latency: 3)
        let order = try books.create("20.00 EUR")
        try books.pay(order.id, "channel:laggy")
        _ = try books.advance(seconds: 2)
        #expect(try books.order(order.id).flows[0].status == "accepted", "sent, no answer yet")
        _ = try books.advance(seconds: 1)
        #expect(try books.order(order.id).status == "succeeded")
    }

    @Test func aLateSuccessAfterCloseReachesTransitNeverThePayeeAndIsRefundedOnce() throws {
        let books = try OrderBooks()
        try books.channel("late", queries: "09", lateNotify: "300 00", schedule: "1 2")
        let order = try books.create("40.00 EUR")
        let flow = try books.pay(order.id, "channel:late").flows[0]
        _ = try books.advance(seconds: 10)
        _ = try books.engine.closeOrder(id: order.id, books.context())
        _ = try books.advance(seconds: 290)  // the late notification comes at +300 s
        let after = try books.order(order.id)
        #expect(after.status == "closed")
        #expect(after.flows[0].status == "succeeded")
        #expect(after.refunds.count == 1)
        #expect(after.refunds[0].automatic)
        #expect(after.refunds[0].status == "pending")
        _ = try books.advance(seconds: 10)
        let refunded = try books.order(order.id)
        #expect(refunded.refunds.map(\.status) == ["succeeded"])
        #expect(try books.balance("transit:gateway:EUR") == "0.00")
        #expect(
            try books.balance("clearing:late:EUR") == "0.00",
            "collected, then sent back through the channel")
        #expect(
            (try? books.books.balance("settlement:pending:globex:EUR")) == nil,
            "the payee never got an account")
        // Replaying the late notification (same id) changes nothing.
        for _ in 0..<2 {
            _ = try books.engine.receiveReport(
                reference: flow.reference, source: "notification", code: "00", subCode: nil,
                reportID: "late-1",
                books.context())
        }
        #expect(try books.order(order.id).refunds.count == 1)
        #expect(try books.verify() == [])
    }

    @Test func aDuplicateSuccessForTheSameOrderAndMethodIsRefundedFromTransit() throws {
        let books = try OrderBooks()
        try books.channel("stuck", queries: "09", schedule: "1")
        let order = try books.create("30.00 EUR")
        let first = try books.pay(order.id, "channel:stuck").flows[0]
        _ = try books.advance(seconds: 5)
        #expect(try books.order(order.id).flows[0].status == "awaiting_reconciliation")
        // The payer tries again with the same method; this time the channel answers.
        try books.channel("stuck", queries: "00", schedule: "1")
        try books.pay(order.id, "channel:stuck", key: "again")
        _ = try books.advance(seconds: 5)
        #expect(try books.order(order.id).status == "succeeded")
        // Then the statement shows the first attempt went through as well.
        for _ in 0..<2 {
            _ = try books.engine.receiveReport(
                reference: first.reference, source: "reconciliation", code: "00", subCode: nil,
                reportID: "line-7",
                books.context())
        }
        _ = try books.advance(seconds: 10)
        let done = try books.order(order.id)
        #expect(done.refunds.filter(\.automatic).count == 1)
        #expect(done.refunds[0].parts.map(\.flow) == [first.id])
        #expect(
            try books.balance("settlement:pending:globex:EUR") == "30.00", "the payee is paid once")
        #expect(try books.balance("transit:gateway:EUR") == "0.00")
        #expect(try books.verify() == [])
    }

    @Test func aCombinationPaymentWithAFailingFlowReversesTheOthers() throws {
        let books = try OrderBooks()
        try books.channel("declines", sync: "05")
        let order = try books.create("100.00 EUR")
        try books.pay(order.id, "wallet:acme:EUR=60", "channel:declines")
        #expect(try books.balance("wallet:acme:EUR") == "940.00")
        _ = try books.advance(seconds: 2)
        let failed = try books.order(order.id)
        #expect(failed.status == "failed")
        #expect(failed.flows.map(\.status) == ["reversed", "failed"])
        #expect(try books.balance("wallet:acme:EUR") == "1000.00")
        #expect(try books.balance("transit:gateway:EUR") == "0.00")
        let history = try books.engine.history(
            account: "wallet:acme:EUR", limit: 10, as: books.admin)
        #expect(history.entries.map(\.kind) == ["manual", "flow", "reversal"])
        #expect(try books.verify() == [])
    }

    @Test func aConflictingReportOpensACaseAndPostsOnlyToSuspense() throws {
        let books = try OrderBooks()
        try books.channel("declines", sync: "05")
        let order = try books.create("25.00 EUR")
        let flow = try books.pay(order.id, "channel:declines").flows[0]
        _ = try books.advance(seconds: 2)
        #expect(try books.order(order.id).flows[0].status == "failed")
        _ = try books.engine.receiveReport(
            reference: flow.reference, source: "reconciliation", code: "00", subCode: nil,
            reportID: "line-1",
            books.context())
        let after = try books.order(order.id)
        #expect(after.flows[0].status == "failed", "the flow keeps its state")
        #expect(after.flows[0].caseOpen)
        #expect(try books.balance("suspense:EUR") == "25.00")
        #expect(try books.balance("clearing:declines:EUR") == "25.00")
        let cases = try books.engine.cases(open: true, as: books.admin)
        #expect(cases.count == 1)
        let resolved = try books.engine.resolveCase(
            id: cases[0].id, .returnThroughChannel, reason: "PSP reversed it", books.context())
        #expect(resolved.state == "resolved")
        #expect(try books.balance("suspense:EUR") == "0.00")
        #expect(try books.balance("clearing:declines:EUR") == "0.00")
        #expect(try books.verify() == [])
    }

    @Test func aWithholdingOrderRetriesRetryableFailuresButNotFinalOnes() throws {
        let books = try OrderBooks()
        try books.channel("dd-short", sync: "51", retryLimit: 3)
        let order = try books.create("10.00 EUR", expires: 7 * 86_400, withholding: true)
        try books.pay(order.id, "channel:dd-short")
        _ = try books.advance(seconds: 3 * 86_400)
        let retried = try books.order(order.id)
        #expect(retried.flows.map(\.attempt) == [1, 2, 3])
        #expect(retried.status == "failed", "three retryable failures use up the limit")

        try books.channel("dd-closed", sync: "05")
        let final = try books.create(
            "11.00 EUR", key: "final", expires: 7 * 86_400, withholding: true)
        try books.pay(final.id, "channel:dd-closed")
        _ = try books.advance(seconds: 3 * 86_400)
        #expect(try books.order(final.id).flows.count == 1, "a final code is never retried")
    }

    @Test func everyStateChangeIsInTheOrderTimelineAndTheAuditLog() throws {
        let books = try OrderBooks()
        let order = try books.create("50.00 EUR")
        try books.pay(order.id, "channel:sandbox")
        _ = try books.advance(seconds: 10)
        let events = try books.order(order.id).events
        let log = try books.engine.auditLog(limit: 1_000, as: books.admin).map(\.outcome)
        for event in events {
            let line = "\(event.object): \(event.from ?? "new") -> \(event.to)"
            #expect(log.contains { $0.hasPrefix(line) }, "\(line) is missing from the audit log")
        }
        #expect(events.map(\.to).contains("succeeded"))
        #expect(try books.engine.verifyAudit(as: books.admin).problems == [])
    }
}

@Suite struct ReportReplayTests {
    @Test func deliveringEveryReportAgainChangesNothing() throws {
        let books = try OrderBooks()
        try books.channel(
            "busy", queries: "09 09 00", notify: "3 00", lateNotify: "400 00", schedule: "1 2 5")
        let paid = try books.create("70.00 EUR", key: "paid")
        try books.pay(paid.id, "wallet:acme:EUR=20", "channel:busy")
        let closed = try books.create("15.00 EUR", payee: "other", key: "closed")
        try books.pay(closed.id, "channel:busy")
        _ = try books.advance(seconds: 0)  // the flow is sent
        _ = try books.engine.closeOrder(id: closed.id, books.context())  // and will succeed late
        _ = try books.advance(seconds: 10)
        _ = try books.engine.createRefund(
            RefundRequest(order: paid.id, amount: "35.00", key: "rf"), books.context())
        _ = try books.advance(seconds: 500)
        let before = try [paid.id, closed.id].map(books.order)
        #expect(before[0].status == "succeeded" && before[0].refunds.map(\.status) == ["succeeded"])
        #expect(before[1].status == "closed" && before[1].refunds.map(\.automatic) == [true])
        let balances = try books.engine.accounts(prefix: nil, as: books.admin)
        let reports = try books.engine.store.read { try $0.channelReports() }
        let replayable = reports.filter { $0.source != "sync" }
        #expect(replayable.count >= 6)
        for _ in 0..<2 {
            for report in replayable {
                let id = String(report.key.dropFirst("\(report.source):\(report.reference):".count))
                let source = report.source
                _ = try books.engine.receiveReport(
                    reference: report.reference, source: source, code: report.code ?? "",
                    subCode: report.subCode,
                    reportID: id, books.context())
            }
        }
        #expect(try [paid.id, closed.id].map(books.order) == before)
        #expect(try books.engine.accounts(prefix: nil, as: books.admin) == balances)
        #expect(try books.engine.store.read { try $0.channelReports() }.count == reports.count)
        #expect(try books.verify() == [])
    }
}
