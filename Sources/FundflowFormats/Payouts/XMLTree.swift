import CLibXML2
import Foundation

/// An XML document read into a tree of elements with their document order, so a pain.001 file
/// can be checked in several passes and every problem pointed at by its element path. Batches
/// are bounded by `BatchFiles.maximumBytes`, so the tree fits in memory.
/// Where a document comes from: memory (tests, small files) or a file read as it is parsed.
enum XMLSource {
    case bytes([UInt8])
    case file(String)
}

/// What a streamed pain.001 hands over as it is read.
protocol PaymentStream: AnyObject {
    /// The root element started; false stops reading (not a document this reader knows).
    func documentStarted(_ name: String, _ namespace: String?) -> Bool
    /// A `PmtInf`'s header is complete (its children before the first `CdtTrfTxInf`), with the
    /// `CstmrCdtTrfInitn` read so far (its `GrpHdr`).
    func blockStarted(_ block: XMLTree.Element, initiation: XMLTree.Element)
    /// One `CdtTrfTxInf`, complete, with its paths.
    func transaction(_ element: XMLTree.Element)
    /// The `PmtInf` ended (without its transactions, which were handed over).
    func blockEnded(_ block: XMLTree.Element, transactions: Int)
}

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
        var text: String { XMLTree.collapsedEnds(rawText) }
    }

    /// The text without the white space XML allows around it (space, tab, CR, LF), without
    /// Foundation's trimming: every value of a 100,000-payment file passes through here.
    static func collapsedEnds(_ text: String) -> String {
        let isSpace = { (byte: UInt8) in
            byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
        }
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return text }
        if !isSpace(first) && !isSpace(last) { return text }
        // Sliced by Unicode scalars: exact, where slicing the String would round to characters
        // (a combining mark after a leading space belongs to the space's character).
        let scalars = text.unicodeScalars
        let isSpaceScalar = { (scalar: Unicode.Scalar) in
            scalar.isASCII && isSpace(UInt8(scalar.value))
        }
        guard let start = scalars.firstIndex(where: { !isSpaceScalar($0) }),
            let end = scalars.lastIndex(where: { !isSpaceScalar($0) })
        else { return "" }
        return String(scalars[start...end])
    }

    let root: Element

    /// Parses `bytes` into a whole tree (small documents and tests).
    static func parse(_ bytes: [UInt8], file: String) throws(FileError) -> XMLTree {
        try stream(.bytes(bytes), file: file, into: nil)
    }

    /// Reads a document with libxml2's streaming reader (`XML_PARSE_HUGE`: FoundationXML's push
    /// parser refuses any document past 10 MB, a pain.001 of some 25,000 payments; `NONET`: no
    /// external fetches; entities are not expanded; always UTF-8, as pain.001 is). With a
    /// `handler`, every `CdtTrfTxInf` of a `PmtInf` is handed over as soon as it is complete and
    /// not kept, so memory does not grow with the number of payments; the tree returned holds
    /// everything else. A malformed document is a `FileError` at the line and column libxml2
    /// reported, explained from its error code.
    static func stream(
        _ source: XMLSource, file: String, into handler: (any PaymentStream)?
    ) throws(FileError) -> XMLTree {
        let collector = ErrorCollector()
        let options = Int32(
            XML_PARSE_HUGE.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue)
        var builder = Builder(handler: handler)
        let opened: Bool
        switch source {
        case .bytes(let bytes):
            opened = bytes.withUnsafeBufferPointer { buffer in
                guard
                    let reader = buffer.baseAddress.flatMap({ base in
                        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                            xmlReaderForMemory($0, Int32(buffer.count), file, "UTF-8", options)
                        }
                    })
                else { return false }
                builder.run(reader, collector)
                return true
            }
        case .file(let path):
            guard let reader = xmlReaderForFile(path, "UTF-8", options) else {
                throw FileError(file: file, line: 1, "the file cannot be opened")
            }
            builder.run(reader, collector)
            opened = true
        }
        guard opened, collector.first == nil, let root = builder.root, builder.stack.isEmpty
        else {
            let place = collector.first
            let message =
                place.map { Self.reason(code: $0.code) }
                ?? (builder.stopped
                    ? "the document was not read to its end"
                    : "the XML ends inside an element: the file looks truncated")
            throw FileError(
                file: file, line: max(1, place?.line ?? 1), column: place?.column, message)
        }
        return XMLTree(root: withPaths(root, path: "/" + root.name))
    }

    /// Builds elements from the reader's nodes; with a handler, hands payments over one by one.
    private struct Builder {
        let handler: (any PaymentStream)?
        var stack: [Element] = []
        var root: Element?
        var order = 0
        var stopped = false
        /// Per block: its 1-based index, how many transactions it had, whether it was announced.
        var blocks = 0
        var transactions = 0
        var announced = false

        static let blockParents = ["Document", "CstmrCdtTrfInitn", "PmtInf"]

        var blockPath: String { "/Document/CstmrCdtTrfInitn/PmtInf[\(blocks)]" }

        /// Inside `Document/CstmrCdtTrfInitn/PmtInf`, the only place payments are.
        var inBlock: Bool { handler != nil && stackIs(Self.blockParents) }

        /// Whether the open elements are exactly these names (no array built: every element's
        /// close asks).
        func stackIs(_ names: [String]) -> Bool {
            guard stack.count == names.count else { return false }
            for (element, name) in zip(stack, names) where element.name != name { return false }
            return true
        }

        mutating func run(_ reader: xmlTextReaderPtr, _ collector: ErrorCollector) {
            defer { xmlFreeTextReader(reader) }
            xmlTextReaderSetStructuredErrorHandler(
                reader,
                { context, error in
                    guard let context, let error else { return }
                    Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue().record(
                        error)
                }, Unmanaged.passUnretained(collector).toOpaque())
            while !stopped, xmlTextReaderRead(reader) == 1 { node(reader) }
        }

        private func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
            pointer.map { String(cString: $0) }
        }

        mutating func node(_ reader: xmlTextReaderPtr) {
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
                if stack.isEmpty, let handler, !handler.documentStarted(name, namespace) {
                    stopped = true
                    root = Element(
                        name: name, namespace: namespace, attributes: attributes, rawText: "",
                        children: [], order: order)
                    return
                }
                if handler != nil, name == "PmtInf",
                    stackIs(["Document", "CstmrCdtTrfInitn"])
                {
                    blocks += 1
                    transactions = 0
                    announced = false
                }
                if inBlock, name == "CdtTrfTxInf" { announceBlock() }
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

        /// The block's header is complete once its first payment starts (the schema puts every
        /// header element first).
        mutating func announceBlock() {
            guard !announced, let handler, stack.count == 3 else { return }
            announced = true
            handler.blockStarted(
                withPaths(stack[2], path: blockPath),
                initiation: withPaths(stack[1], path: "/Document/CstmrCdtTrfInitn"))
        }

        mutating func close() {
            guard let done = stack.popLast() else { return }
            if handler != nil, done.name == "CdtTrfTxInf", stackIs(Self.blockParents) {
                transactions += 1
                handler?.transaction(
                    withPaths(done, path: blockPath + "/CdtTrfTxInf[\(transactions)]"))
                return
            }
            if handler != nil, done.name == "PmtInf",
                stackIs(["Document", "CstmrCdtTrfInitn"])
            {
                stack.append(done)
                announceBlock()
                stack.removeLast()
                handler?.blockEnded(withPaths(done, path: blockPath), transactions: transactions)
            }
            if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
        }
    }

    /// Elements that always carry their 1-based index in a path (`PmtInf[1]`, `CdtTrfTxInf[1]`),
    /// so a path names the same block whether or not the file has several; any other element
    /// carries one only when its parent has several of that name (`AdrLine[2]`). Compared
    /// directly, not hashed into a set: every element of a file is asked.
    static func alwaysIndexed(_ name: String) -> Bool { name == "CdtTrfTxInf" || name == "PmtInf" }

    /// The element and its descendants with their paths, computed once (the reader asks for
    /// children many times).
    private static func withPaths(_ element: Element, path: String) -> Element {
        var result = element
        result.path = path
        // Children are few: counted by scanning them, not with dictionaries; each path is one
        // string built in place (every element of a 100,000-payment file gets one).
        let children = element.children
        result.children = children.indices.map { index in
            let child = children[index]
            var seen = 0
            var total = 0
            for (other, sibling) in children.enumerated() where sibling.name == child.name {
                total += 1
                if other <= index { seen += 1 }
            }
            let indexed = total > 1 || alwaysIndexed(child.name)
            var childPath = path
            childPath.reserveCapacity(path.utf8.count + child.name.utf8.count + 8)
            childPath += "/"
            childPath += child.name
            if indexed {
                childPath += "["
                childPath += String(seen)
                childPath += "]"
            }
            return withPaths(child, path: childPath)
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
