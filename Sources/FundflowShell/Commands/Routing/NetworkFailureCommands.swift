import ArgumentParser
import FundflowEngine

struct NetworkFail: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "fail",
        abstract:
            "Make a bank reject payouts released from now on (all, or a seeded share) with a reason code.",
        discussion:
            "A payout is judged when it is released: a failure set later does not reach payouts already on their way."
    )
    static let examples = [
        "network fail BNORPHMMXXX --reason AC01",
        "network fail DEUTDEFFXXX --reason AM04 --share 0.1 --seed 7",
    ]

    @Argument(help: "The bank's BIC.")
    var bic: String

    @Option(help: "The ISO reject reason: AC01, AC04, AM04, BE01, RR04, …")
    var reason: String

    @Option(help: "The share of payouts that fail there, more than 0 and at most 1.")
    var share = "1"

    @Option(help: "Picks which payouts fail when the share is partial (same seed, same payouts).")
    var seed: Int64 = 1

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.failBank(bic, reason: reason, share: share, seed: seed, context)
        var text =
            "\(view.bic) now rejects \(view.share == "1" ? "every payout" : "a share of \(view.share) of payouts (seed \(view.seed))") with \(view.reason) (\(view.meaning))\n"
        if !view.reachedInFlight.isEmpty {
            text +=
                "  payouts on their way that will be rejected there: \(view.reachedInFlight.map(String.init).joined(separator: ", "))\n"
        }
        return Output(text: text, json: NetworkFailureRendering.json(view))
    }
}

struct NetworkHeal: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "heal", abstract: "Stop a bank's failure (`network fail`).")
    static let examples = ["network heal BNORPHMMXXX"]

    @Argument(help: "The bank's BIC.")
    var bic: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.healBank(bic, context)
        return Output(
            text: view.healed ? "\(view.bic) is healed\n" : "\(view.bic) was not failing\n",
            json: .object([("bic", .string(view.bic)), ("healed", .bool(view.healed))]))
    }
}

struct NetworkFailures: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "failures", abstract: "Banks told to fail, with their reason and share.")
    static let examples = ["network failures"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let views = try engine.bankFailures(as: actor)
        var table = Table([
            .init("BIC"), .init("REASON"), .init("MEANING"), .init("SHARE", .right),
            .init("SEED", .right), .init("SET BY"), .init("SINCE"),
        ])
        table.rows = views.map {
            [$0.bic, $0.reason, $0.meaning, $0.share, "\($0.seed)", $0.setBy, $0.setAt]
        }
        return Output(
            text: views.isEmpty ? "no bank is failing\n" : table.rendered(),
            json: .array(views.map(NetworkFailureRendering.json)))
    }
}

enum NetworkFailureRendering {
    static func json(_ view: NetworkFailureView) -> JSON {
        .object([
            ("bic", .string(view.bic)), ("reason", .string(view.reason)),
            ("meaning", .string(view.meaning)), ("share", .string(view.share)),
            ("seed", .number(view.seed)), ("setBy", .string(view.setBy)),
            ("setAt", .string(view.setAt)),
            ("reachedInFlight", .array(view.reachedInFlight.map(JSON.number))),
        ])
    }
}
