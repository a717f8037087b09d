import Testing

@testable import FundflowCore

/// Payouts on small hand-built networks whose figures are worked out by hand.
@Suite struct PayoutJourneyTests {
    static let php = Currency("PHP", 2)

    /// New York (A, gpi) → Manila (M, gpi); M converts USD → PHP and back at 50 bps.
    static func network(intermediaryGPI: Bool = true) -> Network {
        Network(
            banks: [
                .init(
                    bic: "AAAAUS33XXX", name: "A", country: "US", timeZone: "UTC", gpi: true,
                    deductsUnderOur: false),
                .init(
                    bic: "IIIIUS33XXX", name: "I", country: "US", timeZone: "UTC",
                    gpi: intermediaryGPI,
                    deductsUnderOur: false),
                .init(
                    bic: "MMMMPHMMXXX", name: "M", country: "PH", timeZone: "UTC", gpi: true,
                    deductsUnderOur: false),
            ],
            links: [
                .init(from: "AAAAUS33XXX", to: "MMMMPHMMXXX", currency: .usd, latencyMinutes: 60),
                .init(from: "AAAAUS33XXX", to: "IIIIUS33XXX", currency: .usd, latencyMinutes: 10),
                .init(from: "IIIIUS33XXX", to: "MMMMPHMMXXX", currency: .usd, latencyMinutes: 20),
            ],
            fees: [
                .init(
                    bic: "AAAAUS33XXX", currency: .usd, role: .debtor, fixedMinor: 1_000, bps: 0,
                    minMinor: 0, maxMinor: 0),
                .init(
                    bic: "MMMMPHMMXXX", currency: .usd, role: .creditor, fixedMinor: 1_000, bps: 0,
                    minMinor: 0, maxMinor: 0),
                .init(
                    bic: "MMMMPHMMXXX", currency: php, role: .intermediary, fixedMinor: 50_000,
                    bps: 0, minMinor: 0, maxMinor: 0),
                .init(
                    bic: "IIIIUS33XXX", currency: .usd, role: .any, fixedMinor: 500, bps: 0,
                    minMinor: 0, maxMinor: 0),
            ],
            fx: [
                .init(bic: "MMMMPHMMXXX", from: .usd, to: php, marginBps: 50),
                .init(bic: "MMMMPHMMXXX", from: php, to: .usd, marginBps: 50),
            ],
            cutoffs: [], holidays: [], clearing: [], restricted: [php: "PH"])
    }

    /// 1 EUR = 1 USD = 58 PHP, every day.
    static func rate(_ day: RateDay, _ from: Currency, _ to: Currency) throws -> CrossRate {
        let quotes: [Currency: DecimalRate] = [
            .usd: try DecimalRate(parsing: "1"), php: try DecimalRate(parsing: "58"),
        ]
        return CrossRate(
            from: from, to: to, fromQuote: quotes[from] ?? .one, toQuote: quotes[to] ?? .one,
            day: day)
    }

    static let start =
        Timestamp(iso8601: "2026-10-27T09:00:00Z") ?? Timestamp(millisecondsSinceEpoch: 0)
    static let direct = RoutePlan(
        banks: ["AAAAUS33XXX", "MMMMPHMMXXX"], linkCurrencies: [.usd], send: .usd, target: php)

    @Test func aCreditedPayoutIsTrackedHopByHop() throws {
        let journey = try PayoutJourney.simulate(
            Self.direct, instructed: Money(minorUnits: 100_000, currency: .usd), bearer: .sha,
            start: Self.start, network: Self.network(), rejection: nil, rate: Self.rate)
        // 1,000.00 − 10.00 = 990.00 USD × 58 × 0.995 = 57,132.90 PHP.
        #expect(journey.end == .credited(Money(minorUnits: 5_713_290, currency: Self.php)))
        #expect(journey.events.map(\.status) == [.acsp, .accc])
        #expect(journey.events[0].reason == "G000")
        #expect(journey.events[0].charges.map(\.amount.description) == ["10.00 USD"])
        #expect(journey.events[1].time.iso8601 == "2026-10-27T10:00:00Z")
        #expect(journey.events[1].conversion?.rate == "57.71000000")
        #expect(journey.billedMinor == 1_000)
    }

