import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct IdempotencyTests {
    @Test func theSameKeyAndRequestReturnTheFirstResultAndPostNothingNew() throws {
        let books = try TestBooks.funded("100.00 EUR")
        let first = try books.post(
            "wallet:acme:EUR", "transit:gateway:EUR", "10.00 EUR", key: "pay-1")
        let again = try books.post(
            "wallet:acme:EUR", "transit:gateway:EUR", "10.00 EUR", key: "pay-1")
        #expect(!first.replayed)
        #expect(again.replayed)
        #expect(again.value == first.value)
        #expect(try books.balance("wallet:acme:EUR").booked == "90.00")
    }

    @Test(arguments: [
        ("wallet:acme:EUR", "transit:gateway:EUR", "11.00 EUR", "amount"),
        ("nostro:DEUTDEFFXXX:EUR", "transit:gateway:EUR", "10.00 EUR", "debit"),
        ("wallet:acme:EUR", "equity:opening:EUR", "10.00 EUR", "credit"),
    ])
    func theSameKeyForADifferentRequestNamesTheFirstDifferingField(
        debit: String, credit: String, amount: String, field: String
    )
        throws
    {
        let books = try TestBooks.funded("100.00 EUR")
        try books.post("wallet:acme:EUR", "transit:gateway:EUR", "10.00 EUR", key: "pay-1")
        #expect(throws: EngineError.idempotencyConflict(key: "pay-1", field: field)) {
            try books.post(debit, credit, amount, key: "pay-1")
        }
        #expect(try books.balance("wallet:acme:EUR").booked == "90.00")
    }

    @Test func aRequestRefusedByValidationRecordsNothingSoTheFixedRequestMayReuseTheKey() throws {
        let books = try TestBooks.funded("100.00 EUR")
        #expect(throws: LedgerError.unknownAccount("transit:gateway:USD")) {
            try books.post("wallet:acme:EUR", "transit:gateway:USD", "10.00 EUR", key: "pay-2")
        }
        let fixed = try books.post(
            "wallet:acme:EUR", "transit:gateway:EUR", "10.00 EUR", key: "pay-2")
        #expect(!fixed.replayed)
    }

    @Test func aBusinessRefusalIsRecordedAndRepeatedEvenAfterFundsArrive() throws {
        let books = try TestBooks.funded("5.00 EUR")
        #expect(throws: LedgerError.self) {
            try books.post("wallet:acme:EUR", "transit:gateway:EUR", "10.00 EUR", key: "pay-3")
        }
        try books.post("nostro:DEUTDEFFXXX:EUR", "wallet:acme:EUR", "50.00 EUR", key: "top-up")
        let expected = EngineError.refused(
            key: "pay-3",
            message: LedgerError.insufficientFunds(
                account: "wallet:acme:EUR", available: "5.00 EUR", needed: "10.00 EUR"
            ).description)
        #expect(throws: expected) {
            try books.post("wallet:acme:EUR", "transit:gateway:EUR", "10.00 EUR", key: "pay-3")
        }
        #expect(try books.balance("wallet:acme:EUR").booked == "55.00")
    }
}
