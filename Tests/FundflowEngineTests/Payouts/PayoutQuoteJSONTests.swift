import Foundation
import FundflowCore
import FundflowEngine
import Testing

/// The hand-written stored form of a quote reads back as the same quote and holds the same
/// document Foundation's JSONEncoder writes.
@Suite struct PayoutQuoteJSONTests {
    func sameDocument(_ quote: PayoutQuote) throws {
        let ours = try quote.json()
        #expect(try JSONDecoder().decode(PayoutQuote.self, from: Data(ours.utf8)) == quote)
        let theirs = try JSONEncoder().encode(quote)
        let a = try JSONSerialization.jsonObject(with: Data(ours.utf8)) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: theirs) as? NSDictionary
        #expect(a != nil && a == b, "\(ours)")
    }

    @Test func aQuoteWithFeesConversionsAndAFundingProposalReadsBackTheSame() throws {
        let company = try PayoutQuoteTests.company()
        // INR from a wallet holding too little EUR: fees, a conversion and a funding proposal.
        _ = try company.engine.withdrawWallet(
            company: "acme", amount: "99000.00 EUR", key: "w", company.context(company.mei))
        _ = try company.engine.fundWallet(
            company: "acme", amount: "50000.00 USD", key: "usd", company.context(company.mei))
        let view = try company.engine.createPayout(
            PayoutRequest(company: "acme", beneficiary: "tata", send: "25000.00 EUR"),
            company.context(company.mei)
        ).value
        #expect(!view.quote.fees.isEmpty && !view.quote.fx.isEmpty && view.quote.funding != nil)
        try sameDocument(view.quote)
    }

    @Test func stringsAreEscapedAsJSONWants() throws {
        let text = """
            {"path":["A\\"B","C\\\\D"],"linkCurrencies":["EUR"],"estimated":false,"bearer":"SHA",
             "fixed":"send","route":"best","asked":"1.00 EUR","instructed":"1.00",
             "sendCurrency":"EUR","debited":"1.00","delivered":"1.00","targetCurrency":"EUR",
             "cost":"0.00","costPercent":"0.00","fees":[],"fx":[],"releaseAt":"x\\ny\\tz",
             "eta":"\\u0001é€😀","rateDay":"2026-12-01","flags":["/ slash"]}
            """
        let quote = try JSONDecoder().decode(PayoutQuote.self, from: Data(text.utf8))
        try sameDocument(quote)
    }
}
