/// One published rate: units of `currency` per 1 EUR on `day`, exactly as published, and where it
/// came from (`ecb`, or the user file it was read from).
public struct RateQuote: Equatable, Sendable {
    public let day: RateDay
    public let currency: Currency
    public let rate: DecimalRate
    public let source: String

    public init(day: RateDay, currency: Currency, rate: DecimalRate, source: String) {
        self.day = day
        self.currency = currency
        self.rate = rate
        self.source = source
    }

    /// The EUR quote of a rate given against another base: `base_per_EUR × quote_per_base`,
    /// exact (mantissas multiply, scales add).
    public static func viaBase(
        _ basePerEUR: DecimalRate, quotePerBase: DecimalRate
    ) throws(MoneyError) -> DecimalRate {
        let (mantissa, overflow) = basePerEUR.mantissa.multipliedReportingOverflow(
            by: quotePerBase.mantissa)
        if overflow || basePerEUR.scale + quotePerBase.scale > 18 {
            throw .overflow("the EUR quote of \(quotePerBase) via \(basePerEUR)")
        }
        return try DecimalRate(mantissa: mantissa, scale: basePerEUR.scale + quotePerBase.scale)
            .normalized()
    }
}

extension DecimalRate {
    /// The same value with trailing zeros of the fraction dropped (`1.1000` → `1.1`).
    public func normalized() throws(MoneyError) -> DecimalRate {
        var mantissa = self.mantissa
        var scale = self.scale
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        return try DecimalRate(mantissa: mantissa, scale: scale)
    }

    /// EUR itself: 1 unit per EUR.
    public static func eurQuote() -> DecimalRate { .one }
}

/// The exact rate between two currencies on a day, from their EUR quotes (DESIGN.md §2), and the
/// rounded figures people read.
public struct CrossRate: Equatable, Sendable {
    public let from: Currency
    public let to: Currency
    public let fromQuote: DecimalRate
    public let toQuote: DecimalRate
    /// The older of the two quotes' days: the rate is as fresh as its stalest quote.
    public let day: RateDay

    public init(
        from: Currency, to: Currency, fromQuote: DecimalRate, toQuote: DecimalRate, day: RateDay
    ) {
        self.from = from
        self.to = to
        self.fromQuote = fromQuote
        self.toQuote = toQuote
        self.day = day
    }

    /// `q_to / q_from` as a fraction (numerator, denominator) of major units.
    public var exact: (numerator: Int128, denominator: Int128) {
        (
            Int128(toQuote.mantissa) * powerOfTen(fromQuote.scale),
            Int128(fromQuote.mantissa) * powerOfTen(toQuote.scale)
        )
    }

    /// The mid rate with 10 significant digits, for reading only.
    public var midText: String { Self.significant(exact, digits: 10) }

    /// The rate the customer gets after a margin, with 10 significant digits, for reading only.
    public func appliedText(marginBps: Int64) -> String {
        let (n, d) = exact
        return Self.significant((n * Int128(10_000 - marginBps), d * 10_000), digits: 10)
    }

    /// Converts per DESIGN.md §2 (position at mid, customer after the margin, half-even).
    public func convert(_ amount: Money, marginBps: Int64) throws(MoneyError) -> FXConversion {
        guard amount.currency == from else {
            throw .currencyMismatch(amount.currency.code, from.code)
        }
        return try Rounding.convert(
            amountMinor: amount.minorUnits, from: from, quoteFrom: fromQuote, to: to,
            quoteTo: toQuote,
            marginBps: marginBps)
    }

    /// `n/d` rounded half-even to `digits` significant digits, written as a plain decimal.
    static func significant(_ fraction: (Int128, Int128), digits: Int) -> String {
        let (n, d) = fraction
        precondition(n > 0 && d > 0, "rates are positive")
        // Find the exponent e with 10^(digits-1) <= n/d * 10^e < 10^digits.
        var exponent = 0
        let low = powerOfTen(digits - 1)
        let high = powerOfTen(digits)
        func scaled(_ e: Int) -> Int128 {
            e >= 0
                ? Rounding.divide(n * powerOfTen(e), by: d, .down)
                : Rounding.divide(n, by: d * powerOfTen(-e), .down)
        }
        while scaled(exponent) >= high { exponent -= 1 }
        while scaled(exponent) < low { exponent += 1 }
        var value =
            exponent >= 0
            ? Rounding.divide(n * powerOfTen(exponent), by: d, .halfEven)
            : Rounding.divide(n, by: d * powerOfTen(-exponent), .halfEven)
        if value >= high {  // rounding carried into another digit
            value /= 10
            exponent -= 1
        }
        var text = String(value)
        if exponent > 0 {
            if text.count <= exponent {
                text = String(repeating: "0", count: exponent - text.count + 1) + text
            }
            let split = text.index(text.endIndex, offsetBy: -exponent)
            text = text[..<split] + "." + text[split...]
        } else if exponent < 0 {
            text += String(repeating: "0", count: -exponent)
        }
        return text
    }
}
