/// One thing wrong with a batch file, located so it can be fixed, and attributed so the good items
/// can still be taken (`BatchReading.acceptableItems`).
public struct BatchProblem: Equatable, Sendable, Error, CustomStringConvertible {
    /// What a problem stops from being paid.
    public enum Scope: Hashable, Sendable {
        /// The whole file (its format, its group header, its control sums).
        case file
        /// Every item of the block at this path (its debtor, its control sums).
        case block(String)
        /// The item at this path only.
        case item(String)
    }

    /// The element path with 1-based indices
    /// (`/Document/CstmrCdtTrfInitn/PmtInf[1]/DbtrAcct/Id/IBAN`), or `FILE:LINE[:COLUMN]`.
    public let location: String
    public let message: String
    public let scope: Scope

    public init(location: String, message: String, scope: Scope) {
        self.location = location
        self.message = message
        self.scope = scope
    }

    public var description: String { "\(location): \(message)" }
}
