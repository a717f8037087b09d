/// A point in time: milliseconds since 1970-01-01T00:00:00Z. Formatting is done here by civil
/// calendar arithmetic, so output never depends on the machine's locale or time zone.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public func adding(milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + milliseconds)
    }

    /// `2026-11-29T10:13:37Z`, or with milliseconds when they are not zero.
    public var iso8601: String {
        let (days, millisOfDay) = millisecondsSinceEpoch.floorDividedBy(86_400_000)
        let (year, month, day) = Timestamp.civil(fromDays: days)
        let seconds = millisOfDay / 1000
        let millis = millisOfDay % 1000
        var text = "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
        text +=
            "\(Self.pad(seconds / 3600, 2)):\(Self.pad(seconds / 60 % 60, 2)):\(Self.pad(seconds % 60, 2))"
        if millis != 0 { text += ".\(Self.pad(millis, 3))" }
        return text + "Z"
    }

    /// `2026-11-29`, the UTC date.
    public var dateString: String { String(iso8601.prefix(10)) }

    public var description: String { iso8601 }

    /// Parses `2026-11-29T10:13:37Z`, `2026-11-29T10:13:37.250Z`, `2026-11-29 10:13:37` (UTC) or a
    /// bare date `2026-11-29` (midnight UTC).
    public init?(iso8601 text: String) {
        let characters = Array(text)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= characters.count else { return nil }
            let slice = characters[range]
            guard slice.allSatisfy(\.isASCIIDigit) else { return nil }
            return Int64(String(slice))
        }
        guard characters.count >= 10, characters[4] == "-", characters[7] == "-",
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), (1...Timestamp.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var millis: Int64 = 0
        if characters.count > 10 {
            guard characters.count >= 19, characters[10] == "T" || characters[10] == " ",
                characters[13] == ":", characters[16] == ":",
                let hour = number(11..<13), let minute = number(14..<16),
                let second = number(17..<19),
                hour < 24, minute < 60, second < 60
            else { return nil }
            millis = ((hour * 60 + minute) * 60 + second) * 1000
            var rest = characters[19...]
            if rest.first == "." {
                let digits = rest.dropFirst().prefix(while: \.isASCIIDigit)
                guard (1...3).contains(digits.count), let fraction = Int64(String(digits)) else {
                    return nil
                }
                millis += fraction * [100, 10, 1][digits.count - 1]
                rest = rest.dropFirst(1 + digits.count)
            }
            guard rest.isEmpty || Array(rest) == ["Z"] else { return nil }
        }
        self.init(
            millisecondsSinceEpoch: Timestamp.days(year: year, month: month, day: day) * 86_400_000
                + millis)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// Quotient and non-negative remainder, so times before 1970 format correctly.
    func floorDividedBy(_ divisor: Int64) -> (Int64, Int64) {
        let remainder = self % divisor
        return remainder < 0
            ? (self / divisor - 1, remainder + divisor) : (self / divisor, remainder)
    }
}

/// Where "now" comes from. Engines receive one, so tests and simulated databases control time.
public protocol TimeSource: Sendable {
    func now() -> Timestamp
}
