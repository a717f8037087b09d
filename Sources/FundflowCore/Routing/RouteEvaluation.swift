/// What happens to a payment along one route: each bank's fee on the amount that reaches it (in
/// the currency it has there), conversions at the ECB cross rate less the bank's margin, what is
/// debited from the sender and what arrives (DESIGN.md §2, §5).
public struct RouteOutcome: Equatable, Sendable {
    public struct Hop: Equatable, Sendable {
        public let bank: String
        public let role: Network.FeeRole
        /// The amount that reached the bank.
        public let arriving: Money
        public let fee: Money
        public let feeBilled: Bool
        public let conversion: Conversion?
        /// What the bank passed on (or credited, at the creditor agent).
        public let leaving: Money
    }

    public struct Conversion: Equatable, Sendable {
        public let from: Currency
        public let to: Currency
        public let appliedRate: String
        public let midRate: String
        public let marginBps: Int64
        /// What the margin took, in the target currency: position − customer amount.
        public let marginCost: Money
    }

    public let plan: RoutePlan
    public let bearer: ChargeBearer
    /// The principal the sender instructs (for a fixed receive amount, the least that delivers it).
    public var instructed: Money { hops.first?.arriving ?? debited }
    public let hops: [Hop]
    /// Principal plus the fees billed to the sender, in the send currency.
    public let debited: Money
    public let delivered: Money
    /// Debited minus the delivered amount valued at the ECB mid rate in the send currency.
    public let cost: Money
    /// Cost ÷ debited, in hundredths of a percent (basis points), rounded half-up.
    public let costBasisPoints: Int64

    public var costPercent: String { Money.format(minorUnits: costBasisPoints, exponent: 2) }
}

/// Why a route cannot carry a payment.
public enum RouteError: Error, Equatable, Sendable, CustomStringConvertible {
    case infeasible(bank: String, fee: String, left: String)
    case noConversion(bank: String, from: String, to: String)
    case restricted(bank: String, currency: String)
    case noRate(from: String, to: String)

    public var description: String {
        switch self {
        case .infeasible(let bank, let fee, let left):
            return "\(bank) would charge \(fee) with only \(left) left"
        case .noConversion(let bank, let from, let to):
            return "\(bank) does not convert \(from) into \(to)"
        case .restricted(let bank, let currency):
            return "\(currency) may not be handled by \(bank) outside its home country"
        case .noRate(let from, let to): return "no ECB rate for \(from)/\(to)"
        }
    }
}

public enum RouteEvaluator {
    /// Evaluates `plan` for `amount` (in the plan's send currency) under `bearer`. `rate` gives the
    /// ECB cross rate between two currencies for the payment's date.
    public static func evaluate(
        _ plan: RoutePlan, amount: Money, bearer: ChargeBearer, network: Network,
        rate: (Currency, Currency) throws -> CrossRate
    ) throws -> RouteOutcome {
        precondition(amount.currency == plan.send, "the amount is in the route's send currency")
        var left = amount
        var billedValueMinor: Int64 = 0
        var hops: [RouteOutcome.Hop] = []
        for index in plan.banks.indices {
            let (incoming, outgoing) = plan.currencies(at: index)
            let hop = try step(
                at: plan.banks[index], index: index, role: plan.role(at: index),
                arriving: left, outgoing: outgoing,
                clearedCreditor: plan.cleared && index == plan.banks.count - 1, send: plan.send,
                bearer: bearer, network: network, rate: rate)
            precondition(hop.hop.arriving.currency == incoming)
            billedValueMinor += hop.billedValueMinor
            left = hop.hop.leaving
            hops.append(hop.hop)
        }
        let debited = Money(minorUnits: amount.minorUnits + billedValueMinor, currency: plan.send)
        let deliveredValue = try value(left, in: plan.send, rate: rate)
        let costMinor = debited.minorUnits - deliveredValue
        let basisPoints = Int64(
            Rounding.divide(
                Int128(costMinor) * 10_000, by: Int128(max(1, debited.minorUnits)), .halfUp))
        return RouteOutcome(
            plan: plan, bearer: bearer, hops: hops, debited: debited, delivered: left,
            cost: Money(minorUnits: costMinor, currency: plan.send), costBasisPoints: basisPoints)
    }

