import ArgumentParser
import FundflowCore
import FundflowEngine

/// What a route question names: the two banks, the amount (sent or to arrive), the currency
/// credited, who bears the fees, how many routes and how they rank, and when the payment starts.
struct RouteOptions: ParsableArguments {
    @Option(help: "The debtor agent's BIC, e.g. CHASUS33XXX.")
    var from: String

    @Option(
        help:
            "The creditor agent's BIC; one outside the network is reached by its country's domestic clearing (estimated)."
    )
    var to: String

    @Option(help: "A fixed amount sent, e.g. \"1000 USD\".")
    var amount: String?

    @Option(help: "A fixed amount to arrive instead, e.g. \"50000 PHP\" (with --send-currency).")
    var receive: String?

    @Option(
        name: .customLong("send-currency"), help: "With --receive: the currency the sender pays in."
    )
    var sendCurrency: String?

    @Option(help: "The currency credited to the beneficiary, e.g. PHP.")
    var currency: String?

    @Option(help: "Who pays the banks' fees: SHA, BEN, OUR (SLEV reads as SHA), or all.")
    var bearer = "SHA"

    @Option(help: "How many routes, 1 to 50.")
    var k = 5

    @Option(help: "Rank by cost or by time.")
    var by = "cost"

    @Option(
        help: "When the payment starts (ISO 8601, UTC, e.g. 2026-12-04T15:00:00Z; default now).")
    var at: String?

    func request() throws -> RouteRequest {
        let bearers: [ChargeBearer]
        if bearer.lowercased() == "all" {
            bearers = ChargeBearer.allCases
        } else if let one = ChargeBearer(parsing: bearer) {
            bearers = [one]
        } else {
            throw ShellError.usage("--bearer must be SHA, BEN, OUR, SLEV or all, not '\(bearer)'")
        }
        let ranking: Router.Ranking = try choice(by, option: "--by")
        var start: Timestamp?
        if let at {
            guard let parsed = Timestamp(iso8601: at) else {
                throw ShellError.usage("--at \(at): expected a time such as 2026-12-04T15:00:00Z")
            }
            start = parsed
        }
        return RouteRequest(
            from: Self.bic(from), to: Self.bic(to), amount: amount, receive: receive,
            sendCurrency: sendCurrency?.uppercased(), currency: currency?.uppercased(),
            bearers: bearers, k: k,
            ranking: ranking, at: start)
    }

    /// Upper case; an eight-character BIC names the head office (`XXX`).
    static func bic(_ text: String) -> String {
        let upper = text.uppercased()
        return upper.count == 8 ? upper + "XXX" : upper
    }
}
