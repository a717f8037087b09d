import Testing

@testable import FundflowCore

/// Replays the tables of `scripts/golden/make_rounding_golden.py` (Python's `decimal`, independent of
/// the Swift code) against `Rounding` and `Allocation`. Each test also counts the exact ties in its
/// table, so an empty or tie-free file cannot make it pass.
@Suite("Rounding agrees with Python's decimal on the golden tables")
struct RoundingGoldenTests {
    @Test("divide rounds like decimal.quantize for every rule, sign and exact tie")
    func divideMatchesDecimalQuantize() throws {
        let table = try GoldenTable.load("divide.csv")
        var ties = 0
        var rulesSeen: Set<String> = []
        for row in table.rows {
            // Given a numerator, a denominator and a rule
            let numerator = try row.int128("numerator")
            let denominator = try row.int128("denominator")
            let ruleName = try row.text("rule")
            let expected = try row.int128("result")
            let rule = try #require(
                RoundingRule(rawValue: ruleName), "\(row): unknown rule \(ruleName)")
            rulesSeen.insert(ruleName)
            if (numerator.magnitude % denominator.magnitude) * 2 == denominator.magnitude {
                ties += 1
            }
            // When divided, then the integer is the one decimal chose
            let quotient = Rounding.divide(numerator, by: denominator, rule)
            #expect(quotient == expected, "\(row)")
        }
        #expect(table.rows.count >= 600)
        #expect(ties >= 100, "divide.csv has only \(ties) exact ties")
        #expect(rulesSeen == Set(RoundingRule.allCases.map(\.rawValue)))
    }

    @Test("convert gives decimal's half-even position and customer amounts, exponents 0 to 4")
    func convertMatchesDecimalHalfEven() throws {
        let table = try GoldenTable.load("fx.csv")
        var customerTies = 0
        var exponentsSeen: Set<Int> = []
        for row in table.rows {
            // Given an amount, two ECB-style quotes (units per EUR) and a margin
            let from = try Currency.named(row.text("from"))
            let to = try Currency.named(row.text("to"))
            let fromExponent = try row.int64("from_exponent")
            let toExponent = try row.int64("to_exponent")
            #expect(Int64(from.exponent) == fromExponent, "\(row): \(from) exponent")
            #expect(Int64(to.exponent) == toExponent, "\(row): \(to) exponent")
            exponentsSeen.formUnion([from.exponent, to.exponent])
            let amountMinor = try Money.parseMinorUnits(row.text("amount"), currency: from)
            let quoteFrom = try DecimalRate(parsing: row.text("quote_from"))
            let quoteTo = try DecimalRate(parsing: row.text("quote_to"))
            let marginBps = try row.int64("margin_bps")
            let position = try Money.parseMinorUnits(row.text("position"), currency: to)
            let customer = try Money.parseMinorUnits(row.text("customer"), currency: to)
            if Self.customerIsExactTie(
                amountMinor: amountMinor, from: from, quoteFrom: quoteFrom, to: to,
                quoteTo: quoteTo,
                marginBps: marginBps)
            {
                customerTies += 1
            }
            // When converted
            let conversion = try Rounding.convert(
                amountMinor: amountMinor, from: from, quoteFrom: quoteFrom, to: to,
                quoteTo: quoteTo,
                marginBps: marginBps)
            // Then both legs match decimal, and the margin leg is their difference
            #expect(conversion.positionMinor == position, "\(row): position")
            #expect(conversion.customerMinor == customer, "\(row): customer")
            #expect(conversion.marginMinor == position - customer, "\(row): margin")
        }
        #expect(table.rows.count >= 500)
        #expect(customerTies >= 50, "fx.csv has only \(customerTies) exact ties in customer")
        #expect(exponentsSeen.isSuperset(of: [0, 2, 3, 4]))
    }

    @Test("percentageFee rounds half up, adds the fixed part, then clamps to min and max")
    func percentageFeeMatchesDecimalHalfUp() throws {
        let table = try GoldenTable.load("fee.csv")
        let currencyByExponent = try [0: "JPY", 2: "EUR", 3: "KWD", 4: "CLF"].mapValues {
            try Currency.named($0)
        }
        var ties = 0
        for row in table.rows {
            // Given a base, a rate in basis points and fixed, minimum and maximum fees
            let exponent = try row.int64("exponent")
            let currency = try #require(
                currencyByExponent[Int(exponent)], "\(row): exponent \(exponent)")
            let base = try Money.parseMinorUnits(row.text("base"), currency: currency)
            let bps = try row.int64("bps")
            let fixed = try Money.parseMinorUnits(row.text("fixed"), currency: currency)
            let minimum = try Money.parseMinorUnits(row.text("min"), currency: currency)
            let maximum = try Money.parseMinorUnits(row.text("max"), currency: currency)
            let expected = try Money.parseMinorUnits(row.text("fee"), currency: currency)
            if (Int128(base) * Int128(bps)) % 10_000 == 5_000 { ties += 1 }
            // When the fee is computed, then it is decimal's
            let fee = try Rounding.percentageFee(
                baseMinor: base, bps: bps, fixedMinor: fixed, minMinor: minimum, maxMinor: maximum)
            #expect(fee == expected, "\(row)")
        }
        #expect(table.rows.count >= 300)
        #expect(ties >= 50, "fee.csv has only \(ties) exact ties in the percentage")
    }

    @Test("largestRemainder splits like the independent Python version, ties to the earlier party")
    func largestRemainderMatchesGolden() throws {
        let table = try GoldenTable.load("split.csv")
        var decidedByTies = 0
        for row in table.rows {
            // Given a total and weights
            let total = try row.int64("total")
            let weights = try row.int64List("weights")
            let expected = try row.int64List("parts")
            if Self.tieDecidesSplit(total: total, weights: weights) { decidedByTies += 1 }
            // When split, then the parts are the golden ones and sum to the total
            let parts = try Allocation.largestRemainder(total: total, weights: weights)
            let sum = parts.reduce(Int128(0)) { $0 + Int128($1) }
            #expect(parts == expected, "\(row)")
            #expect(sum == Int128(total), "\(row)")
        }
        #expect(table.rows.count >= 300)
        #expect(
            decidedByTies >= 30, "split.csv has only \(decidedByTies) rows decided by the tie rule")
    }

    @Test("cumulativeRefund allocates successive partial refunds like the golden table")
    func cumulativeRefundMatchesGolden() throws {
        let table = try GoldenTable.load("refund.csv")
        var steps = 0
        var sawSpecExample = false
        for row in table.rows {
            // Given what each source paid and a sequence of partial refunds
            let paid = try row.int64List("paid")
            let refunds = try row.int64List("refunds")
            let allocations = try row.int64Lists("allocations")
            try #require(allocations.count == refunds.count, "\(row): one allocation per refund")
            if paid == [5_000, 5_000] && refunds == [3_333, 3_333, 3_333] {
                sawSpecExample = allocations == [[1_667, 1_666], [1_666, 1_667], [1_667, 1_666]]
            }
            var refunded = Array(repeating: Int64(0), count: paid.count)
            for (refund, expected) in zip(refunds, allocations) {
                // When each refund is allocated in turn
                let parts = try Allocation.cumulativeRefund(
                    paid: paid, refunded: refunded, refund: refund)
                // Then it matches, sums to the refund, and no source gets back more than it paid
                let given = parts.reduce(0, +)
                #expect(parts == expected, "\(row): refund \(refund) after \(refunded)")
                #expect(given == refund, "\(row)")
                refunded = zip(refunded, parts).map { $0 + $1 }
                let withinPaid = zip(refunded, paid).allSatisfy { $0 <= $1 }
                #expect(withinPaid, "\(row): refunded \(refunded) of \(paid)")
                steps += 1
            }
        }
        #expect(table.rows.count >= 200)
        #expect(steps > table.rows.count, "refund.csv should hold repeated partial refunds")
        #expect(
            sawSpecExample, "refund.csv lacks the 5000;5000 / 3333×3 example with its allocations")
    }

    // MARK: - Tie detection, independent of the code under test

    /// True when `amount × q_to / q_from × (10000 − bps)/10000`, in minor units of `to`, is exactly
    /// half-way between two minor units.
    static func customerIsExactTie(
        amountMinor: Int64, from: Currency, quoteFrom: DecimalRate, to: Currency,
        quoteTo: DecimalRate,
        marginBps: Int64
    ) -> Bool {
        let numerator = exactProduct([
            Int128(amountMinor), Int128(quoteTo.mantissa), tenToThe(quoteFrom.scale),
            tenToThe(to.exponent),
            Int128(10_000 - marginBps),
        ])
        let denominator = exactProduct([
            Int128(quoteFrom.mantissa), tenToThe(quoteTo.scale), tenToThe(from.exponent), 10_000,
        ])
        guard let numerator, let denominator else { return false }
        return (numerator.magnitude % denominator.magnitude) * 2 == denominator.magnitude
    }

    /// True when two equal remainders straddle the cut, so the earlier-party rule chose the parts.
    static func tieDecidesSplit(total: Int64, weights: [Int64]) -> Bool {
        let weightSum = weights.reduce(Int128(0)) { $0 + Int128($1) }
        guard weightSum > 0 else { return false }
        let shares = weights.map { Int128(total) * Int128($0) }
        let floors = shares.map { $0 / weightSum }
        let remainders = shares.map { $0 % weightSum }.sorted(by: >)
        let leftover = Int(Int128(total) - floors.reduce(0, +))
        guard leftover > 0, leftover < weights.count else { return false }
        return remainders[leftover - 1] == remainders[leftover]
    }

    static func exactProduct(_ factors: [Int128]) -> Int128? {
        var product: Int128 = 1
        for factor in factors {
            let (next, overflow) = product.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            product = next
        }
        return product
    }

    static func tenToThe(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 }
    }
}

