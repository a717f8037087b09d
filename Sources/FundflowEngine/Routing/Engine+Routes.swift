public import FundflowCore
import FundflowStore

/// `route compare`: what the analyst asked. Exactly one of `amount` (a fixed send amount,
/// "1000 USD") and `receive` (a fixed amount to arrive, "50000 PHP", paid in `sendCurrency`).
public struct RouteRequest: Sendable {
    public var from: String
    public var to: String
    public var amount: String?
    public var receive: String?
    public var sendCurrency: String?
    public var currency: String?
    /// One bearer, or every bearer in turn (`--bearer all`).
    public var bearers: [ChargeBearer]
    public var k: Int
    public var ranking: Router.Ranking
    public var at: Timestamp?

    public init(
        from: String, to: String, amount: String?, receive: String? = nil,
        sendCurrency: String? = nil, currency: String?, bearers: [ChargeBearer], k: Int,
        ranking: Router.Ranking, at: Timestamp?
    ) {
        self.from = from
        self.to = to
        self.amount = amount
        self.receive = receive
        self.sendCurrency = sendCurrency
        self.currency = currency
        self.bearers = bearers
        self.k = k
        self.ranking = ranking
        self.at = at
    }
}

/// The routes found, with the flags DESIGN.md §5 asks for.
public struct RouteComparison: Sendable {
    public let request: RouteRequest
    public let start: Timestamp
    /// Best first within each bearer, bearers in the order asked.
    public let routes: [Router.Route]
    public let warnings: [String]

    /// G20 targets: cost above 1 % and 3 %; arrival after 1 hour and after 1 business day.
    public func flags(_ route: Router.Route) -> [String] { Self.flags(route, start: start) }

    /// G20 targets for a route that starts at `start`.
    public static func flags(_ route: Router.Route, start: Timestamp) -> [String] {
        var flags: [String] = []
        if route.outcome.costBasisPoints > 300 {
            flags.append("cost>3%")
        } else if route.outcome.costBasisPoints > 100 {
            flags.append("cost>1%")
        }
        let hours = (route.eta.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 3_600_000
        let nextBusinessDay = RateDay(start).adding(days: 1)
        var deadline = nextBusinessDay
        while deadline.isWeekend { deadline = deadline.adding(days: 1) }
        if route.eta > deadline.adding(days: 1).timestamp {
            flags.append(">1 business day")
        } else if hours >= 1 {
            flags.append(">1h")
        }
        if route.estimated { flags.append("estimated") }
        return flags
    }
}

/// `route curve`: how each of the best routes fares as the amount grows.
public struct RouteCurve: Sendable {
    public struct Series: Sendable {
        public let plan: RoutePlan
        /// One outcome per amount; nil where the route cannot carry that amount.
        public let outcomes: [RouteOutcome?]
    }

    /// The amount from which a different route is the cheapest.
    public struct BreakEven: Sendable {
        public let amount: Money
        public let before: Int
        public let after: Int
    }

    public let amounts: [Money]
    public let series: [Series]
    public let breakEvens: [BreakEven]
    public let warnings: [String]

    /// The index of the cheapest series at an amount (ties: more delivered, then the earlier series).
    public func best(at index: Int) -> Int? {
        RouteCurve.best(series.map { $0.outcomes[index] })
    }

    static func best(_ outcomes: [RouteOutcome?]) -> Int? {
        var best: Int?
        for (index, outcome) in outcomes.enumerated() {
            guard let outcome else { continue }
            guard let current = best, let leader = outcomes[current] else {
                best = index
                continue
            }
            if outcome.cost.minorUnits < leader.cost.minorUnits
                || (outcome.cost.minorUnits == leader.cost.minorUnits
                    && outcome.delivered.minorUnits > leader.delivered.minorUnits)
            {
                best = index
            }
        }
        return best
    }
}

/// Warnings gathered while routes are searched (stale rates, a search cut short).
final class RouteNotes {
    var items: [String] = []
}

/// A route request checked and resolved: what is fixed, in which currencies, from when.
struct ResolvedRouteRequest {
    let fixed: Router.Amount
    let send: Currency
    let target: Currency
    let network: Network
}

extension Engine {
    /// Finds the `k` best routes for a payment through the network, valued at the ECB rates of
    /// the day it starts.
    public func compareRoutes(_ request: RouteRequest) throws -> RouteComparison {
        let resolved = try resolve(request)
        return try withRouteRates(request) { start, rate, notes in
            var routes: [Router.Route] = []
            for bearer in request.bearers {
                let query = Router.Query(
                    from: request.from, to: request.to, amount: resolved.fixed, send: resolved.send,
                    target: resolved.target, bearer: bearer, k: request.k, ranking: request.ranking,
                    start: start)
                let result = Router.routes(query, network: resolved.network, rate: rate)
                if !result.exhaustive {
                    notes.items.append(
                        "the search under \(bearer.rawValue) stopped after \(result.expanded) partial routes: "
                            + "the routes shown are the best found, not necessarily the best there are"
                    )
                }
                routes += result.routes
            }
            return RouteComparison(
                request: request, start: start, routes: routes, warnings: notes.items)
        }
    }

