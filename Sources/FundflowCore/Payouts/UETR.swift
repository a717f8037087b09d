/// A SWIFT gpi Unique End-to-end Transaction Reference: a version-4 UUID in lower case
/// (`eb6305c9-1f7f-49de-aed0-16487c27b42d`), the key every bank on the route tracks a payment by.
public struct UETR: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public var description: String { value }

    /// A new UETR from `generator` (seeded in simulations, so the same inputs give the same ids).
    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> UETR {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        // 8-4-4-4-12 lower-case hex, written straight into ASCII bytes (a batch makes 100,000).
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                text.append(UInt8(ascii: "-"))
            }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return UETR(checked: String(decoding: text, as: UTF8.self))
    }

    private init(checked value: String) { self.value = value }

    /// Accepts only the canonical form: 8-4-4-4-12 lower-case hex digits, version 4, variant
    /// 8, 9, a or b.
    public init?(parsing text: String) {
        let characters = Array(text)
        guard characters.count == 36 else { return nil }
        for (index, character) in characters.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard character == "-" else { return nil }
            } else {
                guard ("0"..."9").contains(character) || ("a"..."f").contains(character) else {
                    return nil
                }
            }
        }
        guard characters[14] == "4", "89ab".contains(characters[19]) else { return nil }
        value = text
    }
}

/// SplitMix64: a small, well-known seeded generator, so a simulation with the same seed and
/// inputs produces the same UETRs and the same failures.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
