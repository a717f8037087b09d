import Foundation

/// When a payment reaches and leaves each bank of a route: a bank works only on business days
/// (no weekend, no holiday of its country's or the currency's calendar) between its opening time
/// and its cut-off for the currency, in its own time zone; a payment that arrives outside waits
/// for the next opening. Links and domestic clearing add their latency.
public enum RouteTiming {
    public struct Hop: Equatable, Sendable {
        public let bank: String
        public let arrives: Timestamp
        public let processed: Timestamp
    }

    /// Days a payment may wait at one bank before the route is given up as stuck.
    static let maximumWaitDays = 30

    public static func schedule(_ plan: RoutePlan, start: Timestamp, network: Network) -> [Hop]? {
        var hops: [Hop] = []
        var time = start
        for index in plan.banks.indices {
            let bank = plan.banks[index]
            let (incoming, _) = plan.currencies(at: index)
            guard
                let processed = nextOpening(
                    bank: bank, currency: incoming, after: time, network: network)
            else { return nil }
            hops.append(Hop(bank: bank, arrives: time, processed: processed))
            if index < plan.banks.count - 1 {
                let latency: Int
                if plan.cleared && index == plan.banks.count - 2 {
                    latency =
                        network.clearingRule(
                            Network.country(ofBIC: plan.banks[index + 1]),
                            plan.linkCurrencies[index])?
                        .latencyMinutes ?? 0
                } else {
                    latency =
                        network.links(from: bank).first {
                            $0.to == plan.banks[index + 1]
                                && $0.currency == plan.linkCurrencies[index]
                        }?
                        .latencyMinutes ?? 0
                }
                time = processed.adding(milliseconds: Int64(latency) * 60_000)
            }
        }
        return hops
    }

    /// The first moment at or after `time` when `bank` handles `currency`.
    public static func nextOpening(
        bank: String, currency: Currency, after time: Timestamp, network: Network
    ) -> Timestamp? {
        let hours = Hours(bank: bank, currency: currency, network: network)
        var candidate = Date(
            timeIntervalSince1970: TimeInterval(time.millisecondsSinceEpoch) / 1000)
        for _ in 0...maximumWaitDays {
            guard let local = hours.local(candidate) else { return nil }
            if local.closure == nil { return timestamp(candidate) }
            if local.closure == .beforeOpening {
                guard
                    let opening = hours.calendar.date(
                        bySettingHour: hours.opens / 60, minute: hours.opens % 60, second: 0,
                        of: candidate)
                else { return nil }
                return timestamp(opening)
            }
            // Closed for the day: try the next day at its opening.
            guard
                let nextDay = hours.calendar.date(
                    byAdding: .day, value: 1, to: hours.calendar.startOfDay(for: candidate)),
                let opening = hours.calendar.date(
                    bySettingHour: hours.opens / 60, minute: hours.opens % 60, second: 0,
                    of: nextDay)
            else { return nil }
            candidate = opening
        }
        return nil
    }

    /// Why `bank` does not handle `currency` at `time`, in words; nil when it is open.
    public static func closure(
        bank: String, currency: Currency, at time: Timestamp, network: Network
    ) -> String? {
        let hours = Hours(bank: bank, currency: currency, network: network)
        let date = Date(timeIntervalSince1970: TimeInterval(time.millisecondsSinceEpoch) / 1000)
        guard let local = hours.local(date), let closure = local.closure else { return nil }
        switch closure {
        case .weekend: return "weekend"
        case .holiday(let calendar): return "\(local.date) is a holiday (\(calendar) calendar)"
        case .beforeOpening: return "before its \(currency.code) opening at \(clock(hours.opens))"
        case .afterCutoff: return "after its \(currency.code) cut-off at \(clock(hours.cutoff))"
        }
    }

