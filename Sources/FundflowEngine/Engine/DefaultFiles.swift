import Foundation

/// The project's folders of embedded defaults (`channels/`, later `rates/`), read when a new
/// database is seeded. Found through `$FUNDFLOW_HOME`, else next to the sources this binary was
/// built from (so `swift run` works from any directory of a clone).
public struct DefaultFiles: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// `$FUNDFLOW_HOME`, else the source tree's root, if it has a `channels/` folder.
    public static func locate(environment: [String: String]? = nil) -> DefaultFiles? {
        var candidates: [String] = []
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let home = environment["FUNDFLOW_HOME"] { candidates.append(home) }
        // This file is Sources/FundflowEngine/Engine/DefaultFiles.swift: the root is four levels up.
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().path)
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            let channels = candidate + "/channels"
            if FileManager.default.fileExists(atPath: channels, isDirectory: &isDirectory),
                isDirectory.boolValue
            {
                return DefaultFiles(root: candidate)
            }
        }
        return nil
    }

    /// Every `*.channel` file of `channels/`, sorted by name.
    public func channelFiles() throws -> [(path: String, text: String)] {
        let directory = root + "/channels"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".channel") }.sorted()
        return try names.map { name in
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw EngineError.invalidArgument("cannot read \(path)")
            }
            return (path, String(decoding: data, as: UTF8.self))
        }
    }
}
