import ArgumentParser
import FundflowCore
import FundflowEngine

struct LedgerOpen: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open an account; opening the identical account again does nothing.")
    static let examples = [
        "ledger open wallet:acme:EUR EUR", "ledger open equity:opening:EUR EUR --type equity",
    ]

    @Argument(help: "Account name, e.g. wallet:acme:EUR; its prefix decides its type.")
    var name: String

    @Argument(help: "Currency code, e.g. EUR.")
    var currency: String

    @Option(
        help: "Expected type (asset, liability, equity, income, expense); must match the prefix.",
        transform: { try choice($0, of: AccountType.self, option: "--type") })
    var type: AccountType?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let result = try engine.openAccount(name: name, currency: currency, type: type, context)
        let account = result.account
        let verb = result.created ? "opened" : "already open:"
        return Output(
            text: "\(verb) \(account.account) (\(account.currency), \(account.type))\n",
            json: .object([
                ("account", .string(account.account)), ("currency", .string(account.currency)),
                ("type", .string(account.type)), ("created", .bool(result.created)),
            ]))
    }
}

struct LedgerAccounts: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "List accounts with their types.")
    static let examples = ["ledger accounts", "ledger accounts --prefix wallet:"]

    @Option(help: "Only accounts whose name starts with this.")
    var prefix: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let accounts = try engine.accounts(prefix: prefix, as: actor)
        var table = Table([
            .init("ACCOUNT"), .init("CURRENCY"), .init("TYPE"), .init("BELOW ZERO"),
            .init("OPENED"),
        ])
        table.rows = accounts.map {
            [$0.account, $0.currency, $0.type, $0.mayGoNegative ? "allowed" : "no", $0.openedAt]
        }
        return Output(
            text: accounts.isEmpty ? "no accounts\n" : table.rendered(),
            json: .array(
                accounts.map { account in
                    .object([
                        ("account", .string(account.account)),
                        ("currency", .string(account.currency)),
                        ("type", .string(account.type)),
                        ("mayGoNegative", .bool(account.mayGoNegative)),
                        ("openedAt", .string(account.openedAt)),
                    ])
                }))
    }
}

struct LedgerBalances: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "balances",
        abstract: "Booked and available balances on each account's normal side.")
    static let examples = ["ledger balances", "ledger balances --prefix wallet:acme --json"]

    @Option(help: "Only accounts whose name starts with this.")
    var prefix: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let accounts = try engine.accounts(prefix: prefix, as: actor)
        var table = Table([
            .init("ACCOUNT"), .init("CURRENCY"), .init("BALANCE", .right), .init("HELD", .right),
            .init("AVAILABLE", .right),
        ])
        table.rows = accounts.map { [$0.account, $0.currency, $0.booked, $0.held, $0.available] }
        return Output(
            text: accounts.isEmpty ? "no accounts\n" : table.rendered(),
            json: .array(
                accounts.map { account in
                    .object([
                        ("account", .string(account.account)),
                        ("currency", .string(account.currency)),
                        ("balance", .string(account.booked)),
                        ("available", .string(account.available)),
                    ])
                }))
    }
}
