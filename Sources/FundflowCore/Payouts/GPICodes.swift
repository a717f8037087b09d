/// SWIFT gpi transaction statuses and the reasons that go with them, with their meaning for
/// people reading a tracker (gpi tracker guide; ISO 20022 ExternalStatusReason1Code for rejects).
public enum GPIStatus: String, Sendable, Codable, CaseIterable {
    /// Accepted, settlement in process: the payment is on its way.
    case acsp = "ACSP"
    /// Accepted, settlement completed: the beneficiary's account is credited.
    case accc = "ACCC"
    /// Rejected.
    case rjct = "RJCT"

    public var meaning: String {
        switch self {
        case .acsp: return "in progress"
        case .accc: return "credited to the beneficiary"
        case .rjct: return "rejected"
        }
    }
}

public enum GPIReason {
    /// The in-progress reasons of gpi.
    public static let progress: [String: String] = [
        "G000": "passed on to the next bank (which tracks it with gpi)",
        "G001":
            "passed on to the next bank (which does not report to gpi: no tracking until credit or return)",
        "G002": "credit may not be immediate: the beneficiary bank is processing it",
        "G003": "credit pending documents or information requested from the sender",
        "G004": "credit pending funds from another bank",
        "G005": "delivered to a gpi bank",
        "G006": "delivered to a bank that does not report to gpi",
    ]

    /// The reject reasons a simulated bank can be told to use (`network fail BIC --reason …`).
    public static let reject: [String: String] = [
        "AC01": "the account number is incorrect",
        "AC04": "the account is closed",
        "AC06": "the account is blocked",
        "AG01": "this kind of transaction is forbidden on the account",
        "AM04": "insufficient funds at an agent",
        "AM05": "a duplicate payment",
        "BE01": "the beneficiary's name does not match the account",
        "CNOR": "the creditor's bank is not registered",
        "DNOR": "the debtor's bank is not registered",
        "FF01": "the message is not valid",
        "FOCR": "returned following a cancellation request (recall)",
        "MS03": "not specified (reason given by the agent)",
        "RC01": "the bank identifier is incorrect",
        "RR04": "regulatory reason",
    ]

    public static func meaning(_ code: String) -> String {
        progress[code] ?? reject[code] ?? "unknown reason \(code)"
    }
}
