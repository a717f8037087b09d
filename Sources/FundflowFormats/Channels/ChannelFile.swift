public import FundflowCore

/// Reads a channel file (`channels/NAME.channel`): `[channel]`, `[codes]` and, for the sandbox,
/// `[sandbox]` sections; `key = value` lines, a code table of `CODE SUBCODE OUTCOME RETRY` rows
/// (`-` for none), `#` comments. The format is described in `channels/README.md`.
public enum ChannelFile {
    static let channelKeys = ["name", "kind", "query-schedule", "retry-window", "retry-limit"]
    static let sandboxKeys = [
        "sync", "queries", "timeouts", "notify", "late-notify", "refund-sync", "refund-queries",
        "latency",
    ]
    /// Bounds that keep a hand-written file from scheduling absurd work.
    static let maximumQueries = 50
    static let maximumCodes = 1_000

    public static func parse(_ text: String, file: String) throws(FileError) -> ChannelConfig {
        var section: String?
        var channel: [String: (value: String, line: Int)] = [:]
        var sandbox: [String: (value: String, line: Int)] = [:]
        var codes: [ChannelConfig.CodeRule] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let number = index + 1
            let line = rawLine.split(
                separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: " \t\r")
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), ["[channel]", "[codes]", "[sandbox]"].contains(line)
                else {
                    throw FileError(
                        file: file, line: number,
                        "unknown section \(line): expected [channel], [codes] or [sandbox]")
                }
                section = String(line.dropFirst().dropLast())
                continue
            }
            switch section {
            case "channel":
                try keyValue(line, number, file, allowed: channelKeys, into: &channel)
            case "sandbox":
                try keyValue(line, number, file, allowed: sandboxKeys, into: &sandbox)
            case "codes":
                let rule = try codeRule(line, number, file)
                if codes.contains(where: { $0.code == rule.code && $0.subCode == rule.subCode }) {
                    throw FileError(
                        file: file, line: number,
                        "code \(rule.code) \(rule.subCode ?? "-") is listed twice")
                }
                guard codes.count < maximumCodes else {
                    throw FileError(file: file, line: number, "more than \(maximumCodes) codes")
                }
                codes.append(rule)
            default:
                throw FileError(
                    file: file, line: number, "text before the first section: start with [channel]")
            }
        }
        return try build(channel, sandbox, codes, file: file)
    }

    private static func build(
        _ channel: [String: (value: String, line: Int)],
        _ sandbox: [String: (value: String, line: Int)],
        _ codes: [ChannelConfig.CodeRule], file: String
    ) throws(FileError) -> ChannelConfig {
        guard let name = channel["name"] else {
            throw FileError(file: file, line: 1, "[channel] needs name = NAME")
        }
        guard !name.value.isEmpty,
            name.value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
            name.value == name.value.lowercased()
        else {
            throw FileError(
                file: file, line: name.line,
                "name must be lower-case letters, digits and dashes, not '\(name.value)'")
        }
        let kindText = channel["kind"]?.value ?? "psp"
        guard let kind = ChannelConfig.Kind(rawValue: kindText) else {
            throw FileError(
                file: file, line: channel["kind"]?.line ?? 1,
                "kind must be psp or network, not '\(kindText)'")
        }
        var schedule = ChannelConfig.defaultQuerySchedule
        if let entry = channel["query-schedule"] {
            schedule = try seconds(list: entry.value, entry.line, file)
            guard !schedule.isEmpty, schedule.count <= maximumQueries,
                zip(schedule, schedule.dropFirst()).allSatisfy({ $0 < $1 })
            else {
                throw FileError(
                    file: file, line: entry.line,
                    "query-schedule must be 1 to \(maximumQueries) increasing numbers of seconds, e.g. 1 2 5 10 20 40 100"
                )
            }
        }
        var window: Int64 = 0
        if let entry = channel["retry-window"] {
            window = try duration(entry.value, entry.line, file)
        }
        var limit = 1
        if let entry = channel["retry-limit"] {
            guard let value = Int(entry.value), (1...20).contains(value) else {
                throw FileError(
                    file: file, line: entry.line, "retry-limit must be a whole number from 1 to 20")
            }
            limit = value
        }
        guard !codes.isEmpty else {
            throw FileError(
                file: file, line: 1,
                "the [codes] section is empty: a channel needs at least its success code")
        }
        return ChannelConfig(
            name: name.value, kind: kind, querySchedule: schedule, codes: codes,
            retryWindowSeconds: window,
            retryLimit: limit, sandbox: sandbox.isEmpty ? nil : try behaviour(sandbox, file))
    }

    private static func behaviour(
        _ values: [String: (value: String, line: Int)], _ file: String
    ) throws(FileError)
        -> SandboxBehaviour
    {
        /// A missing key answers success (`00`); `timeout` means no answer at all.
        func answer(_ key: String) throws(FileError) -> SandboxBehaviour.Answer? {
            guard let entry = values[key] else { return SandboxBehaviour.Answer("00") }
            if entry.value == "timeout" { return nil }
            return try parseAnswer(entry.value, entry.line, file)
        }
        func answers(_ key: String) throws(FileError) -> [SandboxBehaviour.Answer] {
            guard let entry = values[key] else { return [] }
            var result: [SandboxBehaviour.Answer] = []
            for word in words(entry.value) {
                result.append(try parseAnswer(word, entry.line, file))
            }
            return result
        }
        func push(_ key: String) throws(FileError) -> SandboxBehaviour.Push? {
            guard let entry = values[key], entry.value != "none" else { return nil }
            let parts = words(entry.value)
            guard parts.count == 2 else {
                throw FileError(
                    file: file, line: entry.line, "\(key) must be SECONDS CODE (e.g. 3 00) or none")
            }
            return SandboxBehaviour.Push(
                afterSeconds: try duration(parts[0], entry.line, file),
                answer: try parseAnswer(parts[1], entry.line, file))
        }
        var latency: Int64 = 0
        if let entry = values["latency"] { latency = try duration(entry.value, entry.line, file) }
        var timeouts: Set<Int> = []
        if let entry = values["timeouts"], entry.value != "none" {
            for word in words(entry.value) {
                guard let index = Int(word), index >= 1 else {
                    throw FileError(
                        file: file, line: entry.line,
                        "timeouts lists query numbers from 1, not '\(word)'")
                }
                timeouts.insert(index)
            }
        }
        return SandboxBehaviour(
            sync: try answer("sync"), queries: try answers("queries"), timeouts: timeouts,
            notification: try push("notify"), lateNotification: try push("late-notify"),
            refundSync: try answer("refund-sync"), refundQueries: try answers("refund-queries"),
            latencySeconds: latency)
    }

    private static func keyValue(
        _ line: String, _ number: Int, _ file: String, allowed: [String],
        into values: inout [String: (value: String, line: Int)]
    ) throws(FileError) {
        let parts = line.split(separator: "=", maxSplits: 1).map {
            $0.trimmingCharacters(in: " \t")
        }
        guard parts.count == 2 else {
            throw FileError(file: file, line: number, "expected KEY = VALUE")
        }
        guard allowed.contains(parts[0]) else {
            throw FileError(
                file: file, line: number,
                "unknown key '\(parts[0])': expected one of \(allowed.joined(separator: ", "))")
        }
        guard values[parts[0]] == nil else {
            throw FileError(file: file, line: number, "\(parts[0]) is set twice")
        }
        values[parts[0]] = (parts[1], number)
    }

    private static func codeRule(
        _ line: String, _ number: Int, _ file: String
    ) throws(FileError) -> ChannelConfig.CodeRule {
        let fields = words(line)
        guard fields.count >= 4 else {
            throw FileError(
                file: file, line: number,
                "a code row is CODE SUBCODE OUTCOME RETRY [MEANING] (use - for none), e.g. 05 51 failure retryable insufficient funds"
            )
        }
        for (index, field) in fields[0...1].enumerated()
        where !isCode(field) && !(index == 1 && field == "-") {
            throw FileError(
                file: file, line: number, column: column(of: field, in: line),
                "'\(field)' is not a code: letters, digits, '_' or '-', at most 16")
        }
        guard let outcome = ChannelOutcome(rawValue: fields[2]) else {
            throw FileError(
                file: file, line: number, column: column(of: fields[2], in: line),
                "outcome must be success, failure, processing or unknown, not '\(fields[2])'")
        }
        var retry: ChannelConfig.Retry?
        if fields[3] != "-" {
            guard let value = ChannelConfig.Retry(rawValue: fields[3]) else {
                throw FileError(
                    file: file, line: number, column: column(of: fields[3], in: line),
                    "retry must be retryable, final or -")
            }
            guard outcome == .failure else {
                throw FileError(
                    file: file, line: number, column: column(of: fields[3], in: line),
                    "only a failure can be retryable or final")
            }
            retry = value
        }
        return ChannelConfig.CodeRule(
            code: fields[0], subCode: fields[1] == "-" ? nil : fields[1], outcome: outcome,
            retry: retry,
            meaning: fields.count > 4 ? fields[4...].joined(separator: " ") : nil)
    }

    private static func parseAnswer(
        _ text: String, _ number: Int, _ file: String
    ) throws(FileError) -> SandboxBehaviour.Answer {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy(isCode) else {
            throw FileError(
                file: file, line: number,
                "'\(text)' is not an answer: CODE or CODE/SUBCODE, e.g. 05/51")
        }
        return SandboxBehaviour.Answer(parts[0], parts.count == 2 ? parts[1] : nil)
    }

    /// `90`, `90s`, `15m`, `2h`, `3d` in seconds.
    static func duration(_ text: String, _ number: Int, _ file: String) throws(FileError) -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var digits = Substring(text)
        var factor: Int64 = 1
        if let last = text.last, let unit = units[last] {
            factor = unit
            digits = digits.dropLast()
        }
        guard let value = Int64(digits), value >= 0, value <= 3650 * 86_400 / factor else {
            throw FileError(
                file: file, line: number,
                "'\(text)' is not a duration: seconds, or a number with s, m, h or d")
        }
        return value * factor
    }

    private static func seconds(
        list text: String, _ number: Int, _ file: String
    ) throws(FileError) -> [Int64] {
        var values: [Int64] = []
        for word in words(text) { values.append(try duration(word, number, file)) }
        return values
    }

    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
    }

    private static func isCode(_ text: String) -> Bool {
        (1...16).contains(text.count)
            && text.allSatisfy {
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-")
            }
    }

    private static func column(of field: String, in line: String) -> Int? {
        var index = line.startIndex
        var offset = 1
        while index < line.endIndex {
            if line[index...].hasPrefix(field) { return offset }
            index = line.index(after: index)
            offset += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// Trims the given characters from both ends (no Foundation needed).
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
