/// The SWIFT IBAN registry's country formats (the table is generated from schwifty's copy).
public enum IBANRegistry {
    /// One element of a BBAN format such as `4!n`: four digits exactly (`!`), or up to four.
    struct Element: Equatable {
        enum Kind: Character {
            case digit = "n"
            case letter = "a"
            case alphanumeric = "c"
            case space = "e"
        }

        let count: Int
        let exact: Bool
        let kind: Kind

        func accepts(_ character: Character) -> Bool {
            switch kind {
            case .digit: return character.isASCII && character.isNumber
            case .letter: return ("A"..."Z").contains(character)
            case .alphanumeric:
                return ("A"..."Z").contains(character) || ("a"..."z").contains(character)
                    || (character.isASCII && character.isNumber)
            case .space: return character == " "
            }
        }
    }

    /// The IBAN length and BBAN format of a country, or nil when it has no IBANs.
    public static func spec(_ country: String) -> (length: Int, bban: String)? { table[country] }

    /// Each country's BBAN format read into elements once, not for every IBAN checked.
    static let elementsByCountry: [String: [Element]] = table.mapValues { elements($0.bban) }

    /// Parses `4!n4!n12!c` into its elements.
    static func elements(_ spec: String) -> [Element] {
        var elements: [Element] = []
        var digits = ""
        var exact = false
        for character in spec {
            if character.isNumber {
                digits.append(character)
            } else if character == "!" {
                exact = true
            } else if let kind = Element.Kind(rawValue: character), let count = Int(digits) {
                elements.append(Element(count: count, exact: exact, kind: kind))
                digits = ""
                exact = false
            }
        }
        return elements
    }

    /// Whether `bban` matches the format, as a regular expression built from it would (an element
    /// without `!` takes one up to `count` characters; the match is greedy, as a regex would
    /// backtrack, so every split is tried).
    static func matches(_ bban: [Character], _ elements: [Element]) -> Bool {
        func match(_ position: Int, _ index: Int) -> Bool {
            guard index < elements.count else { return position == bban.count }
            let element = elements[index]
            var taken = 0
            while taken < element.count, position + taken < bban.count,
                element.accepts(bban[position + taken])
            {
                taken += 1
            }
            if element.exact { return taken == element.count && match(position + taken, index + 1) }
            guard taken >= 1 else { return false }
            for length in stride(from: taken, through: 1, by: -1)
            where match(position + length, index + 1) {
                return true
            }
            return false
        }
        return match(0, 0)
    }

    /// `4!n4!n12!c` in words: "4 digits, 4 digits, 12 letters or digits".
    static func describe(_ spec: String) -> String {
        elements(spec).map { element in
            let what: String
            switch element.kind {
            case .digit: what = element.count == 1 ? "digit" : "digits"
            case .letter: what = element.count == 1 ? "capital letter" : "capital letters"
            case .alphanumeric: what = element.count == 1 ? "letter or digit" : "letters or digits"
            case .space: what = element.count == 1 ? "space" : "spaces"
            }
            return (element.exact ? "" : "up to ") + "\(element.count) \(what)"
        }.joined(separator: ", ")
    }
}
