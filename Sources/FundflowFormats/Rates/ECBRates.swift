import Foundation
public import FundflowCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The ECB euro reference rates in all three layouts the ECB publishes: the history CSV (41
/// columns, `N/A` gaps, a trailing comma), the daily CSV (comma-space, `30 October 2026`) and the
/// XML of the daily and history files (`Cube` elements). Every rate is units of the currency per
/// EUR, kept exactly as published (trailing zeros dropped).
public enum ECBRates {
    public enum Layout: String, Sendable {
        case historyCSV = "ECB history CSV"
        case dailyCSV = "ECB daily CSV"
        case xml = "ECB XML"
    }

    /// Reads any of the three layouts, recognised by their first characters.
    public static func parse(
        _ text: String, file: String, source: String = "ecb"
    ) throws(FileError) -> [RateQuote] {
        switch layout(of: text) {
        case .xml: return try parseXML(text, file: file, source: source)
        case .dailyCSV: return try parseCSV(text, file: file, source: source, daily: true)
        case .historyCSV: return try parseCSV(text, file: file, source: source, daily: false)
        case nil:
            throw FileError(
                file: file, line: 1,
                "not an ECB rates file: expected a CSV starting with 'Date,' or XML with Cube elements"
            )
        }
    }

    public static func layout(of text: String) -> Layout? {
        let start = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if start.hasPrefix("<") { return .xml }
        if start.hasPrefix("Date, ") { return .dailyCSV }
        if start.hasPrefix("Date,") { return .historyCSV }
        return nil
    }

    // MARK: CSV

    private static func parseCSV(
        _ text: String, file: String, source: String, daily: Bool
    ) throws(FileError)
        -> [RateQuote]
    {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        guard let headerLine = lines.first else {
            throw FileError(file: file, line: 1, "the file is empty")
        }
        let header = fields(headerLine)
        guard header.first == "Date" else {
            throw FileError(file: file, line: 1, column: 1, "the first column must be Date")
        }
        var currencies: [Currency?] = [nil]
        for (index, code) in header.enumerated().dropFirst() {
            if code.isEmpty && index == header.count - 1 {  // the trailing comma
                currencies.append(nil)
                continue
            }
            guard let currency = Currency.lookup(code) else {
                throw FileError(
                    file: file, line: 1, column: index + 1,
                    "unknown currency '\(code)' in the header")
            }
            currencies.append(currency)
        }
        var quotes: [RateQuote] = []
        quotes.reserveCapacity(lines.count * (currencies.count - 1))
        var seen: Set<RateDay> = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.allSatisfy(\.isWhitespace)
        {
            let number = offset + 1
            let values = fields(line)
            guard values.count == header.count else {
                throw FileError(
                    file: file, line: number,
                    "expected \(header.count) columns like the header, found \(values.count)")
            }
            guard let day = daily ? longDate(values[0]) : RateDay(values[0]) else {
                throw FileError(
                    file: file, line: number, column: 1,
                    "'\(values[0])' is not a date: expected \(daily ? "30 October 2026" : "2026-10-30")"
                )
            }
            guard seen.insert(day).inserted else {
                throw FileError(file: file, line: number, column: 1, "\(day) appears twice")
            }
            for (index, value) in values.enumerated().dropFirst() {
                guard let currency = currencies[index] else {
                    if !value.isEmpty {
                        throw FileError(
                            file: file, line: number, column: index + 1,
                            "a value past the last currency")
                    }
                    continue
                }
                if value == "N/A" || value.isEmpty { continue }
                guard let rate = try? DecimalRate(parsing: value).normalized() else {
                    throw FileError(
                        file: file, line: number, column: index + 1,
                        "'\(value)' is not a rate for \(currency.code): expected a positive decimal or N/A"
                    )
                }
                quotes.append(RateQuote(day: day, currency: currency, rate: rate, source: source))
            }
        }
        guard !quotes.isEmpty else {
            throw FileError(file: file, line: 1, "the file holds no rates")
        }
        return quotes
    }

    /// Comma-separated fields, each trimmed (the daily file puts a space after every comma).
    private static func fields(_ line: Substring) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { field in
            var slice = field[...]
            while slice.first == " " { slice = slice.dropFirst() }
            while slice.last == " " { slice = slice.dropLast() }
            return String(slice)
        }
    }

    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October",
        "November", "December",
    ]

    /// `30 October 2026`.
    static func longDate(_ text: String) -> RateDay? {
        let parts = text.split(separator: " ")
        guard parts.count == 3, let day = Int(parts[0]),
            let month = months.firstIndex(of: String(parts[1])),
            parts[2].count == 4, let year = Int(parts[2])
        else { return nil }
        let iso = String(format: "%04d-%02d-%02d", year, month + 1, day)
        return RateDay(iso)
    }

    // MARK: XML

    private static func parseXML(
        _ text: String, file: String, source: String
    ) throws(FileError) -> [RateQuote] {
        let reader = CubeReader(file: file, source: source)
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        let ok = parser.parse()
        if let error = reader.error { throw error }
        // Some XML parsers accept a document that simply stops: a truncated download must not pass.
        if ok && reader.depth != 0 {
            throw FileError(
                file: file, line: max(1, parser.lineNumber),
                "the XML ends inside an element: the file looks truncated")
        }
        guard ok else {
            let message =
                parser.parserError.map { "\($0.localizedDescription)" }
                ?? "the XML is not well-formed"
            throw FileError(
                file: file, line: max(1, parser.lineNumber), column: parser.columnNumber, message)
        }
        guard !reader.quotes.isEmpty else {
            throw FileError(
                file: file, line: 1,
                "no <Cube time='…'><Cube currency='…' rate='…'/> elements found")
        }
        return reader.quotes
    }
}

