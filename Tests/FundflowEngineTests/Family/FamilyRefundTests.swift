import FundflowCore
import FundflowEngine
import Testing

/// Refunds of co-payments go back to each source, allocated cumulatively (DESIGN.md §2).
@Suite struct FamilyRefundTests {
    @Test func repeatedRefundsOfACoPaymentReturnExactPartsToEachSource() throws {
        let lee = try FamilyBooks(accepted: ["hao": "minor"])
        try lee.deposit("1000")
        try lee.deposit("50", to: "hao")
        let paid = try lee.pay("120")
        #expect(paid.own == "50.00 CNY" && paid.pool == "70.00 CNY")
        // 60 over 50:70 gives 25 + 35; the running 60.01 gives 25.004… and 35.005…, the pool's
        // remainder is larger; the running 120 puts everything back where it came from.
        var expected: [(refund: String, own: String, pool: String)] = [
            ("60.00", "25.00", "965.00"),
            ("0.01", "25.00", "965.01"),
            ("59.99", "50.00", "1000.00"),
        ]
        for (index, step) in expected.enumerated() {
            let ownBefore = try Money.parse(lee.wallet("hao") + " CNY").minorUnits
            let poolBefore = try Money.parse(lee.pool() + " CNY").minorUnits
            _ = try lee.engine.createRefund(
                RefundRequest(order: paid.order, amount: step.refund, key: "r\(index)"),
                lee.books.context())
            let own = try lee.wallet("hao")
            let pool = try lee.pool()
            #expect(own == step.own && pool == step.pool, "refund \(index + 1)")
            let parts =
                try Money.parse(own + " CNY").minorUnits - ownBefore
                + Money.parse(pool + " CNY").minorUnits - poolBefore
            #expect(parts == (try Money.parse(step.refund + " CNY").minorUnits), "parts sum to it")
        }
        expected.removeAll()
        #expect(throws: (any Error).self) {
            _ = try lee.engine.createRefund(
                RefundRequest(order: paid.order, amount: "0.01", key: "r9"), lee.books.context())
        }
        #expect(try lee.problems() == [])
    }

    @Test func whetherARefundRestoresTheSpentLimitIsAFamilySetting() throws {
        let lee = try FamilyBooks(accepted: ["wei": "guardian", "hao": "minor"])
        try lee.deposit("1000")
        try lee.policy("hao", PolicyChange(monthly: "200"))
        let paid = try lee.pay("150")
        _ = try lee.engine.createRefund(
            RefundRequest(order: paid.order, amount: "100", key: "r1"), lee.books.context())
        #expect(try lee.pay("100", merchant: "clinic").status == "request", "default: no")
        _ = try lee.engine.setFamilySettings(id: "lee", refundsRestoreLimits: true, lee.ctx("lan"))
        #expect(try lee.pay("100", merchant: "dentist").status == "paid")
        #expect(throws: FamilyError.self, "only the owner changes it") {
            _ = try lee.engine.setFamilySettings(
                id: "lee", refundsRestoreLimits: false, lee.ctx("wei"))
        }
    }
}
