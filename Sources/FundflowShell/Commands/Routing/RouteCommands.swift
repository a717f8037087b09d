import ArgumentParser
import FundflowCore
import FundflowEngine

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract:
            "Compare routes through correspondent banks: fees per hop, FX margins, what arrives, when.",
        subcommands: [RouteCompare.self, RouteExplain.self, RouteCurveCommand.self])
}

struct RouteCompare: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "The k best routes for a payment, by cost or by time, under one bearer or each.")
    static let examples = [
        "route compare --from CHASUS33XXX --to BNORPHMMXXX --amount \"1000 USD\" --currency PHP",
        "route compare --from DEUTDEFFXXX --to HDFCINBBXXX --amount \"25000 EUR\" --currency INR --bearer all",
        "route compare --from BARCGB22XXX --to BNORPHMMXXX --receive \"50000 PHP\" --send-currency GBP --by time",
    ]

    @OptionGroup var route: RouteOptions
    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, _) = try session.engine()
        let request = try route.request()
        let comparison = try engine.compareRoutes(request)
        let several = request.bearers.count > 1
        var head = "routes from \(request.from) to \(request.to)"
        if let amount = request.amount {
            head += " for \(amount) credited in \(request.currency ?? "")"
        }
        if let receive = request.receive {
            head += " to deliver \(receive) paid in \(request.sendCurrency ?? "")"
        }
        head +=
            ", \(several ? "each bearer" : request.bearers[0].rawValue), by \(request.ranking.rawValue), "
            + "starting \(RouteRendering.utc(comparison.start)) UTC\n\n"
        guard !comparison.routes.isEmpty else {
            return Output(
                text: head + "no route\n", json: .object([("routes", .array([]))]),
                notices: comparison.warnings)
        }
        var columns: [Table.Column] = [.init("RANK", .right)]
        if several { columns.append(.init("BEARER")) }
        columns += [
            .init("PATH"), .init("HOPS", .right), .init("DEBITED", .right),
            .init("DELIVERED", .right),
            .init("COST", .right), .init("COST %", .right), .init("ETA (UTC)"), .init("FLAGS"),
        ]
        var table = Table(columns)
        var details = ""
        var rank = 0
        var bearer: ChargeBearer?
        for route in comparison.routes {
            let outcome = route.outcome
            if outcome.bearer != bearer {
                bearer = outcome.bearer
                rank = 0
            }
            rank += 1
            var row = ["\(rank)"]
            if several { row.append(outcome.bearer.rawValue) }
            row += [
                RouteRendering.path(outcome.plan), "\(outcome.plan.banks.count - 1)",
                outcome.debited.groupedAmountString + " " + outcome.debited.currency.code,
                outcome.delivered.groupedAmountString + " " + outcome.delivered.currency.code,
                outcome.cost.groupedAmountString + " " + outcome.cost.currency.code,
                outcome.costPercent,
                RouteRendering.utc(route.eta), comparison.flags(route).joined(separator: ", "),
            ]
            table.rows.append(row)
            let label = several ? "\(outcome.bearer.rawValue) \(rank)" : "\(rank)"
            details += "\(label)  fees: \(RouteRendering.fees(outcome))\n"
            details +=
                String(repeating: " ", count: label.count)
                + "  fx:   \(RouteRendering.conversions(outcome))\n"
        }
        return Output(
            text: head + table.rendered() + "\n" + details,
            json: .object([
                (
                    "routes",
                    .array(
                        comparison.routes.map {
                            RouteRendering.json($0, flags: comparison.flags($0))
                        })
                )
            ]),
            notices: comparison.warnings)
    }
}

