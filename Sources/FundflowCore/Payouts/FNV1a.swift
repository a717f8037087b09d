/// FNV-1a, 64 bits: a small stable hash, the one every derived id and seed uses — a CSV batch's
/// MsgId (`CSV-` and the hash of its bytes: the same file always gets the same id, which is what
/// idempotency needs), the seeds of UETRs and of the banks told to fail. It is not a
/// cryptographic hash, and need not be: an accidental collision between two different files is
/// about 2⁻⁶⁴, and it would surface as an idempotency conflict on differing fields, never as a
/// silent replay.
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Adds bytes read in pieces (a file hashed as it streams).
    public mutating func add(_ bytes: some Sequence<UInt8>) {
        var value = self.value
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            for byte in buffer {
                value ^= UInt64(byte)
                value = value &* 0x0000_0100_0000_01b3
            }
        }
        if done == nil {
            for byte in bytes {
                value ^= UInt64(byte)
                value = value &* 0x0000_0100_0000_01b3
            }
        }
        self.value = value
    }

    /// The hash of a text's UTF-8 bytes.
    public static func hash(_ text: String) -> UInt64 {
        var hash = FNV1a()
        hash.add(text.utf8)
        return hash.value
    }

    /// 16 lower-case hex digits, zero-padded.
    public var hex: String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
