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
                : parser.parserError.map {
                    "the XML is not well-formed: \($0.localizedDescription)"
                }
                    ?? "the XML is not well-formed"
            throw FileError(
                file: file, line: max(1, parser.lineNumber),
                column: ok ? nil : parser.columnNumber, reason)
        }
        return XMLTree(root: root)
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
