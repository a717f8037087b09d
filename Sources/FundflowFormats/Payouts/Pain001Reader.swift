import FundflowCore

/// Reads a pain.001.001.03 or .09 `Document` (and the Swiss SPS variants of .03) into a
/// `BatchFile`, finding every problem on the way. It checks what a payout needs, not the whole
/// schema: elements it does not read are ignored, and those that carry money and identity
/// (amounts, ids, counts, sums, the creditor's account and agent) must appear at most once.
struct Pain001Reader {
    /// PostFinance, where every Swiss postal account is held: the creditor agent of SPS payment
    /// types 1 (ESR, `CH01`) and 2.1 (red payment slip to a postal account, `CH02`).
    static let postFinanceBIC = "POFICHBEXXX"
    static let postalInstruments: Set<String> = ["CH01", "CH02"]
    static let identifierElements: Set<String> = ["BIC", "BICFI", "BICOrBEI", "AnyBIC"]

    let format: BatchFileFormat
    let namespace: String
    var problems = ProblemList()
    var endToEndIDs = FirstOccurrences()
    var uetrs = FirstOccurrences()
    var blockIDs = FirstOccurrences()

    init(format: BatchFileFormat, namespace: String) {
        self.format = format
        self.namespace = namespace
    }

    // MARK: Problems

    mutating func problem(
        _ node: XMLNodePath, _ message: String, _ scope: BatchProblem.Scope
    ) {
        problems.add(node.path, message, scope: scope, key: node.order)
    }

    /// The child `name`, reporting a second one.
    mutating func one(
        _ parent: XMLNodePath?, _ name: String, _ scope: BatchProblem.Scope
    ) -> XMLNodePath? {
        guard let parent else { return nil }
        let found = parent.all(name)
        if found.count > 1 {
            problem(
                found[1],
                "\(name) appears \(found.count) times in \(parent.name); it is allowed once",
                scope)
        }
        return found.first
    }

    /// The child `name`, reporting it when it is missing or empty.
    mutating func required(
        _ parent: XMLNodePath, _ name: String, _ scope: BatchProblem.Scope, _ why: String
    ) -> XMLNodePath? {
        guard let node = one(parent, name, scope), node.value != nil || !node.children.isEmpty
        else {
            problem(parent, "\(name) is required: \(why)", scope)
            return nil
        }
        return node
    }

    // MARK: Document

    /// The group header's checks once every block was read: MsgId, NbOfTxs and CtrlSum against
    /// the blocks, every IBAN and BIC outside the payments (those were checked as they came).
    mutating func finish(_ document: XMLNodePath, blocks reads: [BlockRead]) -> BatchFile? {
        guard
            let initiation = required(
                document, "CstmrCdtTrfInitn", .file,
                "a pain.001 Document holds one customer credit transfer initiation")
        else { return nil }
        checkIdentifiers(document, scope: .file)
        let header = required(
            initiation, "GrpHdr", .file, "the group header with MsgId, NbOfTxs and CtrlSum")
        var messageID = ""
        if let header, let node = required(header, "MsgId", .file, "the message's identification") {
            messageID = node.text
            check(node, .file) { text throws(CheckFailure) in
                try BatchChecks.identifier(text, what: "MsgId")
            }
        }
        if initiation.all("PmtInf").isEmpty {
            problem(initiation, "there is no PmtInf block: the file pays nothing", .file)
        }
        var total: ExactDecimal? = .zero
        var transactions = 0
        for read in reads {
            transactions += read.transactions
            total = read.sum.flatMap { total?.adding($0) }
        }
        let count = header.flatMap { checkCount($0, transactions, .file, "the file") }
        let controlSum = header.flatMap { checkSum($0, total, .file, "the file") }
        return BatchFile(
            format: format, namespace: namespace, messageID: messageID,
            creationDateTime: header?.first("CreDtTm")?.value,
            initiatingParty: header?.descend("InitgPty", "Nm")?.value,
            numberOfTransactions: count, controlSum: controlSum, blocks: reads.map(\.block))
    }

    /// Applies `body` to the node's text, turning its failure into a problem at the node.
    mutating func check(
        _ node: XMLNodePath, _ scope: BatchProblem.Scope,
        _ body: (String) throws(CheckFailure) -> Void
    ) {
        do {
            try body(node.text)
        } catch {
            problem(node, error.message, scope)
        }
    }

