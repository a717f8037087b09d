import ArgumentParser
import FundflowEngine

struct RefundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund",
        abstract: "Refunds by the original route, split over an order's flows; chargebacks.",
        subcommands: [RefundCreate.self, RefundShow.self, RefundChargeback.self])
}

struct RefundCreate: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract:
            "Refund part of a paid order; each source gets its share back, never more than it paid."
    )
    static let examples = [
        "refund create 1 \"33.33 EUR\" --key rf-1-1", "refund create 1 \"10.00\"",
    ]

    @Argument(help: "Order id.")
    var order: Int64

    @Argument(help: "Amount (the order's currency may be left out).")
    var amount: String

    @Option(help: "Idempotency key.")
    var key: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.createRefund(
            RefundRequest(order: order, amount: amount, key: key), context)
        let view = keyed.value
        guard let refund = view.refunds.last(where: { $0.key == keyed.key }) ?? view.refunds.last
        else {
            return Output(text: "no refund\n", json: OrderRendering.json(view))
        }
        var notices: [String] = []
        if keyed.replayed {
            notices.append(
                "key \(refund.key) was used before for this same refund; nothing new happened")
        } else if key == nil {
            notices.append("key \(refund.key)")
        }
        let parts = refund.parts.map { part in
            let source = view.flows.first { $0.id == part.flow }?.source ?? "flow \(part.flow)"
            return "\(part.amount) to \(source) (\(part.status))"
        }.joined(separator: ", ")
        return Output(
            text:
                "refund \(refund.id) \(refund.status): \(refund.amount) \(view.currency): \(parts)\n",
            json: RefundRendering.json(refund, order: view), notices: notices)
    }
}

struct RefundShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A refund and its parts.")
    static let examples = ["refund show 2"]

    @Argument(help: "Refund id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let view = try engine.order(ofRefund: id, as: actor)
        guard let refund = view.refunds.first(where: { $0.id == id }) else {
            throw ShellError.usage("no refund \(id): see `order show ORDER`")
        }
        var table = Table([
            .init("PART", .right), .init("TO"), .init("AMOUNT", .right), .init("STATUS"),
        ])
        table.rows = refund.parts.map { part in
            [
                "\(part.id)",
                view.flows.first { $0.id == part.flow }?.source ?? "flow \(part.flow)", part.amount,
                part.status,
            ]
        }
        let text =
            "refund \(refund.id) of order \(view.id): \(refund.amount) \(view.currency), \(refund.status)\n"
            + table.rendered()
        return Output(text: text, json: RefundRendering.json(refund, order: view))
    }
}

struct RefundChargeback: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "chargeback",
        abstract:
            "Record a chargeback or direct-debit return on a channel flow; it reduces what can be refunded."
    )
    static let examples = [
        "refund chargeback 3 --flow 5 \"20.00 EUR\" --kind chargeback --reason \"card holder dispute\""
    ]

    @Argument(help: "Order id.")
    var order: Int64

    @Option(help: "The flow the channel took money back from.")
    var flow: Int64

    @Argument(help: "Amount.")
    var amount: String

    @Option(help: "chargeback or return.")
    var kind: String = "chargeback"

    @Option(help: "Why.")
    var reason: String?

    @Option(help: "Idempotency key.")
    var key: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.recordChargeback(
            ChargebackRequest(
                order: order, flow: flow, amount: amount, kind: kind, reason: reason, key: key),
            context)
        return Output(
            text: OrderRendering.text(keyed.value), json: OrderRendering.json(keyed.value))
    }
}

enum RefundRendering {
    static func json(_ refund: OrderView.Refund, order: OrderView) -> JSON {
        .object([
            ("id", .number(refund.id)), ("order", .number(order.id)), ("key", .string(refund.key)),
            ("amount", .string(refund.amount)), ("currency", .string(order.currency)),
            ("status", .string(refund.status)),
            ("automatic", .bool(refund.automatic)),
            (
                "parts",
                .array(
                    refund.parts.map { part in
                        .object([
                            ("id", .number(part.id)), ("flow", .number(part.flow)),
                            (
                                "source",
                                .string(order.flows.first { $0.id == part.flow }?.source ?? "")
                            ),
                            ("amount", .string(part.amount)), ("status", .string(part.status)),
                        ])
                    })
            ),
        ])
    }
}