struct RouteExplain: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "One route hop by hop, as the tracker of a payout on it would read.")
    static let examples = [
        "route explain --from CHASUS33XXX --to BNORPHMMXXX --amount \"1000 USD\" --currency PHP",
        "route explain --from DEUTDEFFXXX --to HDFCINBBXXX --amount \"25000 EUR\" --currency INR --rank 2",
    ]

    @OptionGroup var route: RouteOptions

    @Option(help: "Which of the ranked routes (1 = best).")
    var rank = 1

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, _) = try session.engine()
        var request = try route.request()
        guard request.bearers.count == 1 else {
            throw ShellError.usage("route explain takes one --bearer")
        }
        guard rank >= 1 else { throw ShellError.usage("--rank must be 1 or more") }
        request.k = max(request.k, rank)
        let comparison = try engine.compareRoutes(request)
        guard rank <= comparison.routes.count else {
            let found =
                comparison.routes.isEmpty ? "no route" : "only \(comparison.routes.count) routes"
            return Output(
                text: "\(found) from \(request.from) to \(request.to)\n", json: .null,
                notices: comparison.warnings)
        }
        let chosen = comparison.routes[rank - 1]
        let outcome = chosen.outcome
        let network = try engine.network()
        var text =
            "route \(rank) under \(outcome.bearer.rawValue): \(RouteRendering.path(outcome.plan))"
        text += chosen.estimated ? "  (estimated: the last leg is domestic clearing)\n" : "\n"
        text +=
            "debited \(outcome.debited.groupedAmountString) \(outcome.debited.currency.code), delivered "
            + "\(outcome.delivered.groupedAmountString) \(outcome.delivered.currency.code), cost "
            + "\(outcome.cost.groupedAmountString) \(outcome.cost.currency.code) (\(outcome.costPercent) %), "
            + "ETA \(RouteRendering.utc(chosen.eta)) UTC\n\n"
        var table = Table([
            .init("HOP", .right), .init("AGENT"), .init("ROLE"), .init("STATUS"),
            .init("ARRIVES (LOCAL)"),
            .init("PROCESSED (LOCAL)"), .init("RECEIVED", .right), .init("FEE", .right),
            .init("FX"),
            .init("PASSES ON", .right),
        ])
        var hops: [JSON] = []
        for (index, hop) in outcome.hops.enumerated() {
            let timing = chosen.schedule[index]
            let zone = network.banks[hop.bank]?.timeZone
            let last = index == outcome.hops.count - 1
            let status = last ? "ACCC credited" : "ACSP forwarded"
            let fee =
                hop.fee.minorUnits == 0
                ? "-"
                : "\(hop.fee.groupedAmountString) \(hop.fee.currency.code)\(hop.feeBilled ? " billed" : "")"
            let fx =
                hop.conversion.map {
                    "\($0.from.code)>\($0.to.code) \($0.appliedRate) (\($0.marginBps) bps)"
                } ?? "-"
            table.rows.append([
                "\(index + 1)", hop.bank, hop.role.rawValue, status,
                RouteRendering.local(timing.arrives, zone: zone),
                RouteRendering.local(timing.processed, zone: zone),
                "\(hop.arriving.groupedAmountString) \(hop.arriving.currency.code)", fee, fx,
                "\(hop.leaving.groupedAmountString) \(hop.leaving.currency.code)",
            ])
            hops.append(
                .object([
                    ("agent", .string(hop.bank)),
                    ("name", .optional(network.banks[hop.bank]?.name)),
                    ("role", .string(hop.role.rawValue)),
                    ("status", .string(last ? "ACCC" : "ACSP")),
                    ("arrives", .string(timing.arrives.iso8601)),
                    ("processed", .string(timing.processed.iso8601)),
                    ("received", .string(hop.arriving.amountString)),
                    ("receivedCurrency", .string(hop.arriving.currency.code)),
                    ("fee", .string(hop.fee.amountString)),
                    ("feeCurrency", .string(hop.fee.currency.code)),
                    ("feeBilled", .bool(hop.feeBilled)),
                    ("passesOn", .string(hop.leaving.amountString)),
                    ("passesOnCurrency", .string(hop.leaving.currency.code)),
                ]))
        }
        text += table.rendered()
        for (index, hop) in outcome.hops.enumerated()
        where chosen.schedule[index].processed > chosen.schedule[index].arrives {
            let timing = chosen.schedule[index]
            let why =
                RouteTiming.closure(
                    bank: hop.bank, currency: hop.arriving.currency, at: timing.arrives,
                    network: network) ?? "closed"
            text +=
                "\(hop.bank) was closed when the payment arrived at \(RouteRendering.utc(timing.arrives)) UTC (\(why)): "
                + "it waits until \(RouteRendering.utc(timing.processed)) UTC\n"
        }
        guard
            case .object(var fields) = RouteRendering.json(chosen, flags: comparison.flags(chosen))
        else {
            return Output(text: text, json: .null)
        }
        fields.append(("hops", .array(hops)))
        return Output(text: text, json: .object(fields), notices: comparison.warnings)
    }
}