/// Collects `<Cube time>` / `<Cube currency rate>` pairs, stopping at the first bad one.
private final class CubeReader: NSObject, XMLParserDelegate {
    let file: String
    let source: String
    var quotes: [RateQuote] = []
    var error: FileError?
    private var day: RateDay?
    private var seen: Set<RateDay> = []
    /// Elements opened and not yet closed.
    private(set) var depth = 0

    init(file: String, source: String) {
        self.file = file
        self.source = source
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        depth += 1
        guard element == "Cube", error == nil else { return }
        if let time = attributes["time"] {
            guard let parsed = RateDay(time) else {
                return fail(parser, "'\(time)' is not a date: expected time='2026-10-30'")
            }
            guard seen.insert(parsed).inserted else { return fail(parser, "\(time) appears twice") }
            day = parsed
        } else if let code = attributes["currency"] {
            guard let day else {
                return fail(parser, "a rate for \(code) outside a <Cube time='…'> element")
            }
            guard let currency = Currency.lookup(code) else {
                return fail(parser, "unknown currency '\(code)'")
            }
            guard let text = attributes["rate"],
                let rate = try? DecimalRate(parsing: text).normalized()
            else {
                return fail(
                    parser, "the rate of \(code) on \(day) is missing or not a positive decimal")
            }
            quotes.append(RateQuote(day: day, currency: currency, rate: rate, source: source))
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement element: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        depth -= 1
    }

    private func fail(_ parser: XMLParser, _ message: String) {
        error = FileError(file: file, line: parser.lineNumber, column: parser.columnNumber, message)
        parser.abortParsing()
    }
}

/// A user rates file, `date,base,quote,rate` (1 base = rate quote), for currencies the ECB does
/// not publish. The engine turns each into an EUR quote through the ECB rate of its date.
public enum UserRatesFile {
    public struct Entry: Equatable, Sendable {
        public let line: Int
        public let day: RateDay
        public let base: Currency
        public let quote: Currency
        public let rate: DecimalRate
    }

    public static func parse(_ text: String, file: String) throws(FileError) -> [Entry] {
        var entries: [Entry] = []
        var seen: Set<String> = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let number = offset + 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            let columns = line.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0)
            }
            if number == 1 || entries.isEmpty && columns.first == "date" {
                guard columns == ["date", "base", "quote", "rate"] else {
                    throw FileError(
                        file: file, line: number, "the header must be date,base,quote,rate")
                }
                continue
            }
            guard columns.count == 4 else {
                throw FileError(
                    file: file, line: number,
                    "expected 4 columns date,base,quote,rate, found \(columns.count)")
            }
            guard let day = RateDay(columns[0]) else {
                throw FileError(
                    file: file, line: number, column: 1,
                    "'\(columns[0])' is not a date: expected 2026-10-30")
            }
            guard let base = Currency.lookup(columns[1]) else {
                throw FileError(
                    file: file, line: number, column: 2, "unknown currency '\(columns[1])'")
            }
            guard let quote = Currency.lookup(columns[2]), quote != base, quote != .eur else {
                throw FileError(
                    file: file, line: number, column: 3,
                    "'\(columns[2])' cannot be quoted here: a known currency other than the base and EUR"
                )
            }
            guard let rate = try? DecimalRate(parsing: columns[3]).normalized() else {
                throw FileError(
                    file: file, line: number, column: 4,
                    "'\(columns[3])' is not a positive decimal rate")
            }
            guard seen.insert("\(day) \(quote.code)").inserted else {
                throw FileError(
                    file: file, line: number, "a second rate for \(quote.code) on \(day)")
            }
            entries.append(Entry(line: number, day: day, base: base, quote: quote, rate: rate))
        }
        guard !entries.isEmpty else {
            throw FileError(file: file, line: 1, "the file holds no rates")
        }
        return entries
    }
}
