import ArgumentParser
import FundflowEngine

struct CompanyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "company",
        abstract: "Companies, their people and roles, and their approval policy.",
        subcommands: [
            CompanyCreate.self, CompanyList.self, CompanyShow.self, CompanyMemberCommand.self,
            CompanyPolicy.self,
        ])
}

struct CompanyMemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "People of a company.",
        subcommands: [CompanyMemberAdd.self])
}

enum CompanyRendering {
    static func json(_ company: CompanyView) -> JSON {
        .object([
            ("id", .string(company.id)), ("name", .string(company.name)),
            ("country", .string(company.country)),
            ("secondApprovalOver", .optional(company.secondApprovalOver)),
            (
                "members",
                .array(
                    company.members.map {
                        .object([("user", .string($0.user)), ("role", .string($0.role))])
                    })
            ),
            (
                "wallets",
                .array(
                    company.wallets.map {
                        .object([
                            ("currency", .string($0.currency)), ("bank", .string($0.bank)),
                            ("iban", .optional($0.iban)),
                        ])
                    })
            ),
        ])
    }

    static func text(_ company: CompanyView) -> String {
        var text = "company \(company.id): \(company.name) (\(company.country))\n"
        text += "  second approval over: \(company.secondApprovalOver ?? "none")\n"
        var members = Table([.init("MEMBER"), .init("ROLE")])
        members.rows = company.members.map { [$0.user, $0.role] }
        text += company.members.isEmpty ? "  no members\n" : "\n" + members.rendered()
        var wallets = Table([.init("WALLET"), .init("SERVICING BANK"), .init("IBAN")])
        wallets.rows = company.wallets.map { [$0.currency, $0.bank, $0.iban ?? ""] }
        text += company.wallets.isEmpty ? "  no wallets\n" : "\n" + wallets.rendered()
        return text
    }
}

struct CompanyCreate: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a company (admins).")
    static let examples = ["company create acme --name \"Acme Maschinenbau GmbH\" --country DE"]

    @Argument(help: "Company id: lower-case letters, digits, dashes.")
    var id: String

    @Option(help: "Legal name.")
    var name: String

    @Option(help: "Country, ISO 3166 two letters.")
    var country: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let company = try engine.createCompany(id: id, name: name, country: country, context)
        return Output(text: CompanyRendering.text(company), json: CompanyRendering.json(company))
    }
}

struct CompanyList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The companies you belong to.")
    static let examples = ["company list"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let companies = try engine.companies(as: actor)
        var table = Table([
            .init("COMPANY"), .init("NAME"), .init("COUNTRY"), .init("MEMBERS", .right),
            .init("WALLETS"),
        ])
        table.rows = companies.map {
            [
                $0.id, $0.name, $0.country, "\($0.members.count)",
                $0.wallets.map(\.currency).joined(separator: " "),
            ]
        }
        return Output(
            text: companies.isEmpty ? "no companies\n" : table.rendered(),
            json: .array(companies.map(CompanyRendering.json)))
    }
}

struct CompanyShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A company's people, policy and wallets.")
    static let examples = ["company show acme"]

    @Argument(help: "Company id.")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let company = try engine.company(id, as: actor)
        return Output(text: CompanyRendering.text(company), json: CompanyRendering.json(company))
    }
}

struct CompanyMemberAdd: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a user to a company, or change their role.")
    static let examples = ["company member add acme mei --role treasurer"]

    @Argument(help: "Company id.")
    var company: String

    @Argument(help: "User name.")
    var user: String

    @Option(help: "treasurer, approver or viewer.")
    var role: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.addMember(company: company, user: user, role: role, context)
        return Output(text: CompanyRendering.text(view), json: CompanyRendering.json(view))
    }
}

struct CompanyPolicy: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Set when a second approver is needed (leave out the option to need none).")
    static let examples = ["company policy acme --second-approval-over \"50000.00 EUR\""]

    @Argument(help: "Company id.")
    var company: String

    @Option(help: "Amounts above this need a second approver.")
    var secondApprovalOver: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.setCompanyPolicy(
            company: company, secondApprovalOver: secondApprovalOver, context)
        return Output(text: CompanyRendering.text(view), json: CompanyRendering.json(view))
    }
}
