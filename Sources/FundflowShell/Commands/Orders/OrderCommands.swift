import ArgumentParser
import FundflowCore
import FundflowEngine

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Payment orders: create, pay from one or more sources, follow, close.",
        subcommands: [
            OrderCreate.self, OrderPay.self, OrderShow.self, OrderList.self, OrderReceipt.self,
            OrderClose.self,
        ])
}

struct OrderCreate: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract:
            "Create an order; the same payer, payee and amount within a minute is held as a possible duplicate."
    )
    static let examples = [
        "order create --payer acme --payee globex \"250.00 EUR\" --expires 30m --key inv-2026-114",
        "order create --payer acme --payee globex \"250.00 EUR\" --key inv-2026-114 --confirm-duplicate",
    ]

    @Option(help: "Who pays (letters, digits, dashes).")
    var payer: String

    @Option(help: "Who is paid; their money collects in settlement:pending:PAYEE:CCY.")
    var payee: String

    @Argument(help: "Amount and currency.")
    var amount: String

    @Option(help: "Unpaid orders close after this long (default 30m).")
    var expires: String?

    @Option(help: "Remind this long before expiry (default 5m).")
    var remindBefore: String?

    @Option(help: "Idempotency key: the same key gives the same order.")
    var key: String?

    @Option(help: "The external order number.")
    var reference: String?

    @Flag(help: "Create (or release) it even though a like order came within the last minute.")
    var confirmDuplicate = false

    @Flag(help: "A withholding (direct-debit style) order: retryable failures are tried again.")
    var withholding = false

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let outcome = try engine.createOrder(
            CreateOrderRequest(
                payer: payer, payee: payee, amount: amount,
                expiresInSeconds: try expires.map(Duration.seconds(parsing:)),
                remindBeforeSeconds: try remindBefore.map(Duration.seconds(parsing:)), key: key,
                reference: reference,
                confirmDuplicate: confirmDuplicate, withholding: withholding), context)
        let order = outcome.order
        var notices: [String] = []
        if order.status == "held" {
            notices.append(
                "order \(order.id) is held: an order from \(order.payer) to \(order.payee) for the same amount came less than a minute ago; repeat with --key \(order.key) --confirm-duplicate to release it"
            )
        } else if outcome.replayed {
            notices.append(
                "key \(order.key) was used before for this same order; nothing new was created")
        } else if key == nil {
            notices.append("key \(order.key)")
        }
        let text =
            "order \(order.id) \(order.status): \(order.amount) \(order.currency) from \(order.payer) to \(order.payee), expires \(order.expiresAt)\n"
        return Output(text: text, json: OrderRendering.json(order), notices: notices)
    }
}

struct OrderPay: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract:
            "Pay an order from ledger accounts (at once) and channels (asynchronously); all legs or none."
    )
    static let examples = [
        "order pay 1 --from wallet:acme:EUR",
        "order pay 2 --from member:lee:hao:CNY=50 --from family:lee:pool:CNY",
        "order pay 3 --from channel:sandbox --key pay-3",
    ]

    @Argument(help: "Order id.")
    var id: Int64

    @Option(
        name: .customLong("from"),
        help: "SOURCE[=AMOUNT]: a ledger account or channel:NAME; one source may omit its amount.")
    var sources: [String]

    @Option(help: "Idempotency key.")
    var key: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.payOrder(id: id, sources: sources, key: key, context)
        var notices: [String] = []
        if keyed.replayed {
            notices.append(
                "key \(keyed.key ?? "") was used before for this same payment; nothing new happened"
            )
        } else if key == nil, let used = keyed.key {
            notices.append("key \(used)")
        }
        let order = keyed.value
        let flows = order.flows.map { "flow \($0.id) \($0.source) \($0.amount) \($0.status)" }
            .joined(separator: "; ")
        return Output(
            text: "order \(order.id) \(order.status): \(flows)\n", json: OrderRendering.json(order),
            notices: notices)
    }
}

struct OrderShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "An order with its flows, refunds and every state change in time order.")
    static let examples = ["order show 1", "order show 1 --json"]

    @Argument(help: "Order id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let order = try engine.order(id: id, as: actor)
        return Output(text: OrderRendering.text(order), json: OrderRendering.json(order))
    }
}

struct OrderList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Orders, newest first.")
    static let examples = ["order list", "order list --status paying"]

    @Option(help: "held, open, paying, succeeded, failed, closed or expired.")
    var status: String?

    @Option(help: "At most this many.")
    var limit: Int = 100

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let filter = try status.map {
            try choice($0, of: PaymentOrderState.self, option: "--status")
        }
        let (engine, actor) = try session.engine()
        let orders = try engine.orders(status: filter, limit: limit, as: actor)
        return Output(
            text: OrderRendering.list(orders), json: .array(orders.map(OrderRendering.json)))
    }
}

struct OrderReceipt: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "What was paid from which source, fees, references and times.")
    static let examples = ["order receipt 1"]

    @Argument(help: "Order id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let order = try engine.order(id: id, as: actor)
        return Output(text: OrderRendering.receipt(order), json: OrderRendering.json(order))
    }
}

struct OrderClose: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close an unpaid order; a flow that still succeeds is refunded automatically.")
    static let examples = ["order close 4"]

    @Argument(help: "Order id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let order = try engine.closeOrder(id: id, context)
        return Output(text: "order \(order.id) \(order.status)\n", json: OrderRendering.json(order))
    }
}
