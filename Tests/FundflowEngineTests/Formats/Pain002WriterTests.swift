import FundflowCore
import FundflowFormats
import Testing

/// pain.002.001.03 status reports: the schema's element order, the common or PART status of the
/// group and of each block, counts and control sums per status, amounts in the currency's minor
/// digits, escaping, reasons, and every value the schema would refuse named by its path.
@Suite struct Pain002WriterTests {
    typealias Support = Pain002Support

    @Test func aSmallReportIsWrittenInTheSchemasOrder() throws {
        // Given one block with a credited payment and a rejected one.
        let report = Support.report(
            [
                Pain002Report.Block(
                    id: "PMT-1",
                    items: [
                        Support.item("E2E-1", .acsc, 123_456, instructionID: "I-1"),
                        Support.item("E2E-2", .rjct, 50, reason: "AC01", text: "wrong IBAN"),
                    ])
            ], party: "Acme AG")

        // When it is written.
        let xml = try Pain002Writer.xml(report)

        // Then every element is where the schema's sequences put it.
        #expect(
            xml == """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
                  <CstmrPmtStsRpt>
                    <GrpHdr>
                      <MsgId>FF-STS-1</MsgId>
                      <CreDtTm>2026-11-29T13:45:00</CreDtTm>
                      <InitgPty>
                        <Nm>Acme AG</Nm>
                      </InitgPty>
                    </GrpHdr>
                    <OrgnlGrpInfAndSts>
                      <OrgnlMsgId>MSG-2026-11-29-001</OrgnlMsgId>
                      <OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
                      <OrgnlNbOfTxs>2</OrgnlNbOfTxs>
                      <OrgnlCtrlSum>1235.06</OrgnlCtrlSum>
                      <GrpSts>PART</GrpSts>
                      <NbOfTxsPerSts>
                        <DtldNbOfTxs>1</DtldNbOfTxs>
                        <DtldSts>ACSC</DtldSts>
                        <DtldCtrlSum>1234.56</DtldCtrlSum>
                      </NbOfTxsPerSts>
                      <NbOfTxsPerSts>
                        <DtldNbOfTxs>1</DtldNbOfTxs>
                        <DtldSts>RJCT</DtldSts>
                        <DtldCtrlSum>0.50</DtldCtrlSum>
                      </NbOfTxsPerSts>
                    </OrgnlGrpInfAndSts>
                    <OrgnlPmtInfAndSts>
                      <OrgnlPmtInfId>PMT-1</OrgnlPmtInfId>
                      <OrgnlNbOfTxs>2</OrgnlNbOfTxs>
                      <OrgnlCtrlSum>1235.06</OrgnlCtrlSum>
                      <PmtInfSts>PART</PmtInfSts>
                      <NbOfTxsPerSts>
                        <DtldNbOfTxs>1</DtldNbOfTxs>
                        <DtldSts>ACSC</DtldSts>
                        <DtldCtrlSum>1234.56</DtldCtrlSum>
                      </NbOfTxsPerSts>
                      <NbOfTxsPerSts>
                        <DtldNbOfTxs>1</DtldNbOfTxs>
                        <DtldSts>RJCT</DtldSts>
                        <DtldCtrlSum>0.50</DtldCtrlSum>
                      </NbOfTxsPerSts>
                      <TxInfAndSts>
                        <OrgnlInstrId>I-1</OrgnlInstrId>
                        <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
                        <TxSts>ACSC</TxSts>
                        <OrgnlTxRef>
                          <Amt>
                            <InstdAmt Ccy="EUR">1234.56</InstdAmt>
                          </Amt>
                        </OrgnlTxRef>
                      </TxInfAndSts>
                      <TxInfAndSts>
                        <OrgnlEndToEndId>E2E-2</OrgnlEndToEndId>
                        <TxSts>RJCT</TxSts>
                        <StsRsnInf>
                          <Rsn>
                            <Cd>AC01</Cd>
                          </Rsn>
                          <AddtlInf>wrong IBAN</AddtlInf>
                        </StsRsnInf>
                        <OrgnlTxRef>
                          <Amt>
                            <InstdAmt Ccy="EUR">0.50</InstdAmt>
                          </Amt>
                        </OrgnlTxRef>
                      </TxInfAndSts>
                    </OrgnlPmtInfAndSts>
                  </CstmrPmtStsRpt>
                </Document>

                """)
    }

    @Test(arguments: PaymentStatus.allCases)
    func itemsSharingAStatusGiveItToTheirBlockAndGroup(status: PaymentStatus) throws {
        // Given two blocks whose items all have one status (a reject needs its reason).
        let reason = status == .rjct ? "AC01" : nil
        let report = Support.report([
            Pain002Report.Block(
                id: "A", items: [Support.item("A-1", status, 100, reason: reason)]),
            Pain002Report.Block(
                id: "B",
                items: [
                    Support.item("B-1", status, 200, reason: reason),
                    Support.item("B-2", status, 300, "JPY", reason: reason),
                ]),
        ])

        let document = try Support.read(report)

        #expect(document.values(Support.root + "/OrgnlGrpInfAndSts/GrpSts") == [status.rawValue])
        #expect(
            document.values(Support.block + "/PmtInfSts") == [status.rawValue, status.rawValue])
        #expect(
            document.values(Support.transaction + "/TxSts").allSatisfy { $0 == status.rawValue })
        #expect(document.values(Support.transaction + "/TxSts").count == 3)
    }

    @Test func itemsWithDifferentStatusesArePART() throws {
        // Given a block all credited, a block pending and credited, a block all rejected.
        let report = Support.report([
            Pain002Report.Block(
                id: "A", items: [Support.item("A-1", .acsc, 1), Support.item("A-2", .acsc, 2)]),
            Pain002Report.Block(
                id: "B", items: [Support.item("B-1", .pdng, 1), Support.item("B-2", .acsc, 2)]),
            Pain002Report.Block(id: "C", items: [Support.item("C-1", .rjct, 1, reason: "AM04")]),
        ])

        let document = try Support.read(report)

        #expect(document.values(Support.block + "/PmtInfSts") == ["ACSC", "PART", "RJCT"])
        #expect(document.values(Support.root + "/OrgnlGrpInfAndSts/GrpSts") == ["PART"])
    }

    @Test func countsAndControlSumsArePerStatusInAFixedOrder() throws {
        // Given statuses in an order unlike PaymentStatus's.
        let report = Support.report([
            Support.item("1", .rjct, 1_000, reason: "AC04"), Support.item("2", .pdng, 250),
            Support.item("3", .acsc, 5), Support.item("4", .pdng, 1_250),
            Support.item("5", .acsp, 70), Support.item("6", .accp, 3),
        ])

        let document = try Support.read(report)

        // Then NbOfTxsPerSts runs PDNG, ACCP, ACSP, ACSC, RJCT with their counts and sums.
        let group = Support.root + "/OrgnlGrpInfAndSts"
        #expect(
            document.values(group + "/NbOfTxsPerSts/DtldSts") == [
                "PDNG", "ACCP", "ACSP", "ACSC", "RJCT",
            ])
        #expect(document.values(group + "/NbOfTxsPerSts/DtldNbOfTxs") == ["2", "1", "1", "1", "1"])
        #expect(
            document.values(group + "/NbOfTxsPerSts/DtldCtrlSum") == [
                "15.00", "0.03", "0.70", "0.05", "10.00",
            ])
        #expect(document.values(group + "/OrgnlNbOfTxs") == ["6"])
        #expect(document.values(group + "/OrgnlCtrlSum") == ["25.78"])
        #expect(document.values(Support.block + "/NbOfTxsPerSts/DtldSts").count == 5)
        #expect(document.values(Support.block + "/OrgnlCtrlSum") == ["25.78"])
    }

    @Test(arguments: [
        ("JPY", Int64(1_200), "1200"), ("EUR", Int64(1_200), "12.00"),
        ("KWD", Int64(1_200), "1.200"), ("KWD", Int64(5), "0.005"), ("EUR", Int64(0), "0.00"),
        ("JPY", Int64(999_999_999_999_999_999), "999999999999999999"),
    ])
    func amountsHaveTheCurrencysMinorDigits(
        code: String, minorUnits: Int64, written: String
    )
        throws
    {
        let document = try Support.read(
            Support.report([Support.item("E", .acsc, minorUnits, code)]))

        let amount = Support.transaction + "/OrgnlTxRef/Amt/InstdAmt"
        #expect(document.values(amount) == [written])
        #expect(document.elements.first { $0.path == amount }?.attributes == ["Ccy": code])
        #expect(document.values(Support.block + "/OrgnlCtrlSum") == [written])
    }

    @Test func controlSumsAddTheDecimalsOfEveryCurrency() throws {
        // Given JPY 1000, EUR 0.50 and KWD 1.005 (as pain.001's CtrlSum adds them).
        let report = Support.report([
            Support.item("J", .acsc, 1_000, "JPY"), Support.item("E", .acsc, 50, "EUR"),
            Support.item("K", .rjct, 1_005, "KWD", reason: "AM05"),
        ])

        let document = try Support.read(report)

        let group = Support.root + "/OrgnlGrpInfAndSts"
        #expect(document.values(group + "/OrgnlCtrlSum") == ["1001.505"])
        #expect(document.values(group + "/NbOfTxsPerSts/DtldCtrlSum") == ["1000.50", "1.005"])
    }

    @Test func textIsEscapedAndReadsBackUnchanged() throws {
        // Given every character XML gives a meaning to, a carriage return and non-ASCII text.
        let awkward = "a&b <c> \"d\" 'e'\r\nf ü €"
        let report = Support.report(
            [
                Pain002Report.Block(
                    id: "P&<>",
                    items: [
                        Support.item(
                            "\"E2E\" & 'x'", .rjct, 1, reason: "NARR", text: awkward,
                            instructionID: "<i>")
                    ])
            ], party: "Smith & Jones")

        let xml = try Pain002Writer.xml(report)
        let document = try XMLElements.read(xml)

        #expect(xml.contains("<OrgnlPmtInfId>P&amp;&lt;&gt;</OrgnlPmtInfId>"))
        #expect(
            xml.contains("<OrgnlEndToEndId>&quot;E2E&quot; &amp; &apos;x&apos;</OrgnlEndToEndId>"))
        #expect(xml.contains("a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;&#13;\nf ü €"))
        #expect(document.rootNamespace == Pain002Writer.namespace)
        #expect(document.values(Support.block + "/OrgnlPmtInfId") == ["P&<>"])
        #expect(document.values(Support.transaction + "/OrgnlEndToEndId") == ["\"E2E\" & 'x'"])
        #expect(document.values(Support.transaction + "/OrgnlInstrId") == ["<i>"])
        #expect(document.values(Support.transaction + "/StsRsnInf/AddtlInf") == [awkward])
        #expect(document.values(Support.root + "/GrpHdr/InitgPty/Nm") == ["Smith & Jones"])
    }

    @Test func aRejectionCarriesItsReasonCodeAndText() throws {
        // Given a reject whose text is longer than one AddtlInf may be.
        let text = String(repeating: "ü", count: 100) + String(repeating: "x", count: 120)
        let report = Support.report([
            Support.item("E2E-1", .acsc, 100), Support.item("E2E-2", .rjct, 200, reason: "AC01"),
            Support.item("E2E-3", .rjct, 300, reason: "AC04", text: text),
        ])

        let document = try Support.read(report)

        // Then each reject has its code; the text is cut into pieces of at most 105 characters.
        #expect(
            document.children(Support.transaction) == ["OrgnlEndToEndId", "TxSts", "OrgnlTxRef"])
        #expect(document.values(Support.transaction + "/StsRsnInf/Rsn/Cd") == ["AC01", "AC04"])
        let pieces = document.values(Support.transaction + "/StsRsnInf/AddtlInf")
        #expect(pieces.map(\.count) == [105, 105, 10])
        #expect(pieces.joined() == text)
    }

    @Test func aPendingItemMayExplainItselfWithoutAReasonCode() throws {
        let report = Support.report([
            Support.item("E2E-1", .pdng, 100, text: "waiting for the second approval")
        ])

        let document = try Support.read(report)

        #expect(document.values(Support.transaction + "/TxSts") == ["PDNG"])
        #expect(document.values(Support.transaction + "/StsRsnInf/Rsn/Cd") == [])
        #expect(
            document.values(Support.transaction + "/StsRsnInf/AddtlInf") == [
                "waiting for the second approval"
            ])
    }

    @Test func anEmptyBlockHasZeroCountsAndNoStatus() throws {
        let report = Support.report([
            Pain002Report.Block(id: "EMPTY", items: []),
            Pain002Report.Block(id: "FULL", items: [Support.item("E", .acsc, 100)]),
        ])

        let document = try Support.read(report)

        #expect(
            document.children(Support.block) == ["OrgnlPmtInfId", "OrgnlNbOfTxs", "OrgnlCtrlSum"])
        #expect(document.values(Support.block + "/OrgnlNbOfTxs") == ["0", "1"])
        #expect(document.values(Support.block + "/OrgnlCtrlSum") == ["0", "1.00"])
        #expect(document.values(Support.block + "/PmtInfSts") == ["ACSC"])
        #expect(document.values(Support.root + "/OrgnlGrpInfAndSts/GrpSts") == ["ACSC"])
    }

    @Test func aReportWithoutItemsHasNoGroupStatus() throws {
        let document = try Support.read(Support.report([]))

        #expect(
            document.children(Support.root + "/OrgnlGrpInfAndSts") == [
                "OrgnlMsgId", "OrgnlMsgNmId", "OrgnlNbOfTxs", "OrgnlCtrlSum",
            ])
        #expect(document.values(Support.block + "/OrgnlPmtInfId") == ["PMT-1"])
    }

    @Test(arguments: [
        "2026-11-29T13:45:00", "2026-11-29T13:45:00.123456", "2026-11-29T13:45:00Z",
        "2024-02-29T23:59:59+14:00", "2026-11-29T13:45:00.5-05:30",
    ])
    func theCreationDateTimeMayBeAnyISODateTime(text: String) throws {
        var report = Support.report([Support.item("E", .acsc, 1)])
        report.creationDateTime = text

        #expect(try Support.read(report).values(Support.root + "/GrpHdr/CreDtTm") == [text])
    }

    @Test(arguments: [
        "2026-11-29", "2026-11-29 13:45:00", "2026-02-30T13:45:00", "2026-11-29T24:00:00",
        "2026-11-29T13:45:00.", "2026-11-29T13:45:00+15:00", "2026-11-29T13:45:00+0100", "",
    ])
    func anyOtherCreationDateTimeIsRefused(text: String) {
        var report = Support.report([Support.item("E", .acsc, 1)])
        report.creationDateTime = text

        #expect(
            throws: Pain002Error.notADateTime(path: Support.root + "/GrpHdr/CreDtTm", text: text)
        ) {
            try Pain002Writer.xml(report)
        }
    }

    static let thirtySix = String(repeating: "x", count: 36)

    /// Reports the schema would refuse, each with the error that names the value.
    static let refused: [(String, Pain002Report, Pain002Error)] = [
        (
            "empty MsgId", Support.report([Support.item("E", .acsc, 1)], messageID: ""),
            .empty(path: Support.root + "/GrpHdr/MsgId")
        ),
        (
            "long OrgnlMsgId",
            Support.report([Support.item("E", .acsc, 1)], originalMessageID: thirtySix),
            .tooLong(
                path: Support.root + "/OrgnlGrpInfAndSts/OrgnlMsgId", length: 36, maximum: 35)
        ),
        (
            "long EndToEndId",
            Support.report([Support.item("E", .acsc, 1), Support.item(thirtySix, .acsc, 1)]),
            .tooLong(
                path: Support.root + "/OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/OrgnlEndToEndId",
                length: 36, maximum: 35)
        ),
        (
            "control character", Support.report([Support.item("E\u{1}", .acsc, 1)]),
            .characterNotAllowed(
                path: Support.root + "/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/OrgnlEndToEndId",
                scalar: "U+0001")
        ),
        (
            "empty reason text", Support.report([Support.item("E", .pdng, 1, text: "")]),
            .empty(
                path: Support.root + "/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/StsRsnInf/AddtlInf")
        ),
        (
            "negative amount",
            Support.report([
                Pain002Report.Block(id: "A", items: []),
                Pain002Report.Block(id: "B", items: [Support.item("E", .acsc, -1)]),
            ]),
            .negativeAmount(
                path: Support.root + "/OrgnlPmtInfAndSts[2]/TxInfAndSts[1]/OrgnlTxRef/Amt/InstdAmt",
                amount: "-0.01")
        ),
        (
            "19 digits",
            Support.report([Support.item("E", .acsc, 1_000_000_000_000_000_000, "JPY")]),
            .tooManyDigits(
                path: Support.root + "/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/OrgnlTxRef/Amt/InstdAmt",
                amount: "1000000000000000000")
        ),
        (
            "control sum of 19 digits",
            Support.report([
                Support.item("A", .acsc, 999_999_999_999_999_999, "JPY"),
                Support.item("B", .acsc, 1, "JPY"),
            ]),
            .tooManyDigits(
                path: Support.root + "/OrgnlGrpInfAndSts/OrgnlCtrlSum",
                amount: "1000000000000000000")
        ),
        (
            "reject without reason", Support.report([Support.item("E", .rjct, 1)]),
            .rejectWithoutReason(path: Support.root + "/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]")
        ),
        (
            "reason code not from the list",
            Support.report([Support.item("E", .rjct, 1, reason: "ac01")]),
            .malformedReasonCode(
                path: Support.root + "/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]/StsRsnInf/Rsn/Cd",
                code: "ac01")
        ),
    ]

    @Test(arguments: refused)
    func aValueTheSchemaWouldRefuseIsNamedByItsPath(
        name: String, report: Pain002Report, error: Pain002Error
    ) {
        #expect(throws: error, "\(name)") { try Pain002Writer.xml(report) }
    }

    @Test func errorsSayWhatToFix() {
        let error = Pain002Error.tooLong(path: "/Document/X", length: 36, maximum: 35)
        #expect(error.description == "/Document/X has 36 characters: the schema allows at most 35")
        #expect(
            Pain002Error.rejectWithoutReason(path: "/P").description
                == "/P is RJCT without a reason code: a rejection must say why (e.g. AC01)")
    }
}
