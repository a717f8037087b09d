/// Reads payout batch files: ISO 20022 pain.001.001.03 and .09 (with the Swiss SPS variants of
/// .03) and the payout CSV (`PayoutCSV`), recognised from the content. Parsing and checking only:
/// nothing is stored or paid here.
///
/// Every problem is reported, in document order, at its element path or `FILE:LINE:COLUMN`,
/// together with the file as far as it could be read, so the engine can refuse the file or take
/// only its good items (`BatchReading.acceptableItems`).
public enum BatchFiles {
    /// Larger files are refused before parsing: 64 MiB holds some 40,000 pain.001 transactions,
    /// far beyond a day's payouts, and bounds the memory a file can take.
    public static let maximumBytes = 64 << 20

    public static func read(_ bytes: [UInt8], file: String) -> BatchReading {
        guard bytes.count <= maximumBytes else {
            return refused(
                file,
                "the file has \(bytes.count) bytes: at most \(maximumBytes) are read; split the batch"
            )
        }
        var content = bytes[...]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
        let first = content.first { !Self.isWhitespace($0) }
        if first == UInt8(ascii: "<") {
            return readXML(Self.normalizingDeclaration(Array(content)), file: file)
        }
        return readCSV(Array(content), messageID: "CSV-" + FNV1a.hex64(bytes), file: file)
    }

    static func refused(_ location: String, _ message: String) -> BatchReading {
        BatchReading(
            file: nil, problems: [BatchProblem(location: location, message: message, scope: .file)],
            fileName: location)
    }

    private static func readXML(_ bytes: [UInt8], file: String) -> BatchReading {
        let tree: XMLTree
        do {
            tree = try XMLTree.parse(bytes, file: file)
        } catch {
            return BatchReading(
                file: nil,
                problems: [
                    BatchProblem(
                        location: location(error), message: error.message, scope: .file)
                ], fileName: file)
        }
        let root = tree.root
        guard root.name == "Document", let namespace = root.namespace,
            let format = BatchFileFormat.of(namespace: namespace)
        else {
            let accepted = BatchFileFormat.namespacesAccepted.joined(separator: ", ")
            return BatchReading(
                file: nil,
                problems: [
                    BatchProblem(
                        location: "/" + root.name,
                        message:
                            "not a pain.001 file this reader knows: the root is <\(root.name)> in namespace '\(root.namespace ?? "none")'; expected <Document> in one of \(accepted)",
                        scope: .file)
                ], fileName: file)
        }
        var reader = Pain001Reader(format: format, namespace: namespace)
        let batch = reader.read(XMLNodePath(root))
        return BatchReading(file: batch, problems: reader.problems.sorted(), fileName: file)
    }

    private static func readCSV(_ bytes: [UInt8], messageID: String, file: String) -> BatchReading {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return refused(
                "\(file):1", "the file is neither XML nor UTF-8 text: save the CSV as UTF-8")
        }
        var errors: [FileError] = []
        let rows = CSVRows(text, file: file, problems: &errors)
        guard rows.header == PayoutCSV.header else {
            return BatchReading(
                file: nil,
                problems: [
                    BatchProblem(
                        location: "\(file):1:1",
                        message:
                            "neither a pain.001 XML file nor a payout CSV: a CSV's first line must be \(PayoutCSV.header.joined(separator: ","))",
                        scope: .file)
                ], fileName: file)
        }
        let (batch, found) = PayoutCSV.read(rows, file: file, messageID: messageID)
        var problems = found
        for error in errors {
            problems.add(
                location(error), error.message,
                scope: .item("\(error.file):\(error.line)"),
                key: error.line * PayoutCSV.Reader.lineKey + (error.column ?? 0))
        }
        return BatchReading(file: batch, problems: problems.sorted(), fileName: file)
    }

    /// `FILE:LINE[:COLUMN]` of a `FileError`.
    static func location(_ error: FileError) -> String {
        error.column.map { "\(error.file):\(error.line):\($0)" } ?? "\(error.file):\(error.line)"
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// `encoding="UTF8"` (the ING sample's spelling; the IANA name is `UTF-8`) becomes
    /// `encoding="UTF-8"`; any other declaration is left alone. FoundationXML's libxml2 accepts
    /// the alias today, but whether it does depends on its encoding tables, and pain.001 is
    /// always UTF-8, so the reading should not depend on them.
    static func normalizingDeclaration(_ bytes: [UInt8]) -> [UInt8] {
        let declarationEnd = 200
        guard bytes.starts(with: Array("<?xml".utf8)),
            let close = bytes.prefix(declarationEnd).firstIndex(of: UInt8(ascii: ">"))
        else { return bytes }
        let declaration = String(decoding: bytes[..<close], as: UTF8.self)
        for quote in ["\"", "'"] {
            for spelling in ["UTF8", "utf8", "Utf8"] {
                let written = "encoding=\(quote)\(spelling)\(quote)"
                if declaration.contains(written) {
                    let fixed = declaration.replacing(
                        written, with: "encoding=\(quote)UTF-8\(quote)")
                    return Array(fixed.utf8) + bytes[close...]
                }
            }
        }
        return bytes
    }
}
