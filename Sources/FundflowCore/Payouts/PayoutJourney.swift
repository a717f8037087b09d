/// What happens to one payout on its route, hop by hop, as the gpi tracker records it
/// (DESIGN.md §5): each bank processes it when it is open (cut-offs, holidays, its time zone),
/// charges its fee by role and bearer, converts where the route says at the ECB rate of the day it
/// converts less its margin, and passes it on; the creditor agent credits it — or a bank rejects
/// it, and the money comes back along the same banks as a return.
///
/// The return: a creditor agent rejects at credit time (after its fee and conversion), an
/// intermediary when the payment reaches it (before its fee). Each bank that sends the return on
/// deducts its fee (the `intermediary` row, else `any`, in the currency it holds), then converts
/// into the currency of the link back at that day's rate less its margin for that pair (else its
/// margin for the opposite pair, else none). The debtor agent credits what reaches it in that
/// currency, without a fee and without converting it back. Fees billed on the way out stay spent.
public struct PayoutJourney: Equatable, Sendable {
    public struct Charge: Equatable, Sendable {
        public let agent: String
        public let amount: Money
    }

    public struct Conversion: Equatable, Sendable {
        public let source: Currency
        public let target: Currency
        /// The rate applied (10 significant digits), margin included.
        public let rate: String
    }

    public struct Event: Equatable, Sendable {
        public let time: Timestamp
        public let from: String
        public let to: String
        public let status: GPIStatus
        public let reason: String
        /// The amount the sender instructed.
        public let instructed: Money
        /// The amount that passed between the two banks of this event; for a reject, what the
        /// rejecting bank holds (after its fee and conversion at the creditor agent).
        public let settlement: Money?
        /// The amount credited (to the beneficiary, or to the sender for a return).
        public let confirmed: Money?
        public let charges: [Charge]
        public let conversion: Conversion?
        /// Part of the return.
        public let isReturn: Bool
        /// The gpi tracker knows of it: every bank up to the sender of the event reports to gpi, or
        /// it is the credit or the reject itself.
        public let tracked: Bool
    }

    public enum End: Equatable, Sendable {
        /// The beneficiary's account was credited with this amount.
        case credited(Money)
        /// Rejected with `reason`; `returned` reached the debtor agent (zero when return fees ate it).
        case returned(reason: String, returned: Money)
    }

    public let events: [Event]
    public let end: End
    /// Fees the sender was billed on the way out, in the send currency's value at mid.
    public let billedMinor: Int64

    public struct Rejection: Equatable, Sendable {
        public let bank: String
        public let reason: String

        public init(bank: String, reason: String) {
            self.bank = bank
            self.reason = reason
        }
    }

    /// Runs `plan` for `instructed` from `start`. `rate` gives the ECB cross rate of a day.
    public static func simulate(
        _ plan: RoutePlan, instructed: Money, bearer: ChargeBearer, start: Timestamp,
        network: Network, rejection: Rejection?,
        rate: (RateDay, Currency, Currency) throws -> CrossRate
    ) throws -> PayoutJourney {
        guard let schedule = RouteTiming.schedule(plan, start: start, network: network) else {
            throw RouteError.infeasible(
                bank: plan.banks[0], fee: "a wait of more than 30 days", left: "")
        }
        let gpi = plan.banks.map { network.banks[$0]?.gpi ?? false }
        let rejectAt = rejection.flatMap { rejected in plan.banks.firstIndex(of: rejected.bank) }
        var events: [Event] = []
        var left = instructed
        var billed: Int64 = 0
        var visible = true
        for index in plan.banks.indices {
            let bank = plan.banks[index]
            let time = schedule[index].processed
            let last = index == plan.banks.count - 1
            if let rejectAt, rejectAt == index, !last, let rejection {
                // An intermediary refuses what reaches it, before its fee.
                events.append(
                    Event(
                        time: time, from: bank, to: bank, status: .rjct, reason: rejection.reason,
                        instructed: instructed, settlement: left, confirmed: nil, charges: [],
                        conversion: nil, isReturn: false, tracked: true))
                return try returned(
                    plan, from: index, holding: left, reason: rejection.reason, at: time,
                    instructed: instructed, billed: billed, events: events, network: network,
                    rate: rate, visible: visible)
            }
            let day = RateDay(time)
            let (_, outgoing) = plan.currencies(at: index)
            let step = try RouteEvaluator.step(
                at: bank, index: index, role: plan.role(at: index), arriving: left,
                outgoing: outgoing, clearedCreditor: plan.cleared && last, send: plan.send,
                bearer: bearer, network: network, rate: { try rate(day, $0, $1) })
            billed += step.billedValueMinor
            left = step.hop.leaving
            let charges =
                step.hop.fee.minorUnits > 0 ? [Charge(agent: bank, amount: step.hop.fee)] : []
            let conversion = step.hop.conversion.map {
                Conversion(source: $0.from, target: $0.to, rate: $0.appliedRate)
            }
            if last {
                if let rejectAt, rejectAt == index, let rejection {
                    events.append(
                        Event(
                            time: time, from: bank, to: bank, status: .rjct,
                            reason: rejection.reason,
                            instructed: instructed, settlement: left, confirmed: nil,
                            charges: charges,
                            conversion: conversion, isReturn: false, tracked: true))
                    return try returned(
                        plan, from: index, holding: left, reason: rejection.reason, at: time,
                        instructed: instructed, billed: billed, events: events, network: network,
                        rate: rate, visible: visible)
                }
                events.append(
                    Event(
                        time: time, from: bank, to: bank, status: .accc, reason: "",
                        instructed: instructed, settlement: nil, confirmed: left, charges: charges,
                        conversion: conversion, isReturn: false, tracked: true))
                return PayoutJourney(events: events, end: .credited(left), billedMinor: billed)
            }
            let next = plan.banks[index + 1]
            visible = visible && gpi[index]
            events.append(
                Event(
                    time: time, from: bank, to: next, status: .acsp,
                    reason: gpi[index + 1] ? "G000" : "G001", instructed: instructed,
                    settlement: left, confirmed: nil, charges: charges, conversion: conversion,
                    isReturn: false, tracked: visible))
        }
        throw RouteError.infeasible(bank: plan.banks[0], fee: "an empty route", left: "")
    }

