import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct LedgerPostTests {
    @Test func aPostMovesBothBalancesAndTheLedgerStillVerifies() throws {
        let books = try TestBooks.funded("100.00 EUR")
        try books.post("wallet:acme:EUR", "transit:gateway:EUR", "30.25 EUR")
        #expect(try books.balance("wallet:acme:EUR").booked == "69.75")
        #expect(try books.balance("transit:gateway:EUR").booked == "30.25")
        #expect(try books.balance("nostro:DEUTDEFFXXX:EUR").booked == "100.00")
        #expect(try books.engine.verifyLedger(as: books.admin).problems == [])
    }

    @Test func debitingMoreThanIsAvailableIsRefusedAndChangesNothing() throws {
        let books = try TestBooks.funded("100.00 EUR")
        #expect(
            throws: LedgerError.insufficientFunds(
                account: "wallet:acme:EUR", available: "100.00 EUR", needed: "100.01 EUR")
        ) {
            try books.post("wallet:acme:EUR", "transit:gateway:EUR", "100.01 EUR", key: "too-much")
        }
        #expect(try books.balance("wallet:acme:EUR").booked == "100.00")
        #expect(try books.balance("transit:gateway:EUR").booked == "0.00")
    }

    @Test func accountsThatMayGoNegativeDo() throws {
        let books = try TestBooks()
        try books.open("suspense:EUR", "equity:opening:EUR")
        try books.post("suspense:EUR", "equity:opening:EUR", "5.00 EUR")
        #expect(try books.balance("suspense:EUR").booked == "-5.00")
    }

    @Test func movingCustomerMoneyByHandNeedsAReasonAndIsMarkedInTheAuditLog() throws {
        let books = try TestBooks.funded()
        #expect(throws: LedgerError.customerMoneyNeedsReason("wallet:acme:EUR")) {
            try books.post("wallet:acme:EUR", "transit:gateway:EUR", "1.00 EUR", reason: nil)
        }
        try books.post(
            "wallet:acme:EUR", "transit:gateway:EUR", "1.00 EUR", reason: "correction of ticket 12")
        let last = try #require(books.engine.auditLog(limit: 1, as: books.admin).last)
        #expect(last.marked)
        #expect(last.reason == "correction of ticket 12")
        #expect(last.outcome == "ok")
    }

    @Test(arguments: [
        ("nostro:DEUTDEFFXXX:EUR", "nowhere:EUR", "1.00 EUR"),
        ("nostro:DEUTDEFFXXX:EUR", "wallet:acme:EUR", "1.00 USD"),
        ("nostro:DEUTDEFFXXX:EUR", "wallet:acme:EUR", "1.001 EUR"),
        ("nostro:DEUTDEFFXXX:EUR", "wallet:acme:EUR", "0 EUR"),
        ("wallet:acme:EUR", "wallet:acme:EUR", "1.00 EUR"),
        ("wallet:ghost:EUR", "transit:gateway:EUR", "1.00 EUR"),
    ])
    func invalidPostsAreRefusedBeforeAnythingIsWritten(
        debit: String, credit: String, amount: String
    ) throws {
        let books = try TestBooks.funded()
        let before = try books.engine.accounts(prefix: nil, as: books.admin)
        #expect(throws: (any Error).self) { try books.post(debit, credit, amount) }
        #expect(try books.engine.accounts(prefix: nil, as: books.admin) == before)
    }

    @Test func aReversalIsANewTransferAndATransferIsReversedOnce() throws {
        let books = try TestBooks.funded("100.00 EUR")
        let paid = try books.post("wallet:acme:EUR", "transit:gateway:EUR", "40.00 EUR")
        let reversal = try books.engine.reverse(
            transferID: paid.value.transferID, key: nil, reason: "sent twice", books.context())
        #expect(reversal.value.kind == "reversal")
        #expect(try books.balance("wallet:acme:EUR").booked == "100.00")
        #expect(
            throws: LedgerError.alreadyReversed(
                paid.value.transferID, by: reversal.value.transferID)
        ) {
            try books.engine.reverse(
                transferID: paid.value.transferID, key: nil, reason: "again", books.context())
        }
        #expect(throws: LedgerError.reversalOfReversal(reversal.value.transferID)) {
            try books.engine.reverse(
                transferID: reversal.value.transferID, key: nil, reason: "undo", books.context())
        }
        let history = try books.engine.history(
            account: "wallet:acme:EUR", limit: 10, as: books.admin)
        #expect(history.entries.map(\.balance) == ["100.00", "60.00", "100.00"])
    }
}
