import CLibXML2
import Foundation

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

    /// Parses `bytes` with libxml2's streaming reader (`XML_PARSE_HUGE`: FoundationXML's push
    /// parser refuses any document past 10 MB, a pain.001 of some 25,000 payments; `NONET`: no
    /// external fetches; entities are not expanded). A malformed document is a `FileError` at the
    /// line and column libxml2 reported, explained from its error code.
    static func parse(_ bytes: [UInt8], file: String) throws(FileError) -> XMLTree {
        let collector = ErrorCollector()
        let options = Int32(XML_PARSE_HUGE.rawValue | XML_PARSE_NONET.rawValue)
        let built: (root: Element?, open: Int) = bytes.withUnsafeBufferPointer { buffer in
            guard
                let reader = buffer.baseAddress.flatMap({ base in
                    base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        xmlReaderForMemory($0, Int32(buffer.count), file, nil, options)
                    }
                })
            else { return (nil, 0) }
            defer { xmlFreeTextReader(reader) }
            xmlTextReaderSetStructuredErrorHandler(
                reader,
                { context, error in
                    guard let context, let error else { return }
                    Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue().record(
                        error)
                }, Unmanaged.passUnretained(collector).toOpaque())
            return build(reader)
        }
        guard collector.first == nil, let root = built.root, built.open == 0 else {
            let place = collector.first
            let message =
                place.map { Self.reason(code: $0.code) }
                ?? "the XML ends inside an element: the file looks truncated"
            throw FileError(
                file: file, line: max(1, place?.line ?? 1), column: place?.column, message)
        }
        return XMLTree(root: withPaths(root, path: "/" + root.name))
    }

    /// Reads the whole document into elements: start and end tags, text, CDATA and white space.
    private static func build(_ reader: xmlTextReaderPtr) -> (root: Element?, open: Int) {
        var stack: [Element] = []
        var root: Element?
        var order = 0
        func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
            pointer.map { String(cString: $0) }
        }
        func close() {
            guard let done = stack.popLast() else { return }
            if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
        }
        while xmlTextReaderRead(reader) == 1 {
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let name = string(xmlTextReaderConstLocalName(reader)) ?? ""
                let namespace = string(xmlTextReaderConstNamespaceUri(reader)).flatMap {
                    $0.isEmpty ? nil : $0
                }
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                var attributes: [String: String] = [:]
                while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                    if xmlTextReaderIsNamespaceDecl(reader) == 1 { continue }
                    if let key = string(xmlTextReaderConstLocalName(reader)) {
                        attributes[key] = string(xmlTextReaderConstValue(reader)) ?? ""
                    }
                }
                stack.append(
                    Element(
                        name: name, namespace: namespace, attributes: attributes, rawText: "",
                        children: [], order: order))
                order += 1
                if empty { close() }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                close()
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                Int32(XML_READER_TYPE_WHITESPACE.rawValue),
                Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                if !stack.isEmpty, let text = string(xmlTextReaderConstValue(reader)) {
                    stack[stack.count - 1].rawText += text
                }
            default:
                break
            }
        }
        return (root, stack.count)
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

    /// What libxml2's error code (`xmlParserErrors`) means, in words.
    static func reason(code: Int) -> String {
        let meaning: String
        switch code {
        case 4: meaning = "the document is empty"
        case 5: meaning = "the document ends too early"
        case 9: meaning = "a character is not allowed in XML"
        case 26: meaning = "an entity such as &name; is not declared"
        case 31, 32: meaning = "the declared encoding is not supported: pain.001 is UTF-8"
        case 42: meaning = "an element has the same attribute twice"
        case 76: meaning = "an end tag does not match its start tag"
        case 77: meaning = "the document ends inside an element: the file looks truncated"
        default: meaning = "libxml2 error \(code)"
        }
        return "the XML is not well-formed: \(meaning)"
    }
}

/// The first error libxml2 reports, with its place.
private final class ErrorCollector {
    var first: (code: Int, line: Int, column: Int?)?

    func record(_ error: UnsafeMutablePointer<xmlError>) {
        guard first == nil else { return }
        let column = Int(error.pointee.int2)
        first = (Int(error.pointee.code), Int(error.pointee.line), column > 0 ? column : nil)
    }
}
