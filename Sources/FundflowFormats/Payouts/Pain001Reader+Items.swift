import FundflowCore

extension Pain001Reader {
    /// One `CdtTrfTxInf`: the item when its EndToEndId, amount and creditor account could be
    /// read (with its other problems reported), and its amount for the control sums.
    mutating func readItem(
        _ node: XMLNodePath, _ context: BlockContext
    ) -> (BatchItem?, Money?) {
        let scope = BatchProblem.Scope.item(node.path)
        let ids = readPaymentID(node, scope)
        let amount = readAmount(node, context, scope)
        let bearer: ChargeBearer = readBearer(node, scope) ?? context.chargeBearer ?? .sha
        let instrument =
            node.descend("PmtTpInf", "LclInstrm").flatMap(Self.instrument)
            ?? context.instrument
        let creditor = one(node, "Cdtr", scope)
        let name = readCreditorName(node, creditor, instrument, scope)
        let account = readCreditorAccount(node, scope)
        let agent = readCreditorAgent(node, account, instrument, scope)
        let country = one(one(creditor, "PstlAdr", scope), "Ctry", scope)
        if let country {
            check(country, scope) { text throws(CheckFailure) in
                guard CountryCode.isKnown(text) else {
                    throw CheckFailure("'\(text)' is not an ISO 3166 country code such as DE or CH")
                }
            }
        }
        let purpose = one(one(node, "Purp", scope), "Cd", scope)
        if let amount {
            do {
                try BatchChecks.purpose(
                    purpose?.text, currency: amount.deliveredCurrency, field: "Purp/Cd")
            } catch {
                problem(purpose ?? node, error.message, scope)
            }
        }
        let remittance = one(node, "RmtInf", scope)
        let unstructured = remittance?.all("Ustrd").compactMap(\.value) ?? []
        guard let endToEndID = ids.endToEndID, let amount, let account else {
            return (nil, amount?.money)
        }
        let item = BatchItem(
            path: node.path, instructionID: ids.instructionID, endToEndID: endToEndID,
            uetr: ids.uetr, amount: amount, chargeBearer: bearer,
            executionDate: context.executionDate, creditorName: name, creditorAccount: account.text,
            creditorAgentBIC: agent.bic, creditorAgentClearingID: agent.clearingID,
            creditorAgentClearingSystem: agent.clearingSystem, creditorCountry: country?.value,
            address: Self.address(creditor?.first("PstlAdr")), purpose: purpose?.value,
            remittance: unstructured.isEmpty ? nil : unstructured.joined(separator: " "),
            creditorReference: remittance?.descend("Strd", "CdtrRefInf", "Ref")?.value)
        return (item, amount.money)
    }

    // MARK: Payment identification

    struct PaymentIDs {
        var instructionID: String?
        var endToEndID: String?
        var uetr: String?
    }

    mutating func readPaymentID(_ node: XMLNodePath, _ scope: BatchProblem.Scope) -> PaymentIDs {
        var ids = PaymentIDs()
        guard
            let paymentID = required(
                node, "PmtId", scope, "PmtId/EndToEndId identifies the payment end to end")
        else { return ids }
        if let instruction = one(paymentID, "InstrId", scope) {
            ids.instructionID = instruction.value
            check(instruction, scope) { text throws(CheckFailure) in
                try BatchChecks.identifier(text, what: "InstrId")
            }
        }
        if let endToEnd = required(
            paymentID, "EndToEndId", scope,
            "the sender's reference for the payment, or NOTPROVIDED")
        {
            ids.endToEndID = endToEnd.text
            check(endToEnd, scope) { text throws(CheckFailure) in
                try BatchChecks.identifier(text, what: "EndToEndId")
            }
            if endToEnd.text != BatchChecks.notProvided,
                let first = endToEndIDs.repeated(endToEnd.text, at: endToEnd.path)
            {
                problem(
                    endToEnd,
                    "EndToEndId '\(endToEnd.text)' is already used at \(first): each payment needs its own (only NOTPROVIDED may repeat)",
                    scope)
            }
        }
        if let uetr = one(paymentID, "UETR", scope) {
            ids.uetr = uetr.value
            check(uetr, scope) { text throws(CheckFailure) in try BatchChecks.uetr(text) }
            if let first = uetrs.repeated(uetr.text, at: uetr.path) {
                problem(uetr, "UETR \(uetr.text) is already used at \(first)", scope)
            }
        }
        return ids
    }

    // MARK: Amount

    /// `Amt/InstdAmt` or `Amt/EqvtAmt` (exactly one).
    mutating func readAmount(
        _ node: XMLNodePath, _ context: BlockContext, _ scope: BatchProblem.Scope
    ) -> BatchAmount? {
        guard let amountNode = required(node, "Amt", scope, "InstdAmt or EqvtAmt") else {
            return nil
        }
        let instructed = one(amountNode, "InstdAmt", scope)
        let equivalent = one(amountNode, "EqvtAmt", scope)
        switch (instructed, equivalent) {
        case (let instructed?, nil):
            return money(instructed, scope).map(BatchAmount.send)
        case (nil, let equivalent?):
            return readEquivalent(equivalent, context, scope)
        case (_?, _?):
            problem(amountNode, "Amt holds both InstdAmt and EqvtAmt: give one of them", scope)
            return nil
        case (nil, nil):
            problem(amountNode, "Amt needs InstdAmt (the amount sent) or EqvtAmt", scope)
            return nil
        }
    }

    /// `<EqvtAmt><Amt Ccy="EUR">…</Amt><CcyOfTrf>USD</CcyOfTrf></EqvtAmt>`: a fixed debit in the
    /// debtor account's currency, delivered in `CcyOfTrf`.
    mutating func readEquivalent(
        _ node: XMLNodePath, _ context: BlockContext, _ scope: BatchProblem.Scope
    ) -> BatchAmount? {
        let amountNode = required(node, "Amt", scope, "the amount debited, with its Ccy")
        let transferNode = required(node, "CcyOfTrf", scope, "the currency to deliver")
        let debit = amountNode.flatMap { money($0, scope) }
        var delivered: Currency?
        if let transferNode {
            do {
                delivered = try BatchChecks.currency(transferNode.text)
            } catch {
                problem(transferNode, error.message, scope)
            }
        }
        if let debit, let amountNode, let account = context.accountCurrency,
            debit.currency != account
        {
            problem(
                amountNode,
                "EqvtAmt is debited in \(debit.currency.code) but the debtor account (DbtrAcct/Ccy) is in \(account.code)",
                scope)
        }
        guard let debit, let delivered else { return nil }
        return .debit(debit, creditorCurrency: delivered)
    }

    /// An amount element with its `Ccy` attribute.
    mutating func money(_ node: XMLNodePath, _ scope: BatchProblem.Scope) -> Money? {
        guard let code = node.element.attributes["Ccy"] else {
            problem(
                node,
                "the Ccy attribute is missing: write the currency, e.g. <\(node.name) Ccy=\"EUR\">\(node.text)</\(node.name)>",
                scope)
            return nil
        }
        do {
            let currency = try BatchChecks.currency(code)
            return try BatchChecks.amount(node.text, currency)
        } catch {
            problem(node, error.message, scope)
            return nil
        }
    }
}
