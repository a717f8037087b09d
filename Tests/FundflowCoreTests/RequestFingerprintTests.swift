import Testing

@testable import FundflowCore

/// Idempotency (DESIGN.md §4): the same key with a different request is refused with the first field
/// that differs.
@Suite("Request fingerprints")
struct RequestFingerprintTests {
    typealias Field = RequestFingerprint.Field

    static let payout = RequestFingerprint(
        command: "payout submit",
        fields: [
            Field("wallet", "wallet:acme:EUR"), Field("amount", "1234.56 EUR"),
            Field("beneficiary", "DE89370400440532013000"), Field("reference", "INV-7"),
        ])

    @Test("The same request has no difference")
    func sameRequestHasNoDifference() {
        let copy = RequestFingerprint(command: Self.payout.command, fields: Self.payout.fields)
        #expect(Self.payout.firstDifference(from: copy) == nil)
        #expect(Self.payout.firstDifference(from: Self.payout) == nil)
    }

    @Test("The first differing field in order is named, not a later one")
    func firstDifferingFieldIsNamed() {
        let other = RequestFingerprint(
            command: "payout submit",
            fields: [
                Field("wallet", "wallet:acme:EUR"), Field("amount", "1234.57 EUR"),
                Field("beneficiary", "DE89370400440532013000"), Field("reference", "INV-8"),
            ])
        #expect(Self.payout.firstDifference(from: other) == "amount")
        #expect(other.firstDifference(from: Self.payout) == "amount")
    }

    @Test("A different command is reported as command, before any field")
    func differentCommandIsReportedFirst() {
        let other = RequestFingerprint(
            command: "payout quote", fields: [Field("wallet", "wallet:acme:USD")])
        #expect(Self.payout.firstDifference(from: other) == "command")
        #expect(other.firstDifference(from: Self.payout) == "command")
    }

    @Test("A field present in only one request is a difference, whichever side has it")
    func fieldInOnlyOneRequestDiffers() {
        let withMemo = RequestFingerprint(
            command: "payout submit", fields: Self.payout.fields + [Field("memo", "rent")])
        #expect(Self.payout.firstDifference(from: withMemo) == "memo")
        #expect(withMemo.firstDifference(from: Self.payout) == "memo")
        let empty = RequestFingerprint(command: "payout submit", fields: [])
        #expect(empty.firstDifference(from: Self.payout) == "wallet")
        #expect(Self.payout.firstDifference(from: empty) == "wallet")
    }

    @Test("An empty value differs from a missing field")
    func emptyValueDiffersFromMissing() {
        let blank = RequestFingerprint(command: "c", fields: [Field("memo", "")])
        let none = RequestFingerprint(command: "c", fields: [])
        #expect(blank.firstDifference(from: none) == "memo")
        #expect(none.firstDifference(from: blank) == "memo")
    }

    @Test("Fields are compared by name, so listing them in another order is the same request")
    func fieldOrderDoesNotMatter() {
        let reordered = RequestFingerprint(
            command: "payout submit", fields: Self.payout.fields.reversed())
        #expect(Self.payout.firstDifference(from: reordered) == nil)
    }
}