    /// `route curve`: the `k` routes that rank best at any of `steps` amounts from `minimum` to
    /// `maximum` (geometric steps when the range spans a factor of 20 or more), each evaluated
    /// at every amount, and the exact amounts (to the minor unit) where the cheapest changes.
    public func routeCurve(
        _ request: RouteRequest, minimum: String, maximum: String, steps: Int
    ) throws
        -> RouteCurve
    {
        guard request.receive == nil else {
            throw EngineError.invalidArgument(
                "route curve varies the amount sent: give --min and --max, not --receive")
        }
        let low = try Money.parsePositive(minimum)
        let high = try Money.parsePositive(maximum)
        guard (2...500).contains(steps) else {
            throw EngineError.invalidArgument("--steps must be from 2 to 500")
        }
        guard low.currency == high.currency else {
            throw EngineError.invalidArgument("--min and --max must be in the same currency")
        }
        guard low.minorUnits < high.minorUnits else {
            throw EngineError.invalidArgument("--min must be below --max")
        }
        guard let bearer = request.bearers.first, request.bearers.count == 1 else {
            throw EngineError.invalidArgument("route curve takes one --bearer (SHA, BEN or OUR)")
        }
        var fixedRequest = request
        fixedRequest.amount = low.description
        let resolved = try resolve(fixedRequest)
        let amounts = RouteCurve.steps(from: low, to: high, count: steps)
        return try withRouteRates(request) { start, rate, notes in
            func query(_ amount: Money) -> Router.Query {
                Router.Query(
                    from: request.from, to: request.to, amount: amount, target: resolved.target,
                    bearer: bearer,
                    k: request.k, ranking: .cost, start: start)
            }
            // The plans that rank best somewhere, by their best rank, then by first appearance.
            var bestRank: [RoutePlan: (rank: Int, order: Int)] = [:]
            for amount in amounts {
                for (rank, route) in Router.routes(
                    query(amount), network: resolved.network, rate: rate
                ).routes
                    .enumerated()
                {
                    let plan = route.outcome.plan
                    let order = bestRank[plan]?.order ?? bestRank.count
                    bestRank[plan] = (min(rank, bestRank[plan]?.rank ?? rank), order)
                }
            }
            let plans = bestRank.sorted {
                ($0.value.rank, $0.value.order) < ($1.value.rank, $1.value.order)
            }
            .prefix(request.k).map(\.key)
            func outcome(_ plan: RoutePlan, _ amount: Money) -> RouteOutcome? {
                try? RouteEvaluator.evaluate(
                    plan, amount: amount, bearer: bearer, network: resolved.network, rate: rate)
            }
            let series = plans.map { plan in
                RouteCurve.Series(plan: plan, outcomes: amounts.map { outcome(plan, $0) })
            }
            func best(_ amount: Money) -> Int? {
                RouteCurve.best(plans.map { outcome($0, amount) })
            }
            var breakEvens: [RouteCurve.BreakEven] = []
            for index in amounts.indices.dropFirst() {
                let before = RouteCurve.best(series.map { $0.outcomes[index - 1] })
                let after = RouteCurve.best(series.map { $0.outcomes[index] })
                guard let before, let after, before != after else { continue }
                // The first minor unit at which the leader is no longer `before`.
                var lowMinor = amounts[index - 1].minorUnits
                var highMinor = amounts[index].minorUnits
                while highMinor - lowMinor > 1 {
                    let middle = lowMinor + (highMinor - lowMinor) / 2
                    if best(Money(minorUnits: middle, currency: low.currency)) == before {
                        lowMinor = middle
                    } else {
                        highMinor = middle
                    }
                }
                let switched = Money(minorUnits: highMinor, currency: low.currency)
                breakEvens.append(
                    RouteCurve.BreakEven(
                        amount: switched, before: before, after: best(switched) ?? after))
            }
            return RouteCurve(
                amounts: amounts, series: series, breakEvens: breakEvens, warnings: notes.items)
        }
    }