@Suite struct ConversionOverflowTests {
    /// Products that overflow Int128 before common factors cancel still convert exactly; the
    /// expected figures come from Python's fractions (see the commit that added this test).
    @Test(arguments: [
        (Int64(0), Int64(8_999_999_999_999_999_928)), (37, 8_966_699_999_999_999_928),
    ])
    func hugeAmountsWithLongRatesConvertExactly(marginBps: Int64, expected: Int64) throws {
        let from = try DecimalRate(parsing: "123456789.123456789")
        let to = try DecimalRate(parsing: "123456789.123456788")
        let result = try Rounding.convert(
            amountMinor: 9_000_000_000_000_000_001, from: .usd, quoteFrom: from, to: .eur,
            quoteTo: to,
            marginBps: marginBps)
        #expect(result.customerMinor == expected)
    }
}

extension ConversionOverflowTests {
    /// The split-off computation used when a product is too long agrees with plain half-even
    /// division wherever plain division is possible.
    @Test func theLongProductPathAgreesWithPlainDivision() {
        var state: UInt64 = 0x5EED
        func next(_ bound: UInt64) -> Int128 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int128((state >> 11) % bound)
        }
        var ties = 0
        for _ in 0..<20_000 {
            let n = next(1 << 50) - Int128(1 << 49)
            let d = next(1 << 30) + 1
            let keep = next(10_000) + 1
            let plain = Rounding.divide(n * keep, by: d * 10_000, .halfEven)
            if (n * keep).magnitude % (d * 10_000).magnitude * 2 == (d * 10_000).magnitude {
                ties += 1
            }
            #expect(halfEvenScaled(n, d, keep: keep) == plain, "n \(n) d \(d) keep \(keep)")
        }
        // Ties are rare at random; construct some: n/d × keep/10000 = k + 1/2.
        for k in 0..<200 {
            let keep = Int128(5_000)
            let n = Int128(2 * k + 1) * 2  // n/d × 1/2 = (2k+1)/2 with d = 2
            #expect(
                halfEvenScaled(n, 2, keep: keep) == Rounding.divide(n * keep, by: 20_000, .halfEven)
            )
            ties += 1
        }
        #expect(ties >= 200)
    }
}
