public import FundflowCore

/// The authenticated user a command runs as.
public struct Actor: Equatable, Sendable {
    public let name: String
    public let role: Role
    public let isOperator: Bool

    public init(name: String, role: Role, isOperator: Bool) {
        self.name = name
        self.role = role
        self.isOperator = isOperator
    }

    func require(_ permission: Permission) throws(EngineError) {
        guard role.allows(permission) else {
            throw .permissionDenied(actor: name, role: role.rawValue, needed: permission.rawValue)
        }
    }
}

/// Who runs a command and how they typed it: the audit log records both.
public struct CommandContext: Sendable {
    public let actor: Actor
    public let commandText: String

    public init(actor: Actor, commandText: String) {
        self.actor = actor
        self.commandText = commandText
    }
}
