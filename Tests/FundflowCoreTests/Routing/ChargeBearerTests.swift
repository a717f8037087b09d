import Testing

@testable import FundflowCore

/// Hand-worked examples of DESIGN.md §5's fee and charge-bearer rules.
@Suite struct ChargeBearerTests {
    static let usd = Currency.usd
    static let eur = Currency.eur

    /// Two US banks: A (debtor agent) charges 10.00, B (creditor agent) 50.00, in USD.
    static func gpiNetwork(deductsUnderOur: Bool = false) -> Network {
        Network(
            banks: [
                .init(
                    bic: "AAAAUS33XXX", name: "A", country: "US", timeZone: "America/New_York",
                    gpi: true, deductsUnderOur: false),
                .init(
                    bic: "BBBBUS33XXX", name: "B", country: "US", timeZone: "America/New_York",
                    gpi: true, deductsUnderOur: deductsUnderOur),
            ],
            links: [
                .init(from: "AAAAUS33XXX", to: "BBBBUS33XXX", currency: usd, latencyMinutes: 10)
            ],
            fees: [
                .init(
                    bic: "AAAAUS33XXX", currency: usd, role: .debtor, fixedMinor: 1_000, bps: 0,
                    minMinor: 0, maxMinor: 0),
                .init(
                    bic: "BBBBUS33XXX", currency: usd, role: .creditor, fixedMinor: 5_000, bps: 0,
                    minMinor: 0, maxMinor: 0),
            ],
            fx: [], cutoffs: [], holidays: [], clearing: [], restricted: [:])
    }

    static let plan = RoutePlan(
        banks: ["AAAAUS33XXX", "BBBBUS33XXX"], linkCurrencies: [usd], send: usd, target: usd)

    static func noRates(_ from: Currency, _ to: Currency) throws -> CrossRate {
        CrossRate(
            from: from, to: to, fromQuote: .one, toQuote: .one, day: RateDay(daysSinceEpoch: 0))
    }

    @Test func theGpiExampleUnderBEN() throws {
        let outcome = try RouteEvaluator.evaluate(
            Self.plan, amount: Money(minorUnits: 100_000, currency: Self.usd), bearer: .ben,
            network: Self.gpiNetwork(),
            rate: Self.noRates)
        #expect(outcome.hops[0].leaving.amountString == "990.00", "settled on hop 1")
        #expect(outcome.delivered.amountString == "940.00", "credited")
        #expect(outcome.debited.amountString == "1000.00")
        #expect(outcome.cost.amountString == "60.00")
        #expect(outcome.costPercent == "6.00")
    }

    @Test func underSHATheDebtorAgentsFeeIsBilledAndLaterFeesDeducted() throws {
        let outcome = try RouteEvaluator.evaluate(
            Self.plan, amount: Money(minorUnits: 100_000, currency: Self.usd), bearer: .sha,
            network: Self.gpiNetwork(),
            rate: Self.noRates)
        #expect(outcome.hops[0].feeBilled)
        #expect(outcome.hops[0].leaving.amountString == "1000.00")
        #expect(outcome.delivered.amountString == "950.00")
        #expect(outcome.debited.amountString == "1010.00")
    }

    @Test func underOURTheAmountArrivesWholeUnlessABankDeductsAnyway() throws {
        let whole = try RouteEvaluator.evaluate(
            Self.plan, amount: Money(minorUnits: 100_000, currency: Self.usd), bearer: .our,
            network: Self.gpiNetwork(),
            rate: Self.noRates)
        #expect(whole.delivered.amountString == "1000.00")
        #expect(whole.debited.amountString == "1060.00")
        let deducted = try RouteEvaluator.evaluate(
            Self.plan, amount: Money(minorUnits: 100_000, currency: Self.usd), bearer: .our,
            network: Self.gpiNetwork(deductsUnderOur: true), rate: Self.noRates)
        #expect(deducted.delivered.amountString == "950.00")
        #expect(deducted.debited.amountString == "1010.00")
    }

    @Test func slevReadsAsShared() {
        #expect(ChargeBearer(parsing: "SLEV") == .sha)
        #expect(ChargeBearer(parsing: "CRED") == .ben)
        #expect(ChargeBearer(parsing: "DEBT") == .our)
        #expect(ChargeBearer(parsing: "XYZ") == nil)
    }

