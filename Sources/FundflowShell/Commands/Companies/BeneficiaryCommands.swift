import ArgumentParser
import FundflowCore
import FundflowEngine

struct BeneficiaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beneficiary",
        abstract:
            "The people and firms a company pays abroad; each new version needs a second user's approval.",
        subcommands: [
            BeneficiaryAdd.self, BeneficiaryChange.self, BeneficiaryApprove.self,
            BeneficiaryList.self,
            BeneficiaryShow.self, BeneficiaryValidate.self,
        ])
}

/// A beneficiary's details, as `beneficiary add` and `beneficiary change` take them.
struct BeneficiaryOptions: ParsableArguments {
    @Option(help: "The beneficiary's name (as the bank should see it).")
    var name: String

    @Option(
        help:
            "SCHEME:VALUE — IBAN:…, CLABE:…, ABA:ROUTING/ACCOUNT, IFSC:CODE/ACCOUNT, CNAPS:CODE/ACCOUNT or ACCT:…"
    )
    var account: String

    @Option(
        help:
            "The beneficiary's bank: a BIC, or a clearing id (US ABA routing number, IFSC, CNAPS, …)."
    )
    var bank: String

    @Option(help: "The currency paid out, e.g. INR.")
    var currency: String

    @Option(help: "The beneficiary's country (ISO 3166, e.g. IN).")
    var country: String

    @Option(help: "Street name.")
    var street: String?

    @Option(help: "Building number.")
    var building: String?

    @Option(help: "Post code.")
    var postcode: String?

    @Option(help: "Town.")
    var town: String?

    @Option(help: "Purpose code (ISO 20022, e.g. SUPP; required for INR and CNY).")
    var purpose: String?

    var input: BeneficiaryInput {
        BeneficiaryInput(
            name: name, account: account, bank: bank, currency: currency, country: country,
            address: .init(street: street, building: building, postcode: postcode, town: town),
            purpose: purpose)
    }
}

enum BeneficiaryRendering {
    static func json(_ view: BeneficiaryView) -> JSON {
        .object([
            ("company", .string(view.company)), ("id", .string(view.id)),
            ("name", .string(view.name)),
            ("account", .string(view.account)), ("bank", .string(view.bank)),
            ("currency", .string(view.currency)), ("country", .string(view.country)),
            (
                "address",
                .object([
                    ("street", .optional(view.street)), ("building", .optional(view.building)),
                    ("postcode", .optional(view.postcode)), ("town", .optional(view.town)),
                ])
            ),
            ("purpose", .optional(view.purpose)), ("version", .number(Int64(view.version))),
            ("status", .string(view.status)), ("changedBy", .string(view.changedBy)),
            ("changedAt", .string(view.changedAt)), ("approvedBy", .optional(view.approvedBy)),
            ("approvedAt", .optional(view.approvedAt)), ("new", .bool(view.isNew)),
        ])
    }

    static func text(_ view: BeneficiaryView) -> String {
        var text = "beneficiary \(view.id) of \(view.company): \(view.name) (\(view.country))\n"
        text +=
            "  account   \(view.account)\n  bank      \(view.bank)\n  currency  \(view.currency)\n"
        let address = BeneficiaryDetails.Address(
            street: view.street, building: view.building, postcode: view.postcode, town: view.town
        ).line
        if !address.isEmpty { text += "  address   \(address)\n" }
        if let purpose = view.purpose { text += "  purpose   \(purpose)\n" }
        text += "  version \(view.version) by \(view.changedBy) at \(view.changedAt): "
        if let approvedBy = view.approvedBy, let approvedAt = view.approvedAt {
            text += "approved by \(approvedBy) at \(approvedAt)"
        } else {
            text +=
                "pending — another treasurer or approver must `beneficiary approve \(view.company) \(view.id)`"
        }
        return text + (view.isNew ? " (new: never paid in this version)\n" : "\n")
    }
}

struct BeneficiaryAdd: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a beneficiary (a treasurer); it waits for a second user's approval.")
    static let examples = [
        "beneficiary add acme tata-steel --name \"Tata Steel Ltd\" --account IFSC:HDFC0000240/50100012345678 --bank HDFCINBBXXX --currency INR --country IN --purpose SUPP",
        "beneficiary add acme bosch --name \"Robert Bosch GmbH\" --account IBAN:DE89370400440532013000 --bank COBADEFFXXX --currency EUR --country DE --street Hauptstr. --building 5 --postcode 70839 --town Gerlingen",
    ]

    @Argument(help: "The company.")
    var company: String

    @Argument(help: "The beneficiary's id, the company's own reference (e.g. V10023).")
    var id: String

    @OptionGroup var details: BeneficiaryOptions
    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.addBeneficiary(company: company, id: id, details.input, context)
        return Output(text: BeneficiaryRendering.text(view), json: BeneficiaryRendering.json(view))
    }
}

