import Foundation
import FundflowCore
import FundflowFormats
import Testing

/// The three ECB layouts, read from the real samples in ../shared/data/ecb.
@Suite struct ECBRatesTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/ecb")

    static func sample(_ name: String) throws -> String {
        try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8)
    }

    static func rate(_ quotes: [RateQuote], _ code: String, _ day: String) -> String? {
        quotes.first { $0.currency.code == code && $0.day.description == day }?.rate.description
    }

    @Test func theHistoryCSVHasEveryDayWithItsGaps() throws {
        let quotes = try ECBRates.parse(
            try Self.sample("eurofxref-hist.csv"), file: "eurofxref-hist.csv")
        #expect(quotes.count == 221_702)
        #expect(Set(quotes.map(\.day)).count == 7_126)
        #expect(Self.rate(quotes, "USD", "2026-10-30") == "1.1172")
        #expect(Self.rate(quotes, "ISK", "2026-10-30") == "136")
        #expect(Self.rate(quotes, "TRL", "1999-01-04") == "372274")
        #expect(Self.rate(quotes, "HRK", "2026-10-30") == nil, "N/A is a gap, not a rate")
        #expect(quotes.allSatisfy { $0.source == "ecb" })
    }

    @Test func theDailyCSVAgreesWithTheHistoryForItsDay() throws {
        let daily = try ECBRates.parse(try Self.sample("eurofxref.csv"), file: "eurofxref.csv")
        let history = try ECBRates.parse(
            try Self.sample("eurofxref-hist.csv"), file: "eurofxref-hist.csv")
        #expect(daily.count == 29)
        #expect(Set(daily.map(\.day.description)) == ["2026-10-30"])
        #expect(
            Self.rate(daily, "GBP", "2026-10-30") == "0.8338",
            "0.83380 with its trailing zero dropped")
        for quote in daily {
            #expect(Self.rate(history, quote.currency.code, "2026-10-30") == quote.rate.description)
        }
    }

    @Test(
        arguments: [
            ("eurofxref-daily.xml", 1, 30, "USD", "2025-05-09", "1.1252"),
            ("eurofxref-daily-2018-06-11.xml", 1, 32, "JPY", "2018-06-11", "129.62"),
            ("eurofxref-hist-90d.xml", 65, nil, "USD", "2019-11-28", "1.1005"),
        ] as [(String, Int, Int?, String, String, String)])
    func theXMLLayoutsParse(
        file: String, days: Int, currencies: Int?, code: String, day: String, rate: String
    ) throws {
        let quotes = try ECBRates.parse(try Self.sample(file), file: file)
        #expect(Set(quotes.map(\.day)).count == days)
        if let currencies { #expect(quotes.count == currencies) }
        #expect(Self.rate(quotes, code, day) == rate)
    }

    @Test func theNinetyDayXMLAgreesWithTheHistoryCSV() throws {
        let xml = try ECBRates.parse(try Self.sample("eurofxref-hist-90d.xml"), file: "90d")
        let history = try ECBRates.parse(try Self.sample("eurofxref-hist.csv"), file: "hist")
        let index = Dictionary(
            history.map { ("\($0.currency.code) \($0.day)", $0.rate) },
            uniquingKeysWith: { a, _ in a })
        for quote in xml {
            #expect(
                index["\(quote.currency.code) \(quote.day)"] == quote.rate,
                "\(quote.currency.code) \(quote.day)")
        }
    }

    @Test(arguments: [
        ("Date,USD,JPY,\n2026-10-30,1.1172,abc,\n", "bad.csv:2:3"),
        ("Date,USD,XYZ,\n2026-10-30,1.1172,1,\n", "bad.csv:1:3"),
        ("Date,USD,\n2026-13-30,1.1172,\n", "bad.csv:2:1"),
        ("Date,USD,\n2026-10-30,1.1172,\n2026-10-30,1.1,\n", "bad.csv:3:1"),
        ("Date,USD,\n2026-10-30,1.1172\n", "bad.csv:2"),
        ("Date, USD, \n31 Octember 2026, 1.1, \n", "bad.csv:2:1"),
        (
            "<Envelope><Cube><Cube time='2026-10-30'><Cube currency='USD' rate='-1'/></Cube></Cube></Envelope>",
            "bad.csv:1"
        ),
        ("<Envelope><Cube><Cube time='2026-10-30'><Cube currency='USD' rate='1.1'/>", "bad.csv:1"),
        ("hello", "bad.csv:1"),
    ])
    func malformedFilesNameTheirFileAndLine(text: String, place: String) {
        #expect {
            try ECBRates.parse(text, file: "bad.csv")
        } throws: { error in
            "\(error)".hasPrefix(place + ":") || "\(error)".hasPrefix(place + " ")
        }
    }

    @Test func aUserRatesFileIsReadWithItsLines() throws {
        let entries = try UserRatesFile.parse(
            "date,base,quote,rate\n2026-10-30,USD,KWD,0.3068\n2026-10-30,EUR,NGN,1700.5\n",
            file: "mine.csv")
        #expect(entries.map(\.quote.code) == ["KWD", "NGN"])
        #expect(entries[0].line == 2)
        #expect(throws: FileError.self) {
            try UserRatesFile.parse(
                "date,base,quote,rate\n2026-10-30,USD,EUR,0.9\n", file: "mine.csv")
        }
    }
}
