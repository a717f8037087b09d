import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct OrderTests {
    @Test func aWalletPaymentCompletesAtOnceAndThePayeeIsPaid() throws {
        let books = try OrderBooks()
        let order = try books.create("75.50 EUR")
        let paid = try books.pay(order.id, "wallet:acme:EUR")
        #expect(paid.status == "succeeded")
        #expect(paid.tradeStatus == "paid")
        #expect(try books.balance("wallet:acme:EUR") == "924.50")
        #expect(try books.balance("settlement:pending:globex:EUR") == "75.50")
        #expect(try books.balance("transit:gateway:EUR") == "0.00")
        #expect(try books.verify() == [])
    }

    @Test func aShortWalletRefusesTheWholeCombinationPayment() throws {
        let books = try OrderBooks(wallets: [
            "wallet:acme:EUR": "10.00 EUR", "wallet:beta:EUR": "100.00 EUR",
        ])
        let order = try books.create("50.00 EUR")
        #expect(throws: LedgerError.self) {
            try books.pay(order.id, "wallet:beta:EUR=20", "wallet:acme:EUR", key: "p1")
        }
        #expect(try books.balance("wallet:beta:EUR") == "100.00", "no leg was booked")
        #expect(try books.order(order.id).status == "open")
        #expect(throws: EngineError.self) {
            try books.pay(order.id, "wallet:beta:EUR=20", "wallet:acme:EUR", key: "p1")
        }
    }

    @Test(arguments: [
        (["wallet:acme:EUR=10"], "sources add up to 10.00 EUR"),
        (["wallet:acme:EUR=60", "channel:sandbox=50"], "sources add up to 110.00 EUR"),
        (["wallet:acme:EUR", "channel:sandbox"], "at most one source"),
        (["wallet:acme:EUR", "wallet:acme:EUR=1"], "named twice"),
        (["channel:nowhere"], "no channel named nowhere"),
    ])
    func sourcesMustCoverTheBillExactly(sources: [String], message: String) throws {
        let books = try OrderBooks()
        let order = try books.create("100.00 EUR")
        #expect {
            try books.engine.payOrder(id: order.id, sources: sources, key: nil, books.context())
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func aLikeOrderWithinSixtySecondsIsHeldEvenUnderAnotherKey() throws {
        let books = try OrderBooks()
        let first = try books.create("12.00 EUR", key: "a")
        _ = try books.advance(seconds: 59)
        #expect(try books.create("12.00 EUR", key: "b").status == "held")
        try books.books.engine.store.write { transaction in
            // 60 s minus one tick (a millisecond) after the first order.
            try transaction.setMeta("simulatedNow", String(first.createdAtMilliseconds + 59_999))
        }
        #expect(try books.create("12.00 EUR", key: "c").status == "held")
        try books.books.engine.store.write { transaction in
            try transaction.setMeta("simulatedNow", String(first.createdAtMilliseconds + 60_000))
        }
        // b and c are within the minute before this one too, so only an order clear of all of them counts.
        let clear = try books.create("12.00 EUR", payee: "other", key: "d")
        #expect(clear.status == "open")
        #expect(
            try books.create("12.00 EUR", payee: "globex", key: "e").status == "held",
            "b and c were 1 ms and 1 s ago")
    }

    @Test func exactlySixtySecondsLaterIsNotADuplicate() throws {
        let books = try OrderBooks()
        let first = try books.create("12.00 EUR", key: "a")
        try books.books.engine.store.write { transaction in
            try transaction.setMeta("simulatedNow", String(first.createdAtMilliseconds + 60_000))
        }
        #expect(try books.create("12.00 EUR", key: "b").status == "open")
    }

    @Test func aHeldOrderIsReleasedByRepeatingItWithConfirmDuplicate() throws {
        let books = try OrderBooks()
        _ = try books.create("12.00 EUR", key: "a")
        let held = try books.create("12.00 EUR", key: "b")
        #expect(held.status == "held")
        #expect(throws: OrderError.self) { try books.pay(held.id, "wallet:acme:EUR") }
        let released = try books.create("12.00 EUR", key: "b", confirm: true)
        #expect(released.id == held.id)
        #expect(released.status == "open")
        #expect(try books.pay(held.id, "wallet:acme:EUR").status == "succeeded")
    }

    @Test func anUnpaidOrderGetsAReminderThenExpires() throws {
        let books = try OrderBooks()
        let order = try books.create("12.00 EUR", expires: 600)
        let beforeReminder = try books.advance(seconds: 299)
        #expect(beforeReminder.notices.isEmpty)
        let reminder = try books.advance(seconds: 1)
        #expect(reminder.notices.contains { $0.hasPrefix("reminder: order \(order.id)") })
        let expiry = try books.advance(seconds: 300)
        #expect(expiry.notices.contains("order \(order.id) expired unpaid"))
        #expect(try books.order(order.id).status == "expired")
        #expect(try books.order(order.id).tradeStatus == "cancelled")
    }

    @Test func thePaidOrdersTimersAreCancelled() throws {
        let books = try OrderBooks()
        let order = try books.create("12.00 EUR", expires: 600)
        try books.pay(order.id, "wallet:acme:EUR")
        let run = try books.advance(seconds: 700)
        #expect(run.jobs == 0)
        #expect(try books.order(order.id).status == "succeeded")
    }
}

extension OrderView {
    var createdAtMilliseconds: Int64 { Timestamp(iso8601: createdAt)?.millisecondsSinceEpoch ?? 0 }
}
