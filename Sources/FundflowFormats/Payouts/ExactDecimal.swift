import FundflowCore

/// A non-negative decimal held exactly (an integer mantissa and a scale), for control sums: ISO
/// 20022 writes `CtrlSum` as a plain decimal that adds every amount whatever its currency, so
/// `488` must equal `488.00` and CHF plus EUR is simply added up. Never floating point.
struct ExactDecimal: Equatable, Sendable, CustomStringConvertible {
    private(set) var mantissa: Int128
    private(set) var scale: Int

    static let zero = ExactDecimal(mantissa: 0, scale: 0)

    /// At most 18 fraction digits and 18 digits in all, as the schemas' `DecimalNumber` allows.
    static let digitsMaximum = 18

    private init(mantissa: Int128, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// A plain decimal as ISO 20022 writes one: digits with an optional `.` and fraction digits;
    /// no sign, no grouping, no exponent. Nil for anything else.
    init?(parsing text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, parts.count == 1 || !fraction.isEmpty,
            whole.allSatisfy(\.isWholeDigit), fraction.allSatisfy(\.isWholeDigit),
            whole.count + fraction.count <= Self.digitsMaximum,
            let value = Int128(String(whole + fraction))
        else { return nil }
        self.init(mantissa: value, scale: fraction.count)
    }

    init(_ money: Money) {
        self.init(mantissa: Int128(money.minorUnits), scale: money.currency.exponent)
    }

    /// `self + other`, or nil if the sum does not fit (far beyond any real batch).
    func adding(_ other: ExactDecimal) -> ExactDecimal? {
        let scale = max(self.scale, other.scale)
        guard let left = self.rescaled(to: scale), let right = other.rescaled(to: scale) else {
            return nil
        }
        let (sum, overflow) = left.addingReportingOverflow(right)
        return overflow ? nil : ExactDecimal(mantissa: sum, scale: scale)
    }

    /// Equal as numbers: `488 == 488.00`.
    func equalsNumerically(_ other: ExactDecimal) -> Bool {
        let scale = max(self.scale, other.scale)
        guard let left = rescaled(to: scale), let right = other.rescaled(to: scale) else {
            return false
        }
        return left == right
    }

    private func rescaled(to target: Int) -> Int128? {
        var value = mantissa
        for _ in scale..<target {
            let (next, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = next
        }
        return value
    }

    var description: String {
        var digits = String(mantissa)
        if scale == 0 { return digits }
        if digits.count <= scale {
            digits = String(repeating: "0", count: scale - digits.count + 1) + digits
        }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        return digits[..<split] + "." + digits[split...]
    }
}

extension Character {
    /// `0` to `9` only (not other scripts' digits, which `isNumber` accepts).
    var isWholeDigit: Bool { ("0"..."9").contains(self) }
}
