import FundflowCore
import FundflowStore

/// `wallet balance`: every currency of a company with an equivalent in one currency.
public struct WalletBalanceView: Equatable, Sendable, Codable {
    public struct Line: Equatable, Sendable, Codable {
        public let currency: String
        public let bank: String
        public let booked: String
        public let available: String
        /// The booked balance at the ECB mid rate in the total's currency.
        public let equivalent: String
    }

    public let company: String
    public let lines: [Line]
    public let totalCurrency: String
    public let total: String
    public let rateDate: String?
    public let warning: String?
}

/// `wallet convert`: the FX transfer and the conversion behind it.
public struct WalletConversion: Equatable, Sendable, Codable, Replayable {
    public let transferID: Int64
    public let key: String
    public let conversion: Conversion
    public let quote: Int64?
}

/// One line of `wallet statement`.
public struct StatementLine: Equatable, Sendable, Codable {
    public let transferID: Int64
    public let at: String
    public let kind: String
    public let memo: String?
    public let amount: String
    public let balance: String
}

public struct WalletStatement: Equatable, Sendable, Codable {
    public let company: String
    public let currency: String
    public let from: String?
    public let to: String?
    public let opening: String
    public let closing: String
    public let lines: [StatementLine]
}

extension Engine {
    /// `wallet open COMPANY CCY [--bank BIC]`: the wallet account and its servicing bank's nostro.
    public func openWallet(
        company: String, currency code: String, bank: String?, iban text: String? = nil,
        _ context: CommandContext
    ) throws
        -> CompanyView
    {
        try mutate(context, needs: nil) { mutation in
            try requireMember(company, context.actor, roles: [.treasurer], in: mutation.transaction)
            let currency = try Currency.named(code)
            // The IBAN payment files name the wallet by: valid, and no other wallet's.
            let iban = try text.map { try IBAN(parsing: $0).value }
            if let iban, let holder = try mutation.transaction.wallet(iban: iban),
                holder.company != company || holder.currency != currency
            {
                throw EngineError.invalidArgument(
                    "IBAN \(iban) already names wallet \(holder.company) \(holder.currency.code)")
            }
            if currency.isHistoric { throw LedgerError.historicCurrency(code) }
            guard let bic = bank ?? DefaultBanks.byCurrency[code] else {
                throw CompanyError.noDefaultBank(code)
            }
            guard BIC.isWellFormed(bic) else {
                throw EngineError.invalidArgument(
                    "'\(bic)' is not a BIC: 8 or 11 characters such as DEUTDEFFXXX")
            }
            if let existing = try mutation.transaction.wallet(company: company, currency: currency)
            {
                guard existing.bank == bic else {
                    throw CompanyError.walletBankMismatch(
                        company: company, currency: code, bank: existing.bank)
                }
                if let iban, existing.iban != iban {
                    guard existing.iban == nil else {
                        throw EngineError.invalidArgument(
                            "wallet \(company) \(code) is already named by IBAN \(existing.iban ?? "")"
                        )
                    }
                    try mutation.transaction.setWalletIBAN(
                        company: company, currency: currency, iban: iban)
                }
                return try companyView(company, in: mutation.transaction)
            }
            try ensureAccount("nostro:\(bic):\(code)", currency, in: mutation.scope)
            let wallet = try ensureAccount(
                "wallet:\(company):\(code)", currency, in: mutation.scope)
            guard let row = try mutation.scope.account(named: wallet) else {
                throw LedgerError.unknownAccount(wallet.rawValue)
            }
            try mutation.transaction.insertWallet(
                company: company, currency: currency, bank: bic, accountID: row.id, at: mutation.now
            )
            if let iban {
                try mutation.transaction.setWalletIBAN(
                    company: company, currency: currency, iban: iban)
            }
            return try companyView(company, in: mutation.transaction)
        }.value
    }

