import FundflowEngine

/// How families, payments, requests and reports read in a terminal and in JSON.
enum FamilyRendering {
    static func json(_ family: FamilyView) -> JSON {
        .object([
            ("id", .string(family.id)), ("currency", .string(family.currency)),
            ("timeZone", .string(family.timeZone)), ("owner", .string(family.owner)),
            ("refundsRestoreLimits", .bool(family.refundsRestoreLimits)),
            ("pool", .string(family.pool)),
            ("members", .array(family.members.map(json))),
        ])
    }

    static func json(_ member: FamilyView.Member) -> JSON {
        .object([
            ("user", .string(member.user)), ("role", .string(member.role)),
            ("status", .string(member.status)), ("policy", json(member.policy)),
            ("spentToday", .optional(member.spentToday)),
            ("spentThisMonth", .optional(member.spentThisMonth)),
            ("canSpendNow", .optional(member.canSpendNow)),
            ("ownWallet", .optional(member.ownWallet)),
            ("allowance", .optional(member.allowance)),
        ])
    }

    static func json(_ policy: PolicyView) -> JSON {
        .object([
            ("perPayment", .optional(policy.perPayment)), ("daily", .optional(policy.daily)),
            ("monthly", .optional(policy.monthly)),
            ("allow", policy.allow.map { .array($0.map(JSON.string)) } ?? .null),
            ("deny", .array(policy.deny.map(JSON.string))), ("funding", .string(policy.funding)),
            ("override", .bool(policy.override)),
            ("approvalOver", .optional(policy.approvalOver)),
            ("twoApproversOver", .optional(policy.twoApproversOver)),
            ("frozen", .bool(policy.frozen)),
        ])
    }

    static func text(_ family: FamilyView) -> String {
        var text =
            "family \(family.id) (\(family.currency), \(family.timeZone)), owner \(family.owner)\n"
        text += "  pool available: \(family.pool)\n"
        text +=
            "  refunds restore spent limits: \(family.refundsRestoreLimits ? "yes" : "no")\n\n"
        var table = Table([
            .init("MEMBER"), .init("ROLE"), .init("STATUS"), .init("TODAY", .right),
            .init("THIS MONTH", .right), .init("CAN SPEND NOW", .right),
            .init("OWN WALLET", .right),
            .init("RULES"),
        ])
        table.rows = family.members.map { member in
            [
                member.user, member.role, member.status, member.spentToday ?? "-",
                member.spentThisMonth ?? "-", member.canSpendNow ?? "-",
                member.ownWallet ?? "private", rules(member.policy),
            ]
        }
        text += table.rendered()
        let allowances = family.members.compactMap { member in
            member.allowance.map { "  allowance: \(member.user) gets \($0)" }
        }
        if !allowances.isEmpty { text += "\n" + allowances.joined(separator: "\n") + "\n" }
        return text
    }

    /// A policy in one line a family member can read.
    static func rules(_ policy: PolicyView) -> String {
        var parts: [String] = []
        if policy.frozen { parts.append("FROZEN") }
        if let cap = policy.perPayment { parts.append("≤ \(cap) a payment") }
        if let cap = policy.daily { parts.append("\(cap) a day") }
        if let cap = policy.monthly { parts.append("\(cap) a month") }
        if let allow = policy.allow { parts.append("only " + allow.joined(separator: ",")) }
        if !policy.deny.isEmpty { parts.append("never " + policy.deny.joined(separator: ",")) }
        if let over = policy.approvalOver { parts.append("ask over \(over)") }
        if let over = policy.twoApproversOver { parts.append("two approvers over \(over)") }
        parts.append(policy.funding + (policy.override ? "" : " (fixed)"))
        return parts.joined(separator: "; ")
    }

    static func json(_ request: FamilyRequestView) -> JSON {
        .object([
            ("id", .number(request.id)), ("family", .string(request.family)),
            ("member", .string(request.member)), ("amount", .string(request.amount)),
            ("currency", .string(request.currency)), ("merchant", .string(request.merchant)),
            ("category", .string(request.category)), ("status", .string(request.status)),
            ("expiresAt", .string(request.expiresAt)),
            ("approvals", .array(request.approvals.map(JSON.string))),
            ("approvalsNeeded", .number(Int64(request.approvalsNeeded))),
            ("reasons", .array(request.reasons.map(JSON.string))),
            ("order", .number(request.order)),
        ])
    }

    static func table(_ requests: [FamilyRequestView]) -> String {
        guard !requests.isEmpty else { return "no requests\n" }
        var table = Table([
            .init("ID", .right), .init("FAMILY"), .init("MEMBER"), .init("AMOUNT", .right),
            .init("MERCHANT"), .init("CATEGORY"), .init("STATUS"), .init("APPROVALS"),
            .init("EXPIRES"),
        ])
        table.rows = requests.map {
            [
                "\($0.id)", $0.family, $0.member, "\($0.amount) \($0.currency)", $0.merchant,
                $0.category, $0.status,
                "\($0.approvals.count)/\($0.approvalsNeeded)"
                    + ($0.approvals.isEmpty ? "" : " (\($0.approvals.joined(separator: ", ")))"),
                $0.expiresAt,
            ]
        }
        return table.rendered()
    }

