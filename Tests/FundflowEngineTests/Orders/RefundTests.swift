import Foundation
import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct RefundTests {
    @Test func threeRefundsOfAThirdReturnFiftyAndFortyNineNinetyNine() throws {
        let books = try OrderBooks(wallets: [
            "wallet:a:EUR": "50.00 EUR", "wallet:b:EUR": "50.00 EUR",
        ])
        let order = try books.create("100.00 EUR")
        try books.pay(order.id, "wallet:a:EUR=50", "wallet:b:EUR")
        for index in 1...3 {
            _ = try books.engine.createRefund(
                RefundRequest(order: order.id, amount: "33.33 EUR", key: "r\(index)"),
                books.context())
        }
        #expect(try books.balance("wallet:a:EUR") == "50.00")
        #expect(try books.balance("wallet:b:EUR") == "49.99")
        #expect(try books.order(order.id).tradeStatus == "partially_refunded")
        #expect(
            throws: OrderError.refundExceedsPaid(
                order: String(order.id), requested: "0.02 EUR", refundable: "0.01 EUR")
        ) {
            try books.engine.createRefund(
                RefundRequest(order: order.id, amount: "0.02 EUR", key: "r4"), books.context())
        }
        _ = try books.engine.createRefund(
            RefundRequest(order: order.id, amount: "0.01 EUR", key: "r5"), books.context())
        #expect(try books.order(order.id).tradeStatus == "refunded")
        #expect(try books.balance("settlement:pending:globex:EUR") == "0.00")
        #expect(try books.verify() == [])
    }

    @Test func aChannelRefundGoesBackThroughTheChannel() throws {
        let books = try OrderBooks()
        let order = try books.create("60.00 EUR")
        try books.pay(order.id, "wallet:acme:EUR=20", "channel:sandbox")
        _ = try books.advance(seconds: 5)
        let refunded = try books.engine.createRefund(
            RefundRequest(order: order.id, amount: "30.00", key: "r"), books.context()
        ).value
        #expect(
            refunded.refunds[0].status == "pending",
            "the wallet part is back, the channel part is on its way")
        #expect(try books.balance("wallet:acme:EUR") == "990.00")
        _ = try books.advance(seconds: 5)
        let done = try books.order(order.id)
        #expect(done.refunds[0].status == "succeeded")
        #expect(done.refunds[0].parts.map(\.amount) == ["10.00", "20.00"])
        #expect(try books.balance("clearing:sandbox:EUR") == "20.00")
        #expect(try books.balance("settlement:pending:globex:EUR") == "30.00")
        #expect(try books.verify() == [])
    }

    @Test func aChargebackReducesWhatCanStillBeRefunded() throws {
        let books = try OrderBooks()
        let order = try books.create("60.00 EUR")
        let flow = try books.pay(order.id, "channel:sandbox").flows[0]
        _ = try books.advance(seconds: 5)
        _ = try books.engine.recordChargeback(
            ChargebackRequest(
                order: order.id, flow: flow.id, amount: "45.00", kind: "chargeback",
                reason: "dispute", key: nil),
            books.context())
        #expect(try books.order(order.id).flows[0].refundable == "15.00")
        #expect(throws: OrderError.self) {
            try books.engine.createRefund(
                RefundRequest(order: order.id, amount: "15.01", key: nil), books.context())
        }
        #expect(try books.verify() == [])
    }

    @Test(arguments: [7, 99, 2026] as [UInt64])
    func randomPartialRefundsNeverReturnMoreThanWasPaidInTotalOrPerSource(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let wallets = (1...3).map { "wallet:w\($0):EUR" }
        let books = try OrderBooks(
            wallets: Dictionary(uniqueKeysWithValues: wallets.map { ($0, "500.00 EUR") }))
        let shares = (0..<3).map { _ in Int64.random(in: 1...20_000, using: &random) }
        let total = shares.reduce(0, +)
        let order = try books.create(Money(minorUnits: total, currency: .eur).description)
        _ = try books.engine.payOrder(
            id: order.id,
            sources: zip(wallets, shares).map {
                "\($0)=\(Money(minorUnits: $1, currency: .eur).amountString)"
            }, key: nil,
            books.context())
        var refunded: Int64 = 0
        for step in 0..<40 {
            let amount = Int64.random(in: 1...max(1, total / 4), using: &random)
            do {
                _ = try books.engine.createRefund(
                    RefundRequest(
                        order: order.id,
                        amount: Money(minorUnits: amount, currency: .eur).amountString,
                        key: "r\(step)"),
                    books.context())
                refunded += amount
            } catch let error as OrderError {
                guard case .refundExceedsPaid = error else { throw error }
                #expect(refunded + amount > total)
            }
        }
        for (wallet, share) in zip(wallets, shares) {
            let back =
                (try Money.parseMinorUnits(try books.balance(wallet), currency: .eur))
                - (50_000 - share)
            #expect(back >= 0 && back <= share, "\(wallet) got back \(back) of \(share)")
        }
        #expect(try books.order(order.id).flows.allSatisfy { !$0.refundable.hasPrefix("-") })
        #expect(try books.verify() == [])
    }

    @Test func twoConnectionsRefundingOneOrderAtOnceNeverExceedWhatWasPaid() throws {
        let books = try OrderBooks(wallets: [
            "wallet:a:EUR": "50.00 EUR", "wallet:b:EUR": "50.00 EUR",
        ])
        let order = try books.create("100.00 EUR")
        try books.pay(order.id, "wallet:a:EUR=50", "wallet:b:EUR")
        let other = try Engine.open(
            path: books.books.path, operatorName: "ops", clock: books.books.clock)
        let engines = [books.engine, other]
        let admin = books.admin
        let succeeded = LockedBox(0)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for attempt in 0..<10 {
                if (try? engines[worker].createRefund(
                    RefundRequest(
                        order: order.id, amount: "7.00 EUR", key: "w\(worker)-\(attempt)"),
                    CommandContext(actor: admin, commandText: "race"))) != nil
                {
                    succeeded.mutate { $0 += 1 }
                }
            }
        }
        #expect(succeeded.value == 14, "⌊100.00 / 7.00⌋ refunds fit")
        let back = try ["wallet:a:EUR", "wallet:b:EUR"].map {
            try Money.parseMinorUnits(try books.balance($0), currency: .eur)
        }
        #expect(back.reduce(0, +) == 9_800)
        #expect(back.allSatisfy { $0 <= 5_000 })
        #expect(try books.verify() == [])
    }
}