struct RouteCurveCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "curve",
        abstract:
            "Delivered amount and cost % against amount for the k best routes, with break-even points."
    )
    static let examples = [
        "route curve --from CHASUS33XXX --to BNORPHMMXXX --currency PHP --min \"100 USD\" --max \"100000 USD\"",
        "route curve --from DEUTDEFFXXX --to HDFCINBBXXX --currency INR --min \"500 EUR\" --max \"50000 EUR\" --svg curve.svg --csv curve.csv",
    ]

    @Option(help: "The debtor agent's BIC.")
    var from: String

    @Option(help: "The creditor agent's BIC.")
    var to: String

    @Option(help: "The currency credited, e.g. PHP.")
    var currency: String

    @Option(help: "The smallest amount sent, e.g. \"100 USD\".")
    var min: String

    @Option(help: "The largest amount sent, e.g. \"100000 USD\".")
    var max: String

    @Option(
        help: "About how many amounts (geometric, round amounts, when max is 20 times min or more)."
    )
    var steps = 25

    @Option(help: "Who pays the fees: SHA, BEN or OUR.")
    var bearer = "SHA"

    @Option(help: "How many routes.")
    var k = 5

    @Option(help: "When the payment starts (ISO 8601, UTC; default now).")
    var at: String?

    @Option(help: "Also write the chart as SVG to this file.")
    var svg: String?

    @Option(help: "Also write the figures as CSV to this file.")
    var csv: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, _) = try session.engine()
        var options = try RouteOptions.parse([
            "--from", from, "--to", to, "--currency", currency, "--bearer", bearer, "--k", "\(k)",
        ])
        options.at = at
        let curve = try engine.routeCurve(
            options.request(), minimum: min, maximum: max, steps: steps)
        guard !curve.series.isEmpty, let first = curve.amounts.first, let last = curve.amounts.last
        else {
            return Output(
                text: "no route\n", json: .object([("routes", .array([]))]), notices: curve.warnings
            )
        }
        var text =
            "cost of the \(curve.series.count) best routes from \(first.description) to \(last.description), credited in \(currency.uppercased())\n\n"
        for (index, series) in curve.series.enumerated() {
            text += "  \(index + 1)  \(RouteRendering.path(series.plan))\n"
        }
        let percents = curve.series.map { series in
            series.outcomes.map { $0.map { Double($0.costBasisPoints) / 100 } }
        }
        text += "\ncost % (digit = route)\n"
        text += SeriesChart(
            series: percents, firstLabel: first.groupedAmountString,
            lastLabel: last.groupedAmountString
        ).rendered()
        var columns: [Table.Column] = [.init("AMOUNT", .right), .init("BEST", .right)]
        for index in curve.series.indices { columns.append(.init("#\(index + 1) COST %", .right)) }
        columns.append(.init("BEST DELIVERS", .right))
        var table = Table(columns)
        for (index, amount) in curve.amounts.enumerated() {
            let best = curve.best(at: index)
            var row = [
                "\(amount.groupedAmountString) \(amount.currency.code)",
                best.map { "\($0 + 1)" } ?? "-",
            ]
            row += curve.series.map { $0.outcomes[index]?.costPercent ?? "-" }
            row.append(
                best.flatMap { curve.series[$0].outcomes[index] }.map {
                    "\($0.delivered.groupedAmountString) \($0.delivered.currency.code)"
                } ?? "-")
            table.rows.append(row)
        }
        text += "\n" + table.rendered()
        if curve.breakEvens.isEmpty {
            text += "\nthe same route is cheapest at every amount\n"
        }
        for point in curve.breakEvens {
            text +=
                "\nfrom \(point.amount.groupedAmountString) \(point.amount.currency.code) route \(point.after + 1) is cheaper than route \(point.before + 1)"
        }
        if !curve.breakEvens.isEmpty { text += "\n" }
        if let svg {
            try writeAtomically(Self.svg(curve, currency: currency.uppercased()), to: svg)
            text += "wrote \(svg)\n"
        }
        if let csv {
            try writeAtomically(Self.csv(curve), to: csv)
            text += "wrote \(csv)\n"
        }
        return Output(text: text, json: Self.json(curve), notices: curve.warnings)
    }

    static func json(_ curve: RouteCurve) -> JSON {
        .object([
            (
                "routes",
                .array(
                    curve.series.enumerated().map { index, series in
                        .object([
                            ("route", .number(Int64(index + 1))),
                            ("path", .array(series.plan.banks.map(JSON.string))),
                        ])
                    })
            ),
            (
                "amounts",
                .array(
                    curve.amounts.enumerated().map { index, amount in
                        .object([
                            ("amount", .string(amount.amountString)),
                            ("currency", .string(amount.currency.code)),
                            ("best", curve.best(at: index).map { .number(Int64($0 + 1)) } ?? .null),
                            (
                                "routes",
                                .array(
                                    curve.series.map { series in
                                        guard let outcome = series.outcomes[index] else {
                                            return .null
                                        }
                                        return .object([
                                            ("delivered", .string(outcome.delivered.amountString)),
                                            (
                                                "deliveredCurrency",
                                                .string(outcome.delivered.currency.code)
                                            ),
                                            ("cost", .string(outcome.cost.amountString)),
                                            ("costPercent", .string(outcome.costPercent)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            (
                "breakEvens",
                .array(
                    curve.breakEvens.map { point in
                        .object([
                            ("amount", .string(point.amount.amountString)),
                            ("currency", .string(point.amount.currency.code)),
                            ("from", .number(Int64(point.before + 1))),
                            ("to", .number(Int64(point.after + 1))),
                        ])
                    })
            ),
        ])
    }

    static func csv(_ curve: RouteCurve) -> String {
        var text =
            "amount,currency,route,path,delivered,delivered_currency,cost,cost_percent,best\n"
        for (index, amount) in curve.amounts.enumerated() {
            let best = curve.best(at: index)
            for (number, series) in curve.series.enumerated() {
                guard let outcome = series.outcomes[index] else { continue }
                text +=
                    "\(amount.amountString),\(amount.currency.code),\(number + 1),\(series.plan.banks.joined(separator: ">")),"
                    + "\(outcome.delivered.amountString),\(outcome.delivered.currency.code),\(outcome.cost.amountString),"
                    + "\(outcome.costPercent),\(best == number ? "yes" : "no")\n"
            }
        }
        return text
    }

    static func svg(_ curve: RouteCurve, currency: String) -> String {
        func major(_ money: Money) -> Double { Double(money.amountString) ?? 0 }
        let sendCurrency = curve.amounts.first?.currency.code ?? ""
        let logarithmic =
            (curve.amounts.last?.minorUnits ?? 1)
            / Swift.max(1, curve.amounts.first?.minorUnits ?? 1) >= 20
        var chart = SVGChart(
            title: "Cost of the \(curve.series.count) best routes into \(currency)",
            xLabel: "amount sent (\(sendCurrency)\(logarithmic ? ", logarithmic" : ""))",
            yLabel: "cost (% of the amount debited)",
            logarithmicX: logarithmic,
            series: curve.series.enumerated().map { index, series in
                SVGChart.Series(
                    name: "\(index + 1): " + series.plan.banks.joined(separator: " > "),
                    points: zip(curve.amounts, series.outcomes).compactMap { amount, outcome in
                        outcome.map { (major(amount), Double($0.costBasisPoints) / 100) }
                    })
            })
        chart.markers = curve.breakEvens.map {
            SVGChart.Marker(
                x: major($0.amount),
                label: "\($0.amount.groupedAmountString): \($0.after + 1) cheaper")
        }
        return chart.rendered()
    }
}
