import FundflowCore
import FundflowStore

/// What the steps of one transaction share: the store handle, the time, the audit chain's head
/// and the accounts touched so far. Balances change in this cache and are written once per
/// account when the transaction ends (``flush()``), so a batch of a thousand transfers does not
/// read and write the same account a thousand times.
final class TransactionScope {
    let transaction: StoreTransaction
    let now: Timestamp
    private var state = State()

    /// Everything a savepoint rollback must also undo in memory.
    struct State {
        var auditHead: AuditRow??
        var accountsByName: [AccountName: AccountRow] = [:]
        var namesByID: [Int64: AccountName] = [:]
        var dirty: Set<Int64> = []
    }

    /// `now` as results show it, formatted once per transaction.
    let nowText: String
    /// The job this transaction runs, if any: cancelling its subject's jobs spares it.
    var runningJob: Int64?
    /// Notices this transaction wrote, for the process that ran it to print.
    private(set) var notices: [String] = []

    func addNotice(_ text: String) { notices.append(text) }

    /// Cancels a subject's pending jobs, sparing the job this transaction is running.
    func cancelJobs(subject: Int64, kinds: [JobKind]) throws {
        try transaction.cancelJobs(subject: subject, kinds: kinds, except: runningJob)
    }

    init(_ transaction: StoreTransaction, now: Timestamp) {
        self.transaction = transaction
        self.now = now
        self.nowText = now.iso8601
    }

    func checkpoint() -> State { state }

    func restore(_ saved: State) { state = saved }

    /// The account with its current balance in this transaction, or `nil` if it does not exist.
    func account(named name: AccountName) throws -> AccountRow? {
        if let cached = state.accountsByName[name] { return cached }
        guard let row = try transaction.account(named: name) else { return nil }
        remember(row)
        return row
    }

    func account(id: Int64) throws -> AccountRow? {
        if let name = state.namesByID[id], let cached = state.accountsByName[name] { return cached }
        guard let row = try transaction.account(id: id) else { return nil }
        remember(row)
        return row
    }

    /// Records a new balance; it reaches the database at ``flush()``.
    func update(_ row: AccountRow) {
        precondition(state.namesByID[row.id] != nil, "updating an account this scope never read")
        state.accountsByName[row.definition.name] = row
        state.dirty.insert(row.id)
    }

    /// Writes every changed balance, in account order (a fixed order avoids surprises).
    func flush() throws {
        for id in state.dirty.sorted() {
            guard let name = state.namesByID[id], let row = state.accountsByName[name] else {
                continue
            }
            try transaction.setBalance(accountID: id, row.balance)
        }
        state.dirty.removeAll()
    }

    /// Appends this command's audit entry after the current head.
    func appendAudit(
        _ context: CommandContext, outcome: String, marked: Bool, reason: String?
    ) throws
        -> AuditRow
    {
        let head: AuditRow?
        if let known = state.auditHead {
            head = known
        } else {
            head = try transaction.lastAuditEntry()
        }
        let entry = try AuditChain.append(
            transaction, after: head, context: context, outcome: outcome, marked: marked,
            reason: reason, at: now)
        state.auditHead = .some(entry)
        return entry
    }

    private func remember(_ row: AccountRow) {
        state.accountsByName[row.definition.name] = row
        state.namesByID[row.id] = row.definition.name
    }
}
