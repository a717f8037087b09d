/// Why a `Pain002Report` cannot be written as a pain.002.001.03 the schema accepts. Each case
/// names the element path (`/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/…`,
/// indices 1-based) of the value to fix. Lengths count Unicode code points, as XML Schema does.
public enum Pain002Error: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(path: String)
    case tooLong(path: String, length: Int, maximum: Int)
    case characterNotAllowed(path: String, scalar: String)
    case notADateTime(path: String, text: String)
    case negativeAmount(path: String, amount: String)
    case tooManyDigits(path: String, amount: String)
    case malformedReasonCode(path: String, code: String)
    case rejectWithoutReason(path: String)

    public var description: String {
        switch self {
        case .empty(let path):
            return "\(path) is empty: the schema requires at least one character"
        case .tooLong(let path, let length, let maximum):
            return "\(path) has \(length) characters: the schema allows at most \(maximum)"
        case .characterNotAllowed(let path, let scalar):
            return "\(path) holds \(scalar), a control character XML 1.0 cannot carry"
        case .notADateTime(let path, let text):
            return
                "\(path) '\(text)' is not an ISO date-time: expected e.g. 2026-11-29T13:45:00"
        case .negativeAmount(let path, let amount):
            return "\(path) \(amount) is negative: the schema allows amounts of 0 and above"
        case .tooManyDigits(let path, let amount):
            return "\(path) \(amount) has more than 18 digits, the most the schema allows"
        case .malformedReasonCode(let path, let code):
            return
                "\(path) '\(code)' is not an ISO 20022 status reason code: expected four capital letters or digits such as AC01"
        case .rejectWithoutReason(let path):
            return "\(path) is RJCT without a reason code: a rejection must say why (e.g. AC01)"
        }
    }
}
