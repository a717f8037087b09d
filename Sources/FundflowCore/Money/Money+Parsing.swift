extension Money {
    /// Parses `1234.56 EUR`, `EUR 1234.56` or `1,234.56 EUR` strictly: more decimals than the currency
    /// has, a malformed number or an unknown code is an error, never a silent rounding.
    ///
    /// - Parameter defaultCurrency: used when the text is a bare number (the family's currency, say).
    public static func parse(
        _ text: String, defaultCurrency: Currency? = nil
    ) throws(MoneyError)
        -> Money
    {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let number: String
        let currency: Currency
        switch tokens.count {
        case 0:
            throw .empty
        case 1:
            guard let fallback = defaultCurrency else {
                if isCurrencyLike(tokens[0]) {
                    throw .malformedAmount(text, expected: "\"1234.56 \(tokens[0])\"")
                }
                throw .missingCurrency(tokens[0])
            }
            number = tokens[0]
            currency = fallback
        case 2:
            if isCurrencyLike(tokens[1]) {
                (number, currency) = (tokens[0], try Currency.named(tokens[1]))
            } else if isCurrencyLike(tokens[0]) {
                (number, currency) = (tokens[1], try Currency.named(tokens[0]))
            } else {
                throw .malformedAmount(
                    text, expected: "an amount and a currency code, e.g. \"1234.56 EUR\"")
            }
        default:
            throw .malformedAmount(
                text, expected: "an amount and a currency code, e.g. \"1234.56 EUR\"")
        }
        let minor = try parseMinorUnits(number, currency: currency)
        return Money(minorUnits: minor, currency: currency)
    }

    /// As ``parse(_:defaultCurrency:)``, for commands that move money: zero and negative are refused.
    public static func parsePositive(
        _ text: String, defaultCurrency: Currency? = nil
    )
        throws(MoneyError) -> Money
    {
        let money = try parse(text, defaultCurrency: defaultCurrency)
        if money.minorUnits <= 0 { throw .notPositive(text) }
        return money
    }

    /// Turns a decimal in major units (`-1,234.5`) into minor units of `currency`, exactly.
    public static func parseMinorUnits(
        _ number: String, currency: Currency
    ) throws(MoneyError)
        -> Int64
    {
        if let plain = plainMinorUnits(number, exponent: currency.exponent) { return plain }
        // Written only for an error: most amounts parse.
        var expected: String {
            "digits with an optional '.' and up to \(currency.exponent) decimals, e.g. \(example(currency))"
        }
        var scalars = Substring(number)
        var negative = false
        if scalars.first == "-" {
            negative = true
            scalars = scalars.dropFirst()
        }
        let parts = scalars.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : nil
        guard let wholeDigits = groupedDigits(whole) else {
            throw .malformedAmount(number, expected: expected)
        }
        if let fraction {
            guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else {
                throw .malformedAmount(number, expected: expected)
            }
            if fraction.count > currency.exponent {
                throw .tooManyDecimals(number, currency: currency.code, allowed: currency.exponent)
            }
        }
        let fractionDigits = fraction.map(String.init) ?? ""
        let paddedFraction =
            fractionDigits + String(repeating: "0", count: currency.exponent - fractionDigits.count)
        // The magnitude is gathered unsigned: Int64.min has no positive counterpart, yet `format`
        // prints it and it must parse back.
        var magnitude: UInt64 = 0
        for character in wholeDigits + paddedFraction {
            guard let ascii = character.asciiValue, (48...57).contains(ascii) else {
                throw .malformedAmount(number, expected: expected)
            }
            let (shifted, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(UInt64(ascii - 48))
            if o1 || o2 { throw .overflow("the amount \(number) \(currency.code)") }
            magnitude = next
        }
        let limit = negative ? Int64.min.magnitude : Int64.max.magnitude
        guard magnitude <= limit else { throw .overflow("the amount \(number) \(currency.code)") }
        return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    /// The common case read byte by byte: an optional '-', digits, an optional '.' with 1 to
    /// `exponent` digits, nothing else (no grouping commas), and at most 18 digits once the
    /// fraction is padded, so that no overflow is possible. Anything else is nil and takes the general path, which explains what is wrong.
    private static func plainMinorUnits(_ number: String, exponent: Int) -> Int64? {
        var utf8 = number.utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        var value: Int64 = 0
        var wholeDigits = 0
        var fractionDigits = 0
        var inFraction = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                if inFraction || wholeDigits == 0 { return nil }
                inFraction = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if inFraction { fractionDigits += 1 } else { wholeDigits += 1 }
            guard wholeDigits + exponent <= 18, fractionDigits <= exponent else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        guard wholeDigits > 0, !inFraction || fractionDigits > 0 else { return nil }
        for _ in fractionDigits..<exponent { value *= 10 }
        return negative ? -value : value
    }

    /// Digits of the whole part, with commas accepted only as thousands separators (`1,234,567`).
    private static func groupedDigits(_ whole: Substring) -> String? {
        guard !whole.isEmpty else { return nil }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else {
            return nil
        }
        if groups.count > 1 {
            guard groups[0].count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return nil
            }
        }
        return groups.joined()
    }

    private static func isCurrencyLike(_ token: String) -> Bool {
        token.count == 3 && token.allSatisfy { $0.isLetter }
    }

    private static func example(_ currency: Currency) -> String {
        currency.exponent == 0 ? "1234" : "1234." + String(repeating: "5", count: currency.exponent)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
