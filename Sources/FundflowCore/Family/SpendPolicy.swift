/// One member's spending rules, amounts in minor units of the family's currency; `nil` means no
/// such limit. Caps count *spend*: the whole purchase, whoever's money pays it (DESIGN.md §6).
public struct SpendPolicy: Equatable, Sendable, Codable {
    public var perPayment: Int64?
    public var daily: Int64?
    public var monthly: Int64?
    /// Categories the member may pay in; `nil` allows every category not denied.
    public var allow: Set<String>?
    public var deny: Set<String>
    public var funding: FundingOrder
    /// Whether the member may change the funding order per payment; `nil` follows the role.
    public var override: Bool?
    /// Spend above this needs one approver.
    public var approvalOver: Int64?
    /// Spend above this needs two different approvers.
    public var twoApproversOver: Int64?
    public var frozen: Bool

    public init(
        perPayment: Int64? = nil, daily: Int64? = nil, monthly: Int64? = nil,
        allow: Set<String>? = nil, deny: Set<String> = [], funding: FundingOrder = .ownFirst,
        override: Bool? = nil, approvalOver: Int64? = nil, twoApproversOver: Int64? = nil,
        frozen: Bool = false
    ) {
        self.perPayment = perPayment
        self.daily = daily
        self.monthly = monthly
        self.allow = allow
        self.deny = deny
        self.funding = funding
        self.override = override
        self.approvalOver = approvalOver
        self.twoApproversOver = twoApproversOver
        self.frozen = frozen
    }

    /// How many approvers the policy can ever ask for at once.
    public var largestQuorum: Int {
        twoApproversOver != nil
            ? 2 : (approvalOver != nil || daily != nil || monthly != nil ? 1 : 0)
    }

    /// Category names are compared lower-cased.
    public static func category(_ text: String) -> String { text.lowercased() }
}
