import ArgumentParser
import FundflowCore
import FundflowEngine

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "People who may use this database, their roles and PINs.",
        subcommands: [
            UserAdd.self, UserList.self, UserPinCommand.self, UserDisable.self, UserRole.self,
        ])
}

struct UserPinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin", abstract: "Change a PIN.", subcommands: [UserPinSet.self])
}

enum UserRendering {
    static func output(_ users: [UserView], single: Bool) -> Output {
        var table = Table([.init("USER"), .init("ROLE"), .init("STATUS"), .init("CREATED")])
        table.rows = users.map {
            [
                $0.name, $0.role + ($0.isOperator ? " (operator)" : ""),
                $0.disabled ? "disabled" : "active", $0.createdAt,
            ]
        }
        let items = users.map { user in
            JSON.object([
                ("name", .string(user.name)), ("role", .string(user.role)),
                ("operator", .bool(user.isOperator)),
                ("disabled", .bool(user.disabled)), ("createdAt", .string(user.createdAt)),
            ])
        }
        return Output(text: table.rendered(), json: single ? (items.first ?? .null) : .array(items))
    }
}

struct UserAdd: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user; the PIN is asked at the REPL, read from FUNDFLOW_NEW_PIN otherwise.")
    static let examples = [
        "user add mei --role treasurer",
        "FUNDFLOW_NEW_PIN=482913 fundflow -c 'user add lan --role member'",
    ]

    @Argument(help: "User name: lower-case letters, digits, '.', '_' or '-'.")
    var name: String

    @Option(
        help: "admin, treasurer, approver, member or viewer.",
        transform: { try choice($0, of: Role.self, option: "--role") })
    var role: Role

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let pin = try session.newPin(for: name)
        return UserRendering.output(
            [try engine.addUser(name: name, role: role, pin: pin, context)], single: true)
    }
}

struct UserList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List users and their roles.")
    static let examples = ["user list"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        return UserRendering.output(try engine.users(as: actor), single: false)
    }
}

struct UserPinSet: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set your own PIN, or (admins) someone else's, which also lifts their lockouts.")
    static let examples = ["user pin set", "user pin set mei"]

    @Argument(help: "User whose PIN to set; yourself when left out.")
    var name: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let pin = try session.newPin(for: name ?? context.actor.name)
        let user = try engine.setPin(for: name, pin: pin, context)
        var output = UserRendering.output([user], single: true)
        output.text = "PIN of \(user.name) changed\n"
        return output
    }
}

struct UserDisable: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Stop a user from acting (their history stays).")
    static let examples = ["user disable mei"]

    @Argument(help: "User name.")
    var name: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return UserRendering.output([try engine.disableUser(name, context)], single: true)
    }
}

struct UserRole: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Change a user's role.")
    static let examples = ["user role mei approver"]

    @Argument(help: "User name.")
    var name: String

    @Argument(
        help: "admin, treasurer, approver, member or viewer.",
        transform: { try choice($0, of: Role.self, option: "ROLE") })
    var role: Role

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return UserRendering.output([try engine.setRole(name, role: role, context)], single: true)
    }
}
