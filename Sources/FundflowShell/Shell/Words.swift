/// POSIX-style word splitting for command lines: `'…'` keeps everything literally, `"…"` keeps
/// everything but `\"`, `\\`, `\$` and `` \` ``, a backslash outside quotes escapes the next
/// character. `;` separates commands and `#` starts a comment, both only outside quotes.
public enum Words {
    public enum SplitError: Error, Equatable, CustomStringConvertible {
        case unbalancedQuote(Character)
        case trailingBackslash

        public var description: String {
            switch self {
            case .unbalancedQuote(let quote):
                return "unbalanced \(quote) quote: close it or escape it with a backslash"
            case .trailingBackslash: return "the line ends with a lone backslash"
            }
        }
    }

    /// The commands of one line, each as its words; empty commands are dropped.
    public static func split(_ line: String) throws(SplitError) -> [[String]] {
        var commands: [[String]] = []
        var words: [String] = []
        var word = ""
        var inWord = false
        var iterator = Array(line).makeIterator()
        func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        func endCommand() {
            endWord()
            if !words.isEmpty { commands.append(words) }
            words = []
        }
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\r", "\n":
                endWord()
            case ";":
                endCommand()
            case "#" where !inWord:
                while let next = iterator.next(), next != "\n" {}
                endCommand()
            case "\\":
                guard let next = iterator.next() else { throw .trailingBackslash }
                if next != "\n" { word.append(next) }
                inWord = true
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" { closed = true; break }
                    word.append(next)
                }
                if !closed { throw .unbalancedQuote("'") }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { throw .unbalancedQuote("\"") }
                        if !"\"\\$`\n".contains(escaped) { word.append("\\") }
                        if escaped != "\n" { word.append(escaped) }
                        continue
                    }
                    word.append(next)
                }
                if !closed { throw .unbalancedQuote("\"") }
            default:
                word.append(character)
                inWord = true
            }
        }
        endCommand()
        return commands
    }

    /// Joins words back into one line a shell would split the same way: how the audit log records
    /// a command.
    public static func join(_ words: [String]) -> String {
        words.map { word in
            let plain =
                !word.isEmpty
                && word.allSatisfy { $0.isLetter || $0.isNumber || "-_.:/=@,+%".contains($0) }
            if plain { return word }
            return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