struct BeneficiaryChange: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "change",
        abstract: "Change a beneficiary's details: a new version, approved again before it is paid."
    )
    static let examples = [
        "beneficiary change acme bosch --name \"Robert Bosch GmbH\" --account IBAN:DE89370400440532013000 --bank COBADEFFXXX --currency EUR --country DE"
    ]

    @Argument(help: "The company.")
    var company: String

    @Argument(help: "The beneficiary's id.")
    var id: String

    @OptionGroup var details: BeneficiaryOptions
    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.changeBeneficiary(company: company, id: id, details.input, context)
        return Output(text: BeneficiaryRendering.text(view), json: BeneficiaryRendering.json(view))
    }
}

struct BeneficiaryApprove: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a beneficiary's pending version (not your own).")
    static let examples = ["beneficiary approve acme tata-steel"]

    @Argument(help: "The company.")
    var company: String

    @Argument(help: "The beneficiary's id.")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.approveBeneficiary(company: company, id: id, context)
        return Output(text: BeneficiaryRendering.text(view), json: BeneficiaryRendering.json(view))
    }
}

struct BeneficiaryList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "A company's beneficiaries.")
    static let examples = [
        "beneficiary list acme", "beneficiary list acme --status pending --json",
    ]

    @Argument(help: "The company.")
    var company: String

    @Option(help: "pending or approved.")
    var status: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let wanted = try status.map {
            try choice($0, of: BeneficiaryStatus.self, option: "--status")
        }
        let views = try engine.beneficiaries(company: company, status: wanted, as: actor)
        var table = Table([
            .init("ID"), .init("NAME"), .init("ACCOUNT"), .init("BANK"), .init("CCY"),
            .init("STATUS"),
            .init("VERSION", .right),
        ])
        table.rows = views.map {
            [
                $0.id, $0.name, $0.account, $0.bank, $0.currency,
                $0.status + ($0.isNew ? ", new" : ""), "\($0.version)",
            ]
        }
        let text = views.isEmpty ? "no beneficiaries\n" : table.rendered()
        return Output(text: text, json: .array(views.map(BeneficiaryRendering.json)))
    }
}

struct BeneficiaryShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One beneficiary.")
    static let examples = ["beneficiary show acme tata-steel"]

    @Argument(help: "The company.")
    var company: String

    @Argument(help: "The beneficiary's id.")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let view = try engine.beneficiary(company: company, id: id, as: actor)
        return Output(text: BeneficiaryRendering.text(view), json: BeneficiaryRendering.json(view))
    }
}

struct BeneficiaryValidate: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract:
            "Check an IBAN (and BIC) or any account: exits 0 either way; --json says valid and why not."
    )
    static let examples = [
        "beneficiary validate --iban \"DE89 3704 0044 0532 0130 00\" --bic COBADEFFXXX",
        "beneficiary validate --account CLABE:032180000118359719 --json",
    ]

    @Option(help: "An IBAN (spaces allowed).")
    var iban: String?

    @Option(help: "Any account as SCHEME:VALUE, instead of --iban.")
    var account: String?

    @Option(help: "The bank's BIC: checked too, and against the IBAN's country.")
    var bic: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard (iban == nil) != (account == nil) else {
            throw ValidationError("give either --iban IBAN or --account SCHEME:VALUE")
        }
    }

    func execute(in session: Session, commandText: String) throws -> Output {
        let check = Engine.checkAccount(iban: iban, account: account, bic: bic)
        let text =
            check.valid
            ? "valid: \(check.formatted ?? "")\(bic.map { " at \($0.uppercased())" } ?? "")\n"
            : "not valid: \(check.error ?? "")\n"
        var fields: [(String, JSON)] = [
            ("valid", .bool(check.valid)), ("error", .optional(check.error)),
        ]
        if let normalized = check.normalized { fields.append(("account", .string(normalized))) }
        return Output(text: text, json: .object(fields))
    }
}
