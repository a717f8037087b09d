import Testing

@testable import FundflowCore

/// The currency table (DESIGN.md §2): ISO 4217 codes with a minor unit, plus the historic codes the
/// ECB history quotes.
@Suite("Currency table")
struct CurrencyTableTests {
    static let historicCodes: Set<String> = [
        "BGN", "CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL",
    ]

    @Test("Every code appears once, is three capital letters, and has 0 to 4 decimals")
    func everyRowIsWellFormed() {
        let codes = Currency.table.map(\.code)
        #expect(Set(codes).count == codes.count, "duplicate codes in the table")
        #expect(codes == codes.sorted(), "the table is not sorted by code")
        for currency in Currency.table {
            let isThreeCapitals =
                currency.code.unicodeScalars.count == 3
                && currency.code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
            #expect(isThreeCapitals, "\(currency.code)")
            #expect((0...4).contains(currency.exponent), "\(currency.code) \(currency.exponent)")
            #expect(Currency.lookup(currency.code) == currency)
        }
        #expect(Currency.table.count > 150, "the table should hold the whole ISO 4217 list")
    }

    @Test(
        "Currencies have their ISO 4217 minor units",
        arguments: [
            ("JPY", 0), ("KRW", 0), ("VND", 0), ("ISK", 0), ("CLP", 0), ("EUR", 2), ("USD", 2),
            ("GBP", 2), ("BHD", 3), ("KWD", 3), ("JOD", 3), ("OMR", 3), ("TND", 3), ("IQD", 3),
            ("LYD", 3), ("CLF", 4), ("UYW", 4),
        ])
    func currencyHasItsMinorUnit(code: String, exponent: Int) throws {
        #expect(try Currency.named(code).exponent == exponent)
    }

    @Test(
        "Historic ECB codes are in the table, flagged historic",
        arguments: ["BGN", "CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL"])
    func historicCodeIsFlagged(code: String) throws {
        let currency = try Currency.named(code)
        #expect(currency.isHistoric)
        #expect(currency.exponent == (code == "TRL" ? 0 : 2))
    }

    @Test("Only the historic ECB codes are flagged historic")
    func onlyHistoricCodesAreFlagged() throws {
        let flagged = Set(Currency.table.filter(\.isHistoric).map(\.code))
        #expect(flagged == Self.historicCodes)
        #expect(Currency.eur.isHistoric == false)
        #expect(try Currency.named("TRY").isHistoric == false)
    }

    @Test(
        "Codes without a minor unit are not money",
        arguments: ["XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "XXX", "XSU", "XUA", "XBA"])
    func codeWithoutMinorUnitIsNotMoney(code: String) {
        #expect(Currency.lookup(code) == nil)
        #expect(throws: MoneyError.notMoney(code)) { try Currency.named(code) }
    }

    static let badCodes: [(String, MoneyError)] = [
        ("eur", .malformedCurrency("eur")), ("EURO", .malformedCurrency("EURO")),
        ("EU", .malformedCurrency("EU")), ("", .malformedCurrency("")),
        ("E1R", .malformedCurrency("E1R")), ("ZZZ", .unknownCurrency("ZZZ")),
        ("ABC", .unknownCurrency("ABC")),
    ]

    @Test(
        "A code that is not three capitals is malformed; an unknown one is unknown",
        arguments: CurrencyTableTests.badCodes)
    func badCodeIsRefused(code: String, error: MoneyError) {
        #expect(Currency.lookup(code) == nil)
        #expect(throws: error) { try Currency.named(code) }
    }

    @Test(
        "Every currency the ECB history quotes is in the table, and every historic code is quoted")
    func ecbColumnsAreInTheTable() throws {
        // The ECB history sits in shared/ beside the repository; CI always has it.
        guard TestPaths.hasSharedFolder else { return }
        let text = try TestPaths.ecbHistoryText()
        let headerLine = try #require(text.split(separator: "\n").first)
        let columns = headerLine.split(separator: ",", omittingEmptySubsequences: true)
            .map { String($0.filter(\.isLetter)) }
            .filter { !$0.isEmpty && $0 != "Date" }
        #expect(columns.count >= 40, "the ECB header has only \(columns.count) currencies")
        for code in columns {
            #expect(Currency.lookup(code) != nil, "ECB quotes \(code), which the table lacks")
        }
        #expect(Self.historicCodes.isSubset(of: Set(columns)))
    }
}
