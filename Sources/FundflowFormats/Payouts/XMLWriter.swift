/// Writes an XML document element by element (two spaces an indentation level, UTF-8 declared),
/// escaping every text and attribute value, and knows the element path it is at
/// (`/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]`) so a value the schema would refuse can be
/// reported where it belongs. It does not check values: callers do, before writing them.
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    /// The open elements' names and paths, innermost last.
    private var open: [(name: String, path: String)] = []

    /// The path of the innermost open element (`""` before the root).
    var path: String { open.last?.path ?? "" }

    /// The path a child `name` of the innermost open element has.
    func path(_ name: String) -> String { path + "/" + name }

    /// Opens `name`; an `index` (1-based) is shown in its path, for repeated elements.
    mutating func start(_ name: String, index: Int? = nil, attributes: [(String, String)] = []) {
        text += indentation + "<" + name + Self.attributes(attributes) + ">\n"
        open.append((name, path(name) + (index.map { "[\($0)]" } ?? "")))
    }

    mutating func end() {
        guard let last = open.popLast() else {
            preconditionFailure("XMLWriter.end() without an open element")
        }
        text += indentation + "</" + last.name + ">\n"
    }

    /// `<name attributes>value</name>` on one line.
    mutating func leaf(_ name: String, _ value: String, attributes: [(String, String)] = []) {
        text += indentation + "<" + name + Self.attributes(attributes) + ">"
        text += Self.escaped(value) + "</" + name + ">\n"
    }

    private var indentation: String { String(repeating: "  ", count: open.count) }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escaped($0.1))\"" }.joined()
    }

    /// `&`, `<`, `>`, `"` and `'` as entities; a carriage return as `&#13;`, which a parser would
    /// otherwise turn into a line feed. Everything else as it is (the document is UTF-8).
    static func escaped(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\r": result += "&#13;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The first character XML 1.0 cannot carry at all, escaped or not (C0 controls other than
    /// tab, line feed and carriage return; U+FFFE and U+FFFF), if `value` holds one.
    static func firstForbidden(in value: String) -> Unicode.Scalar? {
        value.unicodeScalars.first { scalar in
            let allowedControl = scalar == "\t" || scalar == "\n" || scalar == "\r"
            return (scalar.value < 0x20 && !allowedControl) || scalar.value == 0xFFFE
                || scalar.value == 0xFFFF
        }
    }
}
