/// What a user may do in Fundflow as a whole. Companies and families add their own roles later.
public enum Role: String, Sendable, CaseIterable, Codable {
    case admin
    case treasurer
    case approver
    case member
    case viewer

    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .manageLedger, .manageUsers:
            return self == .admin
        case .readLedger, .readAudit:
            switch self {
            case .admin, .treasurer, .approver, .viewer: return true
            case .member: return false
            }
        }
    }
}

/// A capability a command needs; checked by the engine before any work is done.
public enum Permission: String, Sendable, CaseIterable {
    /// Open accounts, post transfers and holds by hand.
    case manageLedger = "manage the ledger"
    /// See accounts, balances, history, exports and verification.
    case readLedger = "read the ledger"
    /// Add users, change roles, disable users, reset PINs.
    case manageUsers = "manage users"
    /// Read and verify the audit log.
    case readAudit = "read the audit log"
}
