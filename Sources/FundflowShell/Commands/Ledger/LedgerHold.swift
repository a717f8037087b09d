import ArgumentParser
import FundflowCore
import FundflowEngine
import FundflowStore

struct LedgerHoldPlace: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "place",
        abstract: "Reserve an amount: it leaves the available balance until posted or voided.")
    static let examples = [
        "ledger hold place --debit wallet:acme:EUR --credit transit:gateway:EUR \"80.00 EUR\" --expires 2h --reason \"card authorisation\""
    ]

    @Option(help: "Account to debit when posted.")
    var debit: String

    @Option(help: "Account to credit when posted.")
    var credit: String

    @Argument(help: "Amount and currency.")
    var amount: String

    @Option(help: "Expire after this long, e.g. 90s, 15m, 2h, 3d.")
    var expires: String?

    @Option(help: "Idempotency key.")
    var key: String?

    @Option(help: "Free text stored with the hold.")
    var memo: String?

    @Option(
        help: "Why customer money is reserved by hand; required then, and marked in the audit log.")
    var reason: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let seconds = try expires.map(Duration.seconds(parsing:))
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.placeHold(
            HoldRequest(
                debit: debit, credit: credit, amount: amount, expiresInSeconds: seconds, key: key,
                memo: memo, reason: reason), context)
        var output = HoldRendering.output([keyed.value], single: true)
        if keyed.replayed {
            output.notices.append(
                "key \(keyed.value.key) was used before for this same request; nothing new was reserved"
            )
        } else if key == nil {
            output.notices.append("key \(keyed.value.key)")
        }
        return output
    }
}

struct LedgerHoldPost: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Book a pending hold in full, or in part (the rest is released).")
    static let examples = ["ledger hold post 3", "ledger hold post 3 \"50.00 EUR\""]

    @Argument(help: "Hold id.")
    var id: Int64

    @Argument(help: "Amount to book, at most the held amount; all of it when left out.")
    var amount: String?

    @Option(help: "Idempotency key.")
    var key: String?

    @Option(
        help: "Why customer money is moved by hand; required then, and marked in the audit log.")
    var reason: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.postHold(id: id, amount: amount, key: key, reason: reason, context)
        return TransferRendering.output(keyed, generatedKey: key == nil)
    }
}

struct LedgerHoldVoid: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "void", abstract: "Release a pending hold without booking anything.")
    static let examples = ["ledger hold void 3"]

    @Argument(help: "Hold id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return HoldRendering.output([try engine.voidHold(id: id, context)], single: true)
    }
}

struct LedgerHoldList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List holds, newest last.")
    static let examples = ["ledger hold list", "ledger hold list --status pending"]

    @Option(help: "pending, posted, voided or expired.")
    var status: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let filter = try status.map { text -> HoldStatus in
            guard let value = HoldStatus(rawValue: text) else {
                throw ShellError.usage(
                    "--status must be one of \(HoldStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return value
        }
        let (engine, actor) = try session.engine()
        return HoldRendering.output(try engine.holds(status: filter, as: actor), single: false)
    }
}

enum HoldRendering {
    static func output(_ holds: [HoldView], single: Bool) -> Output {
        var table = Table([
            .init("HOLD", .right), .init("STATUS"), .init("DEBIT"), .init("CREDIT"),
            .init("AMOUNT", .right), .init("EXPIRES"),
        ])
        table.rows = holds.map { hold in
            [
                "\(hold.id)", hold.status, hold.debit, hold.credit,
                "\(hold.amount) \(hold.currency)", hold.expiresAt ?? "never",
            ]
        }
        let json = JSON.array(
            holds.map { hold in
                .object([
                    ("id", .number(hold.id)), ("key", .string(hold.key)),
                    ("status", .string(hold.status)),
                    ("debit", .string(hold.debit)), ("credit", .string(hold.credit)),
                    ("amount", .string(hold.amount)),
                    ("currency", .string(hold.currency)), ("placedAt", .string(hold.placedAt)),
                    ("expiresAt", .optional(hold.expiresAt)),
                    ("closedAt", .optional(hold.closedAt)), ("memo", .optional(hold.memo)),
                ])
            })
        return Output(
            text: holds.isEmpty ? "no holds\n" : table.rendered(),
            json: single ? jsonFirst(json) : json)
    }

    private static func jsonFirst(_ json: JSON) -> JSON {
        if case .array(let items) = json, let first = items.first { return first }
        return json
    }
}

extension Duration {
    /// Whole seconds from `90s`, `15m`, `2h` or `3d`.
    static func seconds(parsing text: String) throws -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last, let factor = units[unit], let value = Int64(text.dropLast()),
            value > 0,
            value <= 3650 * 86_400 / factor
        else {
            throw ShellError.usage(
                "'\(text)' is not a duration: expected a positive number with s, m, h or d, e.g. 15m"
            )
        }
        return value * factor
    }
}
