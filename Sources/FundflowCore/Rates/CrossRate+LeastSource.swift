extension CrossRate {
    /// The least amount of `from` whose conversion gives the customer at least `target` (in
    /// `to`): conversion never falls when more is converted, so a binary search between 1 and a
    /// doubling upper bound finds it. A card purchase abroad is paid this way: the bill is fixed,
    /// the family pays the least that covers it.
    public func leastSource(
        delivering target: Money, marginBps: Int64
    ) throws(MoneyError) -> Money {
        guard target.currency == to else {
            throw .currencyMismatch(target.currency.code, to.code)
        }
        func delivers(_ minor: Int64) throws(MoneyError) -> Bool {
            try convert(Money(minorUnits: minor, currency: from), marginBps: marginBps)
                .customerMinor >= target.minorUnits
        }
        var high: Int64 = 1
        while try !delivers(high) {
            guard high < Int64.max / 4 else {
                throw .overflow("the \(from.code) needed for \(target)")
            }
            high *= 2
        }
        var low: Int64 = 0
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if try delivers(middle) { high = middle } else { low = middle }
        }
        return Money(minorUnits: high, currency: from)
    }
}
