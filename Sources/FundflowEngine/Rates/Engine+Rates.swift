import Foundation
public import FundflowCore
import FundflowFormats
import FundflowStore

/// What loading rates did.
public struct RatesLoad: Equatable, Sendable, Codable, Replayable {
    public let file: String
    public let layout: String
    public let rates: Int
    public let days: Int
    public let first: String
    public let last: String
}

/// A conversion as `fx convert` shows it.
public struct Conversion: Equatable, Sendable, Codable {
    public let source: String
    public let sourceCurrency: String
    public let amount: String
    public let currency: String
    public let position: String
    public let margin: String
    public let marginBps: Int64
    public let midRate: String
    public let appliedRate: String
    public let rateDate: String
    /// Set when the rate is older than the previous business day: the warning names its date.
    public let warning: String?
}

extension Engine {
    /// Loads the embedded ECB history (`rates/eurofxref-hist.csv`) the first time rates are needed,
    /// in one transaction; a second process waiting on the lock finds it loaded and does nothing.
    func ensureRates() throws {
        if try store.read({ try $0.meta("ratesLoadedAt") }) != nil { return }
        guard let path = defaults?.ratesFile, let data = FileManager.default.contents(atPath: path)
        else {
            throw EngineError.invalidArgument(
                "no rates yet and the embedded ECB history was not found (set FUNDFLOW_HOME to the project folder, or `rates load FILE`)"
            )
        }
        let quotes = try ECBRates.parse(String(decoding: data, as: UTF8.self), file: path)
        try store.write { transaction in
            guard try transaction.meta("ratesLoadedAt") == nil else { return }
            try transaction.upsertRates(quotes)
            try transaction.setMeta("ratesLoadedAt", try time(in: transaction).iso8601)
        }
    }

    /// `rates load FILE`: an ECB file in any of its three layouts, or a user rates file
    /// (`date,base,quote,rate`), checked completely and then merged in one transaction.
    public func loadRates(text: String, file: String, _ context: CommandContext) throws -> RatesLoad
    {
        try auditingFailures(context, marked: false, reason: nil) {
            try context.actor.require(.manageLedger)
        }
        try ensureRates()
        let isUser = text.drop(while: \.isWhitespace).hasPrefix("date,base,quote,rate")
        let ecb =
            isUser
            ? nil
            : try auditingFailures(context, marked: false, reason: nil) {
                try ECBRates.parse(text, file: file)
            }
        let user =
            isUser
            ? try auditingFailures(context, marked: false, reason: nil) {
                try UserRatesFile.parse(text, file: file)
            } : nil
        return try mutate(context, needs: .manageLedger) { mutation in
            let quotes = try ecb ?? eurQuotes(of: user ?? [], file: file, in: mutation.transaction)
            try mutation.transaction.upsertRates(quotes)
            return RatesLoad(
                quotes, file: file,
                layout: isUser ? "user rates" : ECBRates.layout(of: text)?.rawValue ?? "ECB")
        }.value
    }

    /// Turns `1 base = rate quote` lines into EUR quotes through the ECB rate of each line's date.
    private func eurQuotes(
        of entries: [UserRatesFile.Entry], file: String, in transaction: StoreTransaction
    ) throws
        -> [RateQuote]
    {
        let source = "user:" + (file.split(separator: "/").last.map(String.init) ?? file)
        return try entries.map { entry in
            var basePerEUR = DecimalRate.one
            if entry.base != .eur {
                // The base's ECB rate of that date, or the latest before it within a week
                // (weekends and TARGET holidays have no ECB rates).
                guard let ecb = try transaction.latestRate(entry.base, onOrBefore: entry.day),
                    ecb.source == "ecb"
                else {
                    throw FileError(
                        file: file, line: entry.line,
                        "no ECB rate for \(entry.base.code) on or before \(entry.day) to turn this \(entry.base.code) rate into an EUR quote"
                    )
                }
                guard ecb.day >= entry.day.adding(days: -7) else {
                    throw FileError(
                        file: file, line: entry.line,
                        "the latest ECB rate for \(entry.base.code) on or before \(entry.day) is from \(ecb.day), more than a week earlier: load newer ECB rates first"
                    )
                }
                basePerEUR = ecb.rate
            }
            return RateQuote(
                day: entry.day, currency: entry.quote,
                rate: try RateQuote.viaBase(basePerEUR, quotePerBase: entry.rate), source: source)
        }
    }

