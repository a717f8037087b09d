/// Takes a batch file's payments one at a time as they are read (`BatchFiles.stream`), so a file
/// of 100,000 payments is never held whole: the engine writes each to the database as it comes.
public protocol BatchItemConsumer: AnyObject {
    /// The file's MsgId (a CSV file's derived one), before its first payment.
    func begin(messageID: String, format: BatchFileFormat) throws
    /// One payment that could be read, the header of its block (no items, no totals yet) and
    /// the problems found in it so far. Problems of its block or the file come at the end, in the
    /// `BatchReading` that `stream` returns.
    func item(_ item: BatchItem, in block: BatchBlock, problems: [BatchProblem]) throws
}

/// Streams a pain.001 document into a `Pain001Reader` and a consumer.
final class Pain001Stream: PaymentStream {
    let consumer: any BatchItemConsumer
    var reader: Pain001Reader?
    var unknownRoot: (name: String, namespace: String?)?
    var state: Pain001Reader.BlockState?
    var blocks: [Pain001Reader.BlockRead] = []
    var begun = false
    /// The consumer's first failure: reading goes on to the end, nothing more is handed over.
    var failure: (any Error)?

    init(consumer: any BatchItemConsumer) { self.consumer = consumer }

    func documentStarted(_ name: String, _ namespace: String?) -> Bool {
        guard name == "Document", let namespace,
            let format = BatchFileFormat.of(namespace: namespace)
        else {
            unknownRoot = (name, namespace)
            return false
        }
        reader = Pain001Reader(format: format, namespace: namespace)
        return true
    }

    // The reader is mutated in place (optional chaining), never copied out and back: a copy
    // would duplicate its tables of ids for every payment.

    func blockStarted(_ block: XMLTree.Element, initiation: XMLTree.Element) {
        guard let format = reader?.format else { return }
        if !begun, failure == nil {
            begun = true
            let messageID = XMLNodePath(initiation).descend("GrpHdr", "MsgId")?.text ?? ""
            do {
                try consumer.begin(messageID: messageID, format: format)
            } catch {
                failure = error
            }
        }
        state = reader?.beginBlock(XMLNodePath(block))
    }

    func transaction(_ element: XMLTree.Element) {
        // The block state is small (its header and sums): copied out and back.
        guard reader != nil, var current = state else { return }
        let mark = reader?.problems.count ?? 0
        let item = reader?.readTransaction(XMLNodePath(element), &current)
        state = current
        let found = reader?.problems.problems(since: mark) ?? []
        guard let item, failure == nil else { return }
        let header = current.header
        do {
            try consumer.item(item, in: header, problems: found)
        } catch {
            failure = error
        }
    }

    func blockEnded(_ block: XMLTree.Element, transactions: Int) {
        guard let state, let read = reader?.endBlock(XMLNodePath(block), state) else { return }
        blocks.append(read)
        self.state = nil
    }
}