    /// The hand-worked return of issue 6: USD 1,000 under SHA, converted to PHP at the Manila
    /// bank, rejected AC01.
    @Test func aRejectedPayoutComesBackLessReturnFeesAndReconverted() throws {
        let journey = try PayoutJourney.simulate(
            Self.direct, instructed: Money(minorUnits: 100_000, currency: .usd), bearer: .sha,
            start: Self.start, network: Self.network(),
            rejection: .init(bank: "MMMMPHMMXXX", reason: "AC01"), rate: Self.rate)
        // Out: 1,000.00 − 10.00 (creditor fee) = 990.00 USD → 57,132.90 PHP, then AC01.
        // Back: 57,132.90 − 500.00 PHP (M's fee) = 56,632.90 PHP ÷ 58 × 0.995 = 971.5471… USD
        // → 971.55 USD credited; the 10.00 USD billed by A stays spent.
        #expect(
            journey.end
                == .returned(reason: "AC01", returned: Money(minorUnits: 97_155, currency: .usd)))
        #expect(journey.events.map(\.status) == [.acsp, .rjct, .rjct, .rjct])
        #expect(journey.events[1].conversion?.target == Self.php, "it converted before it rejected")
        #expect(journey.events[2].isReturn)
        #expect(journey.events[2].charges.map(\.amount.description) == ["500.00 PHP"])
        #expect(journey.events[2].settlement?.description == "971.55 USD")
        #expect(journey.events[3].confirmed?.description == "971.55 USD")
        #expect(journey.billedMinor == 1_000)
    }

    @Test func anIntermediaryRejectsWhatReachesItBeforeItsFee() throws {
        let plan = RoutePlan(
            banks: ["AAAAUS33XXX", "IIIIUS33XXX", "MMMMPHMMXXX"], linkCurrencies: [.usd, .usd],
            send: .usd, target: Self.php)
        let journey = try PayoutJourney.simulate(
            plan, instructed: Money(minorUnits: 100_000, currency: .usd), bearer: .sha,
            start: Self.start, network: Self.network(),
            rejection: .init(bank: "IIIIUS33XXX", reason: "RR04"), rate: Self.rate)
        // I rejects 1,000.00 USD, then sends it back less its 5.00 USD fee.
        #expect(
            journey.end
                == .returned(reason: "RR04", returned: Money(minorUnits: 99_500, currency: .usd)))
    }

    @Test func pastABankOutsideGPIOnlyTheCreditIsTracked() throws {
        let plan = RoutePlan(
            banks: ["AAAAUS33XXX", "IIIIUS33XXX", "MMMMPHMMXXX"], linkCurrencies: [.usd, .usd],
            send: .usd, target: Self.php)
        let journey = try PayoutJourney.simulate(
            plan, instructed: Money(minorUnits: 100_000, currency: .usd), bearer: .sha,
            start: Self.start, network: Self.network(intermediaryGPI: false), rejection: nil,
            rate: Self.rate)
        #expect(journey.events.map(\.reason) == ["G001", "G000", ""])
        #expect(journey.events.map(\.tracked) == [true, false, true])
    }

    @Test func theSameSeedGivesTheSameUETRs() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let a = (0..<5).map { _ in UETR.make(using: &first) }
        let b = (0..<5).map { _ in UETR.make(using: &second) }
        #expect(a == b)
        #expect(Set(a).count == 5)
        #expect(a.allSatisfy { UETR(parsing: $0.value) == $0 })
        #expect(UETR(parsing: "EB6305C9-1F7F-49DE-AED0-16487C27B42D") == nil, "lower case only")
        #expect(UETR(parsing: "eb6305c9-1f7f-39de-aed0-16487c27b42d") == nil, "version 4 only")
    }
}