    /// `wallet fund COMPANY "AMOUNT CCY"`: money arrived at the servicing bank for the company.
    public func fundWallet(
        company: String, amount text: String, key: String?, _ context: CommandContext
    ) throws
        -> Keyed<TransferResult>
    {
        try walletMovement(
            company: company, amount: text, key: key, command: "wallet fund", inbound: true, context
        )
    }

    /// `wallet withdraw COMPANY "AMOUNT CCY"`: money leaves to the company's own bank account.
    public func withdrawWallet(
        company: String, amount text: String, key: String?, _ context: CommandContext
    ) throws
        -> Keyed<TransferResult>
    {
        try walletMovement(
            company: company, amount: text, key: key, command: "wallet withdraw", inbound: false,
            context)
    }

    private func walletMovement(
        company: String, amount text: String, key: String?, command: String, inbound: Bool,
        _ context: CommandContext
    ) throws -> Keyed<TransferResult> {
        let key = try SystemKey.user(key)
        let fingerprint = RequestFingerprint(
            command: command, fields: [.init("company", company), .init("amount", text)])
        return try mutate(
            context, needs: nil, request: IdempotentRequest(key: key, fingerprint: fingerprint)
        ) { mutation in
            try requireMember(company, context.actor, roles: [.treasurer], in: mutation.transaction)
            let amount = try Money.parsePositive(text)
            guard
                let wallet = try mutation.transaction.wallet(
                    company: company, currency: amount.currency)
            else {
                throw CompanyError.walletNotOpen(company: company, currency: amount.currency.code)
            }
            let walletAccount = "wallet:\(company):\(amount.currency.code)"
            let nostro = "nostro:\(wallet.bank):\(amount.currency.code)"
            return try move(
                amount, from: inbound ? nostro : walletAccount,
                to: inbound ? walletAccount : nostro,
                kind: inbound ? "funding" : "withdrawal", key: key,
                memo: "\(command) \(company) via \(wallet.bank)", in: mutation)
        }
    }

    /// `wallet convert COMPANY "AMOUNT CCY" --to CCY [--quote ID] [--margin-bps N]`: one FX
    /// transfer, two same-currency legs through `fx:position:*` and the margin to `fx:revenue:*`.
    public func convertWallet(
        company: String, amount text: String, to code: String, quote: Int64?, marginBps: Int64,
        key: String?,
        _ context: CommandContext
    ) throws -> Keyed<WalletConversion> {
        let key = try SystemKey.user(key)
        try ensureRates()  // its own transaction, before this one
        let fingerprint = RequestFingerprint(
            command: "wallet convert",
            fields: [
                .init("company", company), .init("amount", text), .init("to", code),
                .init("quote", quote.map(String.init) ?? ""),
                .init("margin", String(marginBps)),
            ])
        return try mutate(
            context, needs: nil, request: IdempotentRequest(key: key, fingerprint: fingerprint)
        ) { mutation in
            try requireMember(company, context.actor, roles: [.treasurer], in: mutation.transaction)
            let amount = try Money.parsePositive(text)
            let target = try Currency.named(code)
            guard amount.currency != target else {
                throw EngineError.invalidArgument("converting \(target.code) into itself")
            }
            for currency in [amount.currency, target]
            where try mutation.transaction.wallet(company: company, currency: currency) == nil {
                throw CompanyError.walletNotOpen(company: company, currency: currency.code)
            }
            let (rate, margin) = try conversionRate(
                amount: amount, to: target, quote: quote, marginBps: marginBps, in: mutation)
            let transfer = try bookConversion(
                company: company, amount, to: target, rate: rate, marginBps: margin, key: key,
                in: mutation)
            let day = RateDay(mutation.now)
            return WalletConversion(
                transferID: transfer.transferID, key: key,
                conversion: try Conversion(
                    amount, rate: rate, marginBps: margin,
                    warning: quote == nil ? Engine.staleness(of: rate, usedOn: day) : nil),
                quote: quote)
        }
    }

