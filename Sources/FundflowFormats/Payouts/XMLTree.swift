import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML document read into a tree of elements with their document order, so a pain.001 file
/// can be checked in several passes and every problem pointed at by its element path. Batches
/// are bounded by `BatchFiles.maximumBytes`, so the tree fits in memory.
struct XMLTree {
    struct Element {
        let name: String
        let namespace: String?
        let attributes: [String: String]
        /// Character data directly inside the element, untrimmed.
        var rawText: String
        var children: [Element]
        /// Position in the document (0 for the root), the key problems are sorted by.
        let order: Int
        /// `/Document/CstmrCdtTrfInitn/PmtInf[1]`, set once the whole tree is read.
        var path = ""

        /// The text with surrounding white space removed (schemas collapse it; files indent it).
        var text: String { rawText.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    let root: Element

    /// Parses `bytes`; a malformed document is a `FileError` at the line and column the parser
    /// stopped at.
    static func parse(_ bytes: [UInt8], file: String) throws(FileError) -> XMLTree {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let ok = parser.parse()
        guard ok, let root = builder.root, builder.stack.isEmpty else {
            let reason =
                ok
                ? "the XML ends inside an element: the file looks truncated"
                : reason(parser.parserError)
            let place = builder.errorPlace
            throw FileError(
                file: file, line: max(1, place?.line ?? parser.lineNumber),
                column: ok ? nil : place?.column ?? parser.columnNumber, reason)
        }
        return XMLTree(root: withPaths(root, path: "/" + root.name))
    }

    /// Elements that always carry their 1-based index in a path, so a path names the same block
    /// whether or not the file has several; any other element carries one only when its parent
    /// has several of that name (`AdrLine[2]`).
    static let alwaysIndexed: Set<String> = ["PmtInf", "CdtTrfTxInf"]

    /// The element and its descendants with their paths, computed once (the reader asks for
    /// children many times).
    private static func withPaths(_ element: Element, path: String) -> Element {
        var result = element
        result.path = path
        var counts: [String: Int] = [:]
        for child in element.children { counts[child.name, default: 0] += 1 }
        var seen: [String: Int] = [:]
        result.children = element.children.map { child in
            seen[child.name, default: 0] += 1
            let indexed = (counts[child.name] ?? 0) > 1 || alwaysIndexed.contains(child.name)
            let suffix = indexed ? "[\(seen[child.name] ?? 1)]" : ""
            return withPaths(child, path: path + "/" + child.name + suffix)
        }
        return result
    }

    /// What libxml2's error code (`xmlParserErrors`, which FoundationXML passes on as the
    /// NSError code, with no message) means, in words.
    static func reason(_ error: (any Error)?) -> String {
        guard let code = (error as? NSError)?.code else { return "the XML is not well-formed" }
        let meaning: String
        switch code {
        case 4: meaning = "the document is empty"
        case 5: meaning = "the document ends too early"
        case 9: meaning = "a character is not allowed in XML"
        case 26: meaning = "an entity such as &name; is not declared"
        case 31, 32: meaning = "the declared encoding is not supported: pain.001 is UTF-8"
        case 42: meaning = "an element has the same attribute twice"
        case 76: meaning = "an end tag does not match its start tag"
        default: meaning = "libxml2 error \(code)"
        }
        return "the XML is not well-formed: \(meaning)"
    }
}

/// Builds the tree from the parser's events.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLTree.Element] = []
    var root: XMLTree.Element?
    private var order = 0

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        let namespace = namespaceURI.flatMap { $0.isEmpty ? nil : $0 } ?? attributes["xmlns"]
        stack.append(
            XMLTree.Element(
                name: elementName, namespace: namespace, attributes: attributes, rawText: "",
                children: [], order: order))
        order += 1
    }

    /// Where libxml2 found the first error: `parser.lineNumber` after `parse()` returns is the
    /// end of the buffer, not the place of the mistake.
    var errorPlace: (line: Int, column: Int)?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if errorPlace == nil { errorPlace = (parser.lineNumber, parser.columnNumber) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].rawText += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].rawText += String(decoding: block, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        guard let done = stack.popLast() else { return }
        if stack.isEmpty {
            root = done
        } else {
            stack[stack.count - 1].children.append(done)
        }
    }
}
