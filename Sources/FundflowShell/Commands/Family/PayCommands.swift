import ArgumentParser
import FundflowEngine

struct PayCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract:
            "A family member pays a merchant from their own wallet and the pool (or asks for approval)."
    )
    static let examples = [
        "pay --family lee --merchant pharmacy --category medical \"120.00 CNY\"",
        "pay --family lee --merchant bookshop --category education 80 --split own=30",
        "pay --family lee --merchant museum --category education \"25.00 EUR\" --yes",
    ]

    @Option(help: "Family id.")
    var family: String

    @Option(help: "Who is paid (letters, digits, dashes).")
    var merchant: String

    @Option(help: "What for (medical, education, …): policies allow and deny by category.")
    var category: String

    @Argument(help: "The bill (the family's currency may be left out).")
    var amount: String

    @Flag(help: "Own wallet first, then the pool (where your policy lets you choose).")
    var ownFirst = false

    @Flag(help: "Pool first, then your own wallet (where your policy lets you choose).")
    var poolFirst = false

    @Option(
        help: "own=AMOUNT or pool=AMOUNT: a fixed part from one source, the rest from the other.")
    var split: String?

    @Option(help: "How long the merchant's order stays open, in seconds (a week).")
    var expires: Int64?

    @Option(help: "Idempotency key.")
    var key: String?

    @Flag(help: "Pay even though you paid the same merchant the same amount within a minute.")
    var confirmDuplicate = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if [ownFirst, poolFirst, split != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give at most one of --own-first, --pool-first and --split")
        }
    }

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let funding = ownFirst ? "own-first" : poolFirst ? "pool-first" : split
        // A bill in another currency: its price is shown, and confirmed, before anything moves.
        let quote = try engine.familyPurchaseQuote(
            family: family, amount: amount, as: context.actor)
        if let quote {
            try session.confirm(
                "\(quote.bill) costs \(quote.spend) at \(quote.midRate) (ECB mid rate of \(quote.rateDate)). Pay?",
                yes: common.yes)
        }
        let keyed = try engine.payFamily(
            FamilyPayRequest(
                family: family, merchant: merchant, category: category, amount: amount,
                funding: funding, key: key, expiresInSeconds: expires,
                expectedSpend: quote?.spend, confirmDuplicate: confirmDuplicate), context)
        var output = FamilyRendering.output(keyed, generatedKey: key == nil)
        if let warning = quote?.warning { output.notices.append(warning) }
        return output
    }
}

struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Family payments waiting for approval.",
        subcommands: [RequestList.self, RequestApprove.self, RequestDecline.self])
}

struct RequestList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Your requests, and those you may approve.")
    static let examples = ["request list", "request list --family lee --status pending --json"]

    @Option(help: "Only this family.")
    var family: String?

    @Option(help: "pending, approved, declined or expired.")
    var status: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        if let status, !["pending", "approved", "declined", "expired"].contains(status) {
            throw ValidationError("--status must be pending, approved, declined or expired")
        }
        let (engine, actor) = try session.engine()
        let requests = try engine.familyRequests(family: family, status: status, as: actor)
        return Output(
            text: FamilyRendering.table(requests),
            json: .array(requests.map(FamilyRendering.json)))
    }
}

struct RequestApprove: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a request (owner, guardians; not your own). The last approval pays.")
    static let examples = ["request approve 1"]

    @Argument(help: "Request id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return FamilyRendering.output(try engine.approveFamilyRequest(id: id, context))
    }
}

struct RequestDecline: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "decline",
        abstract: "Decline a request (an approver), or withdraw your own.")
    static let examples = ["request decline 1"]

    @Argument(help: "Request id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return FamilyRendering.output(try engine.declineFamilyRequest(id: id, context))
    }
}
