import Crypto
import Foundation
import _CryptoExtras

/// PINs are stored only as salted PBKDF2-HMAC-SHA512 hashes (210,000 rounds, OWASP's figure for
/// SHA-512), in the self-describing form `pbkdf2-sha512$ROUNDS$SALT$HASH` (base64), so the
/// rounds can be raised later without invalidating stored PINs.
enum PinHasher {
    static let rounds = 210_000

    /// A PIN is 4 to 12 digits.
    static func validate(_ pin: String) throws(EngineError) {
        guard (4...12).contains(pin.count), pin.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw .invalidPin("a PIN is 4 to 12 digits")
        }
    }

    static func hash(_ pin: String, rounds: Int = rounds) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let derived = try derive(pin, salt: salt, rounds: rounds)
        return
            "pbkdf2-sha512$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    static func verify(_ pin: String, against stored: String) throws -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha512", let rounds = Int(parts[1]),
            let salt = Data(base64Encoded: parts[2]), let expected = Data(base64Encoded: parts[3])
        else { return false }
        let derived = try derive(pin, salt: Array(salt), rounds: rounds)
        // Constant-time comparison: the time taken does not reveal how many bytes matched.
        guard derived.count == expected.count else { return false }
        return zip(derived, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ pin: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(pin.utf8), salt: salt, using: .sha512, outputByteCount: 32,
            unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
