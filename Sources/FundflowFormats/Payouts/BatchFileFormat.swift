/// The kinds of payout batch file `BatchFiles.read` understands, recognised from the content.
///
/// The Swiss Payment Standards (SIX) variants of pain.001.001.03 (`…ch.02.xsd`, `…ch.03.xsd`)
/// have a namespace of their own but the ISO structure, so they read as `.pain001v03`;
/// `BatchFile.namespace` keeps the namespace as written.
public enum BatchFileFormat: String, Sendable, CaseIterable {
    case pain001v03 = "pain.001.001.03"
    case pain001v09 = "pain.001.001.09"
    case csv

    /// The ISO base version a `Document` namespace stands for, or nil for any other namespace.
    static func of(namespace: String) -> BatchFileFormat? {
        switch namespace {
        case "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
            swissNamespacePrefix + "pain.001.001.03.ch.02.xsd",
            swissNamespacePrefix + "pain.001.001.03.ch.03.xsd":
            return .pain001v03
        case "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09": return .pain001v09
        default: return nil
        }
    }

    /// SIX Interbank Clearing's namespaces, whose payment types CH01/CH02 pay Swiss postal accounts.
    static let swissNamespacePrefix = "http://www.six-interbank-clearing.com/de/"

    static let namespacesAccepted = [
        "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
        "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09",
        swissNamespacePrefix + "pain.001.001.03.ch.02.xsd",
        swissNamespacePrefix + "pain.001.001.03.ch.03.xsd",
    ]
}
