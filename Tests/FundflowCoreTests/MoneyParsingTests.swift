import Testing

@testable import FundflowCore

/// Strict parsing and exact formatting of amounts (DESIGN.md §2): accepted forms, round trips for
/// every exponent, and the exact error for every kind of bad input.
@Suite("Money parsing and formatting")
struct MoneyParsingTests {
    static let euroDigits = "digits with an optional '.' and up to 2 decimals, e.g. 1234.55"
    static let amountAndCode = "an amount and a currency code, e.g. \"1234.56 EUR\""

    @Test(
        "Each currency has its ISO 4217 number of decimals",
        arguments: [("JPY", 0), ("USD", 2), ("EUR", 2), ("KWD", 3), ("CLF", 4)])
    func currencyHasItsExponent(code: String, exponent: Int) throws {
        let currency = try Currency.named(code)
        #expect(currency.exponent == exponent)
        #expect(currency.minorPerMajor == [1, 10, 100, 1_000, 10_000][exponent])
    }

    /// (currency, minor units, `amountString`, `groupedAmountString`)
    static let formattedAmounts: [(String, Int64, String, String)] = [
        ("JPY", 0, "0", "0"),
        ("JPY", 1, "1", "1"),
        ("JPY", -1, "-1", "-1"),
        ("JPY", 999, "999", "999"),
        ("JPY", 1_200, "1200", "1,200"),
        ("JPY", -1_234_567, "-1234567", "-1,234,567"),
        ("JPY", .max, "9223372036854775807", "9,223,372,036,854,775,807"),
        ("JPY", .min, "-9223372036854775808", "-9,223,372,036,854,775,808"),
        ("USD", 0, "0.00", "0.00"),
        ("USD", 5, "0.05", "0.05"),
        ("USD", -5, "-0.05", "-0.05"),
        ("USD", 50, "0.50", "0.50"),
        ("USD", 99_999, "999.99", "999.99"),
        ("USD", 123_456, "1234.56", "1,234.56"),
        ("USD", -100_000, "-1000.00", "-1,000.00"),
        ("USD", 12_345_678_901, "123456789.01", "123,456,789.01"),
        ("USD", .max, "92233720368547758.07", "92,233,720,368,547,758.07"),
        ("USD", .min, "-92233720368547758.08", "-92,233,720,368,547,758.08"),
        ("KWD", 0, "0.000", "0.000"),
        ("KWD", 1, "0.001", "0.001"),
        ("KWD", -1_000, "-1.000", "-1.000"),
        ("KWD", 1_234_567, "1234.567", "1,234.567"),
        ("KWD", .max, "9223372036854775.807", "9,223,372,036,854,775.807"),
        ("CLF", 0, "0.0000", "0.0000"),
        ("CLF", 1, "0.0001", "0.0001"),
        ("CLF", -271, "-0.0271", "-0.0271"),
        ("CLF", 12_345_678, "1234.5678", "1,234.5678"),
        ("CLF", .min, "-922337203685477.5808", "-922,337,203,685,477.5808"),
    ]

    @Test(
        "Amounts format with exactly the currency's decimals and parse back",
        arguments: MoneyParsingTests.formattedAmounts)
    func formatsAndParsesBack(
        code: String, minorUnits: Int64, amount: String, grouped: String
    )
        throws
    {
        // Given an amount
        let currency = try Currency.named(code)
        let money = Money(minorUnits: minorUnits, currency: currency)
        // Then it formats as expected
        #expect(money.amountString == amount)
        #expect(money.groupedAmountString == grouped)
        #expect(money.description == "\(amount) \(code)")
        // And every printed form parses back to the same amount
        #expect(try Money.parse(money.description) == money)
        #expect(try Money.parse("\(code) \(amount)") == money)
        #expect(try Money.parse("\(grouped) \(code)") == money)
        #expect(try Money.parseMinorUnits(amount, currency: currency) == minorUnits)
    }

