/// A rate exactly as published (`1.1172`, `175.68`, `136`): an integer mantissa and a decimal scale.
/// Rates are never floating point; cross rates are exact ratios of two of these.
public struct DecimalRate: Hashable, Sendable, CustomStringConvertible {
    public let mantissa: Int64
    public let scale: Int

    public init(mantissa: Int64, scale: Int) throws(MoneyError) {
        guard mantissa > 0, (0...18).contains(scale) else {
            throw .invalidRate("\(mantissa)e-\(scale)", expected: "a positive decimal")
        }
        self.mantissa = mantissa
        self.scale = scale
    }

    public static let one = DecimalRate(unchecked: 1, scale: 0)

    private init(unchecked mantissa: Int64, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// Parses a positive plain decimal such as `1.1172` (no exponent, no sign, no grouping).
    public init(parsing text: String) throws(MoneyError) {
        let expected = "a positive decimal such as 1.1172"
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            parts.count == 1 || !fraction.isEmpty
        else { throw .invalidRate(text, expected: expected) }
        guard let mantissa = Int64(whole + fraction), fraction.count <= 18 else {
            throw .invalidRate(text, expected: expected)
        }
        try self.init(mantissa: mantissa, scale: fraction.count)
    }

    public var description: String {
        Money.format(minorUnits: mantissa, exponent: scale)
    }
}

/// The three amounts of one FX conversion per DESIGN.md §2, in minor units of the target currency:
/// the position leg at the mid rate, what the customer gets after the margin, and the margin itself.
public struct FXConversion: Equatable, Sendable {
    public let positionMinor: Int64
    public let customerMinor: Int64
    public var marginMinor: Int64 { positionMinor - customerMinor }
}

extension Rounding {
    /// Converts `amountMinor` of `from` into `to` through EUR quotes (units per EUR), exactly:
    /// `customer = round_half_even(amount × q_to / q_from × (1 − bps/10000))` and
    /// `position = round_half_even(amount × q_to / q_from)`. No intermediate rounding.
    public static func convert(
        amountMinor: Int64, from: Currency, quoteFrom: DecimalRate, to: Currency,
        quoteTo: DecimalRate, marginBps: Int64
    ) throws(MoneyError) -> FXConversion {
        guard (0..<10_000).contains(marginBps) else {
            throw .invalidRate("\(marginBps) bps", expected: "a margin from 0 to 9999 basis points")
        }
        let what = "converting \(amountMinor) minor units of \(from.code) to \(to.code)"
        // amount/10^eF × (mT/10^sT) / (mF/10^sF) × 10^eT, as one fraction.
        var numerator = try checkedProduct(
            [
                Int128(amountMinor), Int128(quoteTo.mantissa), powerOfTen(quoteFrom.scale),
                powerOfTen(to.exponent),
            ],
            what: what)
        var denominator = try checkedProduct(
            [Int128(quoteFrom.mantissa), powerOfTen(quoteTo.scale), powerOfTen(from.exponent)],
            what: what)
        let divisor = greatestCommonDivisor(numerator, denominator)
        if divisor > 1 {
            numerator /= divisor
            denominator /= divisor
        }
        let position = divide(numerator, by: denominator, .halfEven)
        let customerNumerator = try checkedProduct(
            [numerator, Int128(10_000 - marginBps)], what: what)
        let customerDenominator = try checkedProduct([denominator, 10_000], what: what)
        let customer = divide(customerNumerator, by: customerDenominator, .halfEven)
        guard let positionMinor = Int64(exactly: position),
            let customerMinor = Int64(exactly: customer)
        else { throw .overflow(what) }
        return FXConversion(positionMinor: positionMinor, customerMinor: customerMinor)
    }
}
