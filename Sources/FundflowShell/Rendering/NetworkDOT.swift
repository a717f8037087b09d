import Foundation
import FundflowCore

/// Graphviz DOT for the network (banks grouped by country, one edge per pair of banks labelled
/// with the currencies it carries) or for the routes of one comparison (one coloured edge per
/// route and link, labelled with the route's rank and currency).
enum NetworkDOT {
    static func network(_ network: Network) -> String {
        var text =
            "digraph network {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
        text += "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#777777\"];\n"
        let byCountry = Dictionary(grouping: network.banks.values, by: \.country)
        for country in byCountry.keys.sorted() {
            text += "  subgraph \"cluster_\(country)\" {\n    label=\"\(country)\";\n"
            for bank in (byCountry[country] ?? []).sorted(by: { $0.bic < $1.bic }) {
                text += "    \(quote(bank.bic)) [label=\(quote(bank.bic + "\n" + bank.name))];\n"
            }
            text += "  }\n"
        }
        var pairs: [String: [String]] = [:]
        for link in network.links {
            pairs["\(link.from) \(link.to)", default: []].append(link.currency.code)
        }
        for pair in pairs.keys.sorted() {
            let ends = pair.split(separator: " ").map(String.init)
            let label = (pairs[pair] ?? []).sorted().joined(separator: ",")
            text += "  \(quote(ends[0])) -> \(quote(ends[1])) [label=\(quote(label))];\n"
        }
        return text + "}\n"
    }

    static func routes(_ routes: [Router.Route], network: Network) -> String {
        let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
        var text =
            "digraph routes {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
        text += "  edge [fontname=\"Helvetica\", fontsize=9];\n"
        var banks: [String] = []
        for route in routes {
            for bank in route.outcome.plan.banks where !banks.contains(bank) { banks.append(bank) }
        }
        for bank in banks {
            let name = network.banks[bank]?.name ?? "outside the network (domestic clearing)"
            text += "  \(quote(bank)) [label=\(quote(bank + "\n" + name))];\n"
        }
        for (rank, route) in routes.enumerated() {
            let plan = route.outcome.plan
            let colour = colours[rank % colours.count]
            for index in plan.linkCurrencies.indices {
                text +=
                    "  \(quote(plan.banks[index])) -> \(quote(plan.banks[index + 1])) "
                    + "[label=\(quote("#\(rank + 1) \(plan.linkCurrencies[index].code)")), color=\(quote(colour)), "
                    + "fontcolor=\(quote(colour))];\n"
            }
        }
        return text + "}\n"
    }

    static func quote(_ text: String) -> String {
        "\""
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "\"", with: "\\\""
            )
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
