import ArgumentParser
import FundflowEngine

struct FamilyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "family",
        abstract: "Family co-pay: a shared pool, members, limits, allowances and reports.",
        subcommands: [
            FamilyCreate.self, FamilyInvite.self, FamilyAccept.self, FamilyRemove.self,
            FamilyLeave.self, FamilyList.self, FamilyShow.self, FamilyPolicyCommand.self,
            FamilyFreeze.self, FamilyUnfreeze.self, FamilySettings.self, FamilyDeposit.self,
            FamilyAllowance.self, FamilyNotifications.self, FamilyActivityCommand.self,
            FamilyReportCommand.self,
        ])
}

/// Commands whose answer is the family as its member sees it.
protocol FamilyViewCommand: ShellCommand {
    func run(_ engine: Engine, _ context: CommandContext) throws -> FamilyView
}

extension FamilyViewCommand {
    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let family = try run(engine, context)
        return Output(text: FamilyRendering.text(family), json: FamilyRendering.json(family))
    }
}

struct FamilyCreate: FamilyViewCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a family; you become its owner.")
    static let examples = ["family create lee --currency CNY --timezone Asia/Shanghai"]

    @Argument(help: "Family id: lower-case letters, digits, dashes.")
    var id: String

    @Option(help: "The pool's currency; limits are in it.")
    var currency: String

    @Option(name: .customLong("timezone"), help: "IANA time zone for days and months (UTC).")
    var timeZone: String?

    @OptionGroup var common: CommonOptions

    func run(_ engine: Engine, _ context: CommandContext) throws -> FamilyView {
        try engine.createFamily(id: id, currency: currency, timeZone: timeZone, context)
    }
}

struct FamilyInvite: FamilyViewCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Invite a user (owner, guardians); they are a member once they accept.")
    static let examples = ["family invite lee hao --role minor"]

    @Argument(help: "Family id.")
    var id: String

    @Argument(help: "User name.")
    var user: String

    @Option(help: "guardian, adult, minor or viewer.")
    var role: String

    @OptionGroup var common: CommonOptions

    func run(_ engine: Engine, _ context: CommandContext) throws -> FamilyView {
        try engine.inviteToFamily(id: id, user: user, role: role, context)
    }
}

struct FamilyAccept: FamilyViewCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "Accept your invitation to a family.")
    static let examples = ["family accept lee"]

    @Argument(help: "Family id.")
    var id: String

    @OptionGroup var common: CommonOptions

    func run(_ engine: Engine, _ context: CommandContext) throws -> FamilyView {
        try engine.acceptFamily(id: id, context)
    }
}

enum DepartureRendering {
    static func output(_ departure: FamilyDeparture) -> Output {
        var text =
            "\(departure.user) \(departure.status == "left" ? "left" : "was removed from") family \(departure.family)\n"
        if !departure.withdrawnRequests.isEmpty {
            text +=
                "  pending requests withdrawn: \(departure.withdrawnRequests.map(String.init).joined(separator: ", "))\n"
        }
        if let paid = departure.paidOut { text += "  own wallet paid out: \(paid)\n" }
        return Output(
            text: text,
            json: .object([
                ("family", .string(departure.family)), ("user", .string(departure.user)),
                ("status", .string(departure.status)),
                ("withdrawnRequests", .array(departure.withdrawnRequests.map(JSON.number))),
                ("paidOut", .optional(departure.paidOut)),
            ]))
    }
}

struct FamilyRemove: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract:
            "Remove a member: their requests are withdrawn, their own wallet is paid out to them.")
    static let examples = ["family remove lee hao"]

    @Argument(help: "Family id.")
    var id: String

    @Argument(help: "User name.")
    var user: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return DepartureRendering.output(try engine.removeFromFamily(id: id, user: user, context))
    }
}

struct FamilyLeave: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave",
        abstract:
            "Leave a family (or decline an invitation): your requests are withdrawn, your own wallet paid out to you."
    )
    static let examples = ["family leave lee"]

    @Argument(help: "Family id.")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return DepartureRendering.output(try engine.leaveFamily(id: id, context))
    }
}

struct FamilyList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Families you belong to or are invited to.")
    static let examples = ["family list"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let families = try engine.families(as: actor)
        var table = Table([.init("FAMILY"), .init("CURRENCY"), .init("OWNER"), .init("YOU")])
        table.rows = families.map {
            [$0.id, $0.currency, $0.owner, "\($0.role) (\($0.status))"]
        }
        return Output(
            text: families.isEmpty ? "no families\n" : table.rendered(),
            json: .array(
                families.map {
                    .object([
                        ("id", .string($0.id)), ("currency", .string($0.currency)),
                        ("owner", .string($0.owner)), ("role", .string($0.role)),
                        ("status", .string($0.status)),
                    ])
                }))
    }
}

