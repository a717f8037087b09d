import Foundation
import FundflowCore

/// Reads payout batch files: ISO 20022 pain.001.001.03 and .09 (with the Swiss SPS variants of
/// .03) and the payout CSV (`PayoutCSV`), recognised from the content. Parsing and checking only:
/// nothing is stored or paid here.
///
/// Every problem is reported, in document order, at its element path or `FILE:LINE:COLUMN`,
/// together with the file as far as it could be read, so the engine can refuse the file or take
/// only its good items (`BatchReading.acceptableItems`).
public enum BatchFiles {
    /// Larger files are refused before parsing. Payments are read one at a time, so this bounds
    /// the time an import takes rather than its memory: 512 MiB is over a million payments.
    public static let maximumBytes = 512 << 20

    /// Reads a whole file held in memory, its items in their blocks.
    public static func read(_ bytes: [UInt8], file: String) -> BatchReading {
        let collector = ItemCollector()
        let reading: BatchReading
        do {
            reading = try stream(.bytes(bytes), file: file, into: collector)
        } catch {
            return refused(file, "\(error)")
        }
        guard let batch = reading.file else { return reading }
        let blocks = batch.blocks.map { block in
            BatchBlock(
                id: block.id, path: block.path, debtorName: block.debtorName,
                debtorIBAN: block.debtorIBAN, debtorBIC: block.debtorBIC,
                debtorAccountCurrency: block.debtorAccountCurrency,
                executionDate: block.executionDate, chargeBearer: block.chargeBearer,
                numberOfTransactions: block.numberOfTransactions, controlSum: block.controlSum,
                items: collector.items[block.path] ?? [])
        }
        return BatchReading(
            file: BatchFile(
                format: batch.format, namespace: batch.namespace, messageID: batch.messageID,
                creationDateTime: batch.creationDateTime, initiatingParty: batch.initiatingParty,
                numberOfTransactions: batch.numberOfTransactions, controlSum: batch.controlSum,
                blocks: blocks), problems: reading.problems, fileName: file)
    }

    /// Reads the file at `path` payment by payment into `consumer`: memory stays flat however
    /// many payments it holds. The reading returned has every problem (in document order) and the
    /// file's headers, its blocks without their items. A failure of the consumer is rethrown
    /// once the file was read.
    public static func stream(
        path: String, file: String, into consumer: any BatchItemConsumer
    ) throws -> BatchReading {
        try stream(.file(path), file: file, into: consumer)
    }

    static func stream(
        _ source: XMLSource, file: String, into consumer: any BatchItemConsumer
    ) throws -> BatchReading {
        let head: [UInt8]
        let size: Int
        switch source {
        case .bytes(let bytes):
            head = Array(bytes.prefix(4096))
            size = bytes.count
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                return refused(file, "the file cannot be opened")
            }
            defer { try? handle.close() }
            head = Array(handle.readData(ofLength: 4096))
            size = Int((try? handle.seekToEnd()) ?? 0)
        }
        guard size <= maximumBytes else {
            return refused(
                file,
                "the file has \(size) bytes: at most \(maximumBytes) are read; split the batch")
        }
        var content = head[...]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
        if content.first(where: { !Self.isWhitespace($0) }) == UInt8(ascii: "<") {
            return try streamXML(source, file: file, into: consumer)
        }
        return try streamCSV(source, file: file, into: consumer)
    }

    static func refused(_ location: String, _ message: String) -> BatchReading {
        BatchReading(
            file: nil, problems: [BatchProblem(location: location, message: message, scope: .file)],
            fileName: location)
    }

    private static func streamXML(
        _ source: XMLSource, file: String, into consumer: any BatchItemConsumer
    ) throws -> BatchReading {
        let stream = Pain001Stream(consumer: consumer)
        let tree: XMLTree
        do {
            tree = try XMLTree.stream(source, file: file, into: stream)
        } catch {
            return BatchReading(
                file: nil,
                problems: [
                    BatchProblem(
                        location: location(error), message: error.message, scope: .file)
                ], fileName: file)
        }
        if let failure = stream.failure { throw failure }
        let root = tree.root
        guard var reader = stream.reader else {
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
        let batch = reader.finish(XMLNodePath(root), blocks: stream.blocks)
        if !stream.begun, let batch {
            try consumer.begin(messageID: batch.messageID, format: batch.format)
        }
        return BatchReading(file: batch, problems: reader.problems.sorted(), fileName: file)
    }

    private static func streamCSV(
        _ source: XMLSource, file: String, into consumer: any BatchItemConsumer
    ) throws -> BatchReading {
        var lines = CSVLineSource(source)
        // The MsgId is the hash of the whole file: one pass first, reading nothing else.
        var hash = FNV1a()
        while let chunk = lines.nextChunk() { hash.add(chunk) }
        let messageID = "CSV-" + hash.hex
        lines = CSVLineSource(source)
        var errors: [FileError] = []
        var header: [String]?
        var reader = PayoutCSV.Reader(file: file)
        var lineCount = 0
        let block = PayoutCSV.block(file: file)
        while let (number, raw) = lines.nextLine() {
            guard lines.isUTF8 else {
                return refused(
                    "\(file):\(number)",
                    "the file is neither XML nor UTF-8 text: save the CSV as UTF-8")
            }
            guard let line = CSVRows.parse(raw, number: number, file: file, problems: &errors)
            else { continue }
            guard header != nil else {
                header = line.fields.map(\.text)
                guard header == PayoutCSV.header else {
                    return BatchReading(
                        file: nil,
                        problems: [
                            BatchProblem(
                                location: "\(file):\(number):1",
                                message:
                                    "neither a pain.001 XML file nor a payout CSV: a CSV's first line must be \(PayoutCSV.header.joined(separator: ","))",
                                scope: .file)
                        ], fileName: file)
                }
                try consumer.begin(messageID: messageID, format: .csv)
                continue
            }
            lineCount += 1
            let mark = reader.problems.count
            for error in errors {
                reader.problems.add(
                    location(error), error.message,
                    scope: .item("\(error.file):\(error.line)"),
                    key: error.line * PayoutCSV.Reader.lineKey + (error.column ?? 0))
            }
            errors.removeAll()
            guard let item = reader.read(line) else { continue }
            try consumer.item(item, in: block, problems: reader.problems.problems(since: mark))
        }
        guard header != nil else {
            return refused(
                "\(file):1",
                "neither a pain.001 XML file nor a payout CSV: a CSV's first line must be \(PayoutCSV.header.joined(separator: ","))"
            )
        }
        if lineCount == 0 {
            reader.problems.add(
                "\(file):2", "the file holds no payments: one line per payment after the header",
                scope: .file, key: 2 * PayoutCSV.Reader.lineKey)
        }
        let batch = BatchFile(
            format: .csv, namespace: nil, messageID: messageID, creationDateTime: nil,
            initiatingParty: nil, numberOfTransactions: nil, controlSum: nil, blocks: [block])
        return BatchReading(file: batch, problems: reader.problems.sorted(), fileName: file)
    }

    /// `FILE:LINE[:COLUMN]` of a `FileError`.
    static func location(_ error: FileError) -> String {
        error.column.map { "\(error.file):\(error.line):\($0)" } ?? "\(error.file):\(error.line)"
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// Collects the items of a file read into memory, by block path.
final class ItemCollector: BatchItemConsumer {
    var items: [String: [BatchItem]] = [:]

    func begin(messageID: String, format: BatchFileFormat) {}

    func item(_ item: BatchItem, in block: BatchBlock, problems: [BatchProblem]) {
        items[block.path, default: []].append(item)
    }
}
