import ArgumentParser
import Foundation
import FundflowCore
import FundflowEngine

struct ChannelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Payment channels: their return codes, query schedules and reports.",
        subcommands: [ChannelList.self, ChannelShow.self, ChannelLoad.self, ChannelReport.self])
}

struct ChannelList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The channels this database knows.")
    static let examples = ["channel list"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let channels = try engine.channels(as: actor)
        var table = Table([
            .init("CHANNEL"), .init("KIND"), .init("CODES", .right), .init("QUERIES AT (s)"),
            .init("SANDBOX"),
        ])
        table.rows = channels.map {
            [
                $0.name, $0.kind, "\($0.codes.count)",
                $0.querySchedule.map(String.init).joined(separator: " "),
                $0.isSandbox ? "yes" : "no",
            ]
        }
        return Output(
            text: channels.isEmpty ? "no channels\n" : table.rendered(),
            json: .array(channels.map(ChannelRendering.json)))
    }
}

struct ChannelShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A channel's code table and schedule.")
    static let examples = ["channel show sandbox"]

    @Argument(help: "Channel name.")
    var name: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        guard let channel = try engine.channels(as: actor).first(where: { $0.name == name }) else {
            throw ShellError.usage("no channel named \(name): see `channel list`")
        }
        var text = "channel \(channel.name) (\(channel.kind)), loaded \(channel.loadedAt)\n"
        text +=
            "queries at \(channel.querySchedule.map { "+\($0)s" }.joined(separator: ", ")), then wait for reconciliation\n"
        text +=
            "withholding retries: up to \(channel.retryLimit) attempts within \(channel.retryWindowSeconds / 3600) h\n"
        text += "unlisted codes are unknown: never success or failure\n\n"
        var table = Table([
            .init("CODE"), .init("SUB-CODE"), .init("OUTCOME"), .init("RETRY"), .init("MEANING"),
        ])
        table.rows = channel.codes.map {
            [
                $0.code, $0.subCode ?? "-", $0.outcome.rawValue, $0.retry?.rawValue ?? "-",
                $0.meaning ?? "",
            ]
        }
        text += table.rendered()
        return Output(text: text, json: ChannelRendering.json(channel))
    }
}

struct ChannelLoad: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Add or replace a channel from its file (checked first; see channels/README.md).")
    static let examples = ["channel load channels/sandbox.channel"]

    @Argument(help: "A .channel file.")
    var file: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ShellError.cannotRead(file, reason: "no such file or not readable")
        }
        let (engine, context) = try session.context(commandText)
        let channel = try engine.loadChannel(
            text: String(decoding: data, as: UTF8.self), file: file, context)
        return Output(
            text: "loaded channel \(channel.name) (\(channel.codes.count) codes)\n",
            json: ChannelRendering.json(channel))
    }
}

struct ChannelReport: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Feed a report from outside (webhook, statement line) to a flow or refund part; a repeated id changes nothing."
    )
    static let examples = [
        "channel report --reference o3f1 --source notification --code 00 --id evt-1001",
        "channel report --reference o3f1 --source reconciliation --code 00 --id stmt-2026-11-29-7",
    ]

    @Option(help: "The flow's or refund part's reference (see `order show`).")
    var reference: String

    @Option(help: "notification, query or reconciliation.")
    var source: String

    @Option(help: "The channel's return code.")
    var code: String

    @Option(help: "The channel's sub-code.")
    var subCode: String?

    @Option(help: "The report's own id (webhook event id, statement line id).")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let order = try engine.receiveReport(
            reference: reference, source: source, code: code, subCode: subCode, reportID: id,
            context)
        return Output(text: OrderRendering.text(order), json: OrderRendering.json(order))
    }
}

enum ChannelRendering {
    static func json(_ channel: ChannelView) -> JSON {
        .object([
            ("name", .string(channel.name)), ("kind", .string(channel.kind)),
            ("querySchedule", .array(channel.querySchedule.map { .number($0) })),
            ("retryWindowSeconds", .number(channel.retryWindowSeconds)),
            ("retryLimit", .number(Int64(channel.retryLimit))),
            ("sandbox", .bool(channel.isSandbox)), ("loadedAt", .string(channel.loadedAt)),
            (
                "codes",
                .array(
                    channel.codes.map { code in
                        .object([
                            ("code", .string(code.code)), ("subCode", .optional(code.subCode)),
                            ("outcome", .string(code.outcome.rawValue)),
                            ("retry", .optional(code.retry?.rawValue)),
                            ("meaning", .optional(code.meaning)),
                        ])
                    })
            ),
        ])
    }
}
