import Foundation
public import FundflowCore
import FundflowFormats
import FundflowStore

/// What `network load` did.
public struct NetworkLoad: Equatable, Sendable, Codable, Replayable {
    public let directory: String
    public let banks: Int
    public let links: Int
    public let fees: Int
    public let conversions: Int
}

extension Engine {
    /// Reads the network files of a directory (`banks.csv`, `links.csv`, …).
    static func readNetworkDirectory(_ directory: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for name in NetworkFiles.names {
            let path = directory + "/" + name + ".csv"
            if let data = FileManager.default.contents(atPath: path) {
                files[name] = String(decoding: data, as: UTF8.self)
            }
        }
        guard !files.isEmpty else {
            throw EngineError.invalidArgument(
                "\(directory) holds none of the network files (banks.csv, links.csv, …)")
        }
        return files
    }

    /// `network check DIR`: every problem of the files, with file, line and column.
    public static func checkNetwork(directory: String) throws -> Network {
        let files = try Engine.readNetworkDirectory(directory)
        return try NetworkFiles.read(files, directory: directory).get()
    }

    /// `network load DIR`: checks the files, then replaces the network in one transaction.
    public func loadNetwork(directory: String, _ context: CommandContext) throws -> NetworkLoad {
        let (files, network) = try auditingFailures(context, marked: false, reason: nil) {
            try context.actor.require(.manageLedger)
            let files = try Engine.readNetworkDirectory(directory)
            return (files, try NetworkFiles.read(files, directory: directory).get())
        }
        return try mutate(context, needs: .manageLedger) { mutation in
            try mutation.transaction.replaceNetworkFiles(files, source: directory, at: mutation.now)
            return NetworkLoad(
                directory: directory, banks: network.banks.count, links: network.links.count,
                fees: network.fees.count,
                conversions: network.fx.count)
        }.value
    }

    /// The network in use: the loaded one, or the embedded default (`rates/network`) on first use.
    public func network() throws -> Network {
        var stored = try store.read { try $0.networkFiles() }
        if stored.files.isEmpty {
            guard let directory = defaults?.networkDirectory else {
                throw EngineError.invalidArgument(
                    "no network is loaded and the embedded default was not found: `network load DIR`"
                )
            }
            let files = try Engine.readNetworkDirectory(directory)
            _ = try NetworkFiles.read(files, directory: directory).get()
            try store.write { transaction in
                if try transaction.networkFiles().files.isEmpty {
                    try transaction.replaceNetworkFiles(
                        files, source: directory, at: try time(in: transaction))
                }
            }
            stored = try store.read { try $0.networkFiles() }
        }
        return try NetworkFiles.read(stored.files, directory: stored.source ?? "network").get()
    }
}

extension DefaultFiles {
    var networkDirectory: String { root + "/rates/network" }
}
