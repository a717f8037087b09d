import Foundation

/// The lines of a CSV file read in chunks of a megabyte, never the whole file at once: a batch of
/// 100,000 payments takes the same memory as one of 10,000. Lines end with `\n` (a `\r` before it
/// is dropped by the line parser); invalid UTF-8 is noticed as it is read.
struct CSVLineSource {
    static let chunkSize = 1 << 20

    private let handle: FileHandle?
    private var bytes: [UInt8]?
    private var offset = 0
    private var pending: [UInt8] = []
    /// Where the unread part of `pending` starts: lines are taken by moving it, not by removing
    /// bytes from the front (which moved the rest of the chunk once per line).
    private var start = 0
    private var number = 0
    private var finished = false
    private(set) var isUTF8 = true

    init(_ source: XMLSource) {
        switch source {
        case .bytes(let bytes):
            self.bytes = bytes
            handle = nil
        case .file(let path):
            handle = FileHandle(forReadingAtPath: path)
        }
    }

    /// The next piece of the file as it is stored, nil at its end.
    mutating func nextChunk() -> [UInt8]? {
        if let bytes {
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + Self.chunkSize)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
        guard let handle else { return nil }
        let data = handle.readData(ofLength: Self.chunkSize)
        guard !data.isEmpty else { return nil }
        offset += data.count
        return Array(data)
    }

    /// The next line's number (1-based, counting every line) and text, nil at the end.
    mutating func nextLine() -> (Int, Substring)? {
        while true {
            if let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[start..<newline])
                start = newline + 1
                return emit(line)
            }
            if finished {
                guard start < pending.count else { return nil }
                let line = Array(pending[start...])
                pending = []
                start = 0
                return emit(line)
            }
            if let chunk = nextChunk() {
                pending.removeSubrange(..<start)
                start = 0
                pending += chunk
            } else {
                finished = true
            }
        }
    }

    private mutating func emit(_ raw: [UInt8]) -> (Int, Substring) {
        number += 1
        var line = raw[...]
        if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        guard let text = String(validating: line, as: UTF8.self) else {
            isUTF8 = false
            return (number, Substring(String(decoding: line, as: UTF8.self)))
        }
        return (number, Substring(text))
    }
}
