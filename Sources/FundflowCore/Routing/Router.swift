/// Finds the best routes for a payment through the network (DESIGN.md §5).
///
/// The search is exact: a best-first enumeration of simple paths (no bank twice, at most six
/// banks) ordered by a key that never overstates what a route will end up costing (or when it
/// arrives). A partial route's cost key is what the payment has lost so far: the fees billed plus
/// the send amount less the value, at the ECB mid rate, of what is on its way. Fees only take
/// away and margins only take away, so a longer route never costs less than its prefix, except
/// for the half minor unit each conversion may gain by rounding; `slack` covers that bound. A
/// complete route goes back on the heap at its real cost, and the search stops once the next key
/// is beyond the k-th best cost plus the slack, so no unseen route could rank among the k best.
/// Partial routes that cannot reach the creditor agent within six banks (a breadth-first count of
/// links backwards from it) are never expanded.
public enum Router {
    public enum Ranking: String, Sendable, CaseIterable {
        case cost
        case time
    }

    /// What the sender fixes: the amount sent, or the amount the beneficiary must receive.
    public enum Amount: Equatable, Sendable {
        case send(Money)
        case receive(Money)
    }

    public struct Query: Sendable {
        public let from: String
        public let to: String
        public let amount: Amount
        public let send: Currency
        public let target: Currency
        public let bearer: ChargeBearer
        public let k: Int
        public let ranking: Ranking
        public let start: Timestamp
        public let maximumBanks: Int

        /// A fixed send amount.
        public init(
            from: String, to: String, amount: Money, target: Currency, bearer: ChargeBearer,
            k: Int = 5, ranking: Ranking = .cost, start: Timestamp, maximumBanks: Int = 6
        ) {
            self.init(
                from: from, to: to, amount: .send(amount), send: amount.currency, target: target,
                bearer: bearer, k: k, ranking: ranking, start: start, maximumBanks: maximumBanks)
        }

        public init(
            from: String, to: String, amount: Amount, send: Currency, target: Currency,
            bearer: ChargeBearer, k: Int = 5, ranking: Ranking = .cost, start: Timestamp,
            maximumBanks: Int = 6
        ) {
            self.from = from
            self.to = to
            self.amount = amount
            self.send = send
            self.target = target
            self.bearer = bearer
            self.k = k
            self.ranking = ranking
            self.start = start
            self.maximumBanks = maximumBanks
        }
    }

    /// A route with what it costs and when it arrives.
    public struct Route: Equatable, Sendable {
        public let outcome: RouteOutcome
        public let schedule: [RouteTiming.Hop]
        public var eta: Timestamp {
            schedule.last?.processed ?? Timestamp(millisecondsSinceEpoch: 0)
        }
        public var estimated: Bool { outcome.plan.cleared }
    }

    /// The routes found, best first, and whether the search finished within its budget.
    public struct Result: Sendable {
        public let routes: [Route]
        /// False when the search gave up after `Router.budget` partial routes; the routes listed
        /// are then the best of those seen, not necessarily the best there are.
        public let exhaustive: Bool
        public let expanded: Int
    }

    /// Partial routes the search may expand before it gives up.
    public static let budget = 2_000_000

    /// A route on the heap: partial (on its way to its last bank) or complete (fully evaluated).
    private struct Label {
        var banks: [String]
        var currencies: [Currency]
        /// The amount arriving at the last bank, before its fee.
        var arriving: Money
        /// Fees billed to the sender so far, valued in the send currency.
        var billedMinor: Int64
        var arrives: Timestamp
        var key: Int64
        /// The send amount.
        var sentMinor: Int64
        var complete: Route? = nil
    }

    /// The `k` best routes, best first (ties: more delivered, then earlier arrival). For a fixed
    /// receive amount, the routes are searched for the amount the target is worth at the mid rate
    /// and each candidate is then sent the least amount that delivers the target.
    public static func routes(
        _ query: Query, network: Network, rate: (Currency, Currency) throws -> CrossRate
    ) -> Result {
        let cachedRate = rate
        switch query.amount {
        case .send(let amount):
            return search(query, amount: amount, k: query.k, network: network, rate: cachedRate)
        case .receive(let target):
            guard
                let estimate = try? RouteEvaluator.value(target, in: query.send, rate: cachedRate),
                estimate > 0
            else { return Result(routes: [], exhaustive: true, expanded: 0) }
            let candidates = search(
                query, amount: Money(minorUnits: estimate, currency: query.send),
                k: query.k * 2 + 2, network: network, rate: cachedRate)
            let routes = candidates.routes.compactMap { candidate -> Route? in
                guard
                    let sent = leastSendAmount(
                        candidate.outcome.plan, delivering: target, bearer: query.bearer,
                        network: network, rate: cachedRate)
                else { return nil }
                return complete(
                    candidate.outcome.plan, amount: sent, query, network, cachedRate)
            }
            return Result(
                routes: Array(sorted(routes, by: query.ranking).prefix(query.k)),
                exhaustive: candidates.exhaustive, expanded: candidates.expanded)
        }
    }

