/// How a quotient that falls between two minor units is settled. The names match Python's `decimal`
/// constants, against which the golden tables in the tests were produced.
public enum RoundingRule: String, Sendable, CaseIterable {
    /// Banker's rounding (`ROUND_HALF_EVEN`): FX conversions.
    case halfEven = "ROUND_HALF_EVEN"
    /// Ties away from zero (`ROUND_HALF_UP`): percentage fees.
    case halfUp = "ROUND_HALF_UP"
    /// Toward zero (`ROUND_DOWN`): the floor part of a largest-remainder split of a positive total.
    case down = "ROUND_DOWN"
}

public enum Rounding {
    /// `numerator / denominator` rounded to an integer by `rule`, exactly.
    public static func divide(
        _ numerator: Int128, by denominator: Int128, _ rule: RoundingRule
    )
        -> Int128
    {
        precondition(denominator != 0, "division by zero in money arithmetic")
        let sign: Int128 = (numerator < 0) != (denominator < 0) ? -1 : 1
        let n = numerator.magnitude
        let d = denominator.magnitude
        var quotient = n / d
        let remainder = n % d
        switch rule {
        case .down:
            break
        case .halfUp:
            if remainder * 2 >= d { quotient += 1 }
        case .halfEven:
            if remainder * 2 > d || (remainder * 2 == d && quotient % 2 == 1) { quotient += 1 }
        }
        return sign * Int128(quotient)
    }

    /// Percentage fee per DESIGN.md §2: `pct = round_half_up(base × bps / 10000)`, then
    /// `clamp(fixed + pct, min, max)`, where a `max` of 0 means no maximum. All in minor units of
    /// the currency the charging bank sees.
    public static func percentageFee(
        baseMinor: Int64, bps: Int64, fixedMinor: Int64, minMinor: Int64, maxMinor: Int64
    ) throws(MoneyError) -> Int64 {
        let percent = divide(Int128(baseMinor) * Int128(bps), by: 10_000, .halfUp)
        var fee = Int128(fixedMinor) + percent
        fee = Swift.max(fee, Int128(minMinor))
        if maxMinor > 0 { fee = Swift.min(fee, Int128(maxMinor)) }
        guard let result = Int64(exactly: fee) else { throw .overflow("a fee on \(baseMinor)") }
        return result
    }
}

/// Multiplication that reports overflow as a typed error; `what` names the computation for the message.
func checkedProduct(_ factors: [Int128], what: String) throws(MoneyError) -> Int128 {
    var product: Int128 = 1
    for factor in factors {
        let (next, overflow) = product.multipliedReportingOverflow(by: factor)
        if overflow { throw .overflow(what) }
        product = next
    }
    return product
}

func greatestCommonDivisor(_ a: Int128, _ b: Int128) -> Int128 {
    var (x, y) = (a.magnitude, b.magnitude)
    while y != 0 { (x, y) = (y, x % y) }
    return Int128(x)
}

/// 10^exponent for 0 ≤ exponent ≤ 38 (every power of ten an Int128 holds).
func powerOfTen(_ exponent: Int) -> Int128 {
    precondition((0...38).contains(exponent), "10^\(exponent) does not fit in Int128")
    return tenPowers[exponent]
}

private let tenPowers: [Int128] = (0...38).reduce(into: []) { table, index in
    table.append(index == 0 ? 1 : table[index - 1] * 10)
}

extension Int128 {
    /// The product, or nil when it would overflow.
    @inline(__always)
    func times(_ other: Int128) -> Int128? {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? nil : product
    }
}