struct FamilyShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Members, roles, rules and what each can spend right now.")
    static let examples = ["family show lee"]

    @Argument(help: "Family id.")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let family = try engine.family(id, as: actor)
        return Output(text: FamilyRendering.text(family), json: FamilyRendering.json(family))
    }
}

struct FamilyPolicyCommand: FamilyViewCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract:
            "Set a member's rules (amounts in the family's currency; 'none' removes a limit).")
    static let examples = [
        "family policy lee hao --monthly 500 --allow medical,education --approval-over 200 --two-approvers-over 1000"
    ]

    @Argument(help: "Family id.")
    var id: String

    @Argument(help: "Member.")
    var member: String

    @Option(help: "Most one payment may be (hard).")
    var perPayment: String?

    @Option(help: "Spend per day in the family's time zone; more needs approval.")
    var daily: String?

    @Option(help: "Spend per calendar month; more needs approval.")
    var monthly: String?

    @Option(help: "Only these categories (comma-separated; 'all' allows every one).")
    var allow: String?

    @Option(help: "Never these categories (comma-separated; 'none' clears).")
    var deny: String?

    @Option(help: "own-first or pool-first.")
    var funding: String?

    @Option(help: "allowed or denied: may the member choose the funding per payment.")
    var override: String?

    @Option(help: "A payment above this needs an approver.")
    var approvalOver: String?

    @Option(help: "A payment above this needs two approvers.")
    var twoApproversOver: String?

    @OptionGroup var common: CommonOptions

    func run(_ engine: Engine, _ context: CommandContext) throws -> FamilyView {
        try engine.setFamilyPolicy(
            id: id, member: member,
            change: PolicyChange(
                perPayment: perPayment, daily: daily, monthly: monthly, allow: allow, deny: deny,
                funding: funding, override: override, approvalOver: approvalOver,
                twoApproversOver: twoApproversOver), context)
    }
}

/// A family and one of its members, the arguments of `freeze` and `unfreeze`.
struct FamilyMemberArguments: ParsableArguments {
    @Argument(help: "Family id.")
    var id: String

    @Argument(help: "Member.")
    var member: String
}

struct FamilyFreeze: FamilyViewCommand {
    static let configuration = CommandConfiguration(
        commandName: "freeze", abstract: "Stop a member's spending until unfrozen.")
    static let examples = ["family freeze lee hao"]

    @OptionGroup var target: FamilyMemberArguments
    @OptionGroup var common: CommonOptions

    func run(_ engine: Engine, _ context: CommandContext) throws -> FamilyView {
        try engine.setFamilyFreeze(id: target.id, member: target.member, frozen: true, context)
    }
}

struct FamilyUnfreeze: FamilyViewCommand {
    static let configuration = CommandConfiguration(
        commandName: "unfreeze", abstract: "Let a frozen member spend again.")
    static let examples = ["family unfreeze lee hao"]

    @OptionGroup var target: FamilyMemberArguments
    @OptionGroup var common: CommonOptions

    func run(_ engine: Engine, _ context: CommandContext) throws -> FamilyView {
        try engine.setFamilyFreeze(id: target.id, member: target.member, frozen: false, context)
    }
}

struct FamilySettings: FamilyViewCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Family-wide settings (the owner).")
    static let examples = ["family settings lee --refunds-restore-limits yes"]

    @Argument(help: "Family id.")
    var id: String

    @Option(help: "yes or no: does a refund give back the spent limit (default no).")
    var refundsRestoreLimits: String?

    @OptionGroup var common: CommonOptions

    func run(_ engine: Engine, _ context: CommandContext) throws -> FamilyView {
        var restore: Bool?
        if let refundsRestoreLimits {
            guard ["yes", "no"].contains(refundsRestoreLimits) else {
                throw ValidationError("--refunds-restore-limits must be yes or no")
            }
            restore = refundsRestoreLimits == "yes"
        }
        return try engine.setFamilySettings(id: id, refundsRestoreLimits: restore, context)
    }
}