    /// The `query.k` best of known candidate routes for the query's amount, each evaluated
    /// exactly (a batch reuses the candidates one search found for its corridor instead of
    /// searching again for every payment). The candidates' schedules are kept: they depend on the
    /// start, not on the amount. Candidates that cannot carry the amount are left out.
    public static func rank(
        _ candidates: [Route], _ query: Query, network: Network,
        rate: (Currency, Currency) throws -> CrossRate
    ) -> [Route] {
        let routes = candidates.compactMap { candidate -> Route? in
            let plan = candidate.outcome.plan
            let amount: Money
            switch query.amount {
            case .send(let sent): amount = sent
            case .receive(let target):
                guard
                    let sent = leastSendAmount(
                        plan, delivering: target, bearer: query.bearer, network: network,
                        rate: rate)
                else { return nil }
                amount = sent
            }
            guard
                let outcome = try? RouteEvaluator.evaluate(
                    plan, amount: amount, bearer: query.bearer, network: network, rate: rate)
            else { return nil }
            return Route(outcome: outcome, schedule: candidate.schedule)
        }
        return first(query.k, of: routes, by: query.ranking)
    }

    /// The least send amount for which `plan` delivers at least `target`: what arrives never
    /// falls when more is sent (a fee grows by at most its rate times the growth, and conversion
    /// is monotone), so a binary search between 1 and a doubling upper bound finds it.
    public static func leastSendAmount(
        _ plan: RoutePlan, delivering target: Money, bearer: ChargeBearer, network: Network,
        rate: (Currency, Currency) throws -> CrossRate
    ) -> Money? {
        func delivers(_ minor: Int64) -> Bool {
            guard
                let outcome = try? RouteEvaluator.evaluate(
                    plan, amount: Money(minorUnits: minor, currency: plan.send), bearer: bearer,
                    network: network, rate: rate)
            else { return false }
            return outcome.delivered.minorUnits >= target.minorUnits
        }
        var high: Int64 = max(1, target.minorUnits)
        while !delivers(high) {
            guard high < Int64.max / 4 else { return nil }
            high *= 2
        }
        var low: Int64 = 0  // delivers(low) is false or low is 0
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if delivers(middle) { high = middle } else { low = middle }
        }
        return Money(minorUnits: high, currency: plan.send)
    }

    private static func search(
        _ query: Query, amount: Money, k: Int, network: Network,
        rate: (Currency, Currency) throws -> CrossRate
    ) -> Result {
        let destinationInNetwork = network.banks[query.to] != nil
        let linksLeft = linksToDestination(query, network: network)
        let slack = query.ranking == .cost ? roundingSlack(query, amount, network, rate) : 0
        var heap = Heap<Label>(by: { $0.key < $1.key })
        if 1 + linksLeft[query.from] <= query.maximumBanks {
            heap.push(
                Label(
                    banks: [query.from], currencies: [], arriving: amount, billedMinor: 0,
                    arrives: query.start, key: 0, sentMinor: amount.minorUnits))
        }
        var found: [Route] = []
        var keys: [Int64] = []
        var expanded = 0
        while let label = heap.pop() {
            if keys.count >= k, label.key > kthSmallest(keys, k) + slack { break }
            if let route = label.complete {
                found.append(route)
                keys.append(label.key)
                continue
            }
            guard expanded < budget else {
                return Result(
                    routes: Array(sorted(found, by: query.ranking).prefix(k)), exhaustive: false,
                    expanded: expanded)
            }
            expanded += 1
            guard let bank = label.banks.last else { continue }
            if bank == query.to {
                let plan = RoutePlan(
                    banks: label.banks, linkCurrencies: label.currencies, send: amount.currency,
                    target: query.target, cleared: !destinationInNetwork)
                if let route = complete(plan, amount: amount, query, network, rate) {
                    var done = label
                    done.key =
                        query.ranking == .cost
                        ? route.outcome.cost.minorUnits : route.eta.millisecondsSinceEpoch
                    done.complete = route
                    heap.push(done)
                }
                continue
            }
            for next in successors(
                of: label, query: query, network: network,
                destinationInNetwork: destinationInNetwork)
            {
                guard label.banks.count + 1 + linksLeft[next.to] <= query.maximumBanks else {
                    continue
                }
                if let child = extend(label, via: next, query: query, network: network, rate: rate)
                {
                    heap.push(child)
                }
            }
        }
        return Result(
            routes: Array(sorted(found, by: query.ranking).prefix(k)), exhaustive: true,
            expanded: expanded)
    }

    private static func kthSmallest(_ keys: [Int64], _ k: Int) -> Int64 {
        keys.sorted()[k - 1]
    }

    /// How many links at least separate a bank from the creditor agent: exact for the banks a
    /// backward breadth-first search reached, and one more than its last level for every other
    /// bank. The search stops before a level would take it past `backwardBudget` banks, so on a
    /// large network it costs little and still prunes every partial route that cannot reach the
    /// creditor agent within six banks.
    struct LinksLeft {
        let known: [String: Int]
        let beyond: Int

        subscript(bic: String) -> Int { known[bic] ?? beyond }
    }

    static let backwardBudget = 600

    private static func linksToDestination(_ query: Query, network: Network) -> LinksLeft {
        var distance: [String: Int] = [query.to: 0]
        var frontier: [String] = [query.to]
        var depth = 0
        if network.banks[query.to] == nil {
            // Reached by domestic clearing from any bank of its country.
            let country = Network.country(ofBIC: query.to)
            frontier =
                network.clearingRule(country, query.target) == nil
                ? [] : network.banks.values.filter { $0.country == country }.map(\.bic)
            for bic in frontier { distance[bic] = 1 }
            depth = 1
        }
        while !frontier.isEmpty && depth < query.maximumBanks - 1 {
            let reach = frontier.reduce(0) { $0 + network.links(to: $1).count }
            if distance.count + reach > backwardBudget && depth >= 1 { break }
            depth += 1
            var next: [String] = []
            for bic in frontier {
                for link in network.links(to: bic) where distance[link.from] == nil {
                    distance[link.from] = depth
                    next.append(link.from)
                }
            }
            frontier = next
        }
        // Banks not reached: unreachable if the search ran out of banks, else farther than it went.
        return LinksLeft(known: distance, beyond: frontier.isEmpty ? Int.max / 2 : depth + 1)
    }

    /// How far rounding can make a route's cost fall below the key of one of its prefixes: each
    /// conversion rounds half-up to a minor unit of its target, worth at most one minor unit of
    /// the most valuable currency in the network, plus one for valuing at the mid rate.
    private static func roundingSlack(
        _ query: Query, _ amount: Money, _ network: Network,
        _ rate: (Currency, Currency) throws -> CrossRate
    ) -> Int64 {
        let currencies = network.linkCurrencies.union([query.target])
        var unit: Int64 = 1
        for currency in currencies where currency != amount.currency {
            let million = Money(minorUnits: 1_000_000, currency: currency)
            if let worth = try? RouteEvaluator.value(million, in: amount.currency, rate: rate) {
                unit = max(unit, worth / 1_000_000 + 1)
            }
        }
        return Int64(query.maximumBanks) * unit + 1
    }

    /// The links a partial route may take next: to banks not yet on it, in currencies the
    /// current bank may hold and the next may receive; plus domestic clearing to a creditor agent
    /// outside the network.
    private static func successors(
        of label: Label, query: Query, network: Network, destinationInNetwork: Bool
    ) -> [Network.Link] {
        guard let bank = label.banks.last else { return [] }
        var links = network.links(from: bank).filter { link in
            !label.banks.contains(link.to) && network.allows(link.currency, at: link.to)
                && network.allows(link.currency, at: bank)
        }
        if !destinationInNetwork, let here = network.banks[bank],
            here.country == Network.country(ofBIC: query.to),
            let clearing = network.clearingRule(here.country, query.target)
        {
            links.append(
                Network.Link(
                    from: bank, to: query.to, currency: clearing.currency,
                    latencyMinutes: clearing.latencyMinutes))
        }
        return links
    }

    /// A partial route one link longer: the current bank charges its fee and converts if the link
    /// carries another currency (the evaluator's own step).
    private static func extend(
        _ label: Label, via link: Network.Link, query: Query, network: Network,
        rate: (Currency, Currency) throws -> CrossRate
    ) -> Label? {
        let index = label.banks.count - 1
        do {
            let step = try RouteEvaluator.step(
                at: link.from, index: index, role: index == 0 ? .debtor : .intermediary,
                arriving: label.arriving, outgoing: link.currency, clearedCreditor: false,
                send: query.send, bearer: query.bearer, network: network, rate: rate)
            var child = label
            child.banks.append(link.to)
            child.currencies.append(link.currency)
            child.arriving = step.hop.leaving
            child.billedMinor = label.billedMinor + step.billedValueMinor
            switch query.ranking {
            case .cost:
                let value = try RouteEvaluator.value(child.arriving, in: query.send, rate: rate)
                child.key = label.sentMinor + child.billedMinor - value
                // Not yet in the target currency: some bank must still convert what is left (or
                // less, after fees) into it, at no less than the thinnest margin into the target.
                // Whatever fees take first, the loss is at least that margin on all of it now.
                if child.arriving.currency != query.target,
                    let margin = network.thinnestMargin(into: query.target)
                {
                    child.key += Int64(Int128(value) * Int128(margin) / 10_000)
                }
            case .time:
                guard
                    let opens = RouteTiming.nextOpening(
                        bank: link.from, currency: label.arriving.currency, after: label.arrives,
                        network: network)
                else { return nil }
                child.arrives = opens.adding(milliseconds: Int64(link.latencyMinutes) * 60_000)
                child.key = child.arrives.millisecondsSinceEpoch
            }
            return child
        } catch {
            return nil
        }
    }

    /// A complete route evaluated and scheduled; nil when it cannot carry the payment.
    static func complete(
        _ plan: RoutePlan, amount: Money, _ query: Query, _ network: Network,
        _ rate: (Currency, Currency) throws -> CrossRate
    ) -> Route? {
        guard
            let outcome = try? RouteEvaluator.evaluate(
                plan, amount: amount, bearer: query.bearer, network: network, rate: rate),
            let schedule = RouteTiming.schedule(plan, start: query.start, network: network)
        else { return nil }
        return Route(outcome: outcome, schedule: schedule)
    }

    /// Best first: by cost (then more delivered, then earlier), or by arrival (then cost).
    public static func sorted(_ routes: [Route], by ranking: Ranking) -> [Route] {
        routes.sorted { precedes($0, $1, by: ranking) }
    }

    /// The `k` first routes in ranking order: for one, the least route is found in one pass
    /// (the order is total, so it is the one sorting puts first).
    static func first(_ k: Int, of routes: [Route], by ranking: Ranking) -> [Route] {
        if k == 1 {
            return routes.min { precedes($0, $1, by: ranking) }.map { [$0] } ?? []
        }
        return Array(sorted(routes, by: ranking).prefix(k))
    }

    /// The ranking order: a total order, ties broken by the plan's text.
    static func precedes(_ a: Route, _ b: Route, by ranking: Ranking) -> Bool {
        switch ranking {
        case .cost:
            if a.outcome.cost.minorUnits != b.outcome.cost.minorUnits {
                return a.outcome.cost.minorUnits < b.outcome.cost.minorUnits
            }
            if a.outcome.delivered.minorUnits != b.outcome.delivered.minorUnits {
                return a.outcome.delivered.minorUnits > b.outcome.delivered.minorUnits
            }
            if a.eta != b.eta { return a.eta < b.eta }
        case .time:
            if a.eta != b.eta { return a.eta < b.eta }
            if a.outcome.cost.minorUnits != b.outcome.cost.minorUnits {
                return a.outcome.cost.minorUnits < b.outcome.cost.minorUnits
            }
        }
        return a.outcome.plan.description < b.outcome.plan.description
    }
}

/// A binary min-heap on a comparison, for the router's best-first search.
struct Heap<Element> {
    private var items: [Element] = []
    private let less: (Element, Element) -> Bool

    init(by less: @escaping (Element, Element) -> Bool) { self.less = less }

    mutating func push(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && less(items[left], items[smallest]) { smallest = left }
            if right < items.count && less(items[right], items[smallest]) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