    /// One bank's part of a route and what its billed fee is worth in the send currency.
    struct Step {
        let hop: RouteOutcome.Hop
        let billedValueMinor: Int64
    }

    /// What one bank does with the amount that reaches it: charges its fee on that amount in the
    /// currency it arrives in (deducted or billed, by the bearer), then converts into `outgoing`
    /// if it differs. The router extends partial routes with the same step, so a route is valued
    /// the same way whether it is being searched or explained.
    static func step(
        at bank: String, index: Int, role: Network.FeeRole, arriving: Money, outgoing: Currency,
        clearedCreditor: Bool, send: Currency, bearer: ChargeBearer, network: Network,
        rate: (Currency, Currency) throws -> CrossRate
    ) throws -> Step {
        let incoming = arriving.currency
        guard network.allows(incoming, at: bank) else {
            throw RouteError.restricted(bank: bank, currency: incoming.code)
        }
        // The fee: the bank's own row; a bank outside the network reached by clearing charges
        // the clearing row's fixed fee instead.
        var feeMinor: Int64 = 0
        if clearedCreditor {
            feeMinor = network.clearingRule(Network.country(ofBIC: bank), incoming)?.fixedMinor ?? 0
        } else if let rule = network.fee(bank, incoming, role: role) {
            feeMinor = try rule.charge(onMinor: arriving.minorUnits)
        }
        let fee = Money(minorUnits: feeMinor, currency: incoming)
        var left = arriving
        var billedValueMinor: Int64 = 0
        let deducts = bearer.deducts(
            atIndex: index, bankDeductsUnderOur: network.banks[bank]?.deductsUnderOur ?? false)
        if deducts {
            guard feeMinor < left.minorUnits else {
                throw RouteError.infeasible(
                    bank: bank, fee: fee.description, left: left.description)
            }
            left = Money(minorUnits: left.minorUnits - feeMinor, currency: incoming)
        } else if feeMinor > 0 {
            billedValueMinor = try value(fee, in: send, rate: rate)
        }
        var conversion: RouteOutcome.Conversion?
        if outgoing != incoming {
            guard network.allows(outgoing, at: bank) else {
                throw RouteError.restricted(bank: bank, currency: outgoing.code)
            }
            guard let rule = network.fxRule(bank, from: incoming, to: outgoing) else {
                throw RouteError.noConversion(bank: bank, from: incoming.code, to: outgoing.code)
            }
            let cross = try rate(incoming, outgoing)
            let converted = try cross.convert(left, marginBps: rule.marginBps)
            conversion = RouteOutcome.Conversion(
                from: incoming, to: outgoing,
                appliedRate: cross.appliedText(marginBps: rule.marginBps),
                midRate: cross.midText, marginBps: rule.marginBps,
                marginCost: Money(minorUnits: converted.marginMinor, currency: outgoing))
            left = Money(minorUnits: converted.customerMinor, currency: outgoing)
            guard left.minorUnits > 0 else {
                throw RouteError.infeasible(
                    bank: bank, fee: "the conversion", left: left.description)
            }
        }
        return Step(
            hop: RouteOutcome.Hop(
                bank: bank, role: role, arriving: arriving, fee: fee,
                feeBilled: !deducts && feeMinor > 0, conversion: conversion, leaving: left),
            billedValueMinor: billedValueMinor)
    }

    /// An amount valued in another currency at the ECB mid rate (half-even).
    static func value(
        _ amount: Money, in currency: Currency, rate: (Currency, Currency) throws -> CrossRate
    ) throws -> Int64 {
        guard amount.currency != currency else { return amount.minorUnits }
        return try rate(amount.currency, currency).convert(amount, marginBps: 0).positionMinor
    }
}
