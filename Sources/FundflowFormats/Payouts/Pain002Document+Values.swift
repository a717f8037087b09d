import FundflowCore

extension Pain002Document {
    /// `xs:dateTime` as ISO 20022 uses it: `YYYY-MM-DDThh:mm:ss`, a valid date and time, then
    /// optional fraction digits and an optional `Z` or `±hh:mm`.
    static func isDateTime(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count >= 19, characters[10] == "T",
            Timestamp(iso8601: String(characters[..<19])) != nil
        else { return false }
        var rest = characters[19...]
        if rest.first == "." {
            let digits = rest.dropFirst().prefix(while: \.isWholeDigit)
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(1 + digits.count)
        }
        if rest.isEmpty || Array(rest) == ["Z"] { return true }
        let zone = Array(rest)
        guard zone.count == 6, zone[0] == "+" || zone[0] == "-", zone[3] == ":",
            let hours = Int(String(zone[1...2])), let minutes = Int(String(zone[4...5])),
            zone[1...2].allSatisfy(\.isWholeDigit), zone[4...5].allSatisfy(\.isWholeDigit)
        else { return false }
        return hours * 60 + minutes <= 14 * 60 && minutes < 60
    }

    /// An `ExternalStatusReason1Code` of the ISO list: four capital letters or digits (`AC01`,
    /// `NARR`). The schema allows 1 to 4 characters of anything; every listed code has four.
    static func isReasonCode(_ code: String) -> Bool {
        code.unicodeScalars.count == 4
            && code.unicodeScalars.allSatisfy {
                ("A"..."Z").contains($0) || ("0"..."9").contains($0)
            }
    }

    /// `text` cut into pieces of at most `maximum` code points, between characters (a letter and
    /// its combining accent stay together unless one character alone is longer than `maximum`).
    static func pieces(of text: String, maximum: Int) -> [String] {
        precondition(maximum > 0, "pieces need room for a character")
        var pieces: [String] = []
        var current = ""
        var currentLength = 0
        for character in text {
            let length = character.unicodeScalars.count
            if currentLength + length > maximum && currentLength > 0 {
                pieces.append(current)
                current = ""
                currentLength = 0
            }
            for scalar in character.unicodeScalars {
                if currentLength == maximum {
                    pieces.append(current)
                    current = ""
                    currentLength = 0
                }
                current.unicodeScalars.append(scalar)
                currentLength += 1
            }
        }
        if currentLength > 0 { pieces.append(current) }
        return pieces
    }
}