    /// Powers of ten and their neighbours, repeated digits, and both ends of `Int64`.
    static let roundTripValues: [Int64] = {
        var values: [Int64] = [0, 7, -7, 123_456_789, -987_654_321, 1_111_111_111_111_111_111]
        var power: Int64 = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1, -power, -(power + 1)]
            if power <= Int64.max / 10 { power *= 10 }
        }
        return values + [.max, .max - 1, .min, .min + 1]
    }()

    @Test(
        "Every formatted amount parses back to itself",
        arguments: ["JPY", "ISK", "USD", "EUR", "BHD", "KWD", "CLF", "UYW"])
    func everyFormattedAmountRoundTrips(code: String) throws {
        let currency = try Currency.named(code)
        for minorUnits in Self.roundTripValues {
            let money = Money(minorUnits: minorUnits, currency: currency)
            let plain = try Money.parse(money.description)
            let grouped = try Money.parse(money.groupedAmountString, defaultCurrency: currency)
            #expect(plain == money, "\(money.description)")
            #expect(grouped == money, "\(money.groupedAmountString) \(code)")
        }
    }

    /// (text, default currency, expected currency, expected minor units)
    static let acceptedForms: [(String, Currency?, String, Int64)] = [
        ("1234.56 EUR", nil, "EUR", 123_456),
        ("EUR 1234.56", nil, "EUR", 123_456),
        ("1,234.56 EUR", nil, "EUR", 123_456),
        ("EUR 1,234.56", nil, "EUR", 123_456),
        ("1,234,567.8 EUR", nil, "EUR", 123_456_780),
        ("1234.5 EUR", nil, "EUR", 123_450),
        ("1234 EUR", nil, "EUR", 123_400),
        ("-1,234.5 EUR", nil, "EUR", -123_450),
        ("0.01 EUR", nil, "EUR", 1),
        ("  7\tEUR  ", nil, "EUR", 700),
        ("1200 JPY", nil, "JPY", 1_200),
        ("1.234 KWD", nil, "KWD", 1_234),
        ("0.0271 CLF", nil, "CLF", 271),
        ("12.5", .eur, "EUR", 1_250),
        ("1,000", .usd, "USD", 100_000),
        ("5 USD", .eur, "USD", 500),
    ]

    @Test(
        "Accepted forms: amount before or after the code, grouping, a bare number with a default",
        arguments: MoneyParsingTests.acceptedForms)
    func acceptsTheDocumentedForms(
        text: String, defaultCurrency: Currency?, code: String, minorUnits: Int64
    )
        throws
    {
        let currency = try Currency.named(code)
        let money = try Money.parse(text, defaultCurrency: defaultCurrency)
        #expect(money == Money(minorUnits: minorUnits, currency: currency))
    }

    static let rejections: [(String, MoneyError)] = [
        ("", .empty),
        ("   ", .empty),
        ("1 234 EUR", .malformedAmount("1 234 EUR", expected: amountAndCode)),
        ("1 2 EUR", .malformedAmount("1 2 EUR", expected: amountAndCode)),
        ("5 EURO", .malformedAmount("5 EURO", expected: amountAndCode)),
        ("1.234,56 EUR", .malformedAmount("1.234,56", expected: euroDigits)),
        ("12,34.56 EUR", .malformedAmount("12,34.56", expected: euroDigits)),
        ("1,2345 EUR", .malformedAmount("1,2345", expected: euroDigits)),
        (",123 EUR", .malformedAmount(",123", expected: euroDigits)),
        ("1234,567 EUR", .malformedAmount("1234,567", expected: euroDigits)),
        ("1,234,56 EUR", .malformedAmount("1,234,56", expected: euroDigits)),
        ("1234.567 EUR", .tooManyDecimals("1234.567", currency: "EUR", allowed: 2)),
        ("1000.0 JPY", .tooManyDecimals("1000.0", currency: "JPY", allowed: 0)),
        ("1.2345 KWD", .tooManyDecimals("1.2345", currency: "KWD", allowed: 3)),
        ("0.00001 CLF", .tooManyDecimals("0.00001", currency: "CLF", allowed: 4)),
        (".5 EUR", .malformedAmount(".5", expected: euroDigits)),
        ("5. EUR", .malformedAmount("5.", expected: euroDigits)),
        ("+5 EUR", .malformedAmount("+5", expected: euroDigits)),
        ("--5 EUR", .malformedAmount("--5", expected: euroDigits)),
        ("12a EUR", .malformedAmount("12a", expected: euroDigits)),
        ("1O0 EUR", .malformedAmount("1O0", expected: euroDigits)),
        ("1e3 EUR", .malformedAmount("1e3", expected: euroDigits)),
        (
            "EUR USD",
            .malformedAmount(
                "EUR", expected: "digits with an optional '.' and up to 2 decimals, e.g. 1234.55")
        ),
        ("5 eur", .malformedCurrency("eur")),
        ("eur 5", .malformedCurrency("eur")),
        ("5 ABC", .unknownCurrency("ABC")),
        ("5 XAU", .notMoney("XAU")),
        ("XDR 5", .notMoney("XDR")),
        ("5", .missingCurrency("5")),
        ("EUR", .malformedAmount("EUR", expected: "\"1234.56 EUR\"")),
        ("99999999999999999999 EUR", .overflow("the amount 99999999999999999999 EUR")),
        ("92233720368547758.08 EUR", .overflow("the amount 92233720368547758.08 EUR")),
        ("-92233720368547758.09 EUR", .overflow("the amount -92233720368547758.09 EUR")),
    ]

    @Test(
        "Each malformed amount is refused with its exact error",
        arguments: MoneyParsingTests.rejections)
    func refusesWithTheExactError(text: String, error: MoneyError) {
        #expect(throws: error) { try Money.parse(text) }
    }

    @Test("A bare number that is not a number is refused even with a default currency")
    func refusesBareGarbageWithDefault() throws {
        let yen = try Currency.named("JPY")
        #expect(throws: MoneyError.malformedAmount("abc", expected: Self.euroDigits)) {
            try Money.parse("abc", defaultCurrency: .eur)
        }
        #expect(throws: MoneyError.tooManyDecimals("1.5", currency: "JPY", allowed: 0)) {
            try Money.parse("1.5", defaultCurrency: yen)
        }
    }

    @Test(
        "parsePositive refuses zero and negative amounts, naming the text",
        arguments: ["-5 EUR", "0 EUR", "0.00 EUR", "-0 EUR", "-0.01 EUR"])
    func parsePositiveRefusesZeroAndNegative(text: String) {
        #expect(throws: MoneyError.notPositive(text)) { try Money.parsePositive(text) }
    }

    @Test("parsePositive accepts a positive amount and reports other errors unchanged")
    func parsePositiveAcceptsPositive() throws {
        #expect(try Money.parsePositive("0.01 EUR") == Money(minorUnits: 1, currency: .eur))
        #expect(
            try Money.parsePositive("3", defaultCurrency: .usd)
                == Money(minorUnits: 300, currency: .usd))
        #expect(throws: MoneyError.notPositive("0")) {
            try Money.parsePositive("0", defaultCurrency: .usd)
        }
        #expect(throws: MoneyError.tooManyDecimals("1.001", currency: "EUR", allowed: 2)) {
            try Money.parsePositive("1.001 EUR")
        }
    }

    @Test("Error messages quote the input and say what was expected")
    func errorMessagesNameTheInput() {
        let tooMany = MoneyError.tooManyDecimals("1234.567", currency: "EUR", allowed: 2)
        #expect(
            tooMany.description
                == "'1234.567' has more decimals than EUR allows (2 decimals); amounts are never rounded silently"
        )
        #expect(MoneyError.notMoney("XAU").description.contains("XAU"))
        #expect(
            MoneyError.missingCurrency("5").description
                == "'5' has no currency: write it as \"5 EUR\" or \"EUR 5\"")
    }

    /// Amounts written by hand here (digits with the decimal point inserted, trailing fraction
    /// zeros dropped at random) read back as the minor units they were written from, for every
    /// exponent and magnitude: short ones take the byte-by-byte path, long ones the general one.
    @Test("Plain amounts of every size read back exactly")
    func plainAmountsReadBackExactly() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        for code in ["JPY", "EUR", "KWD", "CLF"] {
            let currency = try Currency.named(code)
            for trial in 0..<2_000 {
                let digits = Int(next() % 19) + 1
                var magnitude = Int64(next() % UInt64(Int64.max))
                if digits < 19 { magnitude %= [Int64](repeating: 10, count: digits).reduce(1, *) }
                let negative = trial % 3 == 0
                var text = String(magnitude)
                if currency.exponent > 0 {
                    text =
                        String(repeating: "0", count: max(0, currency.exponent + 1 - text.count))
                        + text
                    text.insert(".", at: text.index(text.endIndex, offsetBy: -currency.exponent))
                    if next() % 2 == 0 {
                        while text.hasSuffix("0") { text.removeLast() }
                        if text.hasSuffix(".") { text.removeLast() }
                    }
                }
                let written = (negative ? "-" : "") + text
                let read = try Money.parseMinorUnits(written, currency: currency)
                #expect(read == (negative ? -magnitude : magnitude), "\(written) \(code)")
            }
        }
        #expect(
            try Money.parseMinorUnits("92233720368547758.07", currency: .usd) == Int64.max)
        #expect(throws: MoneyError.self) {
            try Money.parseMinorUnits("92233720368547758.08", currency: .usd)
        }
        #expect(try Money.parseMinorUnits("1,234.5", currency: .usd) == 123_450)
    }
}
