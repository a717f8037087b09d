/// Refusals that belong to the engine itself rather than to money or ledger rules.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    case permissionDenied(actor: String, role: String, needed: String)
    case idempotencyConflict(key: String, field: String)
    /// A business refusal recorded under an idempotency key, repeated for the same key.
    case refused(key: String, message: String)
    case unknownUser(String, operatorName: String?)
    case userExists(String)
    case userDisabled(String)
    case invalidUserName(String)
    case invalidPin(String)
    case pinRequired(String)
    case wrongPin(String, triesLeft: Int)
    case locked(String, until: String)
    case lastAdmin(String)
    case cannotDisableSelf
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .permissionDenied(let actor, let role, let needed):
            return "\(actor) (\(role)) may not \(needed)"
        case .idempotencyConflict(let key, let field):
            return
                "key '\(key)' was already used for a different request: '\(field)' differs; use a new key for a new request"
        case .refused(let key, let message):
            return "\(message) (recorded under key '\(key)'; the same key gets the same answer)"
        case .unknownUser(let name, let operatorName):
            if let operatorName {
                return
                    "unknown user '\(name)': this database's operator is '\(operatorName)'; act with --as USER and that user's PIN"
            }
            return "unknown user '\(name)': see `user list`"
        case .userExists(let name):
            return "user '\(name)' already exists"
        case .userDisabled(let name):
            return "user '\(name)' is disabled"
        case .invalidUserName(let name):
            return
                "'\(name)' is not a user name: use 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
        case .invalidPin(let reason):
            return "invalid PIN: \(reason)"
        case .pinRequired(let name):
            return
                "acting as \(name) needs their PIN: set FUNDFLOW_PIN (scripts) or answer the prompt (REPL)"
        case .wrongPin(let name, let triesLeft):
            return
                "wrong PIN for \(name): \(triesLeft) \(triesLeft == 1 ? "try" : "tries") left before a 15-minute lock"
        case .locked(let name, let until):
            return "\(name) is locked for this source after five wrong PINs, until \(until)"
        case .lastAdmin(let name):
            return "\(name) is the last active admin; make someone else admin first"
        case .cannotDisableSelf:
            return "you cannot disable yourself"
        case .invalidArgument(let message):
            return message
        }
    }
}
