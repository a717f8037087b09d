import Foundation
import FundflowCore
import FundflowFormats

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Builders for pain.002 reports, and the representative reports the XSD check validates
/// (`scripts/check_pain002.py --from-tests`).
enum Pain002Support {
    static let root = "/Document/CstmrPmtStsRpt"
    static let block = root + "/OrgnlPmtInfAndSts"
    static let transaction = block + "/TxInfAndSts"

    static func currency(_ code: String) -> Currency {
        guard let currency = Currency.lookup(code) else { preconditionFailure("no \(code)") }
        return currency
    }

    static func money(_ minorUnits: Int64, _ code: String = "EUR") -> Money {
        Money(minorUnits: minorUnits, currency: currency(code))
    }

    static func item(
        _ endToEndID: String, _ status: PaymentStatus, _ minorUnits: Int64,
        _ code: String = "EUR", reason: String? = nil, text: String? = nil,
        instructionID: String? = nil, uetr: String? = nil
    ) -> Pain002Report.Item {
        Pain002Report.Item(
            instructionID: instructionID, endToEndID: endToEndID, status: status, reason: reason,
            reasonText: text, amount: money(minorUnits, code), uetr: uetr)
    }

    static func report(
        _ blocks: [Pain002Report.Block], messageID: String = "FF-STS-1",
        originalMessageID: String = "MSG-2026-11-29-001", party: String? = nil
    ) -> Pain002Report {
        Pain002Report(
            messageID: messageID, creationDateTime: "2026-11-29T13:45:00",
            initiatingParty: party, originalMessageID: originalMessageID,
            originalMessageName: "pain.001.001.03", blocks: blocks)
    }

    /// One block, `PMT-1`, holding `items`.
    static func report(
        _ items: [Pain002Report.Item], messageID: String = "FF-STS-1",
        originalMessageID: String = "MSG-2026-11-29-001"
    ) -> Pain002Report {
        report(
            [Pain002Report.Block(id: "PMT-1", items: items)], messageID: messageID,
            originalMessageID: originalMessageID)
    }

    static func read(_ report: Pain002Report) throws -> XMLElements {
        try XMLElements.read(try Pain002Writer.xml(report))
    }

    /// All credited; a mix with a reject (AC01), a return (AC04) and payments under way; all
    /// pending; several blocks (one empty); JPY and KWD; text that needs escaping.
    static let representative: [(name: String, report: Pain002Report)] = [
        (
            "all-credited",
            report([
                item(
                    "E2E-1", .acsc, 123_456, instructionID: "INSTR-1",
                    uetr: "8a562c67-ca16-48ba-b074-65581be6f011"),
                item("E2E-2", .acsc, 1, uetr: "e3c1f2a4-5b6d-4e7f-8a9b-0c1d2e3f4a5b"),
                item("E2E-3", .acsc, 99_999_999),
            ])
        ),
        (
            "mixed-reject-and-return",
            report([
                item("E2E-OK", .acsc, 50_000),
                item("E2E-BAD", .rjct, 20_000, reason: "AC01", text: "IBAN check digits wrong"),
                item(
                    "E2E-RETURNED", .rjct, 7_500, reason: "AC04",
                    text: "returned by the beneficiary bank: the account is closed"),
                item("E2E-SENT", .acsp, 30_000, "USD"),
            ])
        ),
        (
            "pending",
            report([item("E2E-P1", .pdng, 10_000), item("E2E-P2", .pdng, 25_050, "GBP")])
        ),
        (
            "several-blocks",
            report([
                Pain002Report.Block(
                    id: "BLOCK-A",
                    items: [item("A-1", .accp, 100), item("A-2", .accp, 200)]),
                Pain002Report.Block(id: "BLOCK-EMPTY", items: []),
                Pain002Report.Block(
                    id: "BLOCK-C",
                    items: [
                        item("C-1", .pdng, 300), item("C-2", .rjct, 400, reason: "AM04"),
                        item("C-3", .acsc, 500),
                    ]),
            ])
        ),
        (
            "jpy-and-kwd",
            report([
                item("JPY-1", .acsc, 1_200_000, "JPY"), item("KWD-1", .acsc, 1_005, "KWD"),
                item("KWD-2", .rjct, 5, "KWD", reason: "AM05"), item("EUR-1", .acsc, 50),
            ])
        ),
        (
            "escaping",
            report(
                [
                    Pain002Report.Block(
                        id: "Q&A <1>",
                        items: [
                            item(
                                "\"quoted\" & 'single'", .rjct, 4_200, reason: "BE01",
                                text: String(
                                    repeating: "Name <Müller & Söhne> ≠ \"Mueller\"; ", count: 8),
                                instructionID: "a<b>c"),
                            item("Zürich, 100 %", .acsc, 1),
                        ])
                ], party: "Smith & Jones <Treasury> \"SJ\" 'Ltd'"
            )
        ),
    ]
}

/// The elements of a written document, read back with Foundation's XML parser (none of the
/// writer's code): each element's path without indices, its text and attributes, in document
/// order.
final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        let path: String
        var text: String
        let attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    private(set) var rootNamespace: String?
    private var open: [Int] = []

    static func read(_ xml: String) throws -> XMLElements {
        let elements = XMLElements()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = elements
        guard parser.parse() else {
            throw parser.parserError ?? CocoaError(.fileReadCorruptFile)
        }
        return elements
    }

    /// The texts of the elements at `path` (`/Document/CstmrPmtStsRpt/GrpHdr/MsgId`), in order.
    func values(_ path: String) -> [String] {
        elements.filter { $0.path == path }.map(\.text)
    }

    /// The names of the children of the first element at `path`, in order.
    func children(_ path: String) -> [String] {
        guard let parent = elements.firstIndex(where: { $0.path == path }) else { return [] }
        let prefix = path + "/"
        var names: [String] = []
        for element in elements[(parent + 1)...] {
            guard element.path.hasPrefix(prefix) else { break }
            let rest = element.path.dropFirst(prefix.count)
            if !rest.contains("/") { names.append(String(rest)) }
        }
        return names
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        if open.isEmpty { rootNamespace = namespaceURI }
        let parent = open.last.map { elements[$0].path } ?? ""
        elements.append(
            Element(path: parent + "/" + elementName, text: "", attributes: attributeDict))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        open.removeLast()
    }
}
