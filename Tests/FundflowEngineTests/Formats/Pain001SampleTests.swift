import FundflowCore
import FundflowFormats
import Testing

/// The real pain.001 samples in ../shared/data/iso20022/pain001, read in place, with the outcome
/// their content calls for (SOURCES.md lists their quirks).
@Suite struct Pain001SampleTests {
    static let initiation = "/Document/CstmrCdtTrfInitn"
    static let block1 = initiation + "/PmtInf[1]"

    @Test func theDKExampleHasTwoEuroItemsMatchingItsBlockControlSum() throws {
        // Given the German DK example: one block, two SEPA payments, a block CtrlSum only.
        let reading = try BatchFileSupport.readSample("pain.001.001.03_dk-example_sepa-king.xml")

        // Then it is accepted as written.
        #expect(reading.problems == [])
        let file = try #require(reading.file)
        #expect(file.format == .pain001v03)
        #expect(file.messageID == "Message-ID-4711")
        #expect(file.numberOfTransactions == 2)
        #expect(file.controlSum == nil, "the GrpHdr has no CtrlSum")
        let block = try #require(file.blocks.first)
        #expect(file.blocks.count == 1)
        #expect(block.id == "Payment-Information-ID-4711")
        #expect(block.controlSum == "6655.86")
        #expect(block.debtorIBAN == "DE87200500001234567890")
        #expect(block.debtorBIC == "BANKDEFFXXX")
        #expect(block.executionDate == "2010-11-25")
        #expect(BatchFileSupport.amounts(reading) == ["6543.14 EUR", "112.72 EUR"])
        #expect(block.items.map(\.endToEndID) == ["OriginatorID1234", "OriginatorID1235"])
        #expect(
            block.items.map(\.creditorAccount) == [
                "IBAN:DE21500500009876543210", "IBAN:DE21500500001234567897",
            ])
        #expect(block.items.allSatisfy { $0.creditorAgentBIC == "SPUEDE2UXXX" })
        #expect(block.items.allSatisfy { $0.chargeBearer == .sha }, "SLEV reads as SHA")
        #expect(block.items[1].path == Self.block1 + "/CdtTrfTxInf[2]")
        #expect(reading.acceptableItems == block.items)
    }

    @Test func theSixSampleHasTwoBlocksAndMixedCurrencies() throws {
        // Given the Swiss SPS example: its own namespace, CRLF, two blocks, CHF and EUR.
        let reading = try BatchFileSupport.readSample(
            "pain.001.001.03.ch.02_six-example_sepa-king.xml")

        // Then the GrpHdr CtrlSum 15850.00, which adds CHF and EUR, is accepted.
        #expect(reading.problems == [])
        let file = try #require(reading.file)
        #expect(file.format == .pain001v03)
        #expect(
            file.namespace == "http://www.six-interbank-clearing.com/de/pain.001.001.03.ch.02.xsd")
        #expect(file.controlSum == "15850.00")
        #expect(file.blocks.map(\.id) == ["PMTINF-01", "PMTINF-02"])
        #expect(file.blocks.map(\.items.count) == [1, 2])
        #expect(file.blocks.map(\.executionDate) == ["2010-02-22", "2010-02-18"])
        #expect(BatchFileSupport.amounts(reading) == ["3949.75 CHF", "8479.25 CHF", "3421.00 EUR"])

        // The ESR payment (CH01) has no creditor name and pays a postal account at PostFinance.
        let items = file.items
        #expect(items[0].creditorName == nil)
        #expect(items[0].creditorAccount == "ACCT:01-39139-1")
        #expect(items[0].creditorAgentBIC == "POFICHBEXXX")
        #expect(items[0].creditorReference == "210000000003139471430009017")
        // The red payment slip (CH02) likewise, with a structured address.
        #expect(items[1].creditorName == "Robert Scheider SA")
        #expect(items[1].creditorAgentBIC == "POFICHBEXXX")
        #expect(items[1].creditorCountry == "CH")
        #expect(items[1].address.line == "Rue de la gare 24, 2501 Biel")
        #expect(items[1].remittance == "Rechnung Nr. 408")
        // The SEPA payment: an IBAN, a BIC, an RF reference, an unstructured address.
        #expect(items[2].creditorAccount == "IBAN:DE62007620110623852957")
        #expect(items[2].creditorAgentBIC == "DEUTDEFF")
        #expect(items[2].creditorReference == "RF712348231")
        #expect(items[2].address.street == "Rosenauweg 4, DE-80036 München")
    }

    @Test func theABNAmroSampleIsRefusedForItsPlaceholderIBANs() throws {
        let reading = try BatchFileSupport.readSample(
            "pain.001.001.03_abn-amro-voorbeeldbestand.xml")

        #expect(
            BatchFileSupport.lines(reading) == [
                Self.block1
                    + "/DbtrAcct/Id/IBAN: IBAN NL10ABNA1234567890: the check digits are wrong (a typing error?)",
                Self.block1
                    + "/CdtTrfTxInf[1]/CdtrAcct/Id/IBAN: IBAN NL91RABO1234567890: the check digits are wrong (a typing error?)",
            ])
        // Everything else was read: the EndToEndId with a space and a colon is acceptable.
        let item = try #require(reading.file?.items.first)
        #expect(item.endToEndID == "Onze referentie: 123456")
        #expect(BatchFileSupport.amounts(reading) == ["386.00 EUR"])
        #expect(reading.acceptableItems == [])
        guard case .failure(let refused) = reading.result else {
            Issue.record("the ABN AMRO sample must be refused")
            return
        }
        #expect(
            refused.description.hasPrefix(
                "pain.001.001.03_abn-amro-voorbeeldbestand.xml has 2 problems:"))
    }

    @Test func theINGSampleReadsDespiteItsUTF8DeclarationAndIsRefusedForItsIBANs() throws {
        let reading = try BatchFileSupport.readSample("pain.001.001.03_ing-voorbeeldbestand.xml")

        #expect(
            BatchFileSupport.lines(reading) == [
                Self.block1
                    + "/DbtrAcct/Id/IBAN: IBAN NL00INGB0000000001: the check digits are wrong (a typing error?)",
                Self.block1
                    + "/CdtTrfTxInf[1]/CdtrAcct/Id/IBAN: IBAN NL00INGB0000000002: the check digits are wrong (a typing error?)",
            ])
        #expect(reading.file?.messageID == "MSGID005")
        #expect(BatchFileSupport.amounts(reading) == ["1.01 EUR"])
    }

    @Test func thePhpSepaXmlSampleIsReadWithItsDebtorIBANProblemOnTheBlock() throws {
        // Given the pain.001.001.09 fixture whose debtor IBAN is a placeholder.
        let reading = try BatchFileSupport.readSample("pain.001.001.09_php-sepa-xml.xml")

        // Then the debtor IBAN is the only problem (it fails the Bulgarian BBAN format even
        // before its check digits), and it holds back the block's item…
        #expect(
            BatchFileSupport.lines(reading) == [
                Self.block1
                    + "/DbtrAcct/Id/IBAN: IBAN BG87200500001234567890 does not have the format BGnn + 4 capital letters, 4 digits, 2 digits, 8 letters or digits"
            ])
        #expect(reading.problems.map(\.scope) == [.block(Self.block1)])
        #expect(reading.acceptableItems == [])

        // …which is nevertheless read completely, .09 forms included.
        let file = try #require(reading.file)
        #expect(file.format == .pain001v09)
        let block = try #require(file.blocks.first)
        #expect(block.executionDate == "2025-08-19", "<ReqdExctnDt><Dt>")
        #expect(block.debtorBIC == "BANKBGFFXXX", "BICFI")
        #expect(block.debtorAccountCurrency == "EUR")
        let item = try #require(block.items.first)
        #expect(reading.problems(of: item) == reading.problems)
        #expect(item.amount == .send(Money(minorUnits: 1234, currency: .eur)))
        #expect(item.uetr == "235d1eb5-8dd7-4c1a-8ece-559df8c67da1")
        #expect(item.creditorAgentBIC == "BANKDEFFXXX")
        #expect(item.creditorAccount == "IBAN:DE87200500001234567890")
        #expect(item.creditorName == "John Doe")
        #expect(item.creditorCountry == "BG")
        #expect(item.address.line == "Some Street 12, 1000 Nowhere")
        #expect(item.creditorReference == "CdtrRefInf-Ref")
    }
}
