/// FNV-1a, 64 bits: a small stable hash of a file's bytes. CSV batch files carry no message id,
/// so one is derived from the content (`CSV-` and these 16 hex digits): the same file always gets
/// the same id, which is what idempotency needs. It is not a cryptographic hash, and need not be:
/// FundflowFormats takes no dependencies (DESIGN.md §1), an accidental collision between two
/// different files is about 2⁻⁶⁴, and a collision would surface as an idempotency conflict on
/// differing fields, never as a silent replay.
struct FNV1a {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Adds bytes read in pieces (a file hashed as it streams).
    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
    }

    /// 16 lower-case hex digits, zero-padded.
    var hex: String {
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
