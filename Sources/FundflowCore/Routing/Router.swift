/// Finds the best routes for a payment: a best-first search over partial routes, ordered by what
/// the payment has lost so far (cost) or by when it gets there (time). Both only grow along a
/// route, so complete routes come out best first; each (bank, currency) is expanded at most `k`
/// times, and a route has at most six banks and no bank twice (DESIGN.md §5).
public enum Router {
    public enum Ranking: String, Sendable, CaseIterable {
        case cost
        case time
    }

    public struct Query: Sendable {
        public let from: String
        public let to: String
        public let amount: Money
        public let target: Currency
        public let bearer: ChargeBearer
        public let k: Int
        public let ranking: Ranking
        public let start: Timestamp
        public let maximumBanks: Int

        public init(
            from: String, to: String, amount: Money, target: Currency, bearer: ChargeBearer,
            k: Int = 5,
            ranking: Ranking = .cost, start: Timestamp, maximumBanks: Int = 6
        ) {
            self.from = from
            self.to = to
            self.amount = amount
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

    /// A partial route: the banks so far and the amount on its way to the last of them.
    private struct Label {
        var banks: [String]
        var currencies: [Currency]
        /// The amount arriving at the last bank, before its fee.
        var arriving: Money
        /// Fees billed to the sender so far, valued in the send currency.
        var billedMinor: Int64
        var arrives: Timestamp
        var key: Int64
    }

    /// The `k` best routes, best first (ties: more delivered, then earlier arrival).
    public static func routes(
        _ query: Query, network: Network, rate: (Currency, Currency) throws -> CrossRate
    ) -> [Route] {
        let destinationInNetwork = network.banks[query.to] != nil
        var cache: [String: CrossRate] = [:]
        let cachedRate: (Currency, Currency) throws -> CrossRate = { from, to in
            let key = from.code + to.code
            if let known = cache[key] { return known }
            let found = try rate(from, to)
            cache[key] = found
            return found
        }
        var heap = Heap<Label>(by: { $0.key < $1.key })
        heap.push(
            Label(
                banks: [query.from], currencies: [], arriving: query.amount, billedMinor: 0,
                arrives: query.start, key: 0))
        var pops: [String: Int] = [:]
        var found: [Route] = []
        var seen: Set<RoutePlan> = []
        let budget = 200_000
        var expansions = 0
        while let label = heap.pop(), expansions < budget {
            expansions += 1
            guard let bank = label.banks.last else { continue }
            let incoming = label.currencies.last ?? query.amount.currency
            let state = "\(bank)|\(incoming.code)"
            if pops[state, default: 0] >= query.k { continue }
            pops[state, default: 0] += 1
            if bank == query.to
                || (!destinationInNetwork && label.banks.count >= 2 && label.banks.last == query.to)
            {
                let plan = RoutePlan(
                    banks: label.banks, linkCurrencies: label.currencies,
                    send: query.amount.currency, target: query.target,
                    cleared: !destinationInNetwork)
                if !seen.contains(plan), let route = complete(plan, query, network, cachedRate) {
                    seen.insert(plan)
                    found.append(route)
                    if found.count >= query.k * 3 { break }
                }
                continue
            }
            guard label.banks.count < query.maximumBanks else { continue }
            for next in successors(
                of: label, query: query, network: network,
                destinationInNetwork: destinationInNetwork)
            {
                if let child = extend(
                    label, via: next, query: query, network: network, rate: cachedRate)
                {
                    heap.push(child)
                }
            }
        }
        return Array(sorted(found, by: query.ranking).prefix(query.k))
    }

    /// The links a partial route may take next: to banks not yet on it, in currencies the
    /// current bank may hold and the next may receive; plus domestic clearing to a creditor agent
    /// outside the network.
    private static func successors(
        of label: Label, query: Query, network: Network, destinationInNetwork: Bool
    )
        -> [Network.Link]
    {
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
    /// carries another currency.
    private static func extend(
        _ label: Label, via link: Network.Link, query: Query, network: Network,
        rate: (Currency, Currency) throws -> CrossRate
    ) -> Label? {
        let index = label.banks.count - 1
        let bank = link.from
        let incoming = label.currencies.last ?? query.amount.currency
        var left = label.arriving
        var billed = label.billedMinor
        let role: Network.FeeRole = index == 0 ? .debtor : .intermediary
        do {
            let feeMinor =
                try network.fee(bank, incoming, role: role)?.charge(onMinor: left.minorUnits) ?? 0
            if query.bearer.deducts(
                atIndex: index, bankDeductsUnderOur: network.banks[bank]?.deductsUnderOur ?? false)
            {
                guard feeMinor < left.minorUnits else { return nil }
                left = Money(minorUnits: left.minorUnits - feeMinor, currency: incoming)
            } else if feeMinor > 0 {
                billed += try RouteEvaluator.value(
                    Money(minorUnits: feeMinor, currency: incoming), in: query.amount.currency,
                    rate: rate)
            }
            if link.currency != incoming {
                guard let rule = network.fxRule(bank, from: incoming, to: link.currency) else {
                    return nil
                }
                left = Money(
                    minorUnits: try rate(incoming, link.currency).convert(
                        left, marginBps: rule.marginBps
                    ).customerMinor,
                    currency: link.currency)
                guard left.minorUnits > 0 else { return nil }
            }
            var child = label
            child.banks.append(link.to)
            child.currencies.append(link.currency)
            child.arriving = left
            child.billedMinor = billed
            switch query.ranking {
            case .cost:
                let value = try RouteEvaluator.value(left, in: query.amount.currency, rate: rate)
                child.key = query.amount.minorUnits + billed - value
            case .time:
                guard
                    let opens = RouteTiming.nextOpening(
                        bank: bank, currency: incoming, after: label.arrives, network: network)
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
        _ plan: RoutePlan, _ query: Query, _ network: Network,
        _ rate: (Currency, Currency) throws -> CrossRate
    ) -> Route? {
        guard
            let outcome = try? RouteEvaluator.evaluate(
                plan, amount: query.amount, bearer: query.bearer, network: network, rate: rate),
            let schedule = RouteTiming.schedule(plan, start: query.start, network: network)
        else { return nil }
        return Route(outcome: outcome, schedule: schedule)
    }

    /// Best first: by cost (then more delivered, then earlier), or by arrival (then cost).
    public static func sorted(_ routes: [Route], by ranking: Ranking) -> [Route] {
        routes.sorted { a, b in
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
