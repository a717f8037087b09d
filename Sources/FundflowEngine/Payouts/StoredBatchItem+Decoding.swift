import Foundation

extension StoredBatchItem {
    /// Reads a stored item. Items are flat objects of strings (what `json()` writes), read here
    /// without Foundation's decoder, which took a twelfth of `batch quote`; anything else (an item
    /// written another way) goes to `JSONDecoder`.
    static func decode(_ text: String) throws -> StoredBatchItem {
        if let fields = FlatJSON.strings(text), let item = StoredBatchItem(fields) { return item }
        return try JSONDecoder().decode(StoredBatchItem.self, from: Data(text.utf8))
    }

    private init?(_ fields: [String: String]) {
        guard let path = fields["path"], let block = fields["block"],
            let endToEndID = fields["endToEndID"], let amountType = fields["amountType"],
            let amount = fields["amount"], let currency = fields["currency"],
            let deliveredCurrency = fields["deliveredCurrency"], let wallet = fields["wallet"],
            let bearer = fields["bearer"], let creditorAccount = fields["creditorAccount"]
        else { return nil }
        self.init(
            path: path, block: block, instructionID: fields["instructionID"],
            endToEndID: endToEndID, uetr: fields["uetr"], amountType: amountType, amount: amount,
            currency: currency, deliveredCurrency: deliveredCurrency, wallet: wallet,
            bearer: bearer, executionDate: fields["executionDate"],
            creditorName: fields["creditorName"], creditorAccount: creditorAccount,
            creditorAgentBIC: fields["creditorAgentBIC"],
            creditorAgentClearingID: fields["creditorAgentClearingID"],
            creditorCountry: fields["creditorCountry"], street: fields["street"],
            building: fields["building"], postcode: fields["postcode"], town: fields["town"],
            purpose: fields["purpose"], remittance: fields["remittance"],
            creditorReference: fields["creditorReference"])
    }
}

/// A reader for one JSON object whose values are all strings: `{"a":"x","b":"y\n"}`. Returns nil
/// for anything else (nested values, numbers, malformed text), so the caller can fall back.
enum FlatJSON {
    static func strings(_ text: String) -> [String: String]? {
        var bytes = Array(text.utf8)[...]
        func skipSpace() {
            while let byte = bytes.first,
                byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
            {
                bytes = bytes.dropFirst()
            }
        }
        func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard bytes.first == byte else { return false }
            bytes = bytes.dropFirst()
            return true
        }
        func string() -> String? {
            guard take(0x22) else { return nil }
            var out: [UInt8] = []
            while let byte = bytes.first {
                bytes = bytes.dropFirst()
                switch byte {
                case 0x22: return String(decoding: out, as: UTF8.self)
                case 0x5C:
                    guard let escaped = bytes.first else { return nil }
                    bytes = bytes.dropFirst()
                    switch escaped {
                    case 0x22, 0x5C, 0x2F: out.append(escaped)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x75:
                        // \uXXXX, with surrogate pairs: rare here, left to JSONDecoder.
                        guard bytes.count >= 4,
                            let code = UInt32(
                                String(decoding: bytes.prefix(4), as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(code)
                        else { return nil }
                        bytes = bytes.dropFirst(4)
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: return nil
                    }
                case 0..<0x20: return nil
                default: out.append(byte)
                }
            }
            return nil
        }
        var fields: [String: String] = [:]
        guard take(0x7B) else { return nil }
        if take(0x7D) { return fields }
        repeat {
            guard let key = string(), take(0x3A), let value = string() else { return nil }
            fields[key] = value
        } while take(0x2C)
        guard take(0x7D) else { return nil }
        skipSpace()
        return bytes.isEmpty ? fields : nil
    }
}
