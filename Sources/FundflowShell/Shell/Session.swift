public import FundflowEngine

/// Asks the person at the terminal. Only the REPL has one; scripts and piped input never prompt.
public protocol Prompter: AnyObject {
    /// Reads a line without echo (a PIN); `nil` when the user gave up (Ctrl-D).
    func secret(_ prompt: String) -> String?
    /// Asks a yes/no question.
    func confirm(_ prompt: String) -> Bool
}

/// Everything a session is started with: the global options and facts about the process.
public struct SessionSettings: Sendable {
    public var databasePath: String
    public var json: Bool
    public var actorName: String?
    public var yes: Bool
    /// The local operator: `$USER`, else the name of the process's user.
    public var operatorName: String
    /// Where wrong PINs are counted from: `ssh:ADDRESS` for remote logins, `local` otherwise.
    public var source: String
    public var environment: [String: String]
    /// A new database runs on a simulated clock (`--simulated`); an existing one keeps its clock.
    public var simulated: Bool

    public init(
        databasePath: String, json: Bool = false, actorName: String? = nil, yes: Bool = false,
        operatorName: String,
        source: String = "local", environment: [String: String] = [:], simulated: Bool = false
    ) {
        self.simulated = simulated
        self.databasePath = databasePath
        self.json = json
        self.actorName = actorName
        self.yes = yes
        self.operatorName = operatorName
        self.source = source
        self.environment = environment
    }
}

/// One run of the shell: the settings, the database opened on first need (so `help` never opens
/// it), and the authenticated actor.
public final class Session {
    public let settings: SessionSettings
    let prompter: (any Prompter)?
    private var opened: (engine: Engine, actor: Actor)?
    /// Where long commands draw their progress (standard error); none in tests.
    public var progress: ProgressSink?

    public init(settings: SessionSettings, prompter: (any Prompter)?) {
        self.settings = settings
        self.prompter = prompter
    }

    public var isInteractive: Bool { prompter != nil }

    /// Whether a command already opened the database (the REPL runs jobs only then).
    public var isOpen: Bool { opened != nil }

    /// Opens the database and authenticates the actor, once per session.
    public func engine() throws -> (engine: Engine, actor: Actor) {
        if let opened { return opened }
        let engine = try Engine.open(
            path: settings.databasePath, operatorName: settings.operatorName,
            defaults: DefaultFiles.locate(environment: settings.environment),
            simulated: settings.simulated)
        let name = settings.actorName ?? settings.operatorName
        let actor: Actor
        do {
            actor = try engine.authenticate(
                name: name, pin: settings.environment["FUNDFLOW_PIN"], source: settings.source)
        } catch EngineError.pinRequired(let user) where prompter != nil {
            guard let pin = prompter?.secret("PIN for \(user): ") else {
                throw EngineError.pinRequired(user)
            }
            actor = try engine.authenticate(name: name, pin: pin, source: settings.source)
        }
        opened = (engine, actor)
        return (engine, actor)
    }

    /// The engine and a context naming the actor and the command as typed, for the audit log.
    func context(_ commandText: String) throws -> (engine: Engine, context: CommandContext) {
        let (engine, actor) = try engine()
        return (engine, CommandContext(actor: actor, commandText: commandText))
    }

    /// A new PIN: asked twice at the REPL, read from `FUNDFLOW_NEW_PIN` otherwise.
    func newPin(for user: String) throws -> String {
        if let prompter {
            guard let first = prompter.secret("New PIN for \(user): "),
                let second = prompter.secret("Repeat the PIN: ")
            else { throw ShellError.cancelled }
            guard first == second else { throw ShellError.pinsDiffer }
            return first
        }
        guard let pin = settings.environment["FUNDFLOW_NEW_PIN"] else {
            throw ShellError.newPinNeeded(user)
        }
        return pin
    }

    /// Confirmation before money moves: `--yes` answers in advance; only the REPL asks.
    func confirm(_ question: String, yes: Bool) throws {
        if yes || settings.yes { return }
        guard let prompter else { throw ShellError.needsYes }
        guard prompter.confirm(question) else { throw ShellError.cancelled }
    }
}

/// Errors of the shell itself.
public enum ShellError: Error, Equatable, CustomStringConvertible {
    case needsYes
    case cancelled
    case pinsDiffer
    case newPinNeeded(String)
    case usage(String)
    case cannotWrite(String, reason: String)
    case cannotRead(String, reason: String)

    public var description: String {
        switch self {
        case .needsYes:
            return "this command asks for confirmation; add --yes to run it from a script"
        case .cancelled: return "cancelled; nothing was changed"
        case .pinsDiffer: return "the two PINs differ; nothing was changed"
        case .newPinNeeded(let user):
            return "set FUNDFLOW_NEW_PIN to the new PIN for \(user) (only the REPL asks for it)"
        case .usage(let message): return message
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}
