public import FundflowCore

/// Why a family command was refused, in words a family member can act on.
public enum FamilyError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownFamily(String)
    case familyExists(String)
    case invalidFamilyID(String)
    case invalidTimeZone(String)
    case notMember(user: String, family: String)
    case invitedNotAccepted(user: String, family: String)
    case roleNotAllowed(user: String, role: String, family: String, action: String)
    case invalidRole(String)
    case notInvited(user: String, family: String)
    case alreadyMember(user: String, family: String)
    case ownerStays(String)
    case quorumUnmet(member: String, needed: Int, available: [String])
    case breaksQuorum(user: String, member: String)
    /// A hard rule: a freeze, a per-payment cap, a category (recorded under the payment's key).
    case spendRefused(member: String, reason: String)
    /// The sources cannot pay the bill (recorded under the payment's key).
    case short(member: String, detail: String)
    case overrideNotAllowed(member: String)
    case unknownRequest(Int64)
    case requestNotPending(id: Int64, status: String)
    case requestExpired(id: Int64, at: String)
    case ownRequest(Int64)
    case alreadyApproved(id: Int64, user: String)
    case notAFamilyOrder(Int64)
    case invalidMonth(String)

    public var description: String {
        switch self {
        case .unknownFamily(let id): return "unknown family '\(id)': see `family list`"
        case .familyExists(let id): return "family '\(id)' already exists"
        case .invalidFamilyID(let id):
            return
                "'\(id)' is not a family id: 1 to 40 lower-case letters, digits or dashes, starting with a letter or digit"
        case .invalidTimeZone(let zone):
            return
                "unknown time zone '\(zone)': use an IANA name such as Asia/Shanghai or Europe/Berlin"
        case .notMember(let user, let family): return "\(user) is not a member of family \(family)"
        case .invitedNotAccepted(let user, let family):
            return
                "\(user) is invited to family \(family) but is not a member until they accept: `family accept \(family)`"
        case .roleNotAllowed(let user, let role, let family, let action):
            return "\(user) is \(role) in family \(family) and may not \(action)"
        case .invalidRole(let role):
            return "'\(role)' is not a role to invite: use guardian, adult, minor or viewer"
        case .notInvited(let user, let family):
            return "\(user) has no invitation to family \(family)"
        case .alreadyMember(let user, let family):
            return "\(user) is already a member of family \(family)"
        case .ownerStays(let family):
            return
                "the owner cannot leave or be removed from family \(family): a family needs its owner"
        case .quorumUnmet(let member, let needed, let available):
            return
                "\(member)'s policy would need \(needed) approvers other than \(member), but the family has \(available.isEmpty ? "none" : available.joined(separator: ", ")): invite a guardian first or lower the rule"
        case .breaksQuorum(let user, let member):
            return
                "without \(user), \(member)'s policy could not get the approvers it needs: change that policy first"
        case .spendRefused(let member, let reason):
            return "payment refused for \(member): \(reason)"
        case .short(let member, let detail):
            return "payment refused for \(member): \(detail)"
        case .overrideNotAllowed(let member):
            return
                "\(member)'s policy does not allow choosing the funding per payment (family policy --override allowed)"
        case .unknownRequest(let id): return "unknown request \(id): see `request list`"
        case .requestNotPending(let id, let status):
            return "request \(id) is \(status), not pending"
        case .requestExpired(let id, let at):
            return "request \(id) expired at \(at): nobody answered in time; pay again to ask again"
        case .ownRequest(let id):
            return "request \(id) is your own: another approver must answer it"
        case .alreadyApproved(let id, let user):
            return "\(user) already approved request \(id); it needs another approver"
        case .notAFamilyOrder(let id): return "order \(id) is not a family payment"
        case .invalidMonth(let text): return "'\(text)' is not a month: use YYYY-MM"
        }
    }
}

extension FamilyError: BusinessRefusable {
    public var isBusinessRefusal: Bool {
        switch self {
        case .spendRefused, .short: return true
        default: return false
        }
    }
}
