/// What a person may do in a family (DESIGN.md §6). The owner created it; guardians approve and
/// set policy with the owner; adults and minors spend under their policy; viewers only look.
public enum FamilyRole: String, Sendable, CaseIterable, Codable {
    case owner
    case guardian
    case adult
    case minor
    case viewer

    /// Approves requests and counts toward the two-approver rule.
    public var approves: Bool { self == .owner || self == .guardian }

    /// Invites and removes people, sets policies and allowances, freezes members.
    public var manages: Bool { approves }

    /// Pays from the pool and their own wallet under their policy.
    public var spends: Bool { self != .viewer }

    /// Puts money into the pool or a wallet.
    public var deposits: Bool { self != .viewer }

    /// Whether a member may change the funding order per payment when the policy says nothing:
    /// adults and up yes, minors no (DESIGN.md §6).
    public var overridesByDefault: Bool { self != .minor && self != .viewer }

    /// The roles an invitation may give: a family has one owner, the one who created it.
    public static let invitable: [FamilyRole] = [.guardian, .adult, .minor, .viewer]
}

/// Where a member's payment is paid from first.
public enum FundingOrder: String, Sendable, CaseIterable, Codable {
    case ownFirst = "own-first"
    case poolFirst = "pool-first"
}
