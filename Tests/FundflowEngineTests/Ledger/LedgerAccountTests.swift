import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct LedgerAccountTests {
    @Test func openingTheIdenticalAccountAgainSucceedsWithoutASecondRow() throws {
        let books = try TestBooks()
        let first = try books.engine.openAccount(
            name: "wallet:acme:EUR", currency: "EUR", type: nil, books.context())
        let again = try books.engine.openAccount(
            name: "wallet:acme:EUR", currency: "EUR", type: .liability, books.context())
        #expect(first.created)
        #expect(!again.created)
        #expect(try books.engine.accounts(prefix: nil, as: books.admin).count == 1)
    }

    @Test func reopeningWithAnotherCurrencyOrTypeIsRefused() throws {
        let books = try TestBooks()
        try books.open("equity:opening:EUR")
        #expect(
            throws: LedgerError.currencySegmentMismatch(
                account: "equity:opening:EUR", segment: "EUR", currency: "USD")
        ) {
            try books.engine.openAccount(
                name: "equity:opening:EUR", currency: "USD", type: nil, books.context())
        }
        #expect(
            throws: LedgerError.typeMismatch(
                account: "equity:opening:EUR", derived: "equity", requested: "asset")
        ) {
            try books.engine.openAccount(
                name: "equity:opening:EUR", currency: "EUR", type: .asset, books.context())
        }
        // A free-form equity name without a currency segment can be reopened only in its currency.
        _ = try books.engine.openAccount(
            name: "equity:adjustments", currency: "EUR", type: nil, books.context())
        #expect(
            throws: LedgerError.accountConflict(
                account: "equity:adjustments", existing: "EUR equity", requested: "USD equity")
        ) {
            try books.engine.openAccount(
                name: "equity:adjustments", currency: "USD", type: nil, books.context())
        }
    }

    @Test func balancesShowTheNormalSideWithTheCurrencysDecimals() throws {
        let books = try TestBooks()
        try books.open(
            "nostro:BOTKJPJTXXX:JPY", "wallet:acme:JPY", "nostro:NBOKKWKWXXX:KWD", "wallet:acme:KWD"
        )
        try books.post("nostro:BOTKJPJTXXX:JPY", "wallet:acme:JPY", "150000 JPY")
        try books.post("nostro:NBOKKWKWXXX:KWD", "wallet:acme:KWD", "12.345 KWD")
        #expect(try books.balance("wallet:acme:JPY").booked == "150000")
        #expect(try books.balance("nostro:BOTKJPJTXXX:JPY").booked == "150000")
        #expect(try books.balance("wallet:acme:KWD").available == "12.345")
    }
}
