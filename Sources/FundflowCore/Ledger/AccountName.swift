/// A ledger account name such as `wallet:acme:EUR`: colon-separated segments of letters, digits
/// and dashes. The first segment decides the account's class (``AccountClass``).
public struct AccountName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Longest name accepted: keeps table columns and export names bounded.
    public static let maximumLength = 120

    public init(_ rawValue: String) throws(LedgerError) {
        guard !rawValue.isEmpty else { throw .invalidAccountName(rawValue, reason: "it is empty") }
        guard rawValue.utf8.count <= Self.maximumLength else {
            throw .invalidAccountName(
                rawValue, reason: "it is longer than \(Self.maximumLength) characters")
        }
        // One pass over the bytes: names are ASCII, so anything else is refused anyway.
        var segmentStart = true
        for byte in rawValue.utf8 {
            switch byte {
            case UInt8(ascii: ":"):
                if segmentStart {
                    throw .invalidAccountName(rawValue, reason: "it has an empty segment")
                }
                segmentStart = true
            case UInt8(ascii: "-") where !segmentStart:
                break
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                segmentStart = false
            default:
                let segment =
                    rawValue.split(separator: ":", omittingEmptySubsequences: false)
                    .first { $0.utf8.contains(byte) } ?? Substring(rawValue)
                throw .invalidAccountName(
                    rawValue,
                    reason:
                        "segment '\(segment)' may hold only letters, digits and dashes, starting with a letter or digit"
                )
            }
        }
        if segmentStart { throw .invalidAccountName(rawValue, reason: "it has an empty segment") }
        self.rawValue = rawValue
    }

    /// A name read back from the store, which validated it on the way in: not checked again.
    public init(stored rawValue: String) {
        self.rawValue = rawValue
    }

    /// The colon-separated segments: `["wallet", "acme", "EUR"]`.
    public var segments: [String] {
        rawValue.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    }

    public var description: String { rawValue }

    public static func < (lhs: AccountName, rhs: AccountName) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension Character {
    var isASCIILetterOrDigit: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
