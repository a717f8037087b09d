import ArgumentParser
import FundflowEngine

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Conflicting channel reports parked in suspense, and how they were settled.",
        subcommands: [CaseList.self, CaseResolve.self])
}

struct CaseList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Open cases (all with --all).")
    static let examples = ["case list", "case list --all --json"]

    @Flag(help: "Resolved cases too.")
    var all = false

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let cases = try engine.cases(open: all ? nil : true, as: actor)
        var table = Table([
            .init("CASE", .right), .init("ORDER", .right), .init("ON"), .init("AMOUNT", .right),
            .init("STATE"), .init("REASON"),
        ])
        table.rows = cases.map { item in
            let on = item.flow.map { "flow \($0)" } ?? "refund part \(item.refundPart ?? 0)"
            return [
                "\(item.id)", "\(item.order)", on, "\(item.amount) \(item.currency)", item.state,
                item.reason,
            ]
        }
        return Output(
            text: cases.isEmpty ? (all ? "no cases\n" : "no open cases\n") : table.rendered(),
            json: .array(cases.map(CaseRendering.json)))
    }
}

struct CaseResolve: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract:
            "Settle a case with a compensating transfer out of suspense: back through the channel, or to an account."
    )
    static let examples = [
        "case resolve 1 --return --reason \"PSP confirmed the charge was reversed\"",
        "case resolve 2 --to transit:gateway:EUR --reason \"statement shows the payment; order re-paid\"",
    ]

    @Argument(help: "Case id.")
    var id: Int64

    @Flag(name: .customLong("return"), help: "Send the amount back through the channel.")
    var returnThroughChannel = false

    @Option(help: "Move the amount to this account instead.")
    var to: String?

    @Option(help: "Why; recorded with the resolution.")
    var reason: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        guard returnThroughChannel != (to != nil) else {
            throw ShellError.usage("give exactly one of --return or --to ACCOUNT")
        }
        let (engine, context) = try session.context(commandText)
        let resolved = try engine.resolveCase(
            id: id, to.map(CaseResolution.account) ?? .returnThroughChannel, reason: reason, context
        )
        return Output(
            text: "case \(resolved.id) resolved: \(resolved.resolution ?? "")\n",
            json: CaseRendering.json(resolved))
    }
}

enum CaseRendering {
    static func json(_ item: CaseView) -> JSON {
        .object([
            ("id", .number(item.id)), ("order", .number(item.order)),
            ("flow", item.flow.map(JSON.number) ?? .null),
            ("refundPart", item.refundPart.map(JSON.number) ?? .null),
            ("reason", .string(item.reason)),
            ("amount", .string(item.amount)), ("currency", .string(item.currency)),
            ("suspenseHoldsMoney", .bool(item.suspenseHoldsMoney)), ("state", .string(item.state)),
            ("resolution", .optional(item.resolution)), ("openedAt", .string(item.openedAt)),
            ("resolvedAt", .optional(item.resolvedAt)),
        ])
    }
}
