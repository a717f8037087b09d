/// What a keyed request asked for, field by field, in a fixed order: compared when a key comes back,
/// so a different request under the same key is refused with the first field that differs.
public struct RequestFingerprint: Equatable, Sendable, Codable {
    public struct Field: Equatable, Sendable, Codable {
        public let name: String
        public let value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public let command: String
    public let fields: [Field]

    public init(command: String, fields: [Field]) {
        self.command = command
        self.fields = fields
    }

    /// The name of the first field whose value differs (`command` when the commands differ), or
    /// `nil` when both requests are the same.
    public func firstDifference(from other: RequestFingerprint) -> String? {
        if command != other.command { return "command" }
        let names =
            fields.map(\.name)
            + other.fields.map(\.name).filter { name in !fields.contains { $0.name == name } }
        for name in names {
            let mine = fields.first { $0.name == name }?.value
            let theirs = other.fields.first { $0.name == name }?.value
            if mine != theirs { return name }
        }
        return nil
    }
}
