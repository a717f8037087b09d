import Foundation
import FundflowCore
import FundflowEngine

// The routing figure of issue 5: the best route and the five best on a generated network of
// 10,000 banks and 100,000 links (scripts/gen_big_network.py), for the pairs of banks listed in
// PAIRS (one "FROM TO" per line). Prints one line per query (cost, banks, milliseconds) for
// scripts/bench-routes to compare with networkx, then the medians.
//
// usage: RouteSearch NETWORK_DIR PAIRS [AMOUNT_MINOR]
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: RouteSearch NETWORK_DIR PAIRS [AMOUNT_MINOR]")
    exit(2)
}
let clock = ContinuousClock()
func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let loadStart = clock.now
let network = try Engine.checkNetwork(directory: arguments[1])
print("loaded \(network.banks.count) banks, \(network.links.count) links in \(milliseconds(clock.now - loadStart)) ms")
let pairs = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").map {
    $0.split(separator: " ").map(String.init)
}
let amount = Money(minorUnits: arguments.count > 3 ? Int64(arguments[3]) ?? 100_000 : 100_000, currency: .usd)
let start = Timestamp(millisecondsSinceEpoch: 1_793_610_000_000)  // a Monday, 09:00 UTC
let par: (Currency, Currency) throws -> CrossRate = { from, to in
    CrossRate(from: from, to: to, fromQuote: .one, toQuote: .one, day: RateDay(daysSinceEpoch: 0))
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

var best: [Double] = []
var five: [Double] = []
var expanded: [Int] = []
for pair in pairs where pair.count == 2 {
    func run(_ k: Int) -> (Router.Result, Double) {
        let query = Router.Query(
            from: pair[0], to: pair[1], amount: amount, target: .usd, bearer: .sha, k: k, start: start)
        let begin = clock.now
        let result = Router.routes(query, network: network, rate: par)
        return (result, milliseconds(clock.now - begin))
    }
    let (one, oneTime) = run(1)
    let (top, topTime) = run(5)
    best.append(oneTime)
    five.append(topTime)
    expanded.append(top.expanded)
    let costs = top.routes.map { $0.outcome.cost.amountString }.joined(separator: ",")
    let banks = one.routes.first.map { "\($0.outcome.plan.banks.count)" } ?? "-"
    print("query \(pair[0]) \(pair[1]) best \(one.routes.first?.outcome.cost.amountString ?? "none") banks \(banks) "
        + "k5 \(costs) ms1 \(oneTime) ms5 \(topTime) exhaustive \(one.exhaustive && top.exhaustive)")
}
print("median best route: \(median(best)) ms; median k=5: \(median(five)) ms; queries: \(best.count); "
    + "median partial routes expanded (k=5): \(expanded.sorted()[expanded.count / 2])")
