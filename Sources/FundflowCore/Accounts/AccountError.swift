/// Why an account identifier is not valid, in words a user can act on.
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(scheme: String)
    case characters(scheme: String, value: String, expected: String)
    case length(scheme: String, value: String, found: Int, expected: String)
    case unknownCountry(scheme: String, code: String)
    case format(scheme: String, value: String, expected: String)
    case checksum(scheme: String, value: String)
    case unknownScheme(String)

    public var description: String {
        switch self {
        case .empty(let scheme): return "the \(scheme) is empty"
        case .characters(let scheme, let value, let expected):
            return "\(scheme) \(value): \(expected)"
        case .length(let scheme, let value, let found, let expected):
            return "\(scheme) \(value) has \(found) characters; expected \(expected)"
        case .unknownCountry(let scheme, let code):
            return
                "\(scheme): '\(code)' is not a country with \(scheme == "IBAN" ? "IBANs" : "that scheme")"
        case .format(let scheme, let value, let expected):
            return "\(scheme) \(value) does not have the format \(expected)"
        case .checksum(let scheme, let value):
            return "\(scheme) \(value): the check digits are wrong (a typing error?)"
        case .unknownScheme(let scheme):
            return
                "unknown account scheme '\(scheme)': expected IBAN, CLABE, ABA, IFSC, CNAPS or ACCT"
        }
    }
}
