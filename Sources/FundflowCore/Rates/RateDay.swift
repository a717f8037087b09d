/// A calendar day (UTC) as days since 1970-01-01: the key of a published rate.
public struct RateDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    /// `2026-10-30`.
    public init?(_ text: String) {
        guard text.count == 10, let time = Timestamp(iso8601: text) else { return nil }
        self.init(time)
    }

    public init(_ time: Timestamp) {
        daysSinceEpoch = time.millisecondsSinceEpoch.floorDividedBy(86_400_000).0
    }

    public var description: String { timestamp.dateString }

    public var timestamp: Timestamp {
        Timestamp(millisecondsSinceEpoch: daysSinceEpoch * 86_400_000)
    }

    /// Monday 1 … Sunday 7 (1970-01-01 was a Thursday).
    public var weekday: Int { Int((daysSinceEpoch + 3).floorDividedBy(7).1) + 1 }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int64) -> RateDay { RateDay(daysSinceEpoch: daysSinceEpoch + days) }

    /// The weekday before this day (Friday for a Monday or a weekend day).
    public var previousBusinessDay: RateDay {
        var day = adding(days: -1)
        while day.isWeekend { day = day.adding(days: -1) }
        return day
    }

    public static func < (lhs: RateDay, rhs: RateDay) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }
}