    static func output(_ keyed: Keyed<FamilyPayOutcome>, generatedKey: Bool) -> Output {
        let outcome = keyed.value
        var text: String
        var fields: [(String, JSON)] = [
            ("status", .string(outcome.status)), ("order", .number(outcome.order)),
            ("family", .string(outcome.family)), ("member", .string(outcome.member)),
            ("merchant", .string(outcome.merchant)), ("category", .string(outcome.category)),
            ("amount", .string(outcome.amount)),
        ]
        if outcome.status == "held" {
            text = "held: \(outcome.note ?? "")\n"
            fields.append(("duplicateOf", .number(outcome.order)))
        } else if let request = outcome.request {
            text =
                "request \(request.id): \(outcome.amount) at \(outcome.merchant) (\(outcome.category)) needs \(request.approvalsNeeded == 1 ? "an approver" : "two approvers")"
                + (outcome.joined ? " (the same request was already waiting: joined it)" : "")
                + "\n"
            text += request.reasons.map { "  - \($0)\n" }.joined()
            text += "  expires \(request.expiresAt) unless answered\n"
            fields.append(("request", .number(request.id)))
            fields.append(("expiresAt", .string(request.expiresAt)))
            fields.append(("reasons", .array(request.reasons.map(JSON.string))))
            fields.append(("joined", .bool(outcome.joined)))
        } else {
            text =
                "paid \(outcome.amount) at \(outcome.merchant) (\(outcome.category)), order \(outcome.order)\n"
            if let quote = outcome.quote {
                text +=
                    "  the bill: \(quote.bill) at \(quote.midRate) (ECB mid rate of \(quote.rateDate))\n"
            }
            text += "  own wallet: \(outcome.own ?? "-")\n  pool:       \(outcome.pool ?? "-")\n"
            fields.append(("own", .optional(outcome.own)))
            fields.append(("pool", .optional(outcome.pool)))
            if let note = outcome.note { text += "  \(note)\n" }
        }
        fields.append(("note", .optional(outcome.note)))
        if let quote = outcome.quote {
            fields.append(("bill", .string(quote.bill)))
            fields.append(("midRate", .string(quote.midRate)))
            fields.append(("rateDate", .string(quote.rateDate)))
        }
        fields.append(("key", .optional(keyed.key)))
        fields.append(("replayed", .bool(keyed.replayed)))
        let notices = TransferRendering.keyNotices(
            keyed.key, replayed: keyed.replayed, generated: generatedKey,
            replay: "nothing new was paid")
        return Output(text: text, json: .object(fields), notices: notices)
    }

    static func output(_ decision: FamilyDecision) -> Output {
        let request = decision.request
        var text: String
        switch decision.outcome {
        case "paid":
            text =
                "request \(request.id) approved by \(request.approvals.joined(separator: " and ")): \(request.amount) \(request.currency) paid at \(request.merchant)\n"
            text +=
                "  the pool paid \(decision.pool ?? "-"); the rest came from \(request.member)'s own wallet\n"
        case "pending":
            text =
                "request \(request.id): \(request.approvals.count) of \(request.approvalsNeeded) approvals; it waits for another approver\n"
        default:
            text = "request \(request.id) \(decision.outcome)\n"
        }
        var json = [("outcome", JSON.string(decision.outcome)), ("request", Self.json(request))]
        json.append(("own", .optional(decision.own)))
        json.append(("pool", .optional(decision.pool)))
        return Output(text: text, json: .object(json))
    }

    static func report(_ report: FamilyReport) -> Output {
        var text =
            "family \(report.family), \(report.month), by \(report.by) (\(report.currency); \(report.scope))\n\n"
        var table = Table([
            .init(report.by.uppercased()), .init("PAYMENTS", .right), .init("GROSS", .right),
            .init("REFUNDED", .right), .init("NET", .right), .init("POOL PAID", .right),
            .init(""),
        ])
        let widest = max(report.lines.map(\.grossMinor).max() ?? 0, 1)
        table.rows = report.lines.map { line in
            [
                line.key, "\(line.payments)", line.gross, line.refunded, line.net, line.pool,
                bar(line.grossMinor, of: widest),
            ]
        }
        let total = report.total
        table.rows.append([
            "total", "\(total.payments)", total.gross, total.refunded, total.net, total.pool, "",
        ])
        text += report.lines.isEmpty ? "no payments\n" : table.rendered()
        let line = { (line: FamilyReport.Line) -> JSON in
            .object([
                ("key", .string(line.key)), ("payments", .number(Int64(line.payments))),
                ("gross", .string(line.gross)), ("refunded", .string(line.refunded)),
                ("net", .string(line.net)), ("pool", .string(line.pool)),
                ("poolRefunded", .string(line.poolRefunded)),
            ])
        }
        return Output(
            text: text,
            json: .object([
                ("family", .string(report.family)), ("month", .string(report.month)),
                ("by", .string(report.by)), ("currency", .string(report.currency)),
                ("scope", .string(report.scope)), ("lines", .array(report.lines.map(line))),
                ("total", line(report.total)),
            ]))
    }

    /// A bar of up to 30 blocks, in eighths, proportional to the largest value (integers only).
    static func bar(_ value: Int64, of largest: Int64) -> String {
        let eighths = Int((Int128(value) * 240 + Int128(largest) / 2) / Int128(largest))
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }
}
