/// Why a company or wallet command was refused.
public enum CompanyError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownCompany(String)
    case companyExists(String)
    case invalidCompanyID(String)
    case invalidCountry(String)
    case notMember(user: String, company: String)
    case roleNotAllowed(user: String, role: String, company: String, needed: String)
    case invalidMemberRole(String)
    case noDefaultBank(String)
    case walletNotOpen(company: String, currency: String)
    case walletBankMismatch(company: String, currency: String, bank: String)
    case beneficiaryExists(company: String, id: String)
    case unknownBeneficiary(company: String, id: String)
    case ownBeneficiary(user: String, id: String)

    public var description: String {
        switch self {
        case .unknownCompany(let id): return "no company \(id): see `company list`"
        case .companyExists(let id): return "company \(id) already exists with other details"
        case .invalidCompanyID(let id):
            return
                "'\(id)' is not a company id: 1 to 40 lower-case letters, digits or dashes, starting with a letter or digit"
        case .invalidCountry(let text):
            return "'\(text)' is not a country: expected two capital letters (ISO 3166), e.g. DE"
        case .notMember(let user, let company):
            return
                "\(user) is not a member of company \(company): ask an admin (`company member add \(company) \(user) --role …`)"
        case .roleNotAllowed(let user, let role, let company, let needed):
            return "\(user) is \(role) of company \(company); this needs \(needed)"
        case .invalidMemberRole(let role):
            return "'\(role)' is not a company role: treasurer, approver or viewer"
        case .noDefaultBank(let code):
            return "there is no default servicing bank for \(code): give --bank BIC"
        case .walletNotOpen(let company, let currency):
            return
                "company \(company) has no \(currency) wallet: `wallet open \(company) \(currency)`"
        case .beneficiaryExists(let company, let id):
            return
                "company \(company) already has a beneficiary \(id) with other details: `beneficiary change \(company) \(id) …` makes a new version"
        case .unknownBeneficiary(let company, let id):
            return "company \(company) has no beneficiary \(id): see `beneficiary list \(company)`"
        case .ownBeneficiary(let user, let id):
            return
                "\(user) made this version of \(id); another treasurer or approver of the company must approve it"
        case .walletBankMismatch(let company, let currency, let bank):
            return
                "company \(company)'s \(currency) wallet is serviced by \(bank); it cannot be reopened with another bank"
        }
    }
}
