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
        let info = network.banks[bank]
        let zone =
            info.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(secondsFromGMT: 0)
            ?? .current
        let country = info?.country ?? Network.country(ofBIC: bank)
        let window = network.cutoff(bank, currency)
        let opens = window?.opensMinute ?? 0
        let cutoff = window?.cutoffMinute ?? 24 * 60 - 1
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var candidate = Date(
            timeIntervalSince1970: TimeInterval(time.millisecondsSinceEpoch) / 1000)
        for _ in 0...maximumWaitDays {
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .weekday], from: candidate)
            guard let year = parts.year, let month = parts.month, let day = parts.day,
                let hour = parts.hour,
                let minute = parts.minute, let weekday = parts.weekday
            else { return nil }
            let date = String(format: "%04d-%02d-%02d", year, month, day)
            let business =
                weekday != 1 && weekday != 7 && !network.holidays.contains("\(date)|\(country)")
                && !network.holidays.contains("\(date)|\(currency.code)")
            let minuteOfDay = hour * 60 + minute
            if business && minuteOfDay <= cutoff {
                if minuteOfDay >= opens { return timestamp(candidate) }
                guard
                    let opening = calendar.date(
                        bySettingHour: opens / 60, minute: opens % 60, second: 0, of: candidate)
                else {
                    return nil
                }
                return timestamp(opening)
            }
            // Closed: try the next day at its opening.
            guard
                let nextDay = calendar.date(
                    byAdding: .day, value: 1, to: calendar.startOfDay(for: candidate)),
                let opening = calendar.date(
                    bySettingHour: opens / 60, minute: opens % 60, second: 0, of: nextDay)
            else { return nil }
            candidate = opening
        }
        return nil
    }

    private static func timestamp(_ date: Date) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
