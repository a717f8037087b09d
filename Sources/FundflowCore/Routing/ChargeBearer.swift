/// Who pays the banks' fees (DESIGN.md §5, ISO 20022 `ChrgBr`).
///
/// - `SHA` (SHAR): the debtor agent's fee is billed to the sender; every later fee is deducted.
/// - `BEN` (CRED): every fee, the debtor agent's too, is deducted from the amount.
/// - `OUR` (DEBT): the sender is billed for every fee and the amount arrives whole, except at
///   banks that deduct anyway (`deducts_under_our`).
///
/// `SLEV` (service level) reads as SHA.
public enum ChargeBearer: String, Sendable, CaseIterable, Codable {
    case sha = "SHA"
    case ben = "BEN"
    case our = "OUR"

    public init?(parsing text: String) {
        switch text.uppercased() {
        case "SHA", "SHAR", "SLEV": self = .sha
        case "BEN", "CRED": self = .ben
        case "OUR", "DEBT": self = .our
        default: return nil
        }
    }

    /// Whether the fee of the bank at `index` is deducted from the amount (else billed to the sender).
    public func deducts(atIndex index: Int, bankDeductsUnderOur: Bool) -> Bool {
        switch self {
        case .ben: return true
        case .sha: return index > 0
        case .our: return bankDeductsUnderOur
        }
    }
}
