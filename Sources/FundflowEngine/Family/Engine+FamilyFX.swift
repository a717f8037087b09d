import FundflowCore
import FundflowStore

/// A purchase in another currency, priced in the family's: what `pay` shows before paying.
public struct FamilyPurchaseQuote: Equatable, Sendable, Codable {
    public let bill: String
    /// What the family pays: the least amount in its currency that covers the bill at the mid
    /// rate of the moment; caps and reports count this.
    public let spend: String
    /// The mid rate for reading, as family currency per unit of the bill's (`7.4326 CNY per EUR`).
    public let midRate: String
    public let rateDate: String
    public let warning: String?
}

extension Engine {
    /// `pay` of a bill in another currency: the price in the family's currency now (no margin:
    /// the family pays the mid rate, rounded up to the least amount that covers the bill).
    public func familyPurchaseQuote(
        family id: String, amount text: String, as actor: Actor
    ) throws -> FamilyPurchaseQuote? {
        let currency = try store.read {
            try familyAccess(id, actor, in: $0, action: "pay", allowed: \.spends).family.currency
        }
        let bill = try Money.parsePositive(text, defaultCurrency: currency)
        guard bill.currency != currency else { return nil }
        try ensureRates()
        return try store.read { try price(bill, in: currency, $0).quote }
    }

    /// The spend in `currency` for a bill, and the quote when the bill is in another currency.
    func price(
        _ bill: Money, in currency: Currency, _ transaction: StoreTransaction
    ) throws -> (spend: Money, quote: FamilyPurchaseQuote?) {
        guard bill.currency != currency else { return (bill, nil) }
        if bill.currency.isHistoric { throw LedgerError.historicCurrency(bill.currency.code) }
        let day = RateDay(try time(in: transaction))
        let rate = try crossRate(from: currency, to: bill.currency, on: day, in: transaction)
        let spend = try rate.leastSource(delivering: bill, marginBps: 0)
        return (
            spend,
            FamilyPurchaseQuote(
                bill: bill.description, spend: spend.description,
                midRate: CrossRate(
                    from: bill.currency, to: currency, fromQuote: rate.toQuote,
                    toQuote: rate.fromQuote, day: rate.day
                ).midText + " \(currency.code) per \(bill.currency.code)",
                rateDate: rate.day.description, warning: Engine.staleness(of: rate, usedOn: day))
        )
    }

    /// After a purchase abroad is paid in the family's currency, the merchant's side is turned
    /// into the bill: out of `settlement:pending:M:FAMILY-CCY`, through the FX positions, into
    /// `settlement:pending:M:BILL-CCY`. The positions keep the rounding (the family paid the
    /// least that covers the bill).
    func convertForMerchant(
        _ payment: FamilyPaymentRow, spend: Money, in mutation: Mutation
    )
        throws
    {
        guard let currency = Currency.lookup(payment.billCurrency), currency != spend.currency
        else { return }
        let bill = Money(minorUnits: payment.billMinor, currency: currency)
        try exchange(
            spend, from: SystemAccount.settlement(payment.merchant, spend.currency), into: bill,
            to: SystemAccount.settlement(payment.merchant, currency),
            key: "sys:family-fx:\(payment.order)",
            memo: "purchase abroad: \(spend) for \(bill) at \(payment.merchant)", in: mutation)
    }

    /// A refund of a purchase abroad, given in the bill's currency: converted back at the
    /// purchase's own price (cumulatively, so refunding the whole bill gives back exactly what the
    /// family paid), from the merchant's bill-currency side to its family-currency side. Returns
    /// the amount to refund to the sources; nil when the order is no such purchase.
    func familyRefundInBillCurrency(
        order: OrderRow, amount: Money, in mutation: Mutation
    ) throws -> Money? {
        guard let payment = try mutation.transaction.familyPayment(order: order.id),
            payment.billCurrency != order.amount.currency.code
        else { return nil }
        guard payment.billCurrency == amount.currency.code else {
            throw EngineError.invalidArgument(
                "order \(order.id) was a purchase of \(Money(minorUnits: payment.billMinor, currency: Currency.lookup(payment.billCurrency) ?? amount.currency)) at \(payment.merchant): refund it in \(payment.billCurrency)"
            )
        }
        let already = payment.billRefundedMinor
        guard amount.minorUnits <= payment.billMinor - already else {
            throw OrderError.refundExceedsPaid(
                order: String(order.id), requested: amount.description,
                refundable: Money(
                    minorUnits: payment.billMinor - already, currency: amount.currency
                ).description)
        }
        let share = { (billPart: Int64) -> Int64 in
            Int64(
                Rounding.divide(
                    Int128(billPart) * Int128(payment.spendMinor), by: Int128(payment.billMinor),
                    .halfEven))
        }
        let back = Money(
            minorUnits: share(already + amount.minorUnits) - share(already),
            currency: order.amount.currency)
        guard back.minorUnits > 0 else {
            throw EngineError.invalidArgument(
                "\(amount) is worth less than one minor unit of \(back.currency.code) at the purchase's price: refund more"
            )
        }
        try mutation.transaction.setFamilyBillRefunded(
            order: order.id, minor: already + amount.minorUnits)
        try exchange(
            amount, from: SystemAccount.settlement(payment.merchant, amount.currency), into: back,
            to: SystemAccount.settlement(payment.merchant, back.currency),
            key: "sys:family-fx:\(order.id):refund:\(already + amount.minorUnits)",
            memo: "refund abroad: \(amount) back as \(back) at the purchase's price",
            in: mutation)
        return back
    }

    /// One transfer moving `amount` out of one account and `result` (another currency) into
    /// another, through `fx:position:*`.
    private func exchange(
        _ amount: Money, from debit: String, into result: Money, to credit: String, key: String,
        memo: String, in mutation: Mutation
    ) throws {
        let fromPosition = try ensureAccount(
            "fx:position:\(amount.currency.code)", amount.currency, in: mutation.scope)
        let toPosition = try ensureAccount(
            "fx:position:\(result.currency.code)", result.currency, in: mutation.scope)
        let target = try ensureAccount(credit, result.currency, in: mutation.scope)
        _ = try book(
            TransferDraft(postings: [
                Posting(.debit, try AccountName(debit), amount),
                Posting(.credit, fromPosition, amount),
                Posting(.debit, toPosition, result),
                Posting(.credit, target, result),
            ]), kind: "fx", key: key, memo: memo, in: mutation)
    }
}
