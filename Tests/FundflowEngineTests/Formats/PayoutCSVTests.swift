import FundflowCore
import FundflowFormats
import Testing

/// The payout CSV: its header, its amount types, and every problem at FILE:LINE:COLUMN.
@Suite struct PayoutCSVTests {
    static let header = PayoutCSV.header.joined(separator: ",")

    static func read(_ lines: [String], file: String = "payouts.csv") -> BatchReading {
        BatchFiles.read(Array(([header] + lines).joined(separator: "\n").utf8), file: file)
    }

    /// The 1-based column where field `index` of an unquoted line starts.
    static func column(_ line: String, _ index: Int) -> Int {
        1
            + line.split(separator: ",", omittingEmptySubsequences: false).prefix(index)
            .reduce(0) { $0 + $1.count + 1 }
    }

    @Test func theHeaderIsTheDocumentedOne() {
        #expect(
            Self.header
                == "name,account,bank,currency,amount,amount_type,source_currency,reference,end_to_end_id,bearer,execution_date,purpose,street,building,postcode,town,country"
        )
    }

    @Test func aValidFileReadsEveryAmountType() throws {
        // Given a send in one currency, a send from another (a fixed debit), a receive, quoting,
        // a comment line and two blank EndToEndIds.
        let reading = Self.read([
            "\"Müller, Hans\",IBAN:DE89 3704 0044 0532 0130 00,,EUR,1234.56,send,,Invoice 1,E2E-1,,2024-01-02,,Hauptstr.,5,10115,Berlin,DE",
            "Acme Inc,ABA:026009593/1234567890,026009593,USD,1000.00,send,EUR,\"PO \"\"42\"\"\",E2E-2,OUR,,,,,,,US",
            "Tata Ltd,IFSC:HDFC0000240/50100012345678,HDFC0000240,INR,50000,receive,EUR,,,BEN,,P1006,,,,,IN",
            "# paid monthly",
            "Bob,IBAN:GB82WEST12345698765432,NWBKGB2L,GBP,10.00,Send,gbp,,,SLEV,,,,,,,gb",
        ])

        #expect(reading.problems == [])
        let file = try #require(reading.file)
        #expect(file.format == .csv)
        #expect(file.blocks.map(\.id) == ["CSV-1"])
        let items = file.items
        #expect(
            items.map(\.path) == [
                "payouts.csv:2", "payouts.csv:3", "payouts.csv:4", "payouts.csv:6",
            ])
        #expect(items[0].creditorName == "Müller, Hans")
        #expect(items[0].creditorAccount == "IBAN:DE89370400440532013000")
        #expect(items[0].amount == .send(Money(minorUnits: 123_456, currency: .eur)))
        #expect(items[0].executionDate == "2024-01-02")
        #expect(items[0].address.line == "Hauptstr. 5, 10115 Berlin")
        #expect(items[0].chargeBearer == .sha, "blank is SHA")
        #expect(
            items[1].amount
                == .debit(Money(minorUnits: 100_000, currency: .eur), creditorCurrency: .usd))
        #expect(items[1].creditorAgentClearingID == "026009593")
        #expect(items[1].remittance == "PO \"42\"")
        #expect(items[1].chargeBearer == .our)
        let inr = try Currency.named("INR")
        #expect(
            items[2].amount
                == .receive(Money(minorUnits: 5_000_000, currency: inr), debitCurrency: .eur))
        #expect(items[2].purpose == "P1006")
        #expect(items[2].endToEndID == "NOTPROVIDED")
        #expect(
            items[3].amount == .send(Money(minorUnits: 1000, currency: try Currency.named("GBP"))))
        #expect(items[3].creditorAgentBIC == "NWBKGB2L")
        #expect(items[3].creditorCountry == "GB")
        #expect(items[3].endToEndID == "NOTPROVIDED", "NOTPROVIDED may repeat")
    }

    @Test func theMessageIDIsAStableHashOfTheBytes() throws {
        let line = "Ann,IBAN:DE89370400440532013000,,EUR,1.00,send,,,,,,,,,,,"
        let first = try #require(Self.read([line]).file?.messageID)
        let again = try #require(Self.read([line]).file?.messageID)
        let other = try #require(Self.read([line.replacing("1.00", with: "1.01")]).file?.messageID)

        let bytes = Array(([Self.header, line]).joined(separator: "\n").utf8)
        #expect(first == "CSV-" + Self.fnv1a(bytes))
        #expect(first == again)
        #expect(first != other)
        #expect(
            Self.fnv1a(Array("a".utf8)) == "af63dc4c8601ec8c", "the published FNV-1a 64 test vector"
        )
    }

    /// A reference FNV-1a 64, written out from the published algorithm.
    static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    @Test func everyProblemIsReportedAtItsLineAndColumn() throws {
        let line2 = "Ann,IBAN:DE89370400440532013001,,EUR,12.345,send,,,E2E-1,,,,,,,,"
        let line3 = "Bo,ACCT:12345,,EUR,10,sell,,,E2E-1,XYZ,2024-02-30,,,,,,"
        let line4 = "Cy,IBAN:DE89370400440532013000,,INR,10,send,,,,,,,,,,,"
        let line5 = "Short,line"
        let line6 = "\"Unclosed,IBAN:DE89370400440532013000,,EUR,10,send,,,,,,,,,,,"
        let line7 = ",CLABE:002010077777777771,,MXN,0,send,XAU,,,,,,,,,,ZZ"

        let reading = Self.read([line2, line3, line4, line5, line6, line7])

        #expect(
            BatchFileSupport.lines(reading) == [
                "payouts.csv:2:\(Self.column(line2, 1)): IBAN DE89370400440532013001: the check digits are wrong (a typing error?)",
                "payouts.csv:2:\(Self.column(line2, 4)): '12.345' has more decimals than EUR allows (2 decimals); amounts are never rounded silently",
                "payouts.csv:3:\(Self.column(line3, 2)): the bank is required unless the account is an IBAN: a BIC or a clearing id of the account's country",
                "payouts.csv:3:\(Self.column(line3, 5)): amount_type 'sell' must be send (the amount leaves the payer, in source_currency) or receive (the beneficiary gets it, in currency)",
                "payouts.csv:3:\(Self.column(line3, 8)): end_to_end_id 'E2E-1' is already used at payouts.csv:2: each payment needs its own (only NOTPROVIDED may repeat)",
                "payouts.csv:3:\(Self.column(line3, 9)): bearer 'XYZ' must be SHA, BEN, OUR or SLEV (blank is SHA)",
                "payouts.csv:3:\(Self.column(line3, 10)): '2024-02-30' is not a date: expected YYYY-MM-DD, e.g. 2024-01-02",
                "payouts.csv:4:\(Self.column(line4, 11)): INR payments need a purpose: the purpose column with an ISO 20022 code such as SUPP or GDDS, or an RBI code such as P1006",
                "payouts.csv:5: expected 17 columns as in the header, found 2",
                "payouts.csv:6:1: an unclosed quote",
                "payouts.csv:6: expected 17 columns as in the header, found 1",
                "payouts.csv:7:1: the name is required: who is paid",
                "payouts.csv:7:\(Self.column(line7, 2)): the bank is required unless the account is an IBAN: a BIC or a clearing id of the account's country",
                "payouts.csv:7:\(Self.column(line7, 6)): XAU has no minor unit in ISO 4217 and cannot be used as money here",
                "payouts.csv:7:\(Self.column(line7, 16)): 'ZZ' is not an ISO 3166 country code such as DE or CH",
            ])
        // Lines 2 and 3 could still be described; their problems stay with them.
        #expect(reading.file?.items.map(\.path) == ["payouts.csv:4"])
        #expect(reading.acceptableItems == [])
    }

    @Test func goodLinesCanBeTakenFromAFileWithBadOnes() throws {
        let reading = Self.read([
            "Ann,IBAN:DE89370400440532013000,,EUR,10.00,send,,,A-1,,,,,,,,",
            "Bo,IBAN:DE89370400440532013001,,EUR,10.00,send,,,A-2,,,,,,,,",
        ])
        #expect(!reading.isAccepted)
        #expect(reading.file?.items.count == 2)
        #expect(reading.acceptableItems.map(\.endToEndID) == ["A-1"])
        let bad = try #require(reading.file?.items.last)
        #expect(reading.problems(of: bad).map(\.location) == ["payouts.csv:3:4"])
    }

    @Test func aFileWithOnlyTheHeaderPaysNothing() {
        #expect(
            BatchFileSupport.lines(Self.read([])) == [
                "payouts.csv:2: the file holds no payments: one line per payment after the header"
            ])
    }
}
