/// Mexico's CLABE: 18 digits (bank 3, branch/city 3, account 11, check digit 1). The check digit
/// is `(10 − Σ (digit × weight mod 10) mod 10) mod 10` over the first 17 digits with weights
/// 3, 7, 1 repeated (Banco de México).
public enum CLABE {
    public static func check(_ text: String) throws(AccountError) -> String {
        let value = String(text.filter { !$0.isWhitespace })
        guard !value.isEmpty else { throw .empty(scheme: "CLABE") }
        let digits = value.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == value.count else {
            throw .characters(scheme: "CLABE", value: value, expected: "a CLABE has digits only")
        }
        guard digits.count == 18 else {
            throw .length(scheme: "CLABE", value: value, found: digits.count, expected: "18 digits")
        }
        guard digits[17] == checkDigit(Array(digits[0..<17])) else {
            throw .checksum(scheme: "CLABE", value: value)
        }
        return value
    }

    static func checkDigit(_ first17: [Int]) -> Int {
        let weights = [3, 7, 1]
        let sum = first17.enumerated().reduce(0) { $0 + ($1.element * weights[$1.offset % 3]) % 10 }
        return (10 - sum % 10) % 10
    }
}

/// A US ABA routing transit number: 9 digits whose weighted sum
/// `3(d1 + d4 + d7) + 7(d2 + d5 + d8) + (d3 + d6 + d9)` is a multiple of 10, and whose first two
/// digits are a Federal Reserve routing symbol (00–12, 21–32, 61–72, or 80 for traveller's cheques).
public enum ABARouting {
    public static func check(_ text: String) throws(AccountError) -> String {
        let value = String(text.filter { !$0.isWhitespace })
        guard !value.isEmpty else { throw .empty(scheme: "ABA routing number") }
        let digits = value.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == value.count else {
            throw .characters(
                scheme: "ABA routing number", value: value, expected: "digits only")
        }
        guard digits.count == 9 else {
            throw .length(
                scheme: "ABA routing number", value: value, found: digits.count,
                expected: "9 digits")
        }
        let prefix = digits[0] * 10 + digits[1]
        guard
            (0...12).contains(prefix) || (21...32).contains(prefix) || (61...72).contains(prefix)
                || prefix == 80
        else {
            throw .format(
                scheme: "ABA routing number", value: value,
                expected: "a Federal Reserve prefix 00–12, 21–32, 61–72 or 80")
        }
        let weights = [3, 7, 1, 3, 7, 1, 3, 7, 1]
        guard zip(digits, weights).reduce(0, { $0 + $1.0 * $1.1 }) % 10 == 0 else {
            throw .checksum(scheme: "ABA routing number", value: value)
        }
        return value
    }
}

/// India's IFSC: 11 characters, four letters (the bank), a zero, six letters or digits (the
/// branch), as the Reserve Bank of India publishes them. No check digit.
public enum IFSC {
    public static func check(_ text: String) throws(AccountError) -> String {
        let value = String(text.filter { !$0.isWhitespace }).uppercased()
        guard !value.isEmpty else { throw .empty(scheme: "IFSC") }
        let characters = Array(value)
        guard characters.count == 11 else {
            throw .length(scheme: "IFSC", value: value, found: characters.count, expected: "11")
        }
        let letter: (Character) -> Bool = { ("A"..."Z").contains($0) }
        guard characters[0..<4].allSatisfy(letter), characters[4] == "0",
            characters[5...].allSatisfy({ letter($0) || ($0.isASCII && $0.isNumber) })
        else {
            throw .format(
                scheme: "IFSC", value: value,
                expected: "four letters, 0, six letters or digits (e.g. HDFC0000240)")
        }
        return value
    }
}

/// China's CNAPS bank code: 12 digits (bank type 3, region 4, branch 4, check 1; the check
/// algorithm is not published, so only the form is checked).
public enum CNAPS {
    public static func check(_ text: String) throws(AccountError) -> String {
        let value = String(text.filter { !$0.isWhitespace })
        guard !value.isEmpty else { throw .empty(scheme: "CNAPS code") }
        guard value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .characters(scheme: "CNAPS code", value: value, expected: "digits only")
        }
        guard value.count == 12 else {
            throw .length(
                scheme: "CNAPS code", value: value, found: value.count, expected: "12 digits")
        }
        return value
    }
}
