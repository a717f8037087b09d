extension Money {
    /// Major units with exactly the currency's decimals, no grouping: `1234.50`, `-3.000`, `1200`.
    public var amountString: String {
        Money.format(minorUnits: minorUnits, exponent: currency.exponent)
    }

    /// Major units with thousands separators, for tables people read: `1,234.50`.
    public var groupedAmountString: String {
        Money.format(minorUnits: minorUnits, exponent: currency.exponent, grouping: true)
    }

    /// `1234.50 EUR`.
    public var description: String { "\(amountString) \(currency.code)" }

    public static func format(minorUnits: Int64, exponent: Int, grouping: Bool = false) -> String {
        let magnitude = minorUnits.magnitude
        var digits = String(magnitude)
        if digits.count <= exponent {
            digits = String(repeating: "0", count: exponent - digits.count + 1) + digits
        }
        let split = digits.index(digits.endIndex, offsetBy: -exponent)
        var whole = String(digits[..<split])
        if grouping {
            var grouped = ""
            for (index, character) in whole.enumerated() {
                if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            whole = grouped
        }
        let sign = minorUnits < 0 ? "-" : ""
        return exponent == 0 ? sign + whole : sign + whole + "." + digits[split...]
    }
}
