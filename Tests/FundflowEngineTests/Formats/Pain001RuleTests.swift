import FundflowCore
import FundflowFormats
import Testing

/// The reader's rules, each shown on a real sample changed in memory.
@Suite struct Pain001RuleTests {
    static let initiation = "/Document/CstmrCdtTrfInitn"
    static let block1 = initiation + "/PmtInf[1]"
    static let item1 = block1 + "/CdtTrfTxInf[1]"
    static let item2 = block1 + "/CdtTrfTxInf[2]"

    /// The DK example (one block, two EUR items, all valid) with replacements applied in order,
    /// each required to change something.
    static func dk(_ replacements: [(String, String)] = []) throws -> String {
        var text = try BatchFileSupport.sampleText("pain.001.001.03_dk-example_sepa-king.xml")
        for (old, new) in replacements {
            let changed = text.replacing(old, with: new, maxReplacements: 1)
            try #require(changed != text, "\(old) is not in the sample")
            text = changed
        }
        return text
    }

    @Test func aWrongControlSumIsRefusedAtTheGroupAndTheBlock() throws {
        // Given a GrpHdr CtrlSum and a block CtrlSum that both miss the amounts' 6655.86.
        let text = try Self.dk([
            (
                "<NbOfTxs>2</NbOfTxs>\n      <InitgPty>",
                "<NbOfTxs>2</NbOfTxs><CtrlSum>6655.80</CtrlSum><InitgPty>"
            ),
            ("<CtrlSum>6655.86</CtrlSum>", "<CtrlSum>6655.87</CtrlSum>"),
        ])

        let reading = BatchFileSupport.read(text)

        // Then both are named, the group's first (document order), each with its scope.
        #expect(
            BatchFileSupport.lines(reading) == [
                Self.initiation
                    + "/GrpHdr/CtrlSum: CtrlSum 6655.80 is not the sum of the amounts in the file, 6655.86 (the control sum adds every amount as a plain number, whatever its currency)",
                Self.block1
                    + "/CtrlSum: CtrlSum 6655.87 is not the sum of the amounts in the block, 6655.86 (the control sum adds every amount as a plain number, whatever its currency)",
            ])
        #expect(reading.problems.map(\.scope) == [.file, .block(Self.block1)])
        #expect(reading.acceptableItems == [], "a wrong group control sum holds back every item")
        #expect(reading.file?.items.count == 2)
    }

    @Test(arguments: ["6655.860", "6655.8600000", "06655.86"])
    func controlSumsCompareAsDecimals(written: String) throws {
        let text = try Self.dk([("<CtrlSum>6655.86</CtrlSum>", "<CtrlSum>\(written)</CtrlSum>")])
        #expect(BatchFileSupport.read(text).isAccepted)
    }

    @Test func aControlSumWithoutDecimalsEqualsTheAmounts() throws {
        // 15850 is 3949.75 CHF + 8479.25 CHF + 3421.00 EUR, written without decimals.
        let text = try BatchFileSupport.sampleText(
            "pain.001.001.03.ch.02_six-example_sepa-king.xml"
        )
        .replacing("<CtrlSum>15850.00</CtrlSum>", with: "<CtrlSum>15850</CtrlSum>")
        #expect(BatchFileSupport.read(text).isAccepted)
    }

    @Test func aWrongNumberOfTransactionsIsRefusedAtTheGroupAndTheBlock() throws {
        let text = try Self.dk([
            ("<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>3</NbOfTxs>"),
            ("<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>1</NbOfTxs>"),
        ])

        let reading = BatchFileSupport.read(text)

        #expect(
            BatchFileSupport.lines(reading) == [
                Self.initiation
                    + "/GrpHdr/NbOfTxs: NbOfTxs says 3 but the file holds 2 CdtTrfTxInf: a transaction is missing or extra",
                Self.block1
                    + "/NbOfTxs: NbOfTxs says 1 but the block holds 2 CdtTrfTxInf: a transaction is missing or extra",
            ])
    }

    @Test func aDuplicateEndToEndIdNamesTheFirstOccurrence() throws {
        let text = try Self.dk([("OriginatorID1235", "OriginatorID1234")])

        let reading = BatchFileSupport.read(text)

        #expect(
            BatchFileSupport.lines(reading) == [
                Self.item2
                    + "/PmtId/EndToEndId: EndToEndId 'OriginatorID1234' is already used at \(Self.item1)/PmtId/EndToEndId: each payment needs its own (only NOTPROVIDED may repeat)"
            ])
        // The first payment is still good to take; the duplicate is not.
        #expect(reading.acceptableItems.map(\.path) == [Self.item1])
    }

    @Test func notProvidedMayRepeat() throws {
        let text = try Self.dk([
            ("OriginatorID1234", "NOTPROVIDED"), ("OriginatorID1235", "NOTPROVIDED"),
        ])
        let reading = BatchFileSupport.read(text)
        #expect(reading.isAccepted)
        #expect(reading.file?.items.map(\.endToEndID) == ["NOTPROVIDED", "NOTPROVIDED"])
    }

    @Test func anEndToEndIdOf36CharactersIsRefused() throws {
        let long = String(repeating: "A", count: 36)
        let fine = String(repeating: "B", count: 35)
        let text = try Self.dk([("OriginatorID1234", long), ("OriginatorID1235", fine)])

        let reading = BatchFileSupport.read(text)

        #expect(
            BatchFileSupport.lines(reading) == [
                Self.item1
                    + "/PmtId/EndToEndId: the EndToEndId '\(long)' has 36 characters: at most 35 are allowed"
            ])
        #expect(reading.acceptableItems.map(\.endToEndID) == [fine])
    }

    @Test func threeDecimalsInEuroAreRefusedAndTheItemLeftOut() throws {
        let text = try Self.dk([(">112.72<", ">112.725<")])

        let reading = BatchFileSupport.read(text)

        // One problem: the control sum is not compared while an amount cannot be read.
        #expect(
            BatchFileSupport.lines(reading) == [
                Self.item2
                    + "/Amt/InstdAmt: '112.725' has more decimals than EUR allows (2 decimals); amounts are never rounded silently"
            ])
        #expect(reading.file?.items.map(\.path) == [Self.item1])
        #expect(reading.acceptableItems.map(\.path) == [Self.item1])
    }

    @Test func aMissingCurrencyIsRefused() throws {
        let text = try Self.dk([("<InstdAmt Ccy=\"EUR\">6543.14", "<InstdAmt>6543.14")])

        let reading = BatchFileSupport.read(text)

        #expect(
            BatchFileSupport.lines(reading) == [
                Self.item1
                    + "/Amt/InstdAmt: the Ccy attribute is missing: write the currency, e.g. <InstdAmt Ccy=\"EUR\">6543.14</InstdAmt>"
            ])
    }

    @Test(arguments: [
        ("-5.00", "'-5.00' is negative: amounts must be positive"),
        ("0.00", "'0.00 EUR' is zero: amounts must be positive"),
        (
            "1,234.56",
            "'1,234.56' is not an amount: expected digits with an optional '.' and up to 2 decimals, e.g. 1234.55"
        ),
    ])
    func amountsAreStrictPositiveDecimals(amount: String, message: String) throws {
        let text = try Self.dk([(">6543.14<", ">\(amount)<")])
        #expect(
            BatchFileSupport.lines(BatchFileSupport.read(text)) == [
                Self.item1 + "/Amt/InstdAmt: " + message
            ])
    }

    @Test(arguments: [
        ("XAU", "XAU has no minor unit in ISO 4217 and cannot be used as money here"),
        ("HRK", "HRK is no longer issued: pay in its successor currency"),
        ("ABC", "unknown currency 'ABC': expected an ISO 4217 code such as EUR, USD or JPY"),
    ])
    func currenciesMustBeCurrentMoney(code: String, message: String) throws {
        let text = try Self.dk([("Ccy=\"EUR\">6543.14", "Ccy=\"\(code)\">6543.14")])
        #expect(
            BatchFileSupport.lines(BatchFileSupport.read(text)) == [
                Self.item1 + "/Amt/InstdAmt: " + message
            ])
    }

    @Test func aByteOrderMarkAndCRLFChangeNothing() throws {
        let plain = try Self.dk()
        let crlf = "\u{FEFF}" + plain.replacing("\n", with: "\r\n")
        #expect(Array(crlf.utf8).prefix(3) == [0xEF, 0xBB, 0xBF])

        let reading = BatchFileSupport.read(crlf)

        #expect(reading.isAccepted)
        #expect(reading.file == BatchFileSupport.read(plain).file)
    }

    @Test func theSwissCh03NamespaceReadsAsPain001v03() throws {
        let ch02 = "http://www.six-interbank-clearing.com/de/pain.001.001.03.ch.02.xsd"
        let ch03 = "http://www.six-interbank-clearing.com/de/pain.001.001.03.ch.03.xsd"
        let text = try BatchFileSupport.sampleText(
            "pain.001.001.03.ch.02_six-example_sepa-king.xml")

        let reading = BatchFileSupport.read(text.replacing(ch02, with: ch03))

        #expect(reading.isAccepted)
        let file = try #require(reading.file)
        #expect(file.format == .pain001v03)
        #expect(file.namespace == ch03)
        #expect(file.blocks == BatchFileSupport.read(text).file?.blocks)
    }

    @Test func postalPaymentsNeedTheSwissNamespace() throws {
        // In an ISO file, CH02 means nothing: an account without IBAN needs its bank.
        let text = try BatchFileSupport.sampleText(
            "pain.001.001.03.ch.02_six-example_sepa-king.xml"
        )
        .replacing(
            "http://www.six-interbank-clearing.com/de/pain.001.001.03.ch.02.xsd",
            with: "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03")

        let reading = BatchFileSupport.read(text)

        let missingBank =
            ": the creditor's bank is missing: give CdtrAgt/FinInstnId with a BIC or a ClrSysMmbId/MmbId (only an IBAN lets the bank be found without one)"
        #expect(
            BatchFileSupport.lines(reading) == [
                Self.item1 + ": Cdtr/Nm is required: the name of the person or company paid",
                Self.item1 + missingBank,
                Self.initiation + "/PmtInf[2]/CdtTrfTxInf[1]" + missingBank,
            ])
        #expect(reading.acceptableItems.map(\.endToEndID) == ["ENDTOENDID-003"])
    }

    @Test func aCreditorAgentMayBeAClearingIdOrMissingForAnIBAN() throws {
        // Given item 1 paid through its US routing number only, item 2 with no agent at all.
        let agent1 = """
            <CdtrAgt>
                      <FinInstnId>
                        <BIC>SPUEDE2UXXX</BIC>
                      </FinInstnId>
                    </CdtrAgt>
            """
        let clearing = """
            <CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>USABA</Cd></ClrSysId>\
            <MmbId>026009593</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>
            """
        let text = try Self.dk([(agent1, clearing), (agent1, "")])

        let reading = BatchFileSupport.read(text)

        #expect(reading.isAccepted)
        let items = try #require(reading.file?.items)
        #expect(items[0].creditorAgentBIC == nil)
        #expect(items[0].creditorAgentClearingID == "026009593")
        #expect(items[0].creditorAgentClearingSystem == "USABA")
        #expect(items[1].creditorAgentBIC == nil && items[1].creditorAgentClearingID == nil)
    }

    @Test func aBadRoutingNumberAndAnAccountWithoutBankAreRefused() throws {
        let clearing = """
            <CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>USABA</Cd></ClrSysId>\
            <MmbId>026009594</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>
            """
        let agent = """
            <CdtrAgt>
                      <FinInstnId>
                        <BIC>SPUEDE2UXXX</BIC>
                      </FinInstnId>
                    </CdtrAgt>
            """
        let text = try Self.dk([
            (agent, clearing), (agent, ""),
            ("<IBAN>DE21500500001234567897</IBAN>", "<Othr><Id>1234567897</Id></Othr>"),
        ])

        let reading = BatchFileSupport.read(text)

        let lines = BatchFileSupport.lines(reading)
        #expect(lines.count == 2)
        #expect(
            lines.first?.hasPrefix(Self.item1 + "/CdtrAgt/FinInstnId/ClrSysMmbId/MmbId: ") == true)
        #expect(
            lines.last == Self.item2
                + ": the creditor's bank is missing: give CdtrAgt/FinInstnId with a BIC or a ClrSysMmbId/MmbId (only an IBAN lets the bank be found without one)"
        )
        #expect(reading.file?.items.last?.creditorAccount == "ACCT:1234567897")
    }

    @Test func everyBICIsCheckedWhereverItIs() throws {
        let text = try Self.dk([
            ("<BIC>BANKDEFFXXX</BIC>", "<BIC>BANKDEF</BIC>"),
            ("<BIC>SPUEDE2UXXX</BIC>", "<BIC>SPUEZZ2UXXX</BIC>"),
        ])

        let reading = BatchFileSupport.read(text)

        #expect(
            BatchFileSupport.lines(reading) == [
                Self.block1
                    + "/DbtrAgt/FinInstnId/BIC: BIC 'BANKDEF' is not well-formed: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 more (branch), in capitals, e.g. DEUTDEFFXXX",
                Self.item1
                    + "/CdtrAgt/FinInstnId/BIC: BIC SPUEZZ2UXXX: 'ZZ' is not an ISO 3166 country code",
            ])
        #expect(reading.problems.map(\.scope) == [.block(Self.block1), .item(Self.item1)])
    }

    @Test func anEquivalentAmountIsAFixedDebitDeliveredInItsTransferCurrency() throws {
        let text = try Self.dk([
            (
                "<InstdAmt Ccy=\"EUR\">6543.14</InstdAmt>",
                "<EqvtAmt><Amt Ccy=\"EUR\">6543.14</Amt><CcyOfTrf>USD</CcyOfTrf></EqvtAmt>"
            ),
            (
                "<ChrgBr>SLEV</ChrgBr>\n      <CdtTrfTxInf>",
                "<ChrgBr>DEBT</ChrgBr>\n      <CdtTrfTxInf>"
            ),
            (
                "<Amt>\n          <InstdAmt Ccy=\"EUR\">112.72",
                "<ChrgBr>CRED</ChrgBr><Amt><InstdAmt Ccy=\"EUR\">112.72"
            ),
        ])

        let reading = BatchFileSupport.read(text)

        #expect(reading.problems == [])
        let items = try #require(reading.file?.items)
        #expect(
            items[0].amount
                == .debit(Money(minorUnits: 654_314, currency: .eur), creditorCurrency: .usd))
        #expect(items[0].amount.deliveredCurrency == .usd)
        #expect(items[0].chargeBearer == .our, "the block's DEBT")
        #expect(items[1].chargeBearer == .ben, "the item's CRED overrides the block's")
    }

    @Test func anEquivalentAmountMustBeInTheDebtorAccountsCurrency() throws {
        let text = try Self.dk([
            (
                "<InstdAmt Ccy=\"EUR\">6543.14</InstdAmt>",
                "<EqvtAmt><Amt Ccy=\"CHF\">6543.14</Amt><CcyOfTrf>USD</CcyOfTrf></EqvtAmt>"
            ),
            ("</Id>\n      </DbtrAcct>", "</Id><Ccy>EUR</Ccy></DbtrAcct>"),
        ])

        #expect(
            BatchFileSupport.lines(BatchFileSupport.read(text)) == [
                Self.item1
                    + "/Amt/EqvtAmt/Amt: EqvtAmt is debited in CHF but the debtor account (DbtrAcct/Ccy) is in EUR"
            ])
    }

    @Test func problemsComeInDocumentOrderFromEveryCheck() throws {
        // Given mistakes in the block, in item 2 and in item 1, found by different passes.
        let text = try Self.dk([
            ("<IBAN>DE87200500001234567890</IBAN>", "<IBAN>DE88200500001234567890</IBAN>"),
            ("<ReqdExctnDt>2010-11-25</ReqdExctnDt>", "<ReqdExctnDt>2010-02-30</ReqdExctnDt>"),
            ("<ChrgBr>SLEV</ChrgBr>", "<ChrgBr>XXXX</ChrgBr>"),
            ("Ccy=\"EUR\">112.72", "Ccy=\"EUR\">112.7x"),
            ("<IBAN>DE21500500009876543210</IBAN>", "<IBAN>DE2150050000987654321</IBAN>"),
        ])

        let reading = BatchFileSupport.read(text)

        #expect(
            reading.problems.map(\.location) == [
                Self.block1 + "/ReqdExctnDt",
                Self.block1 + "/DbtrAcct/Id/IBAN",
                Self.block1 + "/ChrgBr",
                Self.item1 + "/CdtrAcct/Id/IBAN",
                Self.item2 + "/Amt/InstdAmt",
            ])
        #expect(
            reading.problems[0].message
                == "'2010-02-30' is not a date: expected YYYY-MM-DD, e.g. 2024-01-02")
        #expect(
            reading.problems[3].message
                == "IBAN DE2150050000987654321 has 21 characters; expected 22 for DE")
    }

    @Test func filesThatAreNotPain001AreRefusedWithoutAModel() throws {
        let camt = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>
            """
        let reading = BatchFileSupport.read(camt)
        #expect(reading.file == nil)
        #expect(reading.problems.map(\.location) == ["/Document"])
        #expect(
            reading.problems.first?.message.hasPrefix(
                "not a pain.001 file this reader knows: the root is <Document> in namespace 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'"
            ) == true)

        let truncated = try Self.dk().prefix(900)
        let cut = BatchFileSupport.read(String(truncated), file: "cut.xml")
        #expect(cut.file == nil)
        #expect(cut.problems.first?.location.hasPrefix("cut.xml:") == true)

        let mismatched = BatchFileSupport.read(
            try Self.dk([("</Dbtr>", "</Dbtrx>")]), file: "bad.xml")
        #expect(
            BatchFileSupport.lines(mismatched) == [
                "bad.xml:27:15: the XML is not well-formed: an end tag does not match its start tag"
            ])

        let text = BatchFileSupport.read("hello,world\n1,2\n", file: "x.csv")
        #expect(
            BatchFileSupport.lines(text) == [
                "x.csv:1:1: neither a pain.001 XML file nor a payout CSV: a CSV's first line must be "
                    + PayoutCSV.header.joined(separator: ",")
            ])
    }
}