    /// The exact rate between two currencies on `day`: the latest quote of each on or before it.
    /// A historic currency converts only on a day it was quoted (or the business day before).
    func crossRate(
        from: Currency, to: Currency, on day: RateDay, in transaction: StoreTransaction
    ) throws -> CrossRate {
        func quote(_ currency: Currency) throws -> (DecimalRate, RateDay) {
            if currency == .eur { return (.one, day) }
            guard let found = try transaction.latestRate(currency, onOrBefore: day) else {
                throw RatesError.noRate(currency.code, day: day.description)
            }
            if currency.isHistoric && found.day < day.previousBusinessDay {
                throw RatesError.historic(currency.code, lastQuoted: found.day.description)
            }
            return (found.rate, found.day)
        }
        let (fromQuote, fromDay) = try quote(from)
        let (toQuote, toDay) = try quote(to)
        return CrossRate(
            from: from, to: to, fromQuote: fromQuote, toQuote: toQuote, day: min(fromDay, toDay))
    }

    /// A warning when a rate is older than the previous business day of the day it is used for.
    static func staleness(of rate: CrossRate, usedOn day: RateDay) -> String? {
        guard rate.day < day.previousBusinessDay else { return nil }
        return "the rate used is from \(rate.day), older than the previous business day of \(day)"
    }

    /// `fx convert "AMOUNT CCY" --to CCY [--date D] [--margin-bps N]`.
    public func convert(
        amount text: String, to code: String, date: String?, marginBps: Int64, as actor: Actor
    ) throws
        -> Conversion
    {
        let amount = try Money.parsePositive(text)
        let target = try Currency.named(code)
        guard (0..<10_000).contains(marginBps) else {
            throw EngineError.invalidArgument("--margin-bps must be from 0 to 9999")
        }
        try ensureRates()
        return try store.read { transaction in
            let day =
                try date.map { text in
                    guard let day = RateDay(text) else {
                        throw EngineError.invalidArgument(
                            "'\(text)' is not a date: expected 2026-10-30")
                    }
                    return day
                } ?? RateDay(try time(in: transaction))
            let rate = try crossRate(from: amount.currency, to: target, on: day, in: transaction)
            return try Conversion(
                amount, rate: rate, marginBps: marginBps,
                warning: Engine.staleness(of: rate, usedOn: day))
        }
    }

    /// `rates show CCY [--date D]`.
    public func rate(
        of code: String, on date: String?, as actor: Actor
    ) throws -> (RateQuote, warning: String?) {
        let currency = try Currency.named(code)
        guard currency != .eur else {
            throw EngineError.invalidArgument("EUR is the base: every rate is per EUR")
        }
        try ensureRates()
        return try store.read { transaction in
            let day =
                try date.map { text in
                    guard let day = RateDay(text) else {
                        throw EngineError.invalidArgument(
                            "'\(text)' is not a date: expected 2026-10-30")
                    }
                    return day
                } ?? RateDay(try time(in: transaction))
            guard let quote = try transaction.latestRate(currency, onOrBefore: day) else {
                throw RatesError.noRate(currency.code, day: day.description)
            }
            let warning =
                quote.day < day.previousBusinessDay
                ? "the latest rate of \(code) on or before \(day) is from \(quote.day)" : nil
            return (quote, warning)
        }
    }

