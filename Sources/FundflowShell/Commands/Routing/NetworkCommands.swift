import ArgumentParser
import FundflowCore
import FundflowEngine

struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "The correspondent network: banks, links, fees, FX margins, hours, holidays.",
        subcommands: [
            NetworkBanks.self, NetworkShow.self, NetworkCheck.self, NetworkLoad.self,
            NetworkGraph.self, NetworkFail.self, NetworkHeal.self, NetworkFailures.self,
        ])
}

struct NetworkBanks: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "banks", abstract: "Every bank of the network.")
    static let examples = ["network banks", "network banks --json"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, _) = try session.engine()
        let network = try engine.network()
        let banks = network.banks.values.sorted { $0.bic < $1.bic }
        var table = Table([
            .init("BIC"), .init("NAME"), .init("COUNTRY"), .init("TIME ZONE"), .init("GPI"),
            .init("LINKS", .right),
        ])
        table.rows = banks.map { bank in
            [
                bank.bic, bank.name, bank.country, bank.timeZone, bank.gpi ? "yes" : "no",
                "\(network.links(from: bank.bic).count)",
            ]
        }
        return Output(
            text: table.rendered() + "\(banks.count) banks, \(network.links.count) links\n",
            json: .array(
                banks.map { bank in
                    .object([
                        ("bic", .string(bank.bic)), ("name", .string(bank.name)),
                        ("country", .string(bank.country)),
                        ("timezone", .string(bank.timeZone)), ("gpi", .bool(bank.gpi)),
                        ("deductsUnderOur", .bool(bank.deductsUnderOur)),
                    ])
                }))
    }
}

struct NetworkShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One bank: its links, fees, FX margins and hours.")
    static let examples = ["network show CHASUS33XXX"]

    @Argument(help: "BIC.")
    var bic: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, _) = try session.engine()
        let network = try engine.network()
        guard let bank = network.banks[bic] else {
            throw ShellError.usage("\(bic) is not in the network: see `network banks`")
        }
        var text =
            "\(bank.bic)  \(bank.name)  \(bank.country)  \(bank.timeZone)\(bank.gpi ? "  gpi" : "")\(bank.deductsUnderOur ? "  deducts under OUR" : "")\n"
        var links = Table([.init("TO"), .init("CURRENCY"), .init("MINUTES", .right)])
        links.rows = network.links(from: bic).sorted {
            ($0.to, $0.currency.code) < ($1.to, $1.currency.code)
        }
        .map { [$0.to, $0.currency.code, "\($0.latencyMinutes)"] }
        text += "\nsends to\n" + links.rendered()
        var fees = Table([
            .init("CURRENCY"), .init("ROLE"), .init("FIXED", .right), .init("BPS", .right),
            .init("MIN", .right), .init("MAX", .right),
        ])
        fees.rows = network.fees.filter { $0.bic == bic }.map { fee in
            [
                fee.currency.code, fee.role.rawValue,
                Money(minorUnits: fee.fixedMinor, currency: fee.currency).amountString,
                "\(fee.bps)", Money(minorUnits: fee.minMinor, currency: fee.currency).amountString,
                fee.maxMinor == 0
                    ? "-" : Money(minorUnits: fee.maxMinor, currency: fee.currency).amountString,
            ]
        }
        text += "\nfees (illustrative)\n" + fees.rendered()
        var fx = Table([.init("FROM"), .init("TO"), .init("MARGIN BPS", .right)])
        fx.rows = network.fx.filter { $0.bic == bic }.map {
            [$0.from.code, $0.to.code, "\($0.marginBps)"]
        }
        text += "\nconverts (illustrative margins)\n" + fx.rendered()
        var hours = Table([.init("CURRENCY"), .init("OPENS"), .init("CUT-OFF")])
        hours.rows = network.cutoffs.filter { $0.bic == bic }.map {
            [
                $0.currency.code, RouteTiming.clock($0.opensMinute),
                RouteTiming.clock($0.cutoffMinute),
            ]
        }
        text += "\nhours (\(bank.timeZone))\n" + hours.rendered()
        return Output(
            text: text,
            json: .object([
                ("bic", .string(bank.bic)), ("name", .string(bank.name)),
                ("country", .string(bank.country)),
                ("timezone", .string(bank.timeZone)), ("gpi", .bool(bank.gpi)),
                (
                    "links",
                    .array(
                        network.links(from: bic).map {
                            .object([
                                ("to", .string($0.to)), ("currency", .string($0.currency.code)),
                                ("latencyMinutes", .number(Int64($0.latencyMinutes))),
                            ])
                        })
                ),
            ]))
    }
}