    /// One FX transfer between two wallets of a company: the amount out of one wallet through
    /// the positions, the converted amount into the other, the margin (if any) as revenue.
    ///
    /// With `cover`, the platform also covers the conversion at once, at the same rate, between
    /// the two wallets' servicing banks (out of the source currency's nostro, into the target
    /// currency's): the positions close, and the money is where a payout from the target wallet
    /// will be sent from.
    func bookConversion(
        company: String, _ amount: Money, to target: Currency, rate: CrossRate, marginBps: Int64,
        key: String, cover: Bool = false, in mutation: Mutation
    ) throws -> TransferResult {
        let converted = try rate.convert(amount, marginBps: marginBps)
        let position = Money(minorUnits: converted.positionMinor, currency: target)
        let customer = Money(minorUnits: converted.customerMinor, currency: target)
        let fromPosition = try ensureAccount(
            "fx:position:\(amount.currency.code)", amount.currency, in: mutation.scope)
        let toPosition = try ensureAccount("fx:position:\(target.code)", target, in: mutation.scope)
        var postings = [
            Posting(.debit, try AccountName("wallet:\(company):\(amount.currency.code)"), amount),
            Posting(.credit, fromPosition, amount),
            Posting(.debit, toPosition, position),
            Posting(.credit, try AccountName("wallet:\(company):\(target.code)"), customer),
        ]
        if converted.marginMinor > 0 {
            let revenue = try ensureAccount("fx:revenue:\(target.code)", target, in: mutation.scope)
            postings.append(
                Posting(
                    .credit, revenue, Money(minorUnits: converted.marginMinor, currency: target)))
        }
        let result = try book(
            TransferDraft(postings: postings), kind: "fx", key: key,
            memo:
                "\(amount) to \(target.code) at \(rate.midText) (ECB \(rate.day)), margin \(marginBps) bps",
            in: mutation)
        if cover,
            let from = try mutation.transaction.wallet(company: company, currency: amount.currency),
            let to = try mutation.transaction.wallet(company: company, currency: target)
        {
            _ = try book(
                TransferDraft(postings: [
                    Posting(.debit, fromPosition, amount),
                    Posting(
                        .credit, try AccountName("nostro:\(from.bank):\(amount.currency.code)"),
                        amount),
                    Posting(
                        .debit,
                        try ensureAccount(
                            "nostro:\(to.bank):\(target.code)", target, in: mutation.scope),
                        position),
                    Posting(.credit, toPosition, position),
                ]), kind: "fx-cover", key: SystemKey.cover(of: key),
                memo: "cover of \(amount) to \(target.code) between \(from.bank) and \(to.bank)",
                in: mutation)
        }
        return result
    }

    /// The rate of a conversion: a quote's (checked and used once), or today's.
    private func conversionRate(
        amount: Money, to target: Currency, quote: Int64?, marginBps: Int64, in mutation: Mutation
    )
        throws -> (CrossRate, Int64)
    {
        guard let quote else {
            guard (0..<10_000).contains(marginBps) else {
                throw EngineError.invalidArgument("--margin-bps must be from 0 to 9999")
            }
            return (
                try crossRate(
                    from: amount.currency, to: target, on: RateDay(mutation.now),
                    in: mutation.transaction), marginBps
            )
        }
        guard let row = try mutation.transaction.fxQuote(id: quote) else {
            throw RatesError.quoteMismatch(quote, reason: "there is no such quote")
        }
        guard row.amount == amount, row.to == target else {
            throw RatesError.quoteMismatch(
                quote, reason: "it is for \(row.amount) to \(row.to.code)")
        }
        guard row.expiresAt > mutation.now else {
            throw RatesError.quoteExpired(quote, at: row.expiresAt.iso8601)
        }
        guard try mutation.transaction.useFXQuote(id: quote, at: mutation.now) else {
            throw RatesError.quoteUsed(quote)
        }
        return (row.rate, row.marginBps)
    }

