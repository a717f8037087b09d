/// A beneficiary's account as `--account SCHEME:VALUE` names it.
///
/// - `IBAN:DE89370400440532013000`
/// - `CLABE:002010077777777771` (Mexico)
/// - `ABA:ROUTING/ACCOUNT`, e.g. `ABA:026009593/1234567890` (United States)
/// - `IFSC:IFSC/ACCOUNT`, e.g. `IFSC:HDFC0000240/50100012345678` (India)
/// - `CNAPS:CODE/ACCOUNT`, e.g. `CNAPS:102100099996/6222020200012345678` (China)
/// - `ACCT:VALUE`, a plain account number of 1–34 letters, digits, `-` or `/` (any country)
public enum AccountNumber: Hashable, Sendable, CustomStringConvertible {
    case iban(IBAN)
    case clabe(String)
    case aba(routing: String, account: String)
    case ifsc(code: String, account: String)
    case cnaps(code: String, account: String)
    case plain(String)

    public init(parsing text: String) throws(AccountError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw .unknownScheme(text.isEmpty ? "(none)" : "(none in '\(text)')")
        }
        let scheme = text[..<colon].uppercased()
        let value = String(text[text.index(after: colon)...])
        switch scheme {
        case "IBAN": self = .iban(try IBAN(parsing: value))
        case "CLABE": self = .clabe(try CLABE.check(value))
        case "ABA":
            let (routing, account) = try Self.split(
                value, scheme: "ABA", example: "026009593/1234567890")
            self = .aba(
                routing: try ABARouting.check(routing),
                account: try Self.digits(account, scheme: "US account number", range: 1...17))
        case "IFSC":
            let (code, account) = try Self.split(
                value, scheme: "IFSC", example: "HDFC0000240/50100012345678")
            self = .ifsc(
                code: try IFSC.check(code),
                account: try Self.digits(account, scheme: "Indian account number", range: 9...18))
        case "CNAPS":
            let (code, account) = try Self.split(
                value, scheme: "CNAPS", example: "102100099996/6222020200012345678")
            self = .cnaps(
                code: try CNAPS.check(code),
                account: try Self.digits(account, scheme: "Chinese account number", range: 8...30))
        case "ACCT":
            let compact = String(value.filter { !$0.isWhitespace }).uppercased()
            guard !compact.isEmpty else { throw .empty(scheme: "account number") }
            guard compact.count <= 34,
                compact.allSatisfy({
                    ("A"..."Z").contains($0) || ($0.isASCII && $0.isNumber) || $0 == "-"
                        || $0 == "/"
                })
            else {
                throw .format(
                    scheme: "account number", value: compact,
                    expected: "1–34 letters, digits, '-' or '/'")
            }
            self = .plain(compact)
        default: throw .unknownScheme(scheme)
        }
    }

    public var scheme: String {
        switch self {
        case .iban: return "IBAN"
        case .clabe: return "CLABE"
        case .aba: return "ABA"
        case .ifsc: return "IFSC"
        case .cnaps: return "CNAPS"
        case .plain: return "ACCT"
        }
    }

    /// The value after the scheme, as stored and as it goes into files.
    public var value: String {
        switch self {
        case .iban(let iban): return iban.value
        case .clabe(let clabe): return clabe
        case .aba(let routing, let account): return "\(routing)/\(account)"
        case .ifsc(let code, let account): return "\(code)/\(account)"
        case .cnaps(let code, let account): return "\(code)/\(account)"
        case .plain(let value): return value
        }
    }

    /// `IBAN:DE89370400440532013000`: the form `init(parsing:)` reads back.
    public var description: String { "\(scheme):\(value)" }

    /// The country an account scheme belongs to, where it says (IBAN: its own; the national schemes:
    /// their country).
    public var country: String? {
        switch self {
        case .iban(let iban): return iban.country
        case .clabe: return "MX"
        case .aba: return "US"
        case .ifsc: return "IN"
        case .cnaps: return "CN"
        case .plain: return nil
        }
    }

    static func split(
        _ value: String, scheme: String, example: String
    ) throws(AccountError) -> (
        String, String
    ) {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .format(scheme: scheme, value: value, expected: "CODE/ACCOUNT, e.g. \(example)")
        }
        return (String(parts[0]), String(parts[1]))
    }

    static func digits(
        _ text: String, scheme: String, range: ClosedRange<Int>
    ) throws(AccountError)
        -> String
    {
        let value = String(text.filter { !$0.isWhitespace && $0 != "-" })
        guard !value.isEmpty else { throw .empty(scheme: scheme) }
        guard value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .characters(scheme: scheme, value: value, expected: "digits only")
        }
        guard range.contains(value.count) else {
            throw .length(
                scheme: scheme, value: value, found: value.count,
                expected: "\(range.lowerBound)–\(range.upperBound) digits")
        }
        return value
    }
}