struct NetworkCheck: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check network files: every problem with file, line and column.")
    static let examples = ["network check rates/network"]

    @Argument(
        help:
            "A directory with banks.csv, links.csv, cutoffs.csv, holidays.csv, fees.csv, fx.csv, clearing.csv, currencies.csv."
    )
    var directory: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let network = try Engine.checkNetwork(directory: directory)
        return Output(
            text:
                "\(directory): no problems (\(network.banks.count) banks, \(network.links.count) links, \(network.fees.count) fee rows, \(network.fx.count) conversions)\n",
            json: .object([
                ("ok", .bool(true)), ("banks", .number(Int64(network.banks.count))),
                ("links", .number(Int64(network.links.count))),
            ]))
    }
}

struct NetworkLoad: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract:
            "Check a directory of network files, then replace the network with it in one transaction."
    )
    static let examples = ["network load rates/network"]

    @Argument(help: "The directory.")
    var directory: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let load = try engine.loadNetwork(directory: directory, context)
        return Output(
            text:
                "loaded \(load.banks) banks, \(load.links) links, \(load.fees) fee rows, \(load.conversions) conversions from \(load.directory)\n",
            json: .object([
                ("directory", .string(load.directory)), ("banks", .number(Int64(load.banks))),
                ("links", .number(Int64(load.links))),
            ]))
    }
}

struct NetworkGraph: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Write the network, or the routes of one comparison, as a Graphviz DOT file.")
    static let examples = [
        "network graph --dot network.dot",
        "network graph --dot routes.dot --from CHASUS33XXX --to BNORPHMMXXX --amount \"1000 USD\" --currency PHP",
    ]

    @Option(help: "The DOT file to write (render with `dot -Tsvg FILE`).")
    var dot: String

    @Option(help: "With --to and an amount: draw only the routes of that comparison.")
    var from: String?

    @Option(help: "The creditor agent's BIC.")
    var to: String?

    @Option(help: "A fixed amount sent, e.g. \"1000 USD\".")
    var amount: String?

    @Option(help: "The currency credited.")
    var currency: String?

    @Option(help: "Who pays the fees: SHA, BEN or OUR.")
    var bearer = "SHA"

    @Option(help: "How many routes.")
    var k = 5

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, _) = try session.engine()
        let network = try engine.network()
        let text: String
        let what: String
        if let from {
            guard let to, let amount, let currency else {
                throw ShellError.usage("a route graph needs --from, --to, --amount and --currency")
            }
            let options = try RouteOptions.parse([
                "--from", from, "--to", to, "--amount", amount, "--currency", currency, "--bearer",
                bearer, "--k", "\(k)",
            ])
            let comparison = try engine.compareRoutes(options.request())
            text = NetworkDOT.routes(comparison.routes, network: network)
            what = "\(comparison.routes.count) routes"
        } else {
            text = NetworkDOT.network(network)
            what = "\(network.banks.count) banks, \(network.links.count) links"
        }
        try writeAtomically(text, to: dot)
        return Output(
            text: "wrote \(dot) (\(what))\n",
            json: .object([("file", .string(dot))]))
    }
}
