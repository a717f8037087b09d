import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct HoldTests {
    func place(
        _ books: TestBooks, _ amount: String, expires: Int64? = nil, key: String? = nil
    ) throws -> HoldView {
        try books.engine.placeHold(
            HoldRequest(
                debit: "wallet:acme:EUR", credit: "transit:gateway:EUR", amount: amount,
                expiresInSeconds: expires, key: key,
                memo: nil, reason: "test"), books.context()
        ).value
    }

    @Test func aHoldLowersAvailableButNotBooked() throws {
        let books = try TestBooks.funded("100.00 EUR")
        _ = try place(books, "23.45 EUR")
        let wallet = try books.balance("wallet:acme:EUR")
        #expect(wallet.booked == "100.00")
        #expect(wallet.held == "23.45")
        #expect(wallet.available == "76.55")
        #expect(try books.engine.verifyLedger(as: books.admin).problems == [])
    }

    @Test func holdsCannotReserveMoreThanIsAvailable() throws {
        let books = try TestBooks.funded("100.00 EUR")
        _ = try place(books, "60.00 EUR")
        #expect(
            throws: LedgerError.insufficientFunds(
                account: "wallet:acme:EUR", available: "40.00 EUR", needed: "60.00 EUR")
        ) {
            _ = try place(books, "60.00 EUR")
        }
        #expect(throws: LedgerError.self) {
            try books.post("wallet:acme:EUR", "transit:gateway:EUR", "40.01 EUR")
        }
    }

    @Test func postingPartOfAHoldBooksThatPartAndReleasesTheRest() throws {
        let books = try TestBooks.funded("100.00 EUR")
        let hold = try place(books, "50.00 EUR")
        let posted = try books.engine.postHold(
            id: hold.id, amount: "20.00", key: nil, reason: "test", books.context())
        #expect(posted.value.kind == "hold")
        let wallet = try books.balance("wallet:acme:EUR")
        #expect(wallet.booked == "80.00")
        #expect(wallet.available == "80.00")
        #expect(try books.balance("transit:gateway:EUR").booked == "20.00")
        #expect(throws: LedgerError.holdNotPending(hold.id, status: "posted")) {
            try books.engine.voidHold(id: hold.id, books.context())
        }
    }

    @Test func postingMoreThanTheHoldIsRefused() throws {
        let books = try TestBooks.funded("100.00 EUR")
        let hold = try place(books, "50.00 EUR")
        #expect(
            throws: LedgerError.holdPostExceedsAmount(
                hold.id, requested: "50.01 EUR", held: "50.00 EUR")
        ) {
            try books.engine.postHold(
                id: hold.id, amount: "50.01 EUR", key: nil, reason: "test", books.context())
        }
    }

    @Test func voidingReleasesEverything() throws {
        let books = try TestBooks.funded("100.00 EUR")
        let hold = try place(books, "50.00 EUR")
        let voided = try books.engine.voidHold(id: hold.id, books.context())
        #expect(voided.status == "voided")
        #expect(try books.balance("wallet:acme:EUR").available == "100.00")
    }

    @Test func aHoldExpiresAtItsTimeAndNotBefore() throws {
        let books = try TestBooks.funded("100.00 EUR")
        let hold = try place(books, "50.00 EUR", expires: 3600)
        books.clock.advance(milliseconds: 3_599_999)
        try books.open("equity:opening:EUR")  // any command runs the expiry check
        #expect(try books.balance("wallet:acme:EUR").available == "50.00")
        books.clock.advance(milliseconds: 1)
        try books.open("equity:opening:EUR")
        #expect(try books.balance("wallet:acme:EUR").available == "100.00")
        let expired = try #require(books.engine.holds(status: .expired, as: books.admin).first)
        #expect(expired.id == hold.id)
        #expect(throws: LedgerError.holdNotPending(hold.id, status: "expired")) {
            try books.engine.postHold(
                id: hold.id, amount: nil, key: nil, reason: "test", books.context())
        }
    }
}
