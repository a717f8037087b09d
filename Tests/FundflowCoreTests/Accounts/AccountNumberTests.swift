import Testing

@testable import FundflowCore

/// Account identifiers on hand-made valid and corrupted cases. (IBANs against schwifty on
/// thousands of generated ones: scripts/iban_crosscheck.py.)
@Suite struct AccountNumberTests {
    @Test(arguments: [
        "DE89370400440532013000", "GB82WEST12345698765432", "NL91ABNA0417164300",
        "fr14 2004 1010 0505 0001 3m02 606", "CH9300762011623852957",
    ])
    func wellKnownIBANsAreValid(text: String) throws {
        let iban = try IBAN(parsing: text)
        #expect(iban.value == iban.value.uppercased())
        #expect(!iban.value.contains(" "))
    }

    @Test func anIBANIsShownInGroupsOfFour() throws {
        #expect(
            try IBAN(parsing: "DE89370400440532013000").formatted == "DE89 3704 0044 0532 0130 00")
    }

    @Test func eachKindOfIBANMistakeIsNamed() {
        func error(_ text: String) -> AccountError? {
            do {
                _ = try IBAN(parsing: text)
                return nil
            } catch { return error }
        }
        #expect(
            error("DE88370400440532013000")
                == .checksum(scheme: "IBAN", value: "DE88370400440532013000"))
        #expect(error("DE8937040044053201300")?.description.contains("expected 22 for DE") == true)
        #expect(error("XX89370400440532013000") == .unknownCountry(scheme: "IBAN", code: "XX"))
        #expect(error("D189370400440532013000").map { "\($0)" }?.contains("two letters") == true)
        // GB: 4 letters then 14 digits; a digit in the bank code breaks the format.
        #expect(
            error("GB82W3ST12345698765432").map { "\($0)" }?.contains("4 capital letters") == true)
        #expect(error("") == .empty(scheme: "IBAN"))
    }

    @Test func checkDigitsOutside02To98AreRefusedEvenWhenMod97Holds() throws {
        // DE89…: the same BBAN with check digits 89 + 97 is impossible (two digits), but for a
        // BBAN whose correct digits are 98 − r ∈ {2, 3, 4}, 99/00/01 satisfy mod-97 ≡ 1 too.
        var found = 0
        for account in 0..<2_000 {
            let bban = "37040044" + String(String(account + 1_000_000_000).suffix(10))
            guard let remainder = IBAN.mod97(Array(bban + "DE00")) else { continue }
            let digits = 98 - remainder
            guard digits <= 4 else { continue }
            found += 1
            // 99 ≡ 2, 100 ≡ 3 and 101 ≡ 4 (mod 97): written as 99, 00 and 01.
            let twin = [2: "99", 3: "00", 4: "01"][digits] ?? "??"
            #expect(throws: AccountError.self) { try IBAN(parsing: "DE\(twin)\(bban)") }
            #expect(throws: Never.self) { try IBAN(parsing: "DE0\(digits)\(bban)") }
        }
        #expect(found > 0)
    }

    @Test(arguments: ["002010077777777771", "032180000118359719", "014027000005555558"])
    func validCLABEsPassAndEverySingleDigitChangeIsCaught(clabe: String) throws {
        #expect(try CLABE.check(clabe) == clabe)
        let digits = Array(clabe)
        for index in digits.indices {
            for replacement in "0123456789" where replacement != digits[index] {
                var changed = digits
                changed[index] = replacement
                #expect(throws: AccountError.self) { try CLABE.check(String(changed)) }
            }
        }
        #expect(throws: AccountError.self) { try CLABE.check(String(clabe.dropLast())) }
        #expect(throws: AccountError.self) { try CLABE.check("00201007777777777A") }
    }

    @Test(arguments: ["021000021", "026009593", "011000015", "121000358", "322271627"])
    func validRoutingNumbersPassAndEverySingleDigitChangeIsCaught(routing: String) throws {
        #expect(try ABARouting.check(routing) == routing)
        let digits = Array(routing)
        for index in digits.indices {
            for replacement in "0123456789" where replacement != digits[index] {
                var changed = digits
                changed[index] = replacement
                #expect(throws: AccountError.self) { try ABARouting.check(String(changed)) }
            }
        }
    }

    @Test func aRoutingNumberOutsideTheFederalReservePrefixesIsRefused() {
        // 5 + checksum digits that add up: 500000005 has weighted sum 3·5 + 1·5 = 20.
        #expect(throws: AccountError.self) { try ABARouting.check("500000005") }
    }

    @Test func ifscAndCnapsHaveTheirForms() throws {
        #expect(try IFSC.check("hdfc0000240") == "HDFC0000240")
        #expect(throws: AccountError.self) { try IFSC.check("HDFC1000240") }
        #expect(throws: AccountError.self) { try IFSC.check("HDF00000240") }
        #expect(try CNAPS.check("102100099996") == "102100099996")
        #expect(throws: AccountError.self) { try CNAPS.check("10210009999") }
    }

    @Test func anAccountNamesItsScheme() throws {
        #expect(
            try AccountNumber(parsing: "IBAN:DE89 3704 0044 0532 0130 00").description
                == "IBAN:DE89370400440532013000")
        #expect(
            try AccountNumber(parsing: "aba:026009593/1234567890")
                == .aba(routing: "026009593", account: "1234567890"))
        #expect(try AccountNumber(parsing: "IFSC:HDFC0000240/50100012345678").country == "IN")
        #expect(try AccountNumber(parsing: "CLABE:032180000118359719").country == "MX")
        #expect(try AccountNumber(parsing: "ACCT:12-3456/7").value == "12-3456/7")
        #expect(throws: AccountError.unknownScheme("BBAN")) {
            try AccountNumber(parsing: "BBAN:123")
        }
        #expect(throws: AccountError.self) { try AccountNumber(parsing: "ABA:026009593") }
        #expect(throws: AccountError.self) { try AccountNumber(parsing: "IFSC:HDFC0000240/12") }
    }
}
