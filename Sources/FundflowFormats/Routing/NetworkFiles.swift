import Foundation
public import FundflowCore

/// The network files of DESIGN.md §5 (`banks`, `links`, `cutoffs`, `holidays`, `fees`, `fx`,
/// `clearing`, `currencies` — each a `.csv`), read and checked together: every problem is
/// reported with its file, line and column, and a network is built only when there are none.
public enum NetworkFiles {
    public static let names = [
        "banks", "links", "cutoffs", "holidays", "fees", "fx", "clearing", "currencies",
    ]

    static let required: Set<String> = ["banks", "links"]

    static let headers: [String: [String]] = [
        "banks": ["bic", "name", "country", "timezone", "gpi", "deducts_under_our"],
        "links": ["from", "to", "currency", "latency_minutes"],
        "cutoffs": ["bic", "currency", "opens", "cutoff"],
        "holidays": ["date", "calendar"],
        "fees": ["bic", "currency", "role", "fixed", "percent_bps", "min", "max"],
        "fx": ["bic", "from_currency", "to_currency", "margin_bps"],
        "clearing": ["country", "currency", "fixed", "latency_minutes"],
        "currencies": ["currency", "home_country"],
    ]

    /// Reads and checks the files (name → text, names without `.csv`); returns the network, or
    /// every problem found.
    public static func read(
        _ files: [String: String], directory: String
    ) -> Result<Network, NetworkProblems> {
        var checker = Checker(directory: directory)
        checker.run(files)
        if !checker.problems.isEmpty {
            return .failure(NetworkProblems(problems: checker.problems))
        }
        return .success(checker.network())
    }
}

/// Every problem `network check` found, in file and line order.
public struct NetworkProblems: Error, Equatable, Sendable, CustomStringConvertible {
    public let problems: [FileError]

