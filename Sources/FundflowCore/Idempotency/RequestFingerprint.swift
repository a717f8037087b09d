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

extension RequestFingerprint {
    /// The fields as one canonical text: each name and value length-prefixed (`4:name6:value`),
    /// so no content can imitate a separator and equal fields give equal text.
    public var canonicalFields: String {
        var text = ""
        for field in fields {
            text += "\(field.name.utf8.count):\(field.name)\(field.value.utf8.count):\(field.value)"
        }
        return text
    }

    /// Reads ``canonicalFields`` back; `nil` when the text is not in that form.
    public init?(command: String, canonicalFields text: String) {
        var fields: [Field] = []
        var bytes = Substring(text).utf8[...]
        func take() -> String? {
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                let count = Int(String(Substring(bytes[..<colon]))), count >= 0
            else { return nil }
            let start = bytes.index(after: colon)
            guard bytes.distance(from: start, to: bytes.endIndex) >= count else { return nil }
            let end = bytes.index(start, offsetBy: count)
            defer { bytes = bytes[end...] }
            return String(Substring(bytes[start..<end]))
        }
        while !bytes.isEmpty {
            guard let name = take(), let value = take() else { return nil }
            fields.append(Field(name, value))
        }
        self.init(command: command, fields: fields)
    }
}
