/// What a channel said about a flow, after its return code was looked up in the channel's table.
/// Transport success is not business success: only a mapped code gives `success` or `failure`.
public enum ChannelOutcome: String, Sendable, CaseIterable, Codable {
    case success
    case failure
    case processing
    /// The code is not in the channel's table (or no answer came): never read as success or failure.
    case unknown
}

/// One report about a flow, by where it came from.
public enum FlowReport: Equatable, Sendable {
    /// The channel's synchronous answer to the submission.
    case syncResponse(ChannelOutcome)
    /// An asynchronous notification the channel pushed.
    case notification(ChannelOutcome)
    /// The answer to one of our status queries.
    case queryResult(ChannelOutcome)
    /// A line of the channel's statement showing the money moved.
    case reconciliationLine

    /// The outcome this report asserts.
    public var outcome: ChannelOutcome {
        switch self {
        case .syncResponse(let outcome), .notification(let outcome), .queryResult(let outcome):
            return outcome
        case .reconciliationLine:
            return .success
        }
    }

    /// Every report the model-based tests draw from.
    public static let all: [FlowReport] =
        ChannelOutcome.allCases.map(FlowReport.syncResponse)
        + [.notification(.success), .notification(.failure), .notification(.processing)]
        + ChannelOutcome.allCases.map(FlowReport.queryResult)
        + [.reconciliationLine]
}
