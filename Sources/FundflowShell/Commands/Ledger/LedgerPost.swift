import ArgumentParser
import FundflowCore
import FundflowEngine

struct LedgerPost: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Post a two-leg transfer by hand (admins only; customer money needs --reason).")
    static let examples = [
        "ledger post --debit nostro:DEUTDEFFXXX:EUR --credit equity:opening:EUR \"1000.00 EUR\" --key open-1",
        "ledger post --debit equity:opening:EUR --credit wallet:acme:EUR \"250.00 EUR\" --reason \"opening balance\"",
    ]

    @Option(help: "Account to debit.")
    var debit: String

    @Option(help: "Account to credit.")
    var credit: String

    @Argument(help: "Amount and currency, e.g. \"1234.56 EUR\".")
    var amount: String

    @Option(help: "Idempotency key: the same key and request give the first result again.")
    var key: String?

    @Option(help: "Free text stored with the transfer.")
    var memo: String?

    @Option(help: "Why money of a customer is moved by hand; marked in the audit log.")
    var reason: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.post(
            PostRequest(
                debit: debit, credit: credit, amount: amount, key: key, memo: memo, reason: reason),
            context)
        return TransferRendering.output(keyed, generatedKey: key == nil)
    }
}

struct LedgerReverse: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse",
        abstract: "Reverse a transfer with a new transfer on the opposite sides.")
    static let examples = ["ledger reverse 12 --reason \"posted twice\" --key rev-12"]

    @Argument(help: "Id of the transfer to reverse.")
    var transfer: Int64

    @Option(help: "Idempotency key.")
    var key: String?

    @Option(help: "Why; required when the transfer touched customer money.")
    var reason: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.reverse(transferID: transfer, key: key, reason: reason, context)
        return TransferRendering.output(keyed, generatedKey: key == nil)
    }
}

/// How a transfer a command made is shown.
enum TransferRendering {
    static func output(_ keyed: Keyed<TransferResult>, generatedKey: Bool) -> Output {
        let transfer = keyed.value
        var text = "transfer \(transfer.transferID) (\(transfer.kind)) at \(transfer.at)\n"
        var table = Table([.init("ACCOUNT"), .init("DEBIT", .right), .init("CREDIT", .right)])
        table.rows = transfer.postings.map { posting in
            let amount = "\(posting.amount) \(posting.currency)"
            return [
                posting.account, posting.side == "debit" ? amount : "",
                posting.side == "credit" ? amount : "",
            ]
        }
        text += table.rendered()
        let notices = keyNotices(
            transfer.key, replayed: keyed.replayed, generated: generatedKey,
            replay: "this is its first result, nothing new was posted")
        return Output(text: text, json: json(transfer, replayed: keyed.replayed), notices: notices)
    }

    /// What to tell about a request's idempotency key: that it was a repeat (and what that
    /// means), or the key generated for it, to repeat the command safely.
    static func keyNotices(
        _ key: String?, replayed: Bool, generated: Bool, replay: String
    ) -> [String] {
        guard let key else { return [] }
        if replayed { return ["key \(key) was used before for this same request; \(replay)"] }
        if generated {
            return ["key \(key) (repeat the command with --key \(key) to make it safe to retry)"]
        }
        return []
    }

    static func json(_ transfer: TransferResult, replayed: Bool) -> JSON {
        .object([
            ("transfer", .number(transfer.transferID)), ("key", .string(transfer.key)),
            ("kind", .string(transfer.kind)),
            ("at", .string(transfer.at)), ("replayed", .bool(replayed)),
            (
                "postings",
                .array(
                    transfer.postings.map { posting in
                        .object([
                            ("account", .string(posting.account)), ("side", .string(posting.side)),
                            ("amount", .string(posting.amount)),
                            ("currency", .string(posting.currency)),
                        ])
                    })
            ),
        ])
    }
}
