import Foundation
import FundflowCore
import FundflowEngine
import Testing

/// Purchases in another currency: priced at the mid rate of the moment (the least amount in the
/// family's currency that covers the bill), counted as that spend, refunded at the purchase's price.
@Suite struct FamilyPurchaseAbroadTests {
    /// The ECB's CNY quote of 2026-10-30 read straight from the embedded CSV, as (mantissa, scale).
    func cnyQuote() throws -> (Int128, Int) {
        let csv = try String(contentsOfFile: "rates/eurofxref-hist.csv", encoding: .utf8)
        let lines = csv.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        let column = try #require(
            header.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "CNY" })
        #expect(row[0] == "2026-10-30")
        let text = row[column].trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: ".")
        return (try #require(Int128(parts.joined())), parts.count == 2 ? parts[1].count : 0)
    }

    @Test func aBillInEuroCostsTheLeastYuanThatCoversItAndComesBackWhole() throws {
        let lee = try FamilyBooks(accepted: ["mia": "adult"])
        try lee.deposit("1000")
        try lee.deposit("100", to: "mia")
        // Independently: half-even rounding of spend / q to euro cents reaches 2500 from
        // spend ≥ 2499.5 × q, so the least spend is ceil(2499.5 × q) fen.
        let (mantissa, scale) = try cnyQuote()
        var power: Int128 = 10
        for _ in 0..<scale { power *= 10 }
        let expected = Int64((24_995 * mantissa + power - 1) / power)
        let quote = try #require(
            try lee.engine.familyPurchaseQuote(
                family: "lee", amount: "25.00 EUR", as: lee.actor("mia")))
        #expect(try Money.parse(quote.spend).minorUnits == expected)
        let paid = try lee.pay(
            "25.00 EUR", by: "mia", merchant: "museum", category: "culture",
            expectedSpend: quote.spend)
        #expect(paid.amount == quote.spend && paid.quote?.bill == "25.00 EUR")
        #expect(try lee.booked("settlement:pending:museum:EUR") == "25.00")
        #expect(try lee.booked("settlement:pending:museum:CNY") == "0.00")
        let spentBefore = try lee.engine.family("lee", as: lee.actor("mia")).members.first {
            $0.user == "mia"
        }
        #expect(spentBefore?.spentToday == quote.spend, "caps count the yuan paid")
        #expect(throws: EngineError.self, "a refund in yuan of a purchase in euro") {
            _ = try lee.engine.createRefund(
                RefundRequest(order: paid.order, amount: "1.00 CNY", key: "cny"),
                lee.books.context())
        }
        for (index, part) in ["12.50 EUR", "12.49 EUR", "0.01 EUR"].enumerated() {
            _ = try lee.engine.createRefund(
                RefundRequest(order: paid.order, amount: part, key: "r\(index)"),
                lee.books.context())
        }
        #expect(try lee.wallet("mia") == "100.00" && lee.pool() == "1000.00", "every fen back")
        #expect(
            try lee.booked("fx:position:CNY") == "0.00" && lee.booked("fx:position:EUR") == "0.00")
        #expect(try lee.problems() == [])
    }

    @Test func aPriceThatChangedSinceItWasShownIsNotCharged() throws {
        let lee = try FamilyBooks(accepted: ["mia": "adult"])
        try lee.deposit("1000")
        #expect(throws: EngineError.self) {
            try lee.pay("25.00 EUR", by: "mia", merchant: "museum", expectedSpend: "1.00 CNY")
        }
        #expect(try lee.pool() == "1000.00")
    }
}
