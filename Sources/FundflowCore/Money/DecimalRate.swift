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
        // amount/10^eF × (mT/10^sT) / (mF/10^sF) × 10^eT, as one fraction, exact. The common
        // case multiplies straight through; only when a product would overflow is the fraction
        // reduced by its greatest common divisor first.
        let overflow = {
            MoneyError.overflow(
                "converting \(amountMinor) minor units of \(from.code) to \(to.code)")
        }
        let factors = (
            Int128(amountMinor), Int128(quoteTo.mantissa),
            powerOfTen(quoteFrom.scale + to.exponent),
            Int128(quoteFrom.mantissa), powerOfTen(quoteTo.scale + from.exponent)
        )
        let keep = Int128(10_000 - marginBps)
        var position: Int128
        var customer: Int128
        if let numerator = factors.0.times(factors.1)?.times(factors.2),
            let denominator = factors.3.times(factors.4),
            let customerNumerator = numerator.times(keep),
            let customerDenominator = denominator.times(10_000)
        {
            position = divide(numerator, by: denominator, .halfEven)
            customer = divide(customerNumerator, by: customerDenominator, .halfEven)
        } else {
            // Cancel common factors between the numerator's and the denominator's factors, then
            // multiply what is left.
            guard
                let (numerator, denominator) = reducedFraction(
                    top: [factors.0, factors.1, factors.2], bottom: [factors.3, factors.4])
            else { throw overflow() }
            position = divide(numerator, by: denominator, .halfEven)
            if let (customerNumerator, customerDenominator) = reducedFraction(
                top: [factors.0, factors.1, factors.2, keep],
                bottom: [factors.3, factors.4, 10_000])
            {
                customer = divide(customerNumerator, by: customerDenominator, .halfEven)
            } else {
                // Even reduced, amount × rate × (10000 − bps) is too long: split off the whole part.
                guard let scaled = halfEvenScaled(numerator, denominator, keep: keep) else {
                    throw overflow()
                }
                customer = scaled
            }
        }
        guard let positionMinor = Int64(exactly: position),
            let customerMinor = Int64(exactly: customer)
        else { throw overflow() }
        return FXConversion(positionMinor: positionMinor, customerMinor: customerMinor)
    }
}

/// `Π top / Π bottom` with every pair of factors divided by their greatest common divisor first;
/// nil when a product still overflows.
private func reducedFraction(top: [Int128], bottom: [Int128]) -> (Int128, Int128)? {
    var top = top
    var bottom = bottom
    for i in top.indices {
        for j in bottom.indices {
            let divisor = greatestCommonDivisor(top[i], bottom[j])
            if divisor > 1 {
                top[i] /= divisor
                bottom[j] /= divisor
            }
        }
    }
    var numerator: Int128 = 1
    var denominator: Int128 = 1
    for factor in top {
        guard let product = numerator.times(factor) else { return nil }
        numerator = product
    }
    for factor in bottom {
        guard let product = denominator.times(factor) else { return nil }
        denominator = product
    }
    return (numerator, denominator)
}

/// `round_half_even(n/d × keep/10000)` without forming `n × keep`: with `n = q·d + r` and
/// `q·keep = 10000·a + b`, the value is `a + (b·d + r·keep) / (10000·d)`. Nil on overflow.
func halfEvenScaled(_ n: Int128, _ d: Int128, keep: Int128) -> Int128? {
    if n < 0 { return halfEvenScaled(-n, d, keep: keep).map { -$0 } }
    let (q, r) = n.quotientAndRemainder(dividingBy: d)
    guard let x = q.times(keep) else { return nil }
    let (a, b) = x.quotientAndRemainder(dividingBy: 10_000)
    guard let bd = b.times(d), let rk = r.times(keep), let denominator = d.times(10_000) else {
        return nil
    }
    let (sum, overflow) = bd.addingReportingOverflow(rk)
    guard !overflow else { return nil }
    let (extra, remainder) = sum.quotientAndRemainder(dividingBy: denominator)
    var result = a + extra
    guard let twice = remainder.times(2) else { return nil }
    if twice > denominator || (twice == denominator && result % 2 != 0) { result += 1 }
    return result
}
