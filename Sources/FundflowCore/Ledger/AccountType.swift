/// The side of a posting.
public enum Side: String, Sendable, CaseIterable, Codable {
    case debit
    case credit

    public var opposite: Side {
        switch self {
        case .debit: return .credit
        case .credit: return .debit
        }
    }
}

/// The five kinds of account of double entry, each with the side its balance normally sits on.
public enum AccountType: String, Sendable, CaseIterable, Codable {
    case asset
    case liability
    case equity
    case income
    case expense

    public var normalSide: Side {
        switch self {
        case .asset, .expense: return .debit
        case .liability, .equity, .income: return .credit
        }
    }
}

/// What an account's name says about it (DESIGN.md §3): its type, whether it may go below zero,
/// whether it holds customers' money, and the pattern its segments must follow.
public struct AccountClass: Sendable {
    public let prefix: String
    public let pattern: [Segment]
    public let type: AccountType
    public let mayGoNegative: Bool
    public let isCustomerMoney: Bool

    public enum Segment: Sendable {
        case literal(String)
        case bic
        case identifier(String)
        case currency
        /// One or more further segments of any text.
        case rest
    }

    public static let all: [AccountClass] = [
        .init(
            "nostro", [.literal("nostro"), .bic, .currency], .asset, negative: false,
            customer: false),
        .init(
            "wallet", [.literal("wallet"), .identifier("COMPANY"), .currency], .liability,
            negative: false, customer: true),
        .init(
            "family", [.literal("family"), .identifier("ID"), .literal("pool"), .currency],
            .liability, negative: false, customer: true),
        .init(
            "member", [.literal("member"), .identifier("FAMILY"), .identifier("USER"), .currency],
            .liability, negative: false, customer: true),
        .init(
            "transit", [.literal("transit"), .literal("gateway"), .currency], .liability,
            negative: false, customer: false),
        .init(
            "settlement",
            [.literal("settlement"), .literal("pending"), .identifier("PAYEE"), .currency],
            .liability, negative: false, customer: false),
        .init(
            "provider", [.literal("provider"), .rest], .liability, negative: false, customer: false),
        .init(
            "suspense", [.literal("suspense"), .currency], .liability, negative: true,
            customer: false),
        .init(
            "fx:position", [.literal("fx"), .literal("position"), .currency], .equity,
            negative: true, customer: false),
        .init(
            "fx:revenue", [.literal("fx"), .literal("revenue"), .currency], .income, negative: true,
            customer: false),
        .init(
            "fees:income", [.literal("fees"), .literal("income"), .currency], .income,
            negative: true, customer: false),
        .init(
            "fees:expense", [.literal("fees"), .literal("expense"), .currency], .expense,
            negative: true, customer: false),
        .init("equity", [.literal("equity"), .rest], .equity, negative: true, customer: false),
        // Not in DESIGN.md §3: what a channel (PSP) collected for us and owes us, net of refunds
        // and chargebacks sent back through it; it may go below zero when refunds outrun collections.
        .init(
            "clearing", [.literal("clearing"), .identifier("CHANNEL"), .currency], .asset,
            negative: true, customer: false),
    ]

    static let prefixList = all.map { $0.prefix + ":…" }.joined(separator: ", ")

    private init(
        _ prefix: String, _ pattern: [Segment], _ type: AccountType, negative: Bool, customer: Bool
    ) {
        self.prefix = prefix
        self.pattern = pattern
        self.type = type
        self.mayGoNegative = negative
        self.isCustomerMoney = customer
    }

    /// The pattern in the words of the design table, e.g. `wallet:COMPANY:CCY`.
    public var patternText: String {
        pattern.map { segment -> String in
            switch segment {
            case .literal(let text): return text
            case .bic: return "BIC"
            case .identifier(let name): return name
            case .currency: return "CCY"
            case .rest: return "…"
            }
        }.joined(separator: ":")
    }

    /// The class an account name belongs to, or an error saying which part does not fit.
    public static func of(_ name: AccountName) throws(LedgerError) -> AccountClass {
        let segments = name.segments
        guard let sameFirst = byFirstSegment[segments[0]] else {
            throw .unknownPrefix(name.rawValue)
        }
        let match = sameFirst.first { candidate in
            guard let second = candidate.literal(at: 1) else { return true }
            return segments.count > 1 && segments[1] == second
        }
        guard let match else {
            throw .accountPattern(
                name.rawValue, expected: sameFirst.map(\.patternText).joined(separator: " or "))
        }
        try match.check(name, segments)
        return match
    }

    /// The classes by the literal their names start with, in table order.
    private static let byFirstSegment: [String: [AccountClass]] = Dictionary(
        grouping: all, by: { $0.literal(at: 0) ?? "" })

    private func literal(at index: Int) -> String? {
        guard index < pattern.count, case .literal(let text) = pattern[index] else { return nil }
        return text
    }

    private func check(_ name: AccountName, _ segments: [String]) throws(LedgerError) {
        var fits: Bool
        if case .rest = pattern.last {
            fits = segments.count >= pattern.count
        } else {
            fits = segments.count == pattern.count
        }
        for (segment, rule) in zip(segments, pattern) where fits {
            switch rule {
            case .literal(let text): fits = segment == text
            case .bic: fits = BIC.isWellFormed(segment)
            case .currency: fits = Currency.lookup(segment) != nil
            case .identifier, .rest: break
            }
        }
        if !fits { throw .accountPattern(name.rawValue, expected: patternText) }
    }

    /// Index of the segment that must equal the account's currency, if the pattern has one.
    var currencySegmentIndex: Int? {
        pattern.firstIndex { if case .currency = $0 { true } else { false } }
    }
}

/// Business Identifier Code syntax (ISO 9362): 4 letters bank, 2 letters country, 2 alphanumerics
/// location, optionally 3 alphanumerics branch.
public enum BIC {
    public static func isWellFormed(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 8 || characters.count == 11 else { return false }
        let upperLetter: (Character) -> Bool = { ("A"..."Z").contains($0) }
        let upperAlphanumeric: (Character) -> Bool = { upperLetter($0) || ("0"..."9").contains($0) }
        return characters[0..<6].allSatisfy(upperLetter)
            && characters[6...].allSatisfy(upperAlphanumeric)
    }
}