    /// `rates history BASE QUOTE --from D --to D`: the cross rate on every day both were quoted.
    public func rateHistory(
        base: String, quote: String, from: String, to: String, as actor: Actor
    ) throws
        -> [(day: RateDay, rate: CrossRate)]
    {
        let baseCurrency = try Currency.named(base)
        let quoteCurrency = try Currency.named(quote)
        guard let start = RateDay(from), let end = RateDay(to), start <= end else {
            throw EngineError.invalidArgument(
                "--from and --to must be dates (2026-10-30), --from not after --to")
        }
        guard end.daysSinceEpoch - start.daysSinceEpoch <= 366 * 30 else {
            throw EngineError.invalidArgument("at most 30 years of history at once")
        }
        try ensureRates()
        return try store.read { transaction in
            func series(_ currency: Currency) throws -> [RateDay: DecimalRate]? {
                if currency == .eur { return nil }
                return Dictionary(
                    uniqueKeysWithValues: try transaction.rates(currency, from: start, to: end).map
                    { ($0.day, $0.rate) })
            }
            let baseSeries = try series(baseCurrency)
            let quoteSeries = try series(quoteCurrency)
            let days = Set((baseSeries ?? quoteSeries ?? [:]).keys).intersection(
                Set((quoteSeries ?? baseSeries ?? [:]).keys))
            return days.sorted().map { day in
                let rate = CrossRate(
                    from: baseCurrency, to: quoteCurrency, fromQuote: baseSeries?[day] ?? .one,
                    toQuote: quoteSeries?[day] ?? .one, day: day)
                return (day, rate)
            }
        }
    }
}

extension Conversion {
    init(_ amount: Money, rate: CrossRate, marginBps: Int64, warning: String?) throws {
        let converted = try rate.convert(amount, marginBps: marginBps)
        let target = rate.to
        self.init(
            source: amount.amountString, sourceCurrency: amount.currency.code,
            amount: Money(minorUnits: converted.customerMinor, currency: target).amountString,
            currency: target.code,
            position: Money(minorUnits: converted.positionMinor, currency: target).amountString,
            margin: Money(minorUnits: converted.marginMinor, currency: target).amountString,
            marginBps: marginBps,
            midRate: rate.midText, appliedRate: rate.appliedText(marginBps: marginBps),
            rateDate: rate.day.description,
            warning: warning)
    }
}

extension RatesLoad {
    init(_ quotes: [RateQuote], file: String, layout: String) {
        let days = Set(quotes.map(\.day))
        self.init(
            file: file, layout: layout, rates: quotes.count, days: days.count,
            first: days.min()?.description ?? "",
            last: days.max()?.description ?? "")
    }
}

/// Why a rate could not be found or used.
public enum RatesError: Error, Equatable, Sendable, CustomStringConvertible {
    case noRate(String, day: String)
    case historic(String, lastQuoted: String)
    case fetch(String, reason: String)
    case quoteExpired(Int64, at: String)
    case quoteUsed(Int64)
    case quoteMismatch(Int64, reason: String)

    public var description: String {
        switch self {
        case .noRate(let code, let day):
            return "no rate for \(code) on or before \(day): load one with `rates load FILE`"
        case .historic(let code, let last):
            return
                "\(code) is a historic currency, last quoted on \(last): it converts only on dates it was quoted"
        case .fetch(let url, let reason):
            return "fetching rates from \(url) failed: \(reason); the rates are unchanged"
        case .quoteExpired(let id, let at):
            return "quote \(id) expired at \(at): ask for a new one with `fx quote`"
        case .quoteUsed(let id): return "quote \(id) was already used"
        case .quoteMismatch(let id, let reason):
            return "quote \(id) does not fit this conversion: \(reason)"
        }
    }
}

extension RatesError: BusinessRefusable {
    public var isBusinessRefusal: Bool {
        switch self {
        case .quoteExpired, .quoteUsed: return true
        case .noRate, .historic, .fetch, .quoteMismatch: return false
        }
    }
}

extension DefaultFiles {
    /// The embedded ECB history.
    var ratesFile: String { root + "/rates/eurofxref-hist.csv" }
}
