/// An exact amount: whole minor units of one currency. Floating point never touches money.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    public var isPositive: Bool { minorUnits > 0 }

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        if overflow { throw .overflow("\(self) + \(other)") }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        if overflow { throw .overflow("\(self) - \(other)") }
        return Money(minorUnits: difference, currency: currency)
    }

    public func negated() throws(MoneyError) -> Money {
        if minorUnits == .min { throw .overflow("-(\(self))") }
        return Money(minorUnits: -minorUnits, currency: currency)
    }

    private func requireSameCurrency(_ other: Money) throws(MoneyError) {
        if currency != other.currency {
            throw .currencyMismatch(currency.code, other.currency.code)
        }
    }
}

extension Int64 {
    /// Sum that reports overflow as a typed error instead of trapping.
    public static func checkedSum(
        _ values: some Sequence<Int64>, what: String
    ) throws(MoneyError)
        -> Int64
    {
        var total: Int64 = 0
        for value in values {
            let (sum, overflow) = total.addingReportingOverflow(value)
            if overflow { throw .overflow(what) }
            total = sum
        }
        return total
    }
}
