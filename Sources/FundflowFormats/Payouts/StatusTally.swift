/// What a pain.002 states about a set of items, the whole report (`OrgnlGrpInfAndSts`) or one
/// block (`OrgnlPmtInfAndSts`): how many there are, their control sum, their common status, and
/// the count and sum per status (`NbOfTxsPerSts`). Control sums add the decimal amounts whatever
/// their currency, as pain.001's `CtrlSum` does.
struct StatusTally {
    struct Entry {
        let status: PaymentStatus
        var count = 0
        var controlSum = ExactDecimal.zero
    }

    private(set) var count = 0
    private(set) var controlSum = ExactDecimal.zero
    /// One entry per status present, in `PaymentStatus.allCases` order (never dictionary order).
    let entries: [Entry]

    /// The status all items share, `PART` when they differ, nil when there are none.
    var groupStatus: String? {
        switch entries.count {
        case 0: return nil
        case 1: return entries[0].status.rawValue
        default: return "PART"
        }
    }

    /// Counts `items`, whose amounts have at most 18 digits (`Pain002Document.checkAmounts`):
    /// no array can hold enough of them for a sum to pass the 38 digits of `Int128`.
    init(_ items: [Pain002Report.Item]) {
        var all = PaymentStatus.allCases.map { Entry(status: $0) }
        for item in items {
            let amount = ExactDecimal(item.amount)
            guard let index = all.firstIndex(where: { $0.status == item.status }),
                let statusSum = all[index].controlSum.adding(amount),
                let sum = controlSum.adding(amount)
            else { preconditionFailure("a control sum beyond 38 digits") }
            all[index].count += 1
            all[index].controlSum = statusSum
            count += 1
            controlSum = sum
        }
        entries = all.filter { $0.count > 0 }
    }
}
