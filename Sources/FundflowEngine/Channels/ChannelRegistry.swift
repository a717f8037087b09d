public import FundflowCore
import FundflowFormats
import FundflowStore

/// Channel configurations as the engine uses them: parsed from the text stored in the database
/// (the same text as the file under `channels/`), so there is one format and one source of truth.
enum ChannelRegistry {
    static func parse(_ text: String, file: String) throws -> ChannelConfig {
        try ChannelFile.parse(text, file: file)
    }

    static func channel(_ name: String, in transaction: StoreTransaction) throws -> ChannelConfig {
        guard let text = try transaction.channelDefinition(name: name) else {
            throw OrderError.unknownChannel(name)
        }
        return try parse(text, file: "channel \(name)")
    }
}

/// A channel as `channel list` and `channel show` present it.
public struct ChannelView: Equatable, Sendable {
    public let name: String
    public let kind: String
    public let querySchedule: [Int64]
    public let codes: [ChannelConfig.CodeRule]
    public let retryWindowSeconds: Int64
    public let retryLimit: Int
    public let isSandbox: Bool
    public let loadedAt: String
    public let definition: String
}

extension Engine {
    public func channels(as actor: Actor) throws -> [ChannelView] {
        try actor.require(.readLedger)
        return try store.read { transaction in
            try transaction.channelDefinitions().map { row in
                let config = try ChannelRegistry.parse(row.definition, file: "channel \(row.name)")
                return ChannelView(
                    name: config.name, kind: config.kind.rawValue,
                    querySchedule: config.querySchedule,
                    codes: config.codes, retryWindowSeconds: config.retryWindowSeconds,
                    retryLimit: config.retryLimit,
                    isSandbox: config.sandbox != nil, loadedAt: row.loadedAt.iso8601,
                    definition: row.definition)
            }
        }
    }

    /// `channel load FILE`: adds or replaces a channel from its file; the file is checked first.
    public func loadChannel(
        text: String, file: String, _ context: CommandContext
    ) throws -> ChannelView {
        let config = try auditingFailures(context, marked: false, reason: nil) {
            try context.actor.require(.manageLedger)
            return try ChannelRegistry.parse(text, file: file)
        }
        _ = try mutate(context, needs: .manageLedger) { mutation in
            try mutation.transaction.saveChannel(
                name: config.name, definition: text, at: mutation.now)
            return Ack()
        }
        guard let view = try channels(as: context.actor).first(where: { $0.name == config.name })
        else {
            throw OrderError.unknownChannel(config.name)
        }
        return view
    }
}

/// The result of a use case that has nothing to report but success.
struct Ack: Codable, Sendable, Replayable {}
