import FundflowCore
import FundflowFormats
import Testing

/// The status report as CSV: the documented header, one line per item, RFC 4180 quoting that an
/// independent parser reads back to the same fields.
@Suite struct PaymentStatusCSVTests {
    typealias Support = Pain002Support

    @Test func theHeaderIsTheDocumentedOne() {
        #expect(
            PaymentStatusCSV.header.joined(separator: ",")
                == "payment_information_id,instruction_id,end_to_end_id,uetr,status,reason,reason_text,amount,currency"
        )
    }

    @Test func everyItemIsOneLineWithItsBlockAndAmount() {
        let report = Support.report([
            Pain002Report.Block(
                id: "PMT-1",
                items: [
                    Support.item(
                        "E2E-1", .acsc, 1_200, "JPY", instructionID: "I-1",
                        uetr: "8a562c67-ca16-48ba-b074-65581be6f011"),
                    Support.item("E2E-2", .rjct, 1_005, "KWD", reason: "AC01", text: "bad IBAN"),
                ]),
            Pain002Report.Block(id: "EMPTY", items: []),
            Pain002Report.Block(id: "PMT-3", items: [Support.item("E2E-3", .pdng, 5)]),
        ])

        let csv = PaymentStatusCSV.csv(report)

        #expect(
            csv == """
                payment_information_id,instruction_id,end_to_end_id,uetr,status,reason,reason_text,amount,currency
                PMT-1,I-1,E2E-1,8a562c67-ca16-48ba-b074-65581be6f011,ACSC,,,1200,JPY
                PMT-1,,E2E-2,,RJCT,AC01,bad IBAN,1.005,KWD
                PMT-3,,E2E-3,,PDNG,,,0.05,EUR

                """)
    }

    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""), ("cr\r", "\"cr\r\""), ("", ""),
        ("'single' & <xml>", "'single' & <xml>"),
    ])
    func aFieldIsQuotedOnlyWhenItMustBe(field: String, written: String) {
        let report = Support.report([Support.item("E", .pdng, 1, text: field)])

        let line = PaymentStatusCSV.csv(report).dropFirst(
            PaymentStatusCSV.header.joined(separator: ",").count + 1)

        #expect(line == "PMT-1,,E,,PDNG,,\(written),0.01,EUR\n")
    }

    @Test(arguments: Pain002Support.representative.map(\.name))
    func everyFieldReadsBackWithAnIndependentParser(name: String) throws {
        let report = try #require(Support.representative.first { $0.name == name }?.report)

        let rows = try Self.parse(PaymentStatusCSV.csv(report))

        #expect(rows.first == PaymentStatusCSV.header)
        let expected = report.blocks.flatMap { block in
            block.items.map { item in
                [
                    block.id, item.instructionID ?? "", item.endToEndID, item.uetr ?? "",
                    item.status.rawValue, item.reason ?? "", item.reasonText ?? "",
                    item.amount.amountString, item.amount.currency.code,
                ]
            }
        }
        #expect(Array(rows.dropFirst()) == expected)
    }

    @Test func quotesCommasAndLineBreaksReadBack() throws {
        let awkward = "Müller, \"Hans\"\r\nline 2,\n"
        let report = Support.report(
            [
                Pain002Report.Block(
                    id: "A,B",
                    items: [Support.item("\"E\"", .rjct, 1, reason: "AC01", text: awkward)])
            ])

        let rows = try Self.parse(PaymentStatusCSV.csv(report))

        #expect(rows.count == 2)
        #expect(rows[1] == ["A,B", "", "\"E\"", "", "RJCT", "AC01", awkward, "0.01", "EUR"])
    }

    struct MalformedCSV: Error {}

    /// RFC 4180 read character by character, written for this test alone: quoted fields may hold
    /// commas, doubled quotes and line breaks; records end with `\n`, the last one too.
    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        for scalar in text.unicodeScalars {
            if quoted {
                if scalar == "\"" {
                    quoted = false
                    afterQuote = true
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                // A quote right after a closing one is a doubled quote inside the field.
                guard field.isEmpty || afterQuote else { throw MalformedCSV() }
                if afterQuote { field += "\"" }
                quoted = true
            case ",":
                row.append(field)
                field = ""
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            default:
                guard !afterQuote else { throw MalformedCSV() }
                field.unicodeScalars.append(scalar)
            }
            afterQuote = false
        }
        guard !quoted, row.isEmpty, field.isEmpty else { throw MalformedCSV() }
        return rows
    }
}
