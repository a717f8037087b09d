import FundflowCore
import FundflowStore

/// A company as `company show` presents it.
public struct CompanyView: Equatable, Sendable, Codable, Replayable {
    public struct Member: Equatable, Sendable, Codable {
        public let user: String
        public let role: String
    }

    public struct Wallet: Equatable, Sendable, Codable {
        public let currency: String
        public let bank: String
        public var iban: String? = nil
    }

    public let id: String
    public let name: String
    public let country: String
    public let secondApprovalOver: String?
    public let members: [Member]
    public let wallets: [Wallet]
}

/// What a member may do in a company.
public enum CompanyRole: String, Sendable, CaseIterable, Codable {
    case treasurer
    case approver
    case viewer
}

extension Engine {
    /// `company create ID --name NAME --country CC` (admins).
    public func createCompany(
        id: String, name: String, country: String, _ context: CommandContext
    ) throws -> CompanyView {
        try mutate(context, needs: .manageUsers) { mutation in
            try CompanyID.validate(id)
            guard country.count == 2, country.allSatisfy({ ("A"..."Z").contains($0) }) else {
                throw CompanyError.invalidCountry(country)
            }
            if let existing = try mutation.transaction.company(id: id) {
                guard existing.name == name, existing.country == country else {
                    throw CompanyError.companyExists(id)
                }
                return try companyView(id, in: mutation.transaction)
            }
            try mutation.transaction.insertCompany(
                id: id, name: name, country: country, at: mutation.now)
            return try companyView(id, in: mutation.transaction)
        }.value
    }

    /// `company list`: the companies the user belongs to (admins see all).
    public func companies(as actor: Actor) throws -> [CompanyView] {
        try store.read { transaction in
            try transaction.companies().filter { company in
                try actor.role == .admin
                    || transaction.membership(company: company.id, person: actor.name) != nil
            }.map { try companyView($0.id, in: transaction) }
        }
    }

    /// `company show C`: members (and admins) only.
    public func company(_ id: String, as actor: Actor) throws -> CompanyView {
        try store.read { transaction in
            if actor.role != .admin { try requireMember(id, actor, in: transaction) }
            return try companyView(id, in: transaction)
        }
    }

    /// `company member add C USER --role R` (admins).
    public func addMember(
        company: String, user: String, role: String, _ context: CommandContext
    ) throws -> CompanyView {
        try mutate(context, needs: .manageUsers) { mutation in
            guard let companyRole = CompanyRole(rawValue: role) else {
                throw CompanyError.invalidMemberRole(role)
            }
            guard try mutation.transaction.company(id: company) != nil else {
                throw CompanyError.unknownCompany(company)
            }
            guard try mutation.transaction.person(named: user) != nil else {
                throw EngineError.unknownUser(user, operatorName: nil)
            }
            try mutation.transaction.upsertMember(
                company: company, person: user, role: companyRole.rawValue, at: mutation.now)
            return try companyView(company, in: mutation.transaction)
        }.value
    }

    /// `company policy C [--second-approval-over "AMOUNT CCY"]` (a treasurer of the company, or admins).
    public func setCompanyPolicy(
        company: String, secondApprovalOver: String?, _ context: CommandContext
    ) throws
        -> CompanyView
    {
        try mutate(context, needs: nil) { mutation in
            if context.actor.role != .admin {
                try requireMember(
                    company, context.actor, roles: [.treasurer], in: mutation.transaction)
            }
            guard try mutation.transaction.company(id: company) != nil else {
                throw CompanyError.unknownCompany(company)
            }
            let threshold = try secondApprovalOver.map { try Money.parsePositive($0) }
            try mutation.transaction.setSecondApproval(company: company, over: threshold)
            return try companyView(company, in: mutation.transaction)
        }.value
    }

    /// Users act only for companies they belong to, in the roles those companies gave them.
    @discardableResult
    func requireMember(
        _ company: String, _ actor: Actor, roles: Set<CompanyRole>? = nil,
        in transaction: StoreTransaction
    )
        throws -> CompanyRole
    {
        guard try transaction.company(id: company) != nil else {
            throw CompanyError.unknownCompany(company)
        }
        guard let text = try transaction.membership(company: company, person: actor.name),
            let role = CompanyRole(rawValue: text)
        else { throw CompanyError.notMember(user: actor.name, company: company) }
        if let roles, !roles.contains(role) {
            throw CompanyError.roleNotAllowed(
                user: actor.name, role: role.rawValue, company: company,
                needed: roles.map(\.rawValue).sorted().joined(separator: " or "))
        }
        return role
    }

    func companyView(_ id: String, in transaction: StoreTransaction) throws -> CompanyView {
        guard let company = try transaction.company(id: id) else {
            throw CompanyError.unknownCompany(id)
        }
        return CompanyView(
            id: company.id, name: company.name, country: company.country,
            secondApprovalOver: company.secondApprovalOver?.description,
            members: try transaction.members(company: id).map {
                CompanyView.Member(user: $0.person, role: $0.role)
            },
            wallets: try transaction.wallets(company: id).map {
                CompanyView.Wallet(currency: $0.currency.code, bank: $0.bank, iban: $0.iban)
            })
    }
}

/// Company ids become part of account names (`wallet:acme:EUR`).
enum CompanyID {
    static func validate(_ id: String) throws {
        guard OwnerID.isValid(id) else { throw CompanyError.invalidCompanyID(id) }
    }
}

/// The ids of those who own accounts, companies and families: 1 to 40 lower-case letters,
/// digits or dashes, starting with a letter or digit, so they fit an account name's segment.
enum OwnerID {
    static func isValid(_ id: String) -> Bool {
        guard (1...40).contains(id.count), let first = id.first,
            ("a"..."z").contains(first) || ("0"..."9").contains(first)
        else { return false }
        return id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