    /// When a payout requested for `date` is released: the debtor agent's cut-off for the currency
    /// on that local date. A closed day (weekend, holiday of the bank's country or the currency)
    /// or a cut-off already past at `now` rolls to the next business day, and `note` says why.
    public static func release(
        bank: String, currency: Currency, requested date: RateDay, now: Timestamp, network: Network
    ) -> (time: Timestamp, note: String?)? {
        let hours = Hours(bank: bank, currency: currency, network: network)
        var day = date
        var reasons: [String] = []
        // A past date (in UTC; the bank's own date may still be a day behind) starts from today.
        if day < RateDay(now).adding(days: -1) {
            reasons.append("\(date) is past")
            day = RateDay(now).adding(days: -1)
        }
        for _ in 0...maximumWaitDays {
            // The cut-off instant of `day` in the bank's zone.
            var parts = DateComponents()
            let text = day.description
            let pieces = text.split(separator: "-").compactMap { Int($0) }
            guard pieces.count == 3 else { return nil }
            parts.year = pieces[0]
            parts.month = pieces[1]
            parts.day = pieces[2]
            parts.hour = hours.cutoff / 60
            parts.minute = hours.cutoff % 60
            guard let instant = hours.calendar.date(from: parts), let local = hours.local(instant)
            else { return nil }
            let moment = timestamp(instant)
            switch local.closure {
            case .weekend?:
                if day >= date { reasons.append("\(day) is a weekend") }
            case .holiday(let calendar)?:
                if day >= date { reasons.append("\(day) is a holiday (\(calendar))") }
            default:
                if moment < now {
                    if day >= date {
                        reasons.append("the \(clock(hours.cutoff)) cut-off of \(day) has passed")
                    }
                } else {
                    let note =
                        reasons.isEmpty
                        ? nil
                        : "requested for \(date) but released on \(day): "
                            + reasons.joined(separator: "; ")
                    return (moment, note)
                }
            }
            day = day.adding(days: 1)
        }
        return nil
    }

    /// `08:30`.
    public static func clock(_ minute: Int) -> String {
        (minute / 60 < 10 ? "0" : "") + "\(minute / 60):" + (minute % 60 < 10 ? "0" : "")
            + "\(minute % 60)"
    }

    /// A bank's working hours for a currency, in its own time zone.
    struct Hours {
        enum Closure: Equatable {
            case weekend
            case holiday(String)
            case beforeOpening
            case afterCutoff
        }

        let calendar: Calendar
        let country: String
        let currency: Currency
        let opens: Int
        let cutoff: Int
        let holidays: Set<String>

        init(bank: String, currency: Currency, network: Network) {
            let info = network.banks[bank]
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone =
                info.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(secondsFromGMT: 0)
                ?? .current
            self.calendar = calendar
            country = info?.country ?? Network.country(ofBIC: bank)
            self.currency = currency
            let window = network.cutoff(bank, currency)
            opens = window?.opensMinute ?? 0
            cutoff = window?.cutoffMinute ?? 24 * 60 - 1
            holidays = network.holidays
        }

        /// The local date and whether the bank is closed at that moment, and why.
        func local(_ moment: Date) -> (date: String, closure: Closure?)? {
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .weekday], from: moment)
            guard let year = parts.year, let month = parts.month, let day = parts.day,
                let hour = parts.hour, let minute = parts.minute, let weekday = parts.weekday
            else { return nil }
            let date = String(format: "%04d-%02d-%02d", year, month, day)
            let minuteOfDay = hour * 60 + minute
            if weekday == 1 || weekday == 7 { return (date, .weekend) }
            if holidays.contains("\(date)|\(country)") { return (date, .holiday(country)) }
            if holidays.contains("\(date)|\(currency.code)") {
                return (date, .holiday(currency.code))
            }
            if minuteOfDay > cutoff { return (date, .afterCutoff) }
            if minuteOfDay < opens { return (date, .beforeOpening) }
            return (date, nil)
        }
    }

    private static func timestamp(_ date: Date) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