    @Test func aConvertingBankChargesInTheIncomingCurrencyBeforeItConverts() throws {
        // A (DE) receives EUR 1000, charges 0.1 % (min 5, max 0) in EUR, converts to USD at
        // 1.1172 less 50 bps and sends USD to B (US), which charges 20.00 USD under SHA.
        let network = Network(
            banks: [
                .init(
                    bic: "AAAADEFFXXX", name: "A", country: "DE", timeZone: "Europe/Berlin",
                    gpi: true, deductsUnderOur: false),
                .init(
                    bic: "BBBBUS33XXX", name: "B", country: "US", timeZone: "America/New_York",
                    gpi: true, deductsUnderOur: false),
            ],
            links: [
                .init(
                    from: "AAAADEFFXXX", to: "BBBBUS33XXX", currency: Self.usd, latencyMinutes: 60)
            ],
            fees: [
                .init(
                    bic: "AAAADEFFXXX", currency: Self.eur, role: .any, fixedMinor: 0, bps: 10,
                    minMinor: 500, maxMinor: 0),
                .init(
                    bic: "BBBBUS33XXX", currency: Self.usd, role: .creditor, fixedMinor: 2_000,
                    bps: 0, minMinor: 0, maxMinor: 0),
            ],
            fx: [.init(bic: "AAAADEFFXXX", from: Self.eur, to: Self.usd, marginBps: 50)],
            cutoffs: [], holidays: [],
            clearing: [], restricted: [:])
        let plan = RoutePlan(
            banks: ["AAAADEFFXXX", "BBBBUS33XXX"], linkCurrencies: [Self.usd], send: Self.eur,
            target: Self.usd)
        let rate: (Currency, Currency) throws -> CrossRate = { from, to in
            CrossRate(
                from: from, to: to,
                fromQuote: from == .eur ? .one : try DecimalRate(parsing: "1.1172"),
                toQuote: to == .eur ? .one : try DecimalRate(parsing: "1.1172"),
                day: RateDay(daysSinceEpoch: 0))
        }
        // BEN: fee max(5, 1.00) = 5.00 EUR; 995.00 EUR × 1.1172 = 1111.614 → customer
        // round_half_even(1111.614 × 0.995) = 1106.06 USD (position 1111.61); B charges 20.00 → 1086.06.
        let outcome = try RouteEvaluator.evaluate(
            plan, amount: Money(minorUnits: 100_000, currency: Self.eur), bearer: .ben,
            network: network, rate: rate)
        #expect(outcome.hops[0].fee.description == "5.00 EUR")
        #expect(
            outcome.hops[0].conversion?.marginCost.description == "5.55 USD",
            "position 1111.61 − customer 1106.06")
        #expect(outcome.hops[0].leaving.description == "1106.06 USD")
        #expect(outcome.delivered.description == "1086.06 USD")
    }

    @Test func aFeeAtLeastTheAmountLeftMakesTheRouteInfeasible() {
        #expect(throws: RouteError.self) {
            try RouteEvaluator.evaluate(
                Self.plan, amount: Money(minorUnits: 5_500, currency: Self.usd), bearer: .ben,
                network: Self.gpiNetwork(),
                rate: Self.noRates)
        }
    }
}

@Suite struct RouteTimingTests {
    @Test func aPaymentAfterTheCutOffOnFridayWaitsForMondaysOpening() throws {
        // B (New York) handles USD 09:00–17:00 local; 2026-11-27 is a Friday.
        let network = Network(
            banks: [
                .init(
                    bic: "AAAADEFFXXX", name: "A", country: "DE", timeZone: "Europe/Berlin",
                    gpi: true, deductsUnderOur: false),
                .init(
                    bic: "BBBBUS33XXX", name: "B", country: "US", timeZone: "America/New_York",
                    gpi: true, deductsUnderOur: false),
            ],
            links: [
                .init(from: "AAAADEFFXXX", to: "BBBBUS33XXX", currency: .usd, latencyMinutes: 30)
            ], fees: [], fx: [],
            cutoffs: [
                .init(
                    bic: "BBBBUS33XXX", currency: .usd, opensMinute: 9 * 60, cutoffMinute: 17 * 60)
            ],
            holidays: [], clearing: [], restricted: [:])
        let plan = RoutePlan(
            banks: ["AAAADEFFXXX", "BBBBUS33XXX"], linkCurrencies: [.usd], send: .usd, target: .usd)
        // Leaves A at 22:00 UTC (17:00 in New York), arrives 22:30 UTC = 17:30 local: too late.
        let start = try #require(Timestamp(iso8601: "2026-11-27T22:00:00Z"))
        let hops = try #require(RouteTiming.schedule(plan, start: start, network: network))
        #expect(hops[1].arrives.iso8601 == "2026-11-27T22:30:00Z")
        #expect(hops[1].processed.iso8601 == "2026-11-30T14:00:00Z", "Monday 09:00 in New York")
    }

    @Test func aHolidayOfTheBanksCountryOrTheCurrencyClosesTheBank() throws {
        let network = Network(
            banks: [
                .init(
                    bic: "BBBBUS33XXX", name: "B", country: "US", timeZone: "America/New_York",
                    gpi: true, deductsUnderOur: false)
            ],
            links: [], fees: [], fx: [], cutoffs: [],
            holidays: [("2026-11-26", "US"), ("2026-11-27", "USD")],
            clearing: [], restricted: [:])
        let thursday = try #require(Timestamp(iso8601: "2026-11-26T15:00:00Z"))
        let opens = try #require(
            RouteTiming.nextOpening(
                bank: "BBBBUS33XXX", currency: .usd, after: thursday, network: network))
        #expect(
            opens.iso8601 == "2026-11-30T05:00:00Z", "Thanksgiving, a USD holiday, then the weekend"
        )
    }
}
