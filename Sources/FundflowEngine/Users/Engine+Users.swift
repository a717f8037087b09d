public import FundflowCore
import FundflowStore

/// A user as `user list` shows it; never the PIN hash.
public struct UserView: Equatable, Sendable, Codable, Replayable {
    public let name: String
    public let role: String
    public let isOperator: Bool
    public let disabled: Bool
    public let createdAt: String
}

extension UserView {
    init(_ row: PersonRow) {
        self.init(
            name: row.name, role: row.role.rawValue, isOperator: row.isOperator,
            disabled: row.disabled, createdAt: row.createdAt.iso8601)
    }
}

extension Engine {
    /// How long five wrong PINs lock a user against one source.
    public static let lockoutMilliseconds: Int64 = 15 * 60 * 1000
    public static let pinTries = 5

    /// Who runs the commands of this session. Without `--as` the actor is the local operator, who
    /// needs no PIN; anyone else needs their PIN, and five wrong PINs lock them against `source`.
    public func authenticate(name: String, pin: String?, source: String) throws -> Actor {
        enum Outcome {
            case actor(Actor)
            case failure(EngineError)
        }
        let outcome: Outcome = try store.write { transaction in
            let now = try time(in: transaction)
            guard let person = try transaction.person(named: name) else {
                let operatorName = try transaction.persons().first(where: \.isOperator)?.name
                return .failure(.unknownUser(name, operatorName: operatorName))
            }
            if person.disabled { return .failure(.userDisabled(name)) }
            let actor = Actor(name: person.name, role: person.role, isOperator: person.isOperator)
            if person.isOperator { return .actor(actor) }
            let failure = try transaction.pinFailure(person: name, source: source)
            if let until = failure?.lockedUntil, until > now {
                return .failure(.locked(name, until: until.iso8601))
            }
            guard let pin else { return .failure(.pinRequired(name)) }
            guard let stored = person.pinHash, try PinHasher.verify(pin, against: stored) else {
                let failures = (failure?.lockedUntil == nil ? failure?.failures ?? 0 : 0) + 1
                if failures >= Engine.pinTries {
                    let until = now.adding(milliseconds: Engine.lockoutMilliseconds)
                    try transaction.setPinFailure(
                        person: name, source: source, PinFailureRow(failures: 0, lockedUntil: until)
                    )
                    return .failure(.locked(name, until: until.iso8601))
                }
                try transaction.setPinFailure(
                    person: name, source: source,
                    PinFailureRow(failures: failures, lockedUntil: nil))
                return .failure(.wrongPin(name, triesLeft: Engine.pinTries - failures))
            }
            if failure != nil {
                try transaction.setPinFailure(
                    person: name, source: source, PinFailureRow(failures: 0, lockedUntil: nil))
            }
            return .actor(actor)
        }
        switch outcome {
        case .actor(let actor): return actor
        case .failure(let error): throw error
        }
    }

    /// `user add NAME --role R`: the new user's PIN is given by whoever adds them.
    public func addUser(
        name: String, role: Role, pin: String, _ context: CommandContext
    ) throws -> UserView {
        // Hashing takes a tenth of a second: it happens before the write transaction, not in it.
        let hash = try auditingFailures(context, marked: false, reason: nil) {
            try context.actor.require(.manageUsers)
            try UserName.validate(name)
            try PinHasher.validate(pin)
            return try PinHasher.hash(pin)
        }
        return try mutate(context, needs: .manageUsers) { mutation in
            if try mutation.transaction.person(named: name) != nil {
                throw EngineError.userExists(name)
            }
            let row = PersonRow(
                name: name, role: role, pinHash: hash, isOperator: false, disabled: false,
                createdAt: mutation.now)
            try mutation.transaction.insertPerson(row)
            return UserView(row)
        }.value
    }

    public func users(as actor: Actor) throws -> [UserView] {
        try actor.require(.readAudit)
        return try store.read { try $0.persons().map(UserView.init) }
    }

    /// `user pin set [USER]`: anyone may change their own PIN; admins may set anyone's, which also
    /// lifts that user's lockouts.
    public func setPin(for name: String?, pin: String, _ context: CommandContext) throws -> UserView
    {
        let target = name ?? context.actor.name
        let permission: Permission? = target == context.actor.name ? nil : .manageUsers
        let hash = try auditingFailures(context, marked: false, reason: nil) {
            if let permission { try context.actor.require(permission) }
            try PinHasher.validate(pin)
            return try PinHasher.hash(pin)
        }
        return try mutate(context, needs: permission) { mutation in
            guard var person = try mutation.transaction.person(named: target) else {
                throw EngineError.unknownUser(target, operatorName: nil)
            }
            person.pinHash = hash
            try mutation.transaction.updatePerson(person)
            try mutation.transaction.clearPinFailures(person: target)
            return UserView(person)
        }.value
    }

    public func disableUser(_ name: String, _ context: CommandContext) throws -> UserView {
        try mutate(context, needs: .manageUsers) { mutation in
            if name == context.actor.name { throw EngineError.cannotDisableSelf }
            guard var person = try mutation.transaction.person(named: name) else {
                throw EngineError.unknownUser(name, operatorName: nil)
            }
            if try person.role == .admin && !person.disabled
                && mutation.transaction.countActiveAdmins() <= 1
            {
                throw EngineError.lastAdmin(name)
            }
            person.disabled = true
            try mutation.transaction.updatePerson(person)
            return UserView(person)
        }.value
    }

    public func setRole(_ name: String, role: Role, _ context: CommandContext) throws -> UserView {
        try mutate(context, needs: .manageUsers) { mutation in
            guard var person = try mutation.transaction.person(named: name) else {
                throw EngineError.unknownUser(name, operatorName: nil)
            }
            if try person.role == .admin && role != .admin && !person.disabled
                && mutation.transaction.countActiveAdmins() <= 1
            {
                throw EngineError.lastAdmin(name)
            }
            person.role = role
            try mutation.transaction.updatePerson(person)
            return UserView(person)
        }.value
    }
}
