import FundflowCore

extension Pain001Reader {
    /// The creditor's account as `SCHEME:VALUE` and the element it came from.
    struct CreditorAccount {
        let text: String
        let isIBAN: Bool
        /// `Othr/Id` as written, for the Swiss postal account check.
        let other: String?
    }

    /// The creditor's agent as the file gives it (or as the Swiss payment type implies it).
    struct CreditorAgent {
        var bic: String?
        var clearingID: String?
        var clearingSystem: String?
    }

    /// `Cdtr/Nm`, required except for a Swiss ESR payment (CH01).
    mutating func readCreditorName(
        _ node: XMLNodePath, _ creditor: XMLNodePath?, _ instrument: String?,
        _ scope: BatchProblem.Scope
    ) -> String? {
        guard let nameNode = one(creditor, "Nm", scope), let name = nameNode.value else {
            if !(isSwissPostal && instrument == "CH01") {
                problem(
                    creditor ?? node,
                    "Cdtr/Nm is required: the name of the person or company paid", scope)
            }
            return nil
        }
        if name.count > BatchChecks.nameLengthMaximum {
            problem(
                nameNode,
                "the creditor's name has \(name.count) characters: at most \(BatchChecks.nameLengthMaximum) are allowed",
                scope)
        }
        return name
    }

    /// Whether this file is one of the Swiss variants, whose CH01/CH02 payments go to postal
    /// accounts.
    var isSwissPostal: Bool { namespace.hasPrefix(BatchFileFormat.swissNamespacePrefix) }

    /// `CdtrAcct/Id/IBAN` as `IBAN:…` (its check is reported by `checkIdentifiers`), or
    /// `CdtrAcct/Id/Othr/Id` as `ACCT:…`, checked as FundflowCore's `AccountNumber`.
    mutating func readCreditorAccount(
        _ node: XMLNodePath, _ scope: BatchProblem.Scope
    ) -> CreditorAccount? {
        guard
            let account = required(
                node, "CdtrAcct", scope, "the account to credit, as Id/IBAN or Id/Othr/Id"),
            let id = required(account, "Id", scope, "IBAN or Othr/Id")
        else { return nil }
        if let iban = one(id, "IBAN", scope) {
            return CreditorAccount(
                text: "IBAN:" + Self.normalizedIBAN(iban.text), isIBAN: true, other: nil)
        }
        guard let other = one(id, "Othr", scope),
            let otherID = required(other, "Id", scope, "the account number")
        else {
            problem(id, "the account has neither IBAN nor Othr/Id", scope)
            return nil
        }
        let text = "ACCT:" + otherID.text
        do {
            _ = try AccountNumber(parsing: text)
        } catch {
            problem(otherID, error.description, scope)
        }
        return CreditorAccount(text: text, isIBAN: false, other: otherID.text)
    }

    /// `CdtrAgt/FinInstnId`: a BIC (checked by `checkIdentifiers`) and/or a clearing member id.
    /// With neither, the bank can be derived only from an IBAN — or, in a Swiss file, from a
    /// CH01/CH02 payment type, which always pays a PostFinance postal account.
    mutating func readCreditorAgent(
        _ node: XMLNodePath, _ account: CreditorAccount?, _ instrument: String?,
        _ scope: BatchProblem.Scope
    ) -> CreditorAgent {
        let institution = one(one(node, "CdtrAgt", scope), "FinInstnId", scope)
        var agent = CreditorAgent(bic: Self.bic(institution))
        if let member = one(institution, "ClrSysMmbId", scope) {
            agent.clearingSystem =
                member.descend("ClrSysId", "Cd")?.value
                ?? member.descend("ClrSysId", "Prtry")?.value
            if let id = required(member, "MmbId", scope, "the bank's clearing member id") {
                agent.clearingID = id.value
                checkClearingID(id, system: agent.clearingSystem, scope)
            }
        }
        guard agent.bic == nil, agent.clearingID == nil, let account, !account.isIBAN else {
            return agent
        }
        if isSwissPostal, let instrument, Self.postalInstruments.contains(instrument) {
            if let other = account.other, !Self.isPostalAccount(other) {
                problem(
                    node,
                    "a \(instrument) payment goes to a Swiss postal account such as 01-39139-1, not '\(other)'",
                    scope)
            }
            agent.bic = Self.postFinanceBIC
            return agent
        }
        problem(
            node,
            "the creditor's bank is missing: give CdtrAgt/FinInstnId with a BIC or a ClrSysMmbId/MmbId (only an IBAN lets the bank be found without one)",
            scope)
        return agent
    }

    /// National clearing ids whose form FundflowCore knows (US ABA, Indian IFSC, Chinese CNAPS);
    /// any other must be 1–35 characters (ISO 20022 `Max35Text`).
    mutating func checkClearingID(
        _ node: XMLNodePath, system: String?, _ scope: BatchProblem.Scope
    ) {
        check(node, scope) { text throws(CheckFailure) in
            let national: (String) throws(AccountError) -> String
            switch system {
            case "USABA": national = ABARouting.check
            case "INFSC": national = IFSC.check
            case "CNAPS": national = CNAPS.check
            default:
                guard text.count <= BatchChecks.identifierLengthMaximum else {
                    throw CheckFailure(
                        "the clearing member id '\(text)' is longer than \(BatchChecks.identifierLengthMaximum) characters"
                    )
                }
                return
            }
            do throws(AccountError) {
                _ = try national(text)
            } catch {
                throw CheckFailure(error.description)
            }
        }
    }

    /// `NN-N…N-N`: two digits, one to six digits, a check digit (PostFinance's account form).
    static func isPostalAccount(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count == 2 && (1...6).contains(parts[1].count)
            && parts[2].count == 1 && parts.allSatisfy { $0.allSatisfy(\.isWholeDigit) }
    }

    /// `StrtNm`, `BldgNb`, `PstCd`, `TwnNm`; `AdrLine`s joined as the street when the address has
    /// no structured part.
    static func address(_ postal: XMLNodePath?) -> BeneficiaryDetails.Address {
        guard let postal else { return BeneficiaryDetails.Address() }
        var address = BeneficiaryDetails.Address(
            street: postal.first("StrtNm")?.value, building: postal.first("BldgNb")?.value,
            postcode: postal.first("PstCd")?.value, town: postal.first("TwnNm")?.value)
        let lines = postal.all("AdrLine").compactMap(\.value)
        if address == BeneficiaryDetails.Address(), !lines.isEmpty {
            address.street = lines.joined(separator: ", ")
        }
        return address
    }
}
