public import FundflowCore

/// One payment of a batch (`CdtTrfTxInf`, or one CSV line), with what the engine needs to quote,
/// route and track it. Text values are as written, trimmed.
public struct BatchItem: Equatable, Sendable {
    /// `/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[2]`, or `FILE:LINE` for CSV: where
    /// problems about this item point, and part of its idempotency key.
    public let path: String
    /// `PmtId/InstrId`.
    public let instructionID: String?
    /// `PmtId/EndToEndId` (CSV `end_to_end_id`; blank reads as `NOTPROVIDED`, as ISO 20022 does).
    public let endToEndID: String
    /// `PmtId/UETR` (pain.001.001.09).
    public let uetr: String?
    public let amount: BatchAmount
    /// The item's `ChrgBr`, else its block's, else SHA. SLEV reads as SHA.
    public let chargeBearer: ChargeBearer
    /// The requested execution date `YYYY-MM-DD`: the block's for XML, the line's for CSV.
    public let executionDate: String?
    /// `Cdtr/Nm`. Nil only for a Swiss ESR payment (SPS payment type 1, `LclInstrm/Prtry` CH01),
    /// whose ESR participant number identifies the creditor.
    public let creditorName: String?
    /// `SCHEME:VALUE` as `FundflowCore.AccountNumber` reads it: `IBAN:…` for `CdtrAcct/Id/IBAN`,
    /// else `ACCT:` and `CdtrAcct/Id/Othr/Id`; a CSV line's `account` column as written.
    public let creditorAccount: String
    /// `CdtrAgt/FinInstnId/BIC` or `BICFI`. For a Swiss postal account (SPS payment types CH01
    /// and CH02 without `CdtrAgt`) PostFinance, `POFICHBEXXX`, which holds every such account.
    public let creditorAgentBIC: String?
    /// `CdtrAgt/FinInstnId/ClrSysMmbId/MmbId`: a national clearing id (the engine checks the
    /// country's domestic clearing can reach it).
    public let creditorAgentClearingID: String?
    /// `CdtrAgt/FinInstnId/ClrSysMmbId/ClrSysId/Cd`, e.g. `USABA`.
    public let creditorAgentClearingSystem: String?
    /// `Cdtr/PstlAdr/Ctry`.
    public let creditorCountry: String?
    /// `StrtNm`, `BldgNb`, `PstCd`, `TwnNm`; an unstructured address (`AdrLine` only) is its
    /// lines joined with ", " as the street.
    public let address: BeneficiaryDetails.Address
    /// `Purp/Cd`.
    public let purpose: String?
    /// `RmtInf/Ustrd`, several joined with a space.
    public let remittance: String?
    /// `RmtInf/Strd/CdtrRefInf/Ref`: a structured creditor reference (RF, or a Swiss ESR number).
    public let creditorReference: String?
}