    /// `wallet balance COMPANY [--in CCY]`.
    public func walletBalance(
        company: String, in code: String?, as actor: Actor
    ) throws -> WalletBalanceView {
        let target = try Currency.named(code ?? "EUR")
        try ensureRates()
        return try store.read { transaction in
            try requireMember(company, actor, in: transaction)
            let day = RateDay(try time(in: transaction))
            var total: Int64 = 0
            var oldest: RateDay?
            var lines: [WalletBalanceView.Line] = []
            for wallet in try transaction.wallets(company: company) {
                guard let account = try transaction.account(id: wallet.accountID) else { continue }
                let booked = Money(
                    minorUnits: account.balance.bookedMinor, currency: wallet.currency)
                var equivalent = booked.minorUnits
                if wallet.currency != target {
                    let rate = try crossRate(
                        from: wallet.currency, to: target, on: day, in: transaction)
                    equivalent =
                        booked.minorUnits == 0
                        ? 0 : try rate.convert(booked, marginBps: 0).positionMinor
                    oldest = min(oldest ?? rate.day, rate.day)
                }
                total += equivalent
                lines.append(
                    WalletBalanceView.Line(
                        currency: wallet.currency.code, bank: wallet.bank,
                        booked: booked.amountString,
                        available: Money(
                            minorUnits: Int64(clamping: account.balance.availableMinor),
                            currency: wallet.currency
                        ).amountString,
                        equivalent: Money(minorUnits: equivalent, currency: target).amountString))
            }
            let warning = oldest.flatMap {
                $0 < day.previousBusinessDay
                    ? "the rates used are from \($0), older than the previous business day" : nil
            }
            return WalletBalanceView(
                company: company, lines: lines, totalCurrency: target.code,
                total: Money(minorUnits: total, currency: target).amountString,
                rateDate: oldest?.description, warning: warning)
        }
    }

    /// `wallet statement COMPANY CCY [--from D --to D]`: postings with a running balance.
    public func walletStatement(
        company: String, currency code: String, from: String?, to: String?, as actor: Actor
    ) throws
        -> WalletStatement
    {
        let currency = try Currency.named(code)
        let start = try from.map { text -> RateDay in
            guard let day = RateDay(text) else {
                throw EngineError.invalidArgument("'\(text)' is not a date")
            }
            return day
        }
        let end = try to.map { text -> RateDay in
            guard let day = RateDay(text) else {
                throw EngineError.invalidArgument("'\(text)' is not a date")
            }
            return day
        }
        return try store.read { transaction in
            try requireMember(company, actor, in: transaction)
            guard let wallet = try transaction.wallet(company: company, currency: currency) else {
                throw CompanyError.walletNotOpen(company: company, currency: code)
            }
            var running: Int64 = 0
            var opening: Int64 = 0
            var lines: [StatementLine] = []
            for line in try transaction.history(accountID: wallet.accountID, limit: 1_000_000) {
                let effect = Balance.signedEffect(
                    of: line.side, amountMinor: line.amountMinor, normalSide: .credit)
                running += effect
                let day = RateDay(line.at)
                if let start, day < start {
                    opening = running
                    continue
                }
                if let end, day > end { break }
                lines.append(
                    StatementLine(
                        transferID: line.transferID, at: line.at.iso8601, kind: line.kind,
                        memo: line.memo,
                        amount: Money(minorUnits: effect, currency: currency).amountString,
                        balance: Money(minorUnits: running, currency: currency).amountString))
            }
            let closing =
                lines.last.map { try? Money.parseMinorUnits($0.balance, currency: currency) }
                ?? opening
            return WalletStatement(
                company: company, currency: code, from: from, to: to,
                opening: Money(minorUnits: opening, currency: currency).amountString,
                closing: Money(minorUnits: closing ?? opening, currency: currency).amountString,
                lines: lines)
        }
    }
}