    /// `NbOfTxs` of a group header or a block against the transactions counted; its value.
    mutating func checkCount(
        _ parent: XMLNodePath, _ counted: Int, _ scope: BatchProblem.Scope, _ what: String
    ) -> Int? {
        guard let node = one(parent, "NbOfTxs", scope) else { return nil }
        guard let stated = Int(node.text), stated >= 0, node.text.allSatisfy(\.isWholeDigit) else {
            problem(node, "NbOfTxs '\(node.text)' is not a number of transactions", scope)
            return nil
        }
        if stated != counted {
            problem(
                node,
                "NbOfTxs says \(stated) but \(what) holds \(counted) CdtTrfTxInf: a transaction is missing or extra",
                scope)
        }
        return stated
    }

    /// `CtrlSum` against the exact decimal sum of the amounts (nil when an amount could not be
    /// read: that item's own problem explains the difference); its text.
    mutating func checkSum(
        _ parent: XMLNodePath, _ sum: ExactDecimal?, _ scope: BatchProblem.Scope, _ what: String
    ) -> String? {
        guard let node = one(parent, "CtrlSum", scope) else { return nil }
        guard let stated = ExactDecimal(parsing: node.text) else {
            problem(
                node, "CtrlSum '\(node.text)' is not a decimal such as 6655.86", scope)
            return node.text
        }
        if let sum, !stated.equalsNumerically(sum) {
            problem(
                node,
                "CtrlSum \(node.text) is not the sum of the amounts in \(what), \(sum) (the control sum adds every amount as a plain number, whatever its currency)",
                scope)
        }
        return node.text
    }

    /// Every IBAN and BIC anywhere in the document (debtor, creditor, agents, ultimate parties),
    /// each at its own path, in the scope of the block or item it sits in.
    mutating func checkIdentifiers(_ node: XMLNodePath, scope: BatchProblem.Scope) {
        var scope = scope
        if node.name == "PmtInf" { scope = .block(node.path) }
        if node.name == "CdtTrfTxInf" { scope = .item(node.path) }
        if node.name == "IBAN" {
            check(node, scope) { text throws(CheckFailure) in _ = try BatchChecks.iban(text) }
        } else if Self.identifierElements.contains(node.name) {
            check(node, scope) { text throws(CheckFailure) in try BatchChecks.bic(text) }
        }
        for child in node.children { checkIdentifiers(child, scope: scope) }
    }

    // MARK: Blocks

    struct BlockRead {
        let block: BatchBlock
        let transactions: Int
        /// The sum of the amounts, nil if one could not be read.
        let sum: ExactDecimal?
    }

    /// A block being read: its header as read from the elements before its first payment, and
    /// what its payments added up to so far.
    struct BlockState {
        let header: BatchBlock
        let context: BlockContext
        var transactions = 0
        var sum: ExactDecimal? = .zero
    }

    /// The block's header (the elements before its first `CdtTrfTxInf`).
    mutating func beginBlock(_ node: XMLNodePath) -> BlockState {
        let scope = BatchProblem.Scope.block(node.path)
        var id = ""
        if let idNode = required(node, "PmtInfId", scope, "the payment block's identification") {
            id = idNode.text
            check(idNode, scope) { text throws(CheckFailure) in
                try BatchChecks.identifier(text, what: "PmtInfId")
            }
            if let first = blockIDs.repeated(id, at: idNode.path) {
                problem(idNode, "PmtInfId '\(id)' is already used at \(first)", scope)
            }
        }
        if let method = one(node, "PmtMtd", scope), method.text != "TRF" {
            problem(
                method, "PmtMtd '\(method.text)' cannot be paid: only credit transfers (TRF) can",
                scope)
        }
        let executionDate = readExecutionDate(node, scope)
        let account = one(node, "DbtrAcct", scope)
        var accountCurrency: String?
        if let currencyNode = one(account, "Ccy", scope) {
            accountCurrency = currencyNode.text
            check(currencyNode, scope) { text throws(CheckFailure) in
                _ = try BatchChecks.currency(text)
            }
        }
        let bearer = readBearer(node, scope)
        let context = BlockContext(
            chargeBearer: bearer, executionDate: executionDate,
            accountCurrency: accountCurrency.flatMap(Currency.lookup),
            instrument: node.descend("PmtTpInf", "LclInstrm").flatMap(Self.instrument))
        let header = BatchBlock(
            id: id, path: node.path, debtorName: node.descend("Dbtr", "Nm")?.value,
            debtorIBAN: account?.descend("Id", "IBAN").map(\.text).map(Self.normalizedIBAN),
            debtorBIC: Self.bic(node.descend("DbtrAgt", "FinInstnId")),
            debtorAccountCurrency: accountCurrency, executionDate: executionDate,
            chargeBearer: bearer, numberOfTransactions: nil, controlSum: nil, items: [])
        return BlockState(header: header, context: context)
    }

