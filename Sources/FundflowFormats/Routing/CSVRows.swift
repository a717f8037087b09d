/// Rows of a small CSV file (RFC 4180: fields may be quoted, `""` is a quote inside quotes), with
/// the line and the starting column of every field, so problems can be pointed at exactly.
struct CSVRows {
    struct Field {
        let text: String
        let column: Int
    }

    struct Line {
        let number: Int
        let fields: [Field]
    }

    let header: [String]
    let lines: [Line]

    /// Splits `text`; an unclosed quote is reported through `problem`.
    init(_ text: String, file: String, problems: inout [FileError]) {
        var parsed: [Line] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            if let line = Self.parse(raw, number: offset + 1, file: file, problems: &problems) {
                parsed.append(line)
            }
        }
        header = parsed.first?.fields.map(\.text) ?? []
        lines = Array(parsed.dropFirst())
    }

    /// One line (without its `\n`); nil for a blank line or a `#` comment.
    static func parse(
        _ raw: Substring, number: Int, file: String, problems: inout [FileError]
    ) -> Line? {
        let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
        if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { return nil }
        var fields: [Field] = []
        var current = ""
        var start = 1
        var column = 1
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            current.append("\"")
                            column += 1
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" && current.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(Field(text: current.trimmed, column: start))
                current = ""
                start = column + 1
            } else {
                current.append(character)
            }
            column += 1
        }
        if quoted {
            problems.append(FileError(file: file, line: number, column: start, "an unclosed quote"))
        }
        fields.append(Field(text: current.trimmed, column: start))
        return Line(number: number, fields: fields)
    }
}

extension String {
    fileprivate var trimmed: String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