    /// Parses and checks what a route request names.
    func resolve(_ request: RouteRequest) throws -> ResolvedRouteRequest {
        let fixed: Router.Amount
        let send: Currency
        let target: Currency
        switch (request.amount, request.receive) {
        case (let amount?, nil):
            let money = try Money.parsePositive(amount)
            fixed = .send(money)
            send = money.currency
            guard let code = request.currency else {
                throw EngineError.invalidArgument("--currency: the currency to credit, e.g. PHP")
            }
            target = try Currency.named(code)
        case (nil, let receive?):
            let money = try Money.parsePositive(receive)
            fixed = .receive(money)
            target = money.currency
            guard let code = request.sendCurrency else {
                throw EngineError.invalidArgument(
                    "--send-currency: the currency the sender pays in, e.g. USD")
            }
            send = try Currency.named(code)
        default:
            throw EngineError.invalidArgument(
                "give either --amount \"AMOUNT CCY\" (fixed send) or --receive \"AMOUNT CCY\" (fixed receive)"
            )
        }
        guard BIC.isWellFormed(request.from) else {
            throw EngineError.invalidArgument(
                "--from \(request.from): expected a BIC such as DEUTDEFFXXX")
        }
        guard BIC.isWellFormed(request.to) else {
            throw EngineError.invalidArgument(
                "--to \(request.to): expected a BIC such as BNORPHMMXXX")
        }
        guard (1...50).contains(request.k) else {
            throw EngineError.invalidArgument("--k must be from 1 to 50")
        }
        let network = try network()
        guard network.banks[request.from] != nil else {
            throw EngineError.invalidArgument(
                "--from \(request.from) is not in the network: see `network banks`")
        }
        try ensureRates()
        return ResolvedRouteRequest(fixed: fixed, send: send, target: target, network: network)
    }

    /// Runs `body` in one read transaction with the start time and the ECB cross rates of its day
    /// (cached; a stale rate adds a note).
    func withRouteRates<T>(
        _ request: RouteRequest,
        _ body: (Timestamp, (Currency, Currency) throws -> CrossRate, RouteNotes) throws -> T
    ) throws -> T {
        try store.read { transaction in
            let start = try request.at ?? time(in: transaction)
            let day = RateDay(start)
            let notes = RouteNotes()
            var cache: [String: CrossRate] = [:]
            let rate: (Currency, Currency) throws -> CrossRate = { from, to in
                if let known = cache[from.code + to.code] { return known }
                let found = try self.crossRate(from: from, to: to, on: day, in: transaction)
                if let stale = Engine.staleness(of: found, usedOn: day),
                    !notes.items.contains(stale)
                {
                    notes.items.append(stale)
                }
                cache[from.code + to.code] = found
                return found
            }
            return try body(start, rate, notes)
        }
    }
}

extension RouteCurve {
    /// Preferred-number series (IEC 60063 E-series, and 1-2-5), in hundredths: geometric steps
    /// of round amounts, computed without floating point.
    static let series: [[Int64]] = [
        [100, 200, 500],
        [100, 150, 220, 330, 470, 680],
        [100, 120, 150, 180, 220, 270, 330, 390, 470, 560, 680, 820],
        [
            100, 110, 120, 130, 150, 160, 180, 200, 220, 240, 270, 300, 330, 360, 390, 430, 470,
            510,
            560, 620, 680, 750, 820, 910,
        ],
    ]

    /// About `count` amounts from `low` to `high`, both included. When `high` is 20 times `low`
    /// or more the steps are geometric, on the coarsest preferred-number series that gives at
    /// least `count` amounts (E24 at most), so the amounts are round; otherwise evenly spaced.
    static func steps(from low: Money, to high: Money, count: Int) -> [Money] {
        var amounts: [Int64] = []
        if high.minorUnits / low.minorUnits >= 20 {
            for mantissas in series {
                amounts = [low.minorUnits]
                var decade: Int64 = 1
                outer: while true {
                    for mantissa in mantissas {
                        let (scaled, overflow) = mantissa.multipliedReportingOverflow(by: decade)
                        if overflow || scaled / 100 >= high.minorUnits { break outer }
                        if scaled % 100 == 0, scaled / 100 > low.minorUnits {
                            amounts.append(scaled / 100)
                        }
                    }
                    decade *= 10
                }
                amounts.append(high.minorUnits)
                if amounts.count >= count { break }
            }
        } else {
            amounts = (0..<count).map {
                low.minorUnits + (high.minorUnits - low.minorUnits) * Int64($0) / Int64(count - 1)
            }
        }
        var unique: [Int64] = []
        for minor in amounts where unique.last.map({ $0 < minor }) ?? true { unique.append(minor) }
        return unique.map { Money(minorUnits: $0, currency: low.currency) }
    }
}
