import ArgumentParser
import FundflowEngine

struct WalletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "A company's money per currency: open, fund, convert, withdraw, statements.",
        subcommands: [
            WalletOpen.self, WalletFund.self, WalletBalance.self, WalletConvert.self,
            WalletStatementCommand.self,
            WalletWithdraw.self,
        ])
}

struct WalletOpen: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a company's wallet in a currency at its servicing bank.")
    static let examples = [
        "wallet open acme EUR --iban DE89370400440532013000",
        "wallet open acme USD --bank CITIUS33XXX",
    ]

    @Argument(help: "Company id.")
    var company: String

    @Argument(help: "Currency.")
    var currency: String

    @Option(help: "Servicing bank BIC (default: a bank of the currency's home market).")
    var bank: String?

    @Option(help: "The IBAN payment files name this wallet by (their debtor account).")
    var iban: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.openWallet(
            company: company, currency: currency, bank: bank, iban: iban, context)
        let wallet = view.wallets.first { $0.currency == currency }
        return Output(
            text: "wallet \(company) \(currency) at \(wallet?.bank ?? "?")\n",
            json: CompanyRendering.json(view))
    }
}

struct WalletFund: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "fund",
        abstract:
            "Money arrived at the servicing bank for the company (debit nostro, credit wallet).")
    static let examples = ["wallet fund acme \"250000.00 EUR\" --key stmt-2026-11-29-1"]

    @Argument(help: "Company id.")
    var company: String

    @Argument(help: "Amount and currency.")
    var amount: String

    @Option(help: "Idempotency key.")
    var key: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return TransferRendering.output(
            try engine.fundWallet(company: company, amount: amount, key: key, context),
            generatedKey: key == nil)
    }
}

struct WalletWithdraw: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Send money back to the company's own bank account (debit wallet, credit nostro)."
    )
    static let examples = ["wallet withdraw acme \"1000.00 EUR\" --key wd-17"]

    @Argument(help: "Company id.")
    var company: String

    @Argument(help: "Amount and currency.")
    var amount: String

    @Option(help: "Idempotency key.")
    var key: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return TransferRendering.output(
            try engine.withdrawWallet(company: company, amount: amount, key: key, context),
            generatedKey: key == nil)
    }
}

struct WalletBalance: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract:
            "Booked and available per currency, with a total in one currency and the rate date.")
    static let examples = ["wallet balance acme", "wallet balance acme --in USD --json"]

    @Argument(help: "Company id.")
    var company: String

    @Option(name: .customLong("in"), help: "Currency of the total (default EUR).")
    var currency: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let view = try engine.walletBalance(company: company, in: currency, as: actor)
        var table = Table([
            .init("CURRENCY"), .init("BANK"), .init("BOOKED", .right), .init("AVAILABLE", .right),
            .init("IN \(view.totalCurrency)", .right),
        ])
        table.rows = view.lines.map {
            [$0.currency, $0.bank, $0.booked, $0.available, $0.equivalent]
        }
        table.rows.append(["TOTAL", "", "", "", view.total])
        var text = "company \(company)\n" + table.rendered()
        text += view.rateDate.map { "at ECB mid rates of \($0)\n" } ?? ""
        return Output(
            text: text,
            json: .object([
                ("company", .string(view.company)), ("totalCurrency", .string(view.totalCurrency)),
                ("total", .string(view.total)),
                ("rateDate", .optional(view.rateDate)),
                (
                    "wallets",
                    .array(
                        view.lines.map { line in
                            .object([
                                ("currency", .string(line.currency)), ("bank", .string(line.bank)),
                                ("booked", .string(line.booked)),
                                ("available", .string(line.available)),
                                ("equivalent", .string(line.equivalent)),
                            ])
                        })
                ),
            ]),
            notices: view.warning.map { [$0] } ?? [])
    }
}

struct WalletConvert: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert between two of a company's wallets in one FX transfer.")
    static let examples = [
        "wallet convert acme \"10000.00 EUR\" --to USD --margin-bps 25 --key fx-1",
        "wallet convert acme \"5000.00 EUR\" --to USD --quote 3",
    ]

    @Argument(help: "Company id.")
    var company: String

    @Argument(help: "Amount and currency to convert.")
    var amount: String

    @Option(help: "Target currency.")
    var to: String

    @Option(help: "Use this quote's rate (from `fx quote`), once, before it expires.")
    var quote: Int64?

    @Option(help: "Margin in basis points (ignored with --quote, which carries its own).")
    var marginBps: Int64 = 0

    @Option(help: "Idempotency key.")
    var key: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.convertWallet(
            company: company, amount: amount, to: to, quote: quote, marginBps: marginBps, key: key,
            context)
        var output = FXRendering.output(
            keyed.value.conversion, quote: keyed.value.quote, expires: nil)
        output.text = "transfer \(keyed.value.transferID): " + output.text
        if keyed.replayed {
            output.notices.append(
                "key \(keyed.value.key) was used before for this same conversion; nothing new happened"
            )
        } else if key == nil {
            output.notices.append("key \(keyed.value.key)")
        }
        return output
    }
}

struct WalletStatementCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement", abstract: "A wallet's movements with the running balance.")
    static let examples = [
        "wallet statement acme EUR", "wallet statement acme USD --from 2026-11-01 --to 2026-11-30",
    ]

    @Argument(help: "Company id.")
    var company: String

    @Argument(help: "Currency.")
    var currency: String

    @Option(help: "First day.")
    var from: String?

    @Option(help: "Last day.")
    var to: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let statement = try engine.walletStatement(
            company: company, currency: currency, from: from, to: to, as: actor)
        var table = Table([
            .init("TRANSFER", .right), .init("AT"), .init("KIND"), .init("AMOUNT", .right),
            .init("BALANCE", .right), .init("MEMO"),
        ])
        table.rows = statement.lines.map {
            ["\($0.transferID)", $0.at, $0.kind, $0.amount, $0.balance, $0.memo ?? ""]
        }
        var text =
            "wallet \(company) \(currency)\(from.map { " from \($0)" } ?? "")\(to.map { " to \($0)" } ?? "")\n"
        text +=
            "opening balance \(statement.opening)\n"
            + (statement.lines.isEmpty ? "no movements\n" : table.rendered())
        text += "closing balance \(statement.closing)\n"
        return Output(
            text: text,
            json: .object([
                ("company", .string(statement.company)), ("currency", .string(statement.currency)),
                ("opening", .string(statement.opening)), ("closing", .string(statement.closing)),
                (
                    "lines",
                    .array(
                        statement.lines.map { line in
                            .object([
                                ("transfer", .number(line.transferID)), ("at", .string(line.at)),
                                ("kind", .string(line.kind)),
                                ("amount", .string(line.amount)),
                                ("balance", .string(line.balance)), ("memo", .optional(line.memo)),
                            ])
                        })
                ),
            ]))
    }
}