    /// The return from the rejecting bank back to the debtor agent.
    private static func returned(
        _ plan: RoutePlan, from rejecting: Int, holding amount: Money, reason: String,
        at time: Timestamp, instructed: Money, billed: Int64, events earlier: [Event],
        network: Network, rate: (RateDay, Currency, Currency) throws -> CrossRate, visible: Bool
    ) throws -> PayoutJourney {
        var events = earlier
        var left = amount
        var clock = time
        var index = rejecting
        while index > 0 {
            let bank = plan.banks[index]
            let back = plan.banks[index - 1]
            let linkCurrency = plan.linkCurrencies[index - 1]
            guard
                let processed = RouteTiming.nextOpening(
                    bank: bank, currency: left.currency, after: clock, network: network)
            else { break }
            var charges: [Charge] = []
            let feeMinor =
                try network.fee(bank, left.currency, role: .intermediary)?.charge(
                    onMinor: left.minorUnits) ?? 0
            let fee = min(feeMinor, left.minorUnits)
            if fee > 0 {
                charges.append(
                    Charge(agent: bank, amount: Money(minorUnits: fee, currency: left.currency)))
                left = Money(minorUnits: left.minorUnits - fee, currency: left.currency)
            }
            var conversion: Conversion?
            if left.currency != linkCurrency {
                let margin =
                    network.fxRule(bank, from: left.currency, to: linkCurrency)?.marginBps
                    ?? network.fxRule(bank, from: linkCurrency, to: left.currency)?.marginBps ?? 0
                let cross = try rate(RateDay(processed), left.currency, linkCurrency)
                let converted = try cross.convert(left, marginBps: margin)
                conversion = Conversion(
                    source: left.currency, target: linkCurrency,
                    rate: cross.appliedText(marginBps: margin))
                left = Money(minorUnits: converted.customerMinor, currency: linkCurrency)
            }
            let latency =
                network.links(from: back).first { $0.to == bank && $0.currency == linkCurrency }?
                .latencyMinutes ?? 0
            events.append(
                Event(
                    time: processed, from: bank, to: back, status: .rjct, reason: reason,
                    instructed: instructed, settlement: left, confirmed: nil, charges: charges,
                    conversion: conversion, isReturn: true, tracked: visible))
            clock = processed.adding(milliseconds: Int64(latency) * 60_000)
            index -= 1
        }
        let debtor = plan.banks[0]
        let credited =
            RouteTiming.nextOpening(
                bank: debtor, currency: left.currency, after: clock, network: network)
            ?? clock
        events.append(
            Event(
                time: credited, from: debtor, to: debtor, status: .rjct, reason: reason,
                instructed: instructed, settlement: nil, confirmed: left, charges: [],
                conversion: nil, isReturn: true, tracked: true))
        return PayoutJourney(
            events: events, end: .returned(reason: reason, returned: left), billedMinor: billed)
    }
}