struct FamilyDeposit: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "deposit",
        abstract: "Put money into the pool or a member's own wallet (from outside by default).")
    static let examples = [
        "family deposit lee \"2000.00 CNY\" --key lan-2026-12",
        "family deposit lee 50 --to hao",
    ]

    @Argument(help: "Family id.")
    var id: String

    @Argument(help: "Amount (the family's currency may be left out).")
    var amount: String

    @Option(help: "pool (default) or a member's name for their own wallet.")
    var to: String?

    @Option(help: "outside (default: money arriving at the bank) or own (your own wallet).")
    var from: String?

    @Option(help: "Idempotency key.")
    var key: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let keyed = try engine.depositToFamily(
            id: id, amount: amount, to: to, from: from, key: key, context)
        let deposit = keyed.value
        let notices = TransferRendering.keyNotices(
            keyed.key, replayed: keyed.replayed, generated: key == nil,
            replay: "nothing new was deposited")
        return Output(
            text:
                "deposited \(deposit.amount) into \(deposit.to) from \(deposit.from) (transfer \(deposit.transferID))\n",
            json: .object([
                ("family", .string(deposit.family)), ("amount", .string(deposit.amount)),
                ("from", .string(deposit.from)), ("to", .string(deposit.to)),
                ("transfer", .number(deposit.transferID)), ("key", .optional(keyed.key)),
                ("replayed", .bool(keyed.replayed)),
            ]), notices: notices)
    }
}

struct FamilyAllowance: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "allowance",
        abstract: "Pay a member's own wallet from the pool now and every week or month.")
    static let examples = [
        "family allowance lee hao 50 --every week", "family allowance lee hao --stop",
    ]

    @Argument(help: "Family id.")
    var id: String

    @Argument(help: "Member.")
    var member: String

    @Argument(help: "Amount each time.")
    var amount: String?

    @Option(help: "week or month.")
    var every: String?

    @Flag(help: "End the member's allowance.")
    var stop = false

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let outcome = try engine.setFamilyAllowance(
            id: id, member: member, amount: amount, every: every, stop: stop, context)
        let text: String
        if outcome.stopped {
            text = "allowance of \(outcome.member) stopped\n"
        } else {
            text =
                "allowance: \(outcome.member) gets \(outcome.amount ?? "") every \(outcome.every ?? "")"
                + (outcome.firstPaid
                    ? "; the first one is paid" : "; the first one could not be paid (pool short)")
                + ", next \(outcome.nextAt ?? "")\n"
        }
        return Output(
            text: text,
            json: .object([
                ("family", .string(outcome.family)), ("member", .string(outcome.member)),
                ("amount", .optional(outcome.amount)), ("every", .optional(outcome.every)),
                ("firstPaid", .bool(outcome.firstPaid)), ("nextAt", .optional(outcome.nextAt)),
                ("stopped", .bool(outcome.stopped)),
            ]))
    }
}

struct FamilyNotifications: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications", abstract: "What the family told you.")
    static let examples = ["family notifications lee"]

    @Argument(help: "Family id.")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let notes = try engine.familyNotifications(id: id, as: actor)
        var table = Table([.init("AT"), .init("ORDER", .right), .init("WHAT")])
        table.rows = notes.map { [$0.at, $0.order.map(String.init) ?? "", $0.text] }
        return Output(
            text: notes.isEmpty ? "no notifications\n" : table.rendered(),
            json: .array(
                notes.map {
                    .object([
                        ("id", .number($0.id)), ("at", .string($0.at)), ("text", .string($0.text)),
                        ("order", $0.order.map(JSON.number) ?? .null),
                    ])
                }))
    }
}

struct FamilyActivityCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "Payments you may see: yours, and what you sponsor or oversee.")
    static let examples = ["family activity lee --month 2026-12"]

    @Argument(help: "Family id.")
    var id: String

    @Option(help: "YYYY-MM in the family's time zone (all months if left out).")
    var month: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let rows = try engine.familyActivity(id: id, month: month, as: actor)
        var table = Table([
            .init("ORDER", .right), .init("AT"), .init("MEMBER"), .init("MERCHANT"),
            .init("CATEGORY"), .init("SPEND", .right), .init("OWN", .right), .init("POOL", .right),
            .init("REFUNDED", .right),
        ])
        table.rows = rows.map {
            [
                "\($0.order)", $0.at, $0.member, $0.merchant, $0.category, $0.spend,
                $0.own ?? "private", $0.pool, $0.refunded,
            ]
        }
        return Output(
            text: rows.isEmpty ? "no payments\n" : table.rendered(),
            json: .array(
                rows.map {
                    .object([
                        ("order", .number($0.order)), ("at", .string($0.at)),
                        ("member", .string($0.member)), ("merchant", .string($0.merchant)),
                        ("category", .string($0.category)), ("spend", .string($0.spend)),
                        ("own", .optional($0.own)), ("pool", .string($0.pool)),
                        ("refunded", .string($0.refunded)),
                    ])
                }))
    }
}

struct FamilyReportCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A month's spending by member or category, gross and net of refunds, as bars.")
    static let examples = ["family report lee --month 2026-12 --by category"]

    @Argument(help: "Family id.")
    var id: String

    @Option(help: "YYYY-MM in the family's time zone.")
    var month: String

    @Option(help: "member or category.")
    var by = "member"

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        return FamilyRendering.report(
            try engine.familyReport(id: id, month: month, by: by, as: actor))
    }
}
