/// A ledger account name such as `wallet:acme:EUR`: colon-separated segments of letters, digits
/// and dashes. The first segment decides the account's class (``AccountClass``).
public struct AccountName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public let segments: [String]

    /// Longest name accepted: keeps table columns and export names bounded.
    public static let maximumLength = 120

    public init(_ rawValue: String) throws(LedgerError) {
        guard !rawValue.isEmpty else { throw .invalidAccountName(rawValue, reason: "it is empty") }
        guard rawValue.count <= Self.maximumLength else {
            throw .invalidAccountName(
                rawValue, reason: "it is longer than \(Self.maximumLength) characters")
        }
        let segments = rawValue.split(separator: ":", omittingEmptySubsequences: false).map(
            String.init)
        for segment in segments {
            guard let first = segment.first else {
                throw .invalidAccountName(rawValue, reason: "it has an empty segment")
            }
            guard first.isASCIILetterOrDigit,
                segment.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "-" })
            else {
                throw .invalidAccountName(
                    rawValue,
                    reason:
                        "segment '\(segment)' may hold only letters, digits and dashes, starting with a letter or digit"
                )
            }
        }
        self.rawValue = rawValue
        self.segments = segments
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
