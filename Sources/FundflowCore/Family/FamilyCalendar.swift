public import Foundation

/// Calendar periods in a family's time zone. A day or a month is the window [start, end): a
/// payment at 23:59:59.999 local counts toward that day, one at 00:00:00 toward the next.
public struct FamilyCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init?(timeZone identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        timeZone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    public enum Period: String, Sendable {
        case day
        case week
        case month
    }

    /// The window of `period` containing `moment` (weeks start on Monday, ISO 8601).
    public func window(_ period: Period, containing moment: Timestamp) -> Range<Timestamp> {
        let date = Self.date(moment)
        let start: Date
        let end: Date
        switch period {
        case .day:
            start = calendar.startOfDay(for: date)
            end = calendar.date(byAdding: .day, value: 1, to: start) ?? start
        case .week:
            var iso = Calendar(identifier: .iso8601)
            iso.timeZone = timeZone
            let interval = iso.dateInterval(of: .weekOfYear, for: date)
            start = interval?.start ?? calendar.startOfDay(for: date)
            end = interval?.end ?? start
        case .month:
            let interval = calendar.dateInterval(of: .month, for: date)
            start = interval?.start ?? calendar.startOfDay(for: date)
            end = interval?.end ?? start
        }
        return Self.timestamp(start)..<Self.timestamp(end)
    }

    /// The same local time `count` periods later (a monthly allowance on the 31st falls on the
    /// last day of shorter months).
    public func adding(_ period: Period, _ count: Int, to moment: Timestamp) -> Timestamp {
        let component: Calendar.Component =
            switch period {
            case .day: .day
            case .week: .weekOfYear
            case .month: .month
            }
        let date = calendar.date(byAdding: component, value: count, to: Self.date(moment))
        return date.map(Self.timestamp) ?? moment
    }

    /// The window of the month `YYYY-MM`, or nil when the text is not one.
    public func window(month text: String) -> Range<Timestamp>? {
        let pieces = text.split(separator: "-")
        guard pieces.count == 2, pieces[0].count == 4, pieces[1].count == 2,
            let year = Int(pieces[0]), let month = Int(pieces[1]), (1...12).contains(month),
            let start = calendar.date(from: DateComponents(year: year, month: month, day: 1))
        else { return nil }
        return window(.month, containing: Self.timestamp(start))
    }

    /// Local date and time for people: `2026-12-01 09:30 (Asia/Shanghai)`.
    public func local(_ moment: Timestamp) -> String {
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Self.date(moment))
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0,
            parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    static func date(_ moment: Timestamp) -> Date {
        Date(timeIntervalSince1970: TimeInterval(moment.millisecondsSinceEpoch) / 1000)
    }

    static func timestamp(_ date: Date) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