    /// One payment of the block, its identifiers checked; the item when it could be read.
    mutating func readTransaction(_ node: XMLNodePath, _ state: inout BlockState) -> BatchItem? {
        checkIdentifiers(node, scope: .item(node.path))
        let (item, money) = readItem(node, state.context)
        state.transactions += 1
        state.sum = money.flatMap { state.sum?.adding(ExactDecimal($0)) }
        return item
    }

    /// The block's counts and sums once its last payment was read.
    mutating func endBlock(_ node: XMLNodePath, _ state: BlockState) -> BlockRead {
        let scope = BatchProblem.Scope.block(node.path)
        if state.transactions == 0 {
            problem(node, "the block holds no CdtTrfTxInf: it pays nothing", scope)
        }
        let count = checkCount(node, state.transactions, scope, "the block")
        let controlSum = checkSum(node, state.sum, scope, "the block")
        let header = state.header
        let block = BatchBlock(
            id: header.id, path: header.path, debtorName: header.debtorName,
            debtorIBAN: header.debtorIBAN, debtorBIC: header.debtorBIC,
            debtorAccountCurrency: header.debtorAccountCurrency,
            executionDate: header.executionDate, chargeBearer: header.chargeBearer,
            numberOfTransactions: count, controlSum: controlSum, items: [])
        return BlockRead(block: block, transactions: state.transactions, sum: state.sum)
    }

    /// `<ReqdExctnDt>2024-01-02</ReqdExctnDt>` (.03), `<ReqdExctnDt><Dt>…</Dt></ReqdExctnDt>` or
    /// `<DtTm>` (.09, its date taken).
    mutating func readExecutionDate(
        _ block: XMLNodePath, _ scope: BatchProblem.Scope
    ) -> String? {
        guard
            let node = required(
                block, "ReqdExctnDt", scope, "the date the debtor's bank is to execute the block")
        else { return nil }
        let dateNode = one(node, "Dt", scope) ?? one(node, "DtTm", scope) ?? node
        var text = dateNode.text
        if dateNode.name == "DtTm" { text = String(text.prefix(10)) }
        do {
            try BatchChecks.date(text)
            return text
        } catch {
            problem(dateNode, error.message, scope)
            return nil
        }
    }

    mutating func readBearer(_ node: XMLNodePath, _ scope: BatchProblem.Scope) -> ChargeBearer? {
        guard let bearerNode = one(node, "ChrgBr", scope) else { return nil }
        guard let bearer = ChargeBearer(parsing: bearerNode.text) else {
            problem(
                bearerNode,
                "ChrgBr '\(bearerNode.text)' is not a charge bearer: expected SHAR, CRED, DEBT or SLEV",
                scope)
            return nil
        }
        return bearer
    }

    /// `LclInstrm/Prtry` or `LclInstrm/Cd`.
    static func instrument(_ node: XMLNodePath) -> String? {
        node.first("Prtry")?.value ?? node.first("Cd")?.value
    }

    /// `BIC` (.03) or `BICFI` (.09) of a `FinInstnId`.
    static func bic(_ institution: XMLNodePath?) -> String? {
        institution?.first("BIC")?.value ?? institution?.first("BICFI")?.value
    }

    /// The IBAN as FundflowCore writes it when it is one, else as written.
    static func normalizedIBAN(_ text: String) -> String {
        (try? IBAN(parsing: text).value) ?? text
    }
}

/// What a block passes down to its transactions.
struct BlockContext {
    let chargeBearer: ChargeBearer?
    let executionDate: String?
    let accountCurrency: Currency?
    let instrument: String?
}