    public var description: String {
        "the network has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

private struct Checker {
    let directory: String
    var problems: [FileError] = []
    var banks: [Network.Bank] = []
    var links: [Network.Link] = []
    var fees: [Network.Fee] = []
    var fx: [Network.FX] = []
    var cutoffs: [Network.Cutoff] = []
    var holidays: [(String, String)] = []
    var clearing: [Network.Clearing] = []
    var restricted: [Currency: String] = [:]
    /// Where each row came from, for the checks that need several files.
    /// Where each link's, conversion's and clearing row's currency was read, for later checks.
    var linkLines: [(line: Int, currency: Int)] = []
    var fxLines: [(line: Int, from: Int, to: Int)] = []
    var clearingLines: [(line: Int, currency: Int)] = []

    init(directory: String) { self.directory = directory }

    func path(_ name: String) -> String { directory + "/" + name + ".csv" }

    mutating func problem(_ name: String, _ line: Int, _ column: Int?, _ message: String) {
        problems.append(FileError(file: path(name), line: line, column: column, message))
    }

    mutating func run(_ files: [String: String]) {
        var rows: [String: CSVRows] = [:]
        for name in NetworkFiles.names {
            // Only the banks and the links are required; a network without cut-offs, holidays,
            // fees, conversions, clearing or restricted currencies is a smaller one, not a wrong one.
            guard let text = files[name] else {
                if NetworkFiles.required.contains(name) {
                    problem(
                        name, 1, nil,
                        "the file is missing: every network needs banks.csv and links.csv")
                }
                continue
            }
            let parsed = CSVRows(text, file: path(name), problems: &problems)
            let expected = NetworkFiles.headers[name] ?? []
            if parsed.header != expected {
                problem(name, 1, 1, "the header must be \(expected.joined(separator: ","))")
                continue
            }
            for line in parsed.lines where line.fields.count != expected.count {
                problem(
                    name, line.number, nil,
                    "expected \(expected.count) columns, found \(line.fields.count)")
            }
            rows[name] = CSVRows.filtered(parsed, columns: expected.count)
        }
        // Currencies first (restrictions), banks next (everything else names them).
        if let table = rows["currencies"] { readCurrencies(table) }
        if let table = rows["banks"] { readBanks(table) }
        let bics = Set(banks.map(\.bic))
        if let table = rows["links"] { readLinks(table, bics) }
        if let table = rows["cutoffs"] { readCutoffs(table, bics) }
        if let table = rows["holidays"] { readHolidays(table) }
        if let table = rows["fees"] { readFees(table, bics) }
        if let table = rows["fx"] { readFX(table, bics) }
        if let table = rows["clearing"] { readClearing(table) }
        checkRestrictions()
        problems.sort { ($0.file, $0.line, $0.column ?? 0) < ($1.file, $1.line, $1.column ?? 0) }
    }

    func network() -> Network {
        Network(
            banks: banks, links: links, fees: fees, fx: fx, cutoffs: cutoffs, holidays: holidays,
            clearing: clearing,
            restricted: restricted)
    }

    // MARK: Files

    mutating func readCurrencies(_ table: CSVRows) {
        var seen = FirstLines()
        for line in table.lines {
            guard let currency = currency(line.fields[0], "currencies", line.number) else {
                continue
            }
            let home = line.fields[1]
            if !isCountry(home.text) {
                problem(
                    "currencies", line.number, home.column, "'\(home.text)' is not a country code")
            }
            if let first = seen.repeated(currency.code, at: line.number) {
                problem(
                    "currencies", line.number, 1,
                    "\(currency.code) is listed twice (first on line \(first))")
            }
            restricted[currency] = home.text
        }
    }

    mutating func readBanks(_ table: CSVRows) {
        var seen = FirstLines()
        for line in table.lines {
            let fields = line.fields
            let bic = fields[0].text
            var valid = true
            if !BIC.isWellFormed(bic) {
                problem(
                    "banks", line.number, fields[0].column,
                    "'\(bic)' is not a BIC: 8 or 11 characters such as DEUTDEFFXXX")
                valid = false
            } else if Network.country(ofBIC: bic) != fields[2].text {
                problem(
                    "banks", line.number, fields[2].column,
                    "country \(fields[2].text) does not match the BIC, whose country is \(Network.country(ofBIC: bic))"
                )
            }
            if !isCountry(fields[2].text) {
                problem(
                    "banks", line.number, fields[2].column,
                    "'\(fields[2].text)' is not a country code")
            }
            if fields[1].text.isEmpty {
                problem("banks", line.number, fields[1].column, "the bank's name is empty")
            }
            if TimeZone(identifier: fields[3].text) == nil {
                problem(
                    "banks", line.number, fields[3].column,
                    "unknown time zone '\(fields[3].text)': expected an IANA name such as Europe/Berlin"
                )
            }
            let gpi = flag(fields[4], "banks", line.number)
            let deducts = flag(fields[5], "banks", line.number)
            if let first = seen.repeated(bic, at: line.number) {
                problem("banks", line.number, 1, "\(bic) is listed twice (first on line \(first))")
                valid = false
            }
            if valid, let gpi, let deducts {
                banks.append(
                    Network.Bank(
                        bic: bic, name: fields[1].text, country: fields[2].text,
                        timeZone: fields[3].text, gpi: gpi, deductsUnderOur: deducts))
            }
        }
    }

    mutating func readLinks(_ table: CSVRows, _ bics: Set<String>) {
        var seen = FirstLines()
        for line in table.lines {
            let fields = line.fields
            let from = knownBank(fields[0], bics, "links", line.number)
            let to = knownBank(fields[1], bics, "links", line.number)
            let currency = currency(fields[2], "links", line.number)
            let latency = whole(fields[3], "links", line.number)
            if fields[0].text == fields[1].text {
                problem("links", line.number, fields[1].column, "a link from a bank to itself")
            }
            if let first = seen.repeated(
                "\(fields[0].text)|\(fields[1].text)|\(fields[2].text)", at: line.number)
            {
                problem(
                    "links", line.number, 1,
                    "the same link is listed twice (first on line \(first))")
            }
            if let from, let to, let currency, let latency {
                links.append(
                    Network.Link(from: from, to: to, currency: currency, latencyMinutes: latency))
                linkLines.append((line.number, fields[2].column))
            }
        }
    }

    mutating func readCutoffs(_ table: CSVRows, _ bics: Set<String>) {
        var seen = FirstLines()
        for line in table.lines {
            let fields = line.fields
            let bank = knownBank(fields[0], bics, "cutoffs", line.number)
            let currency = currency(fields[1], "cutoffs", line.number)
            let opens = clock(fields[2], "cutoffs", line.number)
            let cutoff = clock(fields[3], "cutoffs", line.number)
            if let opens, let cutoff, opens >= cutoff {
                problem(
                    "cutoffs", line.number, fields[3].column,
                    "the cut-off must come after the opening time")
            }
            if let first = seen.repeated("\(fields[0].text)|\(fields[1].text)", at: line.number) {
                problem(
                    "cutoffs", line.number, 1,
                    "\(fields[0].text) \(fields[1].text) is listed twice (first on line \(first))")
            }
            if let bank, let currency, let opens, let cutoff {
                cutoffs.append(
                    Network.Cutoff(
                        bic: bank, currency: currency, opensMinute: opens, cutoffMinute: cutoff))
            }
        }
    }

    mutating func readHolidays(_ table: CSVRows) {
        var seen = FirstLines()
        for line in table.lines {
            let fields = line.fields
            if RateDay(fields[0].text) == nil {
                problem(
                    "holidays", line.number, fields[0].column,
                    "'\(fields[0].text)' is not a date: expected 2026-12-25")
                continue
            }
            let calendar = fields[1].text
            if !isCountry(calendar) && Currency.lookup(calendar) == nil {
                problem(
                    "holidays", line.number, fields[1].column,
                    "'\(calendar)' is neither a country nor a currency code")
                continue
            }
            if let first = seen.repeated("\(fields[0].text)|\(calendar)", at: line.number) {
                problem(
                    "holidays", line.number, 1,
                    "\(fields[0].text) \(calendar) is listed twice (first on line \(first))")
            }
            holidays.append((fields[0].text, calendar))
        }
    }

    mutating func readFees(_ table: CSVRows, _ bics: Set<String>) {
        var seen = FirstLines()
        for line in table.lines {
            let fields = line.fields
            let bank = knownBank(fields[0], bics, "fees", line.number)
            let currency = currency(fields[1], "fees", line.number)
            let role = Network.FeeRole(rawValue: fields[2].text)
            if role == nil {
                problem(
                    "fees", line.number, fields[2].column,
                    "role must be debtor, intermediary, creditor or any, not '\(fields[2].text)'")
            }
            var amounts: [Int64?] = []
            for (index, field) in [fields[3], fields[5], fields[6]].enumerated() {
                guard let currency else {
                    amounts.append(nil)
                    continue
                }
                amounts.append(
                    money(
                        field, currency, "fees", line.number, what: ["fixed", "min", "max"][index]))
            }
            let bps = whole(fields[4], "fees", line.number)
            if let minimum = amounts[1] ?? nil, let maximum = amounts[2] ?? nil, maximum > 0,
                minimum > maximum
            {
                problem(
                    "fees", line.number, fields[5].column,
                    "min \(fields[5].text) is above max \(fields[6].text)")
            }
            if let first = seen.repeated(
                "\(fields[0].text)|\(fields[1].text)|\(fields[2].text)", at: line.number)
            {
                problem(
                    "fees", line.number, 1,
                    "a second fee row for \(fields[0].text) \(fields[1].text) \(fields[2].text) (first on line \(first))"
                )
            }
            if let bank, let currency, let role, let fixed = amounts[0] ?? nil,
                let minimum = amounts[1] ?? nil,
                let maximum = amounts[2] ?? nil, let bps
            {
                fees.append(
                    Network.Fee(
                        bic: bank, currency: currency, role: role, fixedMinor: fixed,
                        bps: Int64(bps), minMinor: minimum, maxMinor: maximum))
            }
        }
    }

    mutating func readFX(_ table: CSVRows, _ bics: Set<String>) {
        var seen = FirstLines()
        for line in table.lines {
            let fields = line.fields
            let bank = knownBank(fields[0], bics, "fx", line.number)
            let from = currency(fields[1], "fx", line.number)
            let to = currency(fields[2], "fx", line.number)
            let margin = whole(fields[3], "fx", line.number)
            if let margin, margin >= 10_000 {
                problem(
                    "fx", line.number, fields[3].column, "a margin must be below 10000 basis points"
                )
            }
            if let from, let to, from == to {
                problem("fx", line.number, fields[2].column, "a conversion into the same currency")
            }
            if let first = seen.repeated(
                "\(fields[0].text)|\(fields[1].text)|\(fields[2].text)", at: line.number)
            {
                problem(
                    "fx", line.number, 1,
                    "the same conversion is listed twice (first on line \(first))")
            }
            if let bank, let from, let to, let margin {
                fx.append(Network.FX(bic: bank, from: from, to: to, marginBps: Int64(margin)))
                fxLines.append((line.number, fields[1].column, fields[2].column))
            }
        }
    }

    mutating func readClearing(_ table: CSVRows) {
        var seen = FirstLines()
        for line in table.lines {
            let fields = line.fields
            if !isCountry(fields[0].text) {
                problem(
                    "clearing", line.number, fields[0].column,
                    "'\(fields[0].text)' is not a country code")
            }
            let currency = currency(fields[1], "clearing", line.number)
            let fixed = currency.flatMap {
                money(fields[2], $0, "clearing", line.number, what: "fixed")
            }
            let latency = whole(fields[3], "clearing", line.number)
            if let first = seen.repeated("\(fields[0].text)|\(fields[1].text)", at: line.number) {
                problem(
                    "clearing", line.number, 1,
                    "\(fields[0].text) \(fields[1].text) is listed twice (first on line \(first))")
            }
            if let currency, let fixed, let latency, isCountry(fields[0].text) {
                clearing.append(
                    Network.Clearing(
                        country: fields[0].text, currency: currency, fixedMinor: fixed,
                        latencyMinutes: latency))
                clearingLines.append((line.number, fields[1].column))
            }
        }
    }

    /// Restricted currencies are converted and carried only inside their home country.
    mutating func checkRestrictions() {
        let country = Dictionary(
            banks.map { ($0.bic, $0.country) }, uniquingKeysWith: { a, _ in a })
        for (link, place) in zip(links, linkLines) {
            guard let home = restricted[link.currency] else { continue }
            if country[link.from] != home || country[link.to] != home {
                problem(
                    "links", place.line, place.currency,
                    "\(link.currency.code) is restricted to \(home): it may not be carried from \(link.from) to \(link.to)"
                )
            }
        }
        for (rule, place) in zip(fx, fxLines) {
            for (currency, column) in [(rule.from, place.from), (rule.to, place.to)] {
                if let home = restricted[currency], country[rule.bic] != home {
                    problem(
                        "fx", place.line, column,
                        "\(currency.code) is restricted to \(home): \(rule.bic) may not convert it")
                }
            }
        }
        for (rule, place) in zip(clearing, clearingLines) {
            if let home = restricted[rule.currency], rule.country != home {
                problem(
                    "clearing", place.line, place.currency,
                    "\(rule.currency.code) is restricted to \(home): \(rule.country) clearing may not carry it"
                )
            }
        }
    }

    // MARK: Fields

    mutating func currency(_ field: CSVRows.Field, _ name: String, _ line: Int) -> Currency? {
        guard let currency = Currency.lookup(field.text), !currency.isHistoric else {
            problem(name, line, field.column, "'\(field.text)' is not a current currency code")
            return nil
        }
        return currency
    }

    mutating func knownBank(
        _ field: CSVRows.Field, _ bics: Set<String>, _ name: String, _ line: Int
    ) -> String? {
        guard BIC.isWellFormed(field.text) else {
            problem(name, line, field.column, "'\(field.text)' is not a BIC")
            return nil
        }
        guard bics.contains(field.text) else {
            problem(name, line, field.column, "unknown BIC \(field.text): it is not in banks.csv")
            return nil
        }
        return field.text
    }

    mutating func whole(_ field: CSVRows.Field, _ name: String, _ line: Int) -> Int? {
        guard let value = Int(field.text), value >= 0, value <= 1_000_000 else {
            problem(
                name, line, field.column, "'\(field.text)' is not a whole number from 0 to 1000000")
            return nil
        }
        return value
    }

    mutating func money(
        _ field: CSVRows.Field, _ currency: Currency, _ name: String, _ line: Int, what: String
    ) -> Int64? {
        guard let minor = try? Money.parseMinorUnits(field.text, currency: currency) else {
            problem(
                name, line, field.column,
                "\(what) '\(field.text)' is not an amount of \(currency.code)")
            return nil
        }
        guard minor >= 0 else {
            problem(name, line, field.column, "\(what) \(field.text) is negative")
            return nil
        }
        return minor
    }

    mutating func flag(_ field: CSVRows.Field, _ name: String, _ line: Int) -> Bool? {
        switch field.text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default:
            problem(name, line, field.column, "'\(field.text)' is not true or false")
            return nil
        }
    }

    /// `HH:MM` in minutes after midnight.
    mutating func clock(_ field: CSVRows.Field, _ name: String, _ line: Int) -> Int? {
        let parts = field.text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...23).contains(hour),
            (0...59).contains(minute), parts[1].count == 2
        else {
            problem(
                name, line, field.column,
                "'\(field.text)' is not a local time: expected HH:MM such as 17:30")
            return nil
        }
        return hour * 60 + minute
    }

    func isCountry(_ text: String) -> Bool {
        text.count == 2 && text.allSatisfy { ("A"..."Z").contains($0) }
    }
}

extension CSVRows {
    /// Keeps only the lines with the expected number of fields (the others were reported).
    static func filtered(_ rows: CSVRows, columns: Int) -> CSVRows {
        CSVRows(header: rows.header, lines: rows.lines.filter { $0.fields.count == columns })
    }

    init(header: [String], lines: [Line]) {
        self.header = header
        self.lines = lines
    }
}

/// The line each key was first seen on, to name it when a row repeats.
struct FirstLines {
    private var lines: [String: Int] = [:]

    /// The earlier line of `key`, or nil (and `line` remembered) when it is new.
    mutating func repeated(_ key: String, at line: Int) -> Int? {
        if let first = lines[key] { return first }
        lines[key] = line
        return nil
    }
}
