import FundflowCore
import FundflowEngine
import FundflowFormats
import FundflowStore
import Testing

@Suite struct RatesEngineTests {
    @Test func aConversionUsesTheLatestRatesOnOrBeforeItsDateExactly() throws {
        let books = try TestBooks()
        // Saturday 2026-10-31 uses Friday's rates: USD 1.1172, JPY 175.68 per EUR.
        let conversion = try books.engine.convert(
            amount: "1000.00 USD", to: "JPY", date: "2026-10-31", marginBps: 0, as: books.admin)
        #expect(conversion.rateDate == "2026-10-30")
        // 1000 × 175.68 / 1.1172 = 157250.2685…  → 157250 JPY
        #expect(conversion.amount == "157250")
        #expect(conversion.midRate == "157.2502685")
        #expect(conversion.warning == nil)
    }

    @Test func aStaleRateIsUsedWithAWarningNamingItsDate() throws {
        let books = try TestBooks()
        let conversion = try books.engine.convert(
            amount: "10.00 EUR", to: "USD", date: "2026-11-25", marginBps: 0, as: books.admin)
        #expect(conversion.amount == "11.17")
        #expect(conversion.warning?.contains("2026-10-30") == true)
    }

    @Test func theMarginIsTakenFromTheCustomerAndTheLegsBalance() throws {
        let books = try TestBooks()
        let conversion = try books.engine.convert(
            amount: "250.00 EUR", to: "GBP", date: "2026-10-30", marginBps: 35, as: books.admin)
        // position = 250 × 0.8338 = 208.45; customer = round_half_even(208.45 × 0.9965) = 207.72
        #expect(conversion.position == "208.45")
        #expect(conversion.amount == "207.72")
        #expect(conversion.margin == "0.73")
    }

    @Test func historicCurrenciesConvertOnlyOnDatesTheyWereQuoted() throws {
        let books = try TestBooks()
        let old = try books.engine.convert(
            amount: "100.00 HRK", to: "EUR", date: "2022-12-30", marginBps: 0, as: books.admin)
        #expect(old.amount == "13.27")
        #expect(throws: RatesError.historic("HRK", lastQuoted: "2022-12-30")) {
            try books.engine.convert(
                amount: "100.00 HRK", to: "EUR", date: "2024-01-02", marginBps: 0, as: books.admin)
        }
    }

    @Test func aUserRateWithAnotherBaseBecomesAnEURQuoteThroughTheECB() throws {
        let books = try TestBooks()
        let load = try books.engine.loadRates(
            text: "date,base,quote,rate\n2026-10-30,USD,KWD,0.3068\n", file: "gulf.csv",
            books.context())
        #expect(load.rates == 1)
        let (quote, _) = try books.engine.rate(of: "KWD", on: "2026-10-30", as: books.admin)
        // 1.1172 USD per EUR × 0.3068 KWD per USD = 0.34275696 KWD per EUR, exactly.
        #expect(quote.rate.description == "0.34275696")
        #expect(quote.source == "user:gulf.csv")
        let conversion = try books.engine.convert(
            amount: "100.00 USD", to: "KWD", date: "2026-10-30", marginBps: 0, as: books.admin)
        #expect(conversion.amount == "30.680")
    }

    @Test func aMalformedFileLeavesTheRatesUnchanged() throws {
        let books = try TestBooks()
        let before = try books.engine.rate(of: "USD", on: "2026-10-30", as: books.admin).0
        #expect(throws: FileError.self) {
            try books.engine.loadRates(
                text: "Date,USD,JPY,\n2026-10-30,9.9999,1,\n2026-10-29,oops,1,\n", file: "bad.csv",
                books.context())
        }
        #expect(try books.engine.rate(of: "USD", on: "2026-10-30", as: books.admin).0 == before)
    }

    @Test func aQuoteHoldsItsRateUntilItExpires() throws {
        let books = try TestBooks()
        let quote = try books.engine.quoteFX(
            amount: "100.00 EUR", to: "USD", marginBps: 20, validSeconds: 60, books.context())
        #expect(quote.conversion.amount == "111.50")
        #expect(quote.expiresAt == TestBooks.start.adding(milliseconds: 60_000).iso8601)
    }
}
