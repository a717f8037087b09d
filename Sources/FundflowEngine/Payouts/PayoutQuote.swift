import Foundation
public import FundflowCore

/// The figures a payout was quoted (and later approved) on, stored with it as JSON.
public struct PayoutQuote: Equatable, Sendable, Codable {
    public struct Fee: Equatable, Sendable, Codable {
        public let agent: String
        public let amount: String
        public let currency: String
        public let billed: Bool
    }

    public struct Conversion: Equatable, Sendable, Codable {
        public let agent: String
        public let from: String
        public let to: String
        public let rate: String
        public let midRate: String
        public let marginBps: Int64
        public let marginCost: String
        public let marginCostCurrency: String
    }

    public let path: [String]
    public let linkCurrencies: [String]
    /// The last leg is domestic clearing to a bank outside the network: an estimate.
    public let estimated: Bool
    public let bearer: String
    /// `send` (the amount sent is fixed) or `receive` (the amount to arrive is).
    public let fixed: String
    /// `best`, `fastest` or a rank.
    public let route: String
    /// The fixed amount as asked: sent (`fixed` = send) or to arrive (receive).
    public let asked: String
    public let instructed: String
    public let sendCurrency: String
    public let debited: String
    public let delivered: String
    public let targetCurrency: String
    public let cost: String
    public let costPercent: String
    public let fees: [Fee]
    public let fx: [Conversion]
    public let releaseAt: String
    public let eta: String
    public let rateDay: String
    public let flags: [String]
    /// The paying wallet is short: the conversion from another wallet the approval makes.
    public var funding: FundingProposal? = nil

    init(
        _ route: Router.Route, fixed: String, asked: Money, choice: String, flags: [String],
        rateDay: RateDay
    ) {
        let outcome = route.outcome
        path = outcome.plan.banks
        linkCurrencies = outcome.plan.linkCurrencies.map(\.code)
        estimated = route.estimated
        bearer = outcome.bearer.rawValue
        self.fixed = fixed
        self.route = choice
        self.asked = asked.description
        instructed = outcome.instructed.amountString
        sendCurrency = outcome.instructed.currency.code
        debited = outcome.debited.amountString
        delivered = outcome.delivered.amountString
        targetCurrency = outcome.delivered.currency.code
        cost = outcome.cost.amountString
        costPercent = outcome.costPercent
        fees = outcome.hops.filter { $0.fee.minorUnits > 0 }.map {
            Fee(
                agent: $0.bank, amount: $0.fee.amountString, currency: $0.fee.currency.code,
                billed: $0.feeBilled)
        }
        fx = outcome.hops.compactMap { hop in
            hop.conversion.map {
                Conversion(
                    agent: hop.bank, from: $0.from.code, to: $0.to.code, rate: $0.appliedRate,
                    midRate: $0.midRate, marginBps: $0.marginBps,
                    marginCost: $0.marginCost.amountString,
                    marginCostCurrency: $0.marginCost.currency.code)
            }
        }
        releaseAt = route.schedule.first?.arrives.iso8601 ?? ""
        eta = route.eta.iso8601
        self.rateDay = rateDay.description
        self.flags = flags
    }

    /// The route the quote names, to run the payout on.
    public func plan() throws -> RoutePlan {
        RoutePlan(
            banks: path, linkCurrencies: try linkCurrencies.map { try Currency.named($0) },
            send: try Currency.named(sendCurrency), target: try Currency.named(targetCurrency),
            cleared: estimated)
    }
}
