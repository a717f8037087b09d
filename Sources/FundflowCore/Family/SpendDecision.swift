/// What the rules say about one payment before any money is looked at.
public enum SpendDecision: Equatable, Sendable {
    /// Pay now.
    case allowed
    /// Ask: `approvers` different approvers must say yes; `reasons` say why, for people.
    case request(approvers: Int, reasons: [String])
    /// Never, whoever approves: a freeze, a per-payment cap, a category rule.
    case refused(String)
}

/// The spending rules of DESIGN.md §6 as one pure function, so every boundary is testable
/// without a database: per-payment caps, deny lists and freezes are hard; daily and monthly caps
/// and the thresholds ask for approval. "Over" is strict: exactly at a cap or a threshold passes.
public enum SpendRules {
    /// - Parameters:
    ///   - spend: the whole purchase, in the family currency's minor units.
    ///   - spentToday: the member's spend in today's window so far (same units).
    ///   - spentThisMonth: the member's spend in this month's window so far.
    ///   - format: renders minor units for messages (`200.00 CNY`).
    public static func decide(
        policy: SpendPolicy, spend: Int64, category: String, spentToday: Int64,
        spentThisMonth: Int64, format: (Int64) -> String
    ) -> SpendDecision {
        let category = SpendPolicy.category(category)
        if policy.frozen { return .refused("spending is frozen") }
        if policy.deny.contains(category) {
            return .refused("category '\(category)' is denied")
        }
        if let allow = policy.allow, !allow.contains(category) {
            return .refused(
                "category '\(category)' is not allowed (allowed: \(allow.sorted().joined(separator: ", ")))"
            )
        }
        if let cap = policy.perPayment, spend > cap {
            return .refused("\(format(spend)) is over the per-payment cap of \(format(cap))")
        }
        var reasons: [String] = []
        var approvers = 0
        if let cap = policy.daily, spentToday + spend > cap {
            reasons.append(
                "today's spend would be \(format(spentToday + spend)), over the daily cap of \(format(cap))"
            )
            approvers = 1
        }
        if let cap = policy.monthly, spentThisMonth + spend > cap {
            reasons.append(
                "this month's spend would be \(format(spentThisMonth + spend)), over the monthly cap of \(format(cap))"
            )
            approvers = 1
        }
        if let over = policy.approvalOver, spend > over {
            reasons.append("\(format(spend)) is over the approval threshold of \(format(over))")
            approvers = max(approvers, 1)
        }
        if let over = policy.twoApproversOver, spend > over {
            reasons.append("\(format(spend)) is over \(format(over)): two approvers")
            approvers = 2
        }
        return approvers == 0 ? .allowed : .request(approvers: approvers, reasons: reasons)
    }

    /// How much more the member can spend right now without asking: the least headroom of the
    /// per-payment cap, the daily and monthly caps and the approval thresholds; `nil` when no rule
    /// limits it. Zero when frozen.
    public static func headroom(
        policy: SpendPolicy, spentToday: Int64, spentThisMonth: Int64
    ) -> Int64? {
        if policy.frozen { return 0 }
        let limits: [Int64?] = [
            policy.perPayment, policy.daily.map { $0 - spentToday },
            policy.monthly.map { $0 - spentThisMonth }, policy.approvalOver,
            policy.twoApproversOver,
        ]
        return limits.compactMap { $0 }.min().map { max($0, 0) }
    }
}
