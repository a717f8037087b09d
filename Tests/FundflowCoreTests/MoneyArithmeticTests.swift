import Testing

@testable import FundflowCore

/// Checked arithmetic on amounts: overflow and mixed currencies are typed errors, never traps.
@Suite("Money arithmetic")
struct MoneyArithmeticTests {
    static let euro = Currency.eur
    static let dollar = Currency.usd

    static func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: euro) }

    @Test("Adding and subtracting amounts of one currency is exact")
    func addsAndSubtractsExactly() throws {
        #expect(try Self.eur(150).adding(Self.eur(225)) == Self.eur(375))
        #expect(try Self.eur(150).subtracting(Self.eur(225)) == Self.eur(-75))
        #expect(try Self.eur(.max).subtracting(Self.eur(.max)) == Money.zero(Self.euro))
        #expect(try Self.eur(.min).adding(Self.eur(.max)) == Self.eur(-1))
        #expect(try Self.eur(.max).negated() == Self.eur(-Int64.max))
    }

    @Test("Adding past Int64.max is an overflow error naming both amounts")
    func addingPastMaximumOverflows() {
        #expect(throws: MoneyError.overflow("92233720368547758.07 EUR + 0.01 EUR")) {
            try Self.eur(.max).adding(Self.eur(1))
        }
        #expect(throws: MoneyError.overflow("-92233720368547758.08 EUR + -0.01 EUR")) {
            try Self.eur(.min).adding(Self.eur(-1))
        }
    }

    @Test("Subtracting past Int64.min or Int64.max is an overflow error")
    func subtractingPastTheEndsOverflows() {
        #expect(throws: MoneyError.overflow("-92233720368547758.08 EUR - 0.01 EUR")) {
            try Self.eur(.min).subtracting(Self.eur(1))
        }
        #expect(throws: MoneyError.overflow("0.00 EUR - -92233720368547758.08 EUR")) {
            try Self.eur(0).subtracting(Self.eur(.min))
        }
    }

    @Test("Negating Int64.min is an overflow error")
    func negatingMinimumOverflows() {
        #expect(throws: MoneyError.overflow("-(-92233720368547758.08 EUR)")) {
            try Self.eur(.min).negated()
        }
    }

    @Test("Combining two currencies is refused, before any overflow check")
    func mixedCurrenciesAreRefused() {
        let dollars = Money(minorUnits: 1, currency: Self.dollar)
        #expect(throws: MoneyError.currencyMismatch("EUR", "USD")) {
            try Self.eur(1).adding(dollars)
        }
        #expect(throws: MoneyError.currencyMismatch("EUR", "USD")) {
            try Self.eur(1).subtracting(dollars)
        }
        #expect(throws: MoneyError.currencyMismatch("USD", "EUR")) {
            try dollars.adding(Self.eur(.max))
        }
        let maxDollars = Money(minorUnits: .max, currency: Self.dollar)
        #expect(throws: MoneyError.currencyMismatch("EUR", "USD")) {
            try Self.eur(.max).adding(maxDollars)
        }
    }

    @Test("zero and isPositive")
    func zeroAndPositive() {
        #expect(Money.zero(Self.dollar) == Money(minorUnits: 0, currency: Self.dollar))
        #expect(Money.zero(Self.dollar).isPositive == false)
        #expect(Self.eur(1).isPositive)
        #expect(Self.eur(-1).isPositive == false)
    }

    @Test(
        "checkedSum adds exactly",
        arguments: [
            ([], 0), ([5], 5), ([1, 2, 3], 6), ([-5, 5], 0), ([Int64.max, -1, 1], Int64.max),
            ([Int64.min, 1, -1], Int64.min), ([Int64.max, Int64.min], -1),
        ] as [([Int64], Int64)])
    func checkedSumAddsExactly(values: [Int64], total: Int64) throws {
        #expect(try Int64.checkedSum(values, what: "the test values") == total)
    }

    @Test(
        "checkedSum reports overflow with the caller's description",
        arguments: [
            [Int64.max, 1], [Int64.min, -1], [Int64.max / 2 + 1, Int64.max / 2 + 1],
            [1, Int64.max],
        ])
    func checkedSumReportsOverflow(values: [Int64]) {
        #expect(throws: MoneyError.overflow("the total of the legs")) {
            try Int64.checkedSum(values, what: "the total of the legs")
        }
    }
}
