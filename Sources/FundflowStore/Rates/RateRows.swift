public import FundflowCore
import GRDB

/// A stored FX quote: the rate it holds and until when.
public struct FXQuoteRow: Equatable, Sendable {
    public let id: Int64
    public let amount: Money
    public let to: Currency
    public let rate: CrossRate
    public let marginBps: Int64
    public let createdAt: Timestamp
    public let expiresAt: Timestamp
    public let usedAt: Timestamp?
    public let actor: String

    init(row: Row) throws {
        guard let from = Currency.lookup(row["fromCurrency"]),
            let to = Currency.lookup(row["toCurrency"])
        else {
            throw StoreError(code: 0, message: "quote \(row["id"] as Int64) is damaged", path: "")
        }
        id = row["id"]
        amount = Money(minorUnits: row["amountMinor"], currency: from)
        self.to = to
        rate = CrossRate(
            from: from, to: to,
            fromQuote: try DecimalRate(mantissa: row["fromMantissa"], scale: row["fromScale"]),
            toQuote: try DecimalRate(mantissa: row["toMantissa"], scale: row["toScale"]),
            day: RateDay(daysSinceEpoch: row["day"]))
        marginBps = row["marginBps"]
        createdAt = Timestamp(millisecondsSinceEpoch: row["createdAt"])
        expiresAt = Timestamp(millisecondsSinceEpoch: row["expiresAt"])
        usedAt = (row["usedAt"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        actor = row["actor"]
    }
}

extension StoreTransaction {
    /// Adds or replaces rates by (currency, day, source); one statement per rate, reused.
    public func upsertRates(_ quotes: [RateQuote]) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO rate (currency, day, source, mantissa, scale) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (currency, day, source) DO UPDATE SET mantissa = excluded.mantissa, scale = excluded.scale
                """)
        for quote in quotes {
            statement.setUncheckedArguments([
                quote.currency.code, quote.day.daysSinceEpoch, quote.source, quote.rate.mantissa,
                quote.rate.scale,
            ])
            try statement.execute()
        }
    }

    /// The latest rate for `currency` on or before `day`. On a day with rates from several sources
    /// the ECB's wins over a user file's (the precedence in docs/architecture.md).
    public func latestRate(_ currency: Currency, onOrBefore day: RateDay) throws -> RateQuote? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT day, source, mantissa, scale FROM rate WHERE currency = ? AND day <= ?
                ORDER BY day DESC, source = 'ecb' DESC, source LIMIT 1
                """)
        guard let row = try Row.fetchOne(statement, arguments: [currency.code, day.daysSinceEpoch])
        else { return nil }
        return RateQuote(
            day: RateDay(daysSinceEpoch: row[0]), currency: currency,
            rate: try DecimalRate(mantissa: row[2], scale: row[3]), source: row[1])
    }

    /// Every rate of `currency` in `[from, to]`, one per day (precedence as above), oldest first.
    public func rates(_ currency: Currency, from: RateDay, to: RateDay) throws -> [RateQuote] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT day, source, mantissa, scale FROM rate WHERE currency = ? AND day BETWEEN ? AND ?
                ORDER BY day, source = 'ecb' DESC, source
                """,
            arguments: [currency.code, from.daysSinceEpoch, to.daysSinceEpoch])
        var quotes: [RateQuote] = []
        for row in rows {
            let day = RateDay(daysSinceEpoch: row[0])
            if quotes.last?.day == day { continue }
            quotes.append(
                RateQuote(
                    day: day, currency: currency,
                    rate: try DecimalRate(mantissa: row[2], scale: row[3]), source: row[1]))
        }
        return quotes
    }

    /// Every rate published on one day (the latest day on or before `day` that has any), by currency.
    public func rates(on day: RateDay) throws -> [RateQuote] {
        guard
            let latest = try Int64.fetchOne(
                db, sql: "SELECT MAX(day) FROM rate WHERE day <= ?", arguments: [day.daysSinceEpoch]
            )
        else { return [] }
        return try Row.fetchAll(
            db,
            sql:
                "SELECT currency, source, mantissa, scale FROM rate WHERE day = ? ORDER BY currency, source = 'ecb' DESC",
            arguments: [latest]
        ).compactMap { row -> RateQuote? in
            guard let currency = Currency.lookup(row[0]) else { return nil }
            return RateQuote(
                day: RateDay(daysSinceEpoch: latest), currency: currency,
                rate: try DecimalRate(mantissa: row[2], scale: row[3]), source: row[1])
        }
    }

    public func rateSummary() throws -> (
        count: Int, first: RateDay?, last: RateDay?, sources: [String]
    ) {
        let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), MIN(day), MAX(day) FROM rate")
        let sources = try String.fetchAll(
            db, sql: "SELECT DISTINCT source FROM rate ORDER BY source")
        return (
            row?[0] ?? 0, (row?[1] as Int64?).map(RateDay.init(daysSinceEpoch:)),
            (row?[2] as Int64?).map(RateDay.init(daysSinceEpoch:)), sources
        )
    }

    public func insertFXQuote(
        rate: CrossRate, amount: Money, marginBps: Int64, createdAt: Timestamp,
        expiresAt: Timestamp, actor: String
    ) throws -> FXQuoteRow {
        try db.execute(
            sql: """
                INSERT INTO fxQuote (fromCurrency, toCurrency, amountMinor, fromMantissa, fromScale, toMantissa, toScale,
                                     day, marginBps, createdAt, expiresAt, actor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                rate.from.code, rate.to.code, amount.minorUnits, rate.fromQuote.mantissa,
                rate.fromQuote.scale,
                rate.toQuote.mantissa, rate.toQuote.scale, rate.day.daysSinceEpoch, marginBps,
                createdAt.millisecondsSinceEpoch, expiresAt.millisecondsSinceEpoch, actor,
            ])
        guard let row = try fxQuote(id: db.lastInsertedRowID) else {
            preconditionFailure("an inserted quote cannot be read back")
        }
        return row
    }

    public func fxQuote(id: Int64) throws -> FXQuoteRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM fxQuote WHERE id = ?", arguments: [id]).map(
            FXQuoteRow.init)
    }

    /// Marks a quote used; false when it was used already.
    public func useFXQuote(id: Int64, at time: Timestamp) throws -> Bool {
        try db.execute(
            sql: "UPDATE fxQuote SET usedAt = ? WHERE id = ? AND usedAt IS NULL",
            arguments: [time.millisecondsSinceEpoch, id])
        return db.changesCount == 1
    }
}
