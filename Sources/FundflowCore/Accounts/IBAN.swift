/// An International Bank Account Number (ISO 13616), checked as schwifty checks it by default:
/// spaces removed and letters upper-cased; two letters and two digits first; the country in the
/// IBAN registry; its length; the BBAN in the country's format; and the check digits, which must be
/// `98 − (BBAN + country + "00" as a number mod 97)` — so mod-97 of the whole is 1 and the check
/// digits lie in 02…98.
public struct IBAN: Hashable, Sendable, CustomStringConvertible {
    /// Upper case, no spaces: `DE89370400440532013000`.
    public let value: String

    public var country: String { String(value.prefix(2)) }
    public var checkDigits: String { String(value.dropFirst(2).prefix(2)) }
    public var bban: String { String(value.dropFirst(4)) }

    /// Groups of four for people: `DE89 3704 0044 0532 0130 00`.
    public var formatted: String {
        var groups: [String] = []
        var current = ""
        for character in value {
            current.append(character)
            if current.count == 4 {
                groups.append(current)
                current = ""
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups.joined(separator: " ")
    }

    public var description: String { value }

    public init(parsing text: String) throws(AccountError) {
        let compact = Self.compact(text)
        guard !compact.isEmpty else { throw .empty(scheme: "IBAN") }
        // An ASCII IBAN (nearly all) becomes characters byte by byte, without the grapheme
        // breaking `Array(compact)` does.
        let characters: [Character] =
            compact.utf8.allSatisfy { $0 < 0x80 }
            ? compact.utf8.map { Character(Unicode.Scalar($0)) } : Array(compact)
        guard characters.count >= 4, characters[0...1].allSatisfy({ ("A"..."Z").contains($0) }),
            characters[2...3].allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw .characters(
                scheme: "IBAN", value: compact,
                expected: "an IBAN starts with two letters (the country) and two check digits")
        }
        let country = String(characters[0...1])
        guard let spec = IBANRegistry.spec(country) else {
            throw .unknownCountry(scheme: "IBAN", code: country)
        }
        guard characters.count == spec.length else {
            throw .length(
                scheme: "IBAN", value: compact, found: characters.count,
                expected: "\(spec.length) for \(country)")
        }
        let bban = Array(characters[4...])
        guard
            IBANRegistry.matches(
                bban,
                IBANRegistry.elementsByCountry[country] ?? IBANRegistry.elements(spec.bban))
        else {
            throw .format(
                scheme: "IBAN", value: compact,
                expected: "\(country)nn + \(IBANRegistry.describe(spec.bban))")
        }
        guard let remainder = IBAN.mod97(bban + Array(country) + ["0", "0"]),
            let digits = Int(String(characters[2...3])), digits == 98 - remainder
        else { throw .checksum(scheme: "IBAN", value: compact) }
        value = compact
    }

    /// Without white space, in upper case. ASCII text (nearly every IBAN) is done byte by byte;
    /// anything else goes through Unicode's white space and case rules.
    static func compact(_ text: String) -> String {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return String(text.filter { !$0.isWhitespace }).uppercased()
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x09...0x0D, 0x20: continue
            case 0x61...0x7A: bytes.append(byte - 0x20)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The remainder of the number letters stand for (A = 10 … Z = 35) divided by 97, or nil if a
    /// character is neither a letter nor a digit.
    static func mod97(_ characters: [Character]) -> Int? {
        var remainder = 0
        for character in characters {
            guard let ascii = character.asciiValue else { return nil }
            switch ascii {
            case 48...57: remainder = (remainder * 10 + Int(ascii) - 48) % 97
            case 65...90: remainder = (remainder * 100 + Int(ascii) - 55) % 97
            case 97...122: remainder = (remainder * 100 + Int(ascii) - 87) % 97
            default: return nil
            }
        }
        return remainder
    }
}
