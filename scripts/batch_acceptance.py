#!/usr/bin/env python3
"""A payout batch end to end, checked with independent tools.

A CSV batch of four payouts goes through import, quote, approval by a second person and
submission on a simulated clock: two are credited in India, one is recalled on its way (it comes
back as a return, FOCR) and one is rejected AC01 by the Manila bank after conversion (a return).
Then:

- the pain.002 report validates against the official pain.002.001.03 schema (xmlschema) and
  carries the right status and reason per item, PART for the group and the block;
- `ledger verify` passes, and hledger reads the exported books with the same wallet balances;
- every wallet equals funding − debits (principal and billed fees) + returns, with the debits
  taken from the quotes and the returns from the tracker;
- the tracker's amounts add up hop by hop (deducted charges, conversions at the displayed rate);
- the Manila return is worked by hand here, from the network files and the ECB history with
  Python's Fraction: USD 1,000 under SHA, the Manila bank's creditor fee in USD, USD→PHP at the
  ECB cross rate less its margin, rejected AC01, its return fee in PHP, PHP→USD less its margin;
  the wallet must get exactly that.

Usage: scripts/batch_acceptance.py [FUNDFLOW_BINARY]
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

from fundflow_testlib import (PACKAGE_ROOT, CheckFailed, Fundflow, main_wrapper, private_copy,
                              resolve_binary, workdir)

SHARED = PACKAGE_ROOT.parent / "shared"
XSD = SHARED / "data/iso20022-xsd/pain.002.001.03.xsd"
NETWORK = PACKAGE_ROOT / "rates/network"
ECB = PACKAGE_ROOT / "rates/eurofxref-hist.csv"
NS = "{urn:iso:std:iso:20022:tech:xsd:pain.002.001.03}"
PIN = "482913"
EXPONENT = {"EUR": 2, "USD": 2, "INR": 2, "PHP": 2}

HEADER = ("name,account,bank,currency,amount,amount_type,source_currency,reference,end_to_end_id,"
          "bearer,execution_date,purpose,street,building,postcode,town,country")
ITEMS = [
    "Tata Steel Ltd,IFSC:HDFC0000240/50100012345678,HDFCINBBXXX,INR,1000.00,send,EUR,inv 1,E2E-1,SHA,"
    "2026-12-01,SUPP,,,,Mumbai,IN",
    "Infosys Ltd,IFSC:HDFC0000240/50100099999999,HDFCINBBXXX,INR,2500.00,send,EUR,inv 2,E2E-2,SHA,"
    "2026-12-01,SUPP,,,,Bangalore,IN",
    "Manila Parts Inc,ACCT:001234567890,BNORPHMMXXX,PHP,1000.00,send,USD,inv 3,E2E-3,SHA,2026-12-01,,,,,"
    "Manila,PH",
    "Wipro Ltd,IFSC:HDFC0000240/50100055555555,HDFCINBBXXX,INR,50000.00,receive,EUR,inv 4,E2E-4,SHA,"
    "2026-12-01,SUPP,,,,Pune,IN",
]
FUNDING = {"EUR": Fraction(50000), "USD": Fraction(5000)}


def minor(amount: str, currency: str) -> int:
    value = Fraction(amount) * 10 ** EXPONENT[currency]
    if value.denominator != 1:
        raise CheckFailed(f"{amount} {currency} has more decimals than the currency")
    return int(value)


def round_half_even(value: Fraction) -> int:
    return round(value)


def round_half_up(value: Fraction) -> int:
    floor = value.numerator // value.denominator
    return floor + 1 if value - floor >= Fraction(1, 2) else floor


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def fee(bic: str, currency: str, role: str, base_minor: int) -> int:
    """DESIGN §2: clamp(fixed + round_half_up(base × bps / 10000), min, max); max 0 = none."""
    rows = read_csv(NETWORK / "fees.csv")
    row = next((r for r in rows if r["bic"] == bic and r["currency"] == currency and r["role"] == role),
               None) or next((r for r in rows if r["bic"] == bic and r["currency"] == currency
                              and r["role"] == "any"), None)
    if row is None:
        return 0
    scale = 10 ** EXPONENT[currency]
    amount = int(Fraction(row["fixed"]) * scale) + round_half_up(
        Fraction(base_minor) * int(row["percent_bps"]) / 10000)
    amount = max(amount, int(Fraction(row["min"]) * scale))
    maximum = int(Fraction(row["max"]) * scale)
    return min(amount, maximum) if maximum > 0 else amount


def margin(bic: str, source: str, target: str) -> int:
    rows = read_csv(NETWORK / "fx.csv")
    for a, b in ((source, target), (target, source)):
        for row in rows:
            if row["bic"] == bic and row["from_currency"] == a and row["to_currency"] == b:
                return int(row["margin_bps"])
    return 0


def ecb(currency: str, on_or_before: str) -> Fraction:
    if currency == "EUR":
        return Fraction(1)
    with ECB.open(newline="") as handle:
        for row in csv.DictReader(handle):
            value = row.get(currency, "").strip()
            if row["Date"] <= on_or_before and value and value != "N/A":
                return Fraction(value)
    raise CheckFailed(f"no ECB rate for {currency} on or before {on_or_before}")


def convert(amount_minor: int, source: str, target: str, bps: int, day: str) -> int:
    """round_half_even(amount × (q_target / q_source) × 10^(e_t − e_s) × (1 − bps/10000))."""
    mid = ecb(target, day) / ecb(source, day)
    scale = Fraction(10) ** (EXPONENT[target] - EXPONENT[source])
    return round_half_even(amount_minor * mid * scale * Fraction(10000 - bps, 10000))


def hand_worked_manila_return(instructed_minor: int, day: str) -> int:
    """USD from CHASUS33XXX to BNORPHMMXXX under SHA, rejected AC01 after conversion, returned."""
    held = instructed_minor - fee("BNORPHMMXXX", "USD", "creditor", instructed_minor)
    php = convert(held, "USD", "PHP", margin("BNORPHMMXXX", "USD", "PHP"), day)
    back = php - fee("BNORPHMMXXX", "PHP", "intermediary", php)
    return convert(back, "PHP", "USD", margin("BNORPHMMXXX", "PHP", "USD"), day)


def check_hops(uetr: str, track: dict) -> int:
    """The tracker's amounts add up hop by hop; returns the number of events checked."""
    events = track["payment_event"]
    if not events:
        raise CheckFailed(f"{uetr}: no events")
    billed = {"CHASUS33XXX", "DEUTDEFFXXX"}  # debtor agents: under SHA their fee is billed
    first = events[0]["instructed_amount"]
    arriving = (minor(first["amount"], first["currency"]), first["currency"])
    for event in events:
        leaving = event["interbank_settlement_amount"] or event["confirmed_amount"]
        if leaving is None:
            continue
        amount, currency = arriving
        for charge in event["charges_information"]:
            if charge["agent"] in billed and not event["return"]:
                continue
            if charge["amount"]["currency"] != currency:
                raise CheckFailed(f"{uetr}: a charge in {charge['amount']['currency']} on {currency}")
            amount -= minor(charge["amount"]["amount"], currency)
        got = minor(leaving["amount"], leaving["currency"])
        if event["exchange_rate"]:
            rate = Fraction(event["exchange_rate"])
            scale = Fraction(10) ** (EXPONENT[leaving["currency"]] - EXPONENT[currency])
            expected = amount * rate * scale
            if abs(got - expected) > 1:
                raise CheckFailed(f"{uetr}: {amount} {currency} at {rate} gives {float(expected):.2f}, "
                                  f"the tracker says {got}")
        elif got != amount:
            raise CheckFailed(f"{uetr}: {event['from']}→{event['to']} {amount} expected, {got} seen")
        arriving = (got, leaving["currency"])
    return len(events)


def main() -> None:
    binary_argument = sys.argv[1] if len(sys.argv) > 1 else None
    with workdir("fundflow-batch-") as directory:
        binary = private_copy(resolve_binary(binary_argument), directory)
        ff = Fundflow(binary, directory / "books.db", directory)
        ff.env["FUNDFLOW_NEW_PIN"] = PIN
        ff.env["USER"] = "ops"
        (directory / "batch.csv").write_text(HEADER + "\n" + "\n".join(ITEMS) + "\n")
        ff.ok("--simulated", "-c", "clock show")
        ff.commands([
            'company create acme --name "Acme GmbH" --country DE',
            "company member add acme ops --role treasurer",
            "wallet open acme EUR", "wallet open acme USD",
            'wallet fund acme "50000.00 EUR" --key wf-1', 'wallet fund acme "5000.00 USD" --key wf-2',
            "user add ana --role approver", "company member add acme ana --role approver",
            "network fail BNORPHMMXXX --reason AC01",
            "clock set 2026-11-30T09:00:00Z",
        ])
        imported = json.loads(ff.ok("batch", "import", "batch.csv", "--company", "acme",
                                    json_output=True).stdout)
        if imported["items"] != 4 or imported["errors"]:
            raise CheckFailed(f"import: {imported}")
        ff.ok("batch", "quote", imported["batch"])
        ana = Fundflow(binary, directory / "books.db", directory)
        ana.env["FUNDFLOW_PIN"] = PIN
        ana.env["USER"] = "ops"
        ana.ok("--as", "ana", "batch", "approve", imported["batch"])
        ana.ok("--as", "ana", "batch", "submit", imported["batch"])
        status = json.loads(ff.ok("batch", "status", imported["batch"], json_output=True).stdout)
        payouts = {item["endToEndId"]: item for item in status["items"]}
        # Half an hour after the Frankfurt cut-off: E2E-2 is on its way, recall it.
        ff.ok("clock", "set", "2026-12-01T16:30:00Z")
        recall = json.loads(ana.ok("--as", "ana", "payout", "recall", str(payouts["E2E-2"]["payout"]),
                                   "--reason", "DUPL", json_output=True).stdout)
        if not (recall["recall"] or "").startswith("DUPL: CNCL"):
            raise CheckFailed(f"the recall on the way should stop the payment: {recall['recall']}")
        ff.ok("clock", "set", "2026-12-20T00:00:00Z")

        # pain.002 against the official schema, with the right status per item.
        ff.ok("batch", "report", imported["batch"], "--pain002", "status.xml", "--csv", "status.csv")
        schema = xmlschema.XMLSchema(str(XSD))
        errors = list(schema.iter_errors(str(directory / "status.xml")))
        if errors:
            raise CheckFailed(f"status.xml is not valid pain.002.001.03: {errors[0]}")
        root = ElementTree.parse(directory / "status.xml").getroot()
        seen = {}
        for tx in root.iter(NS + "TxInfAndSts"):
            reason = tx.find(f"{NS}StsRsnInf/{NS}Rsn/{NS}Cd")
            seen[tx.findtext(NS + "OrgnlEndToEndId")] = (
                tx.findtext(NS + "TxSts"), reason.text if reason is not None else None)
        wanted = {"E2E-1": ("ACSC", None), "E2E-2": ("RJCT", "FOCR"), "E2E-3": ("RJCT", "AC01"),
                  "E2E-4": ("ACSC", None)}
        if seen != wanted:
            raise CheckFailed(f"pain.002 statuses {seen}, expected {wanted}")
        group = root.findtext(f"{NS}CstmrPmtStsRpt/{NS}OrgnlGrpInfAndSts/{NS}GrpSts")
        block = root.findtext(f"{NS}CstmrPmtStsRpt/{NS}OrgnlPmtInfAndSts/{NS}PmtInfSts")
        original = root.findtext(f"{NS}CstmrPmtStsRpt/{NS}OrgnlGrpInfAndSts/{NS}OrgnlMsgId")
        if (group, block) != ("PART", "PART") or original != status["batch"]["messageId"]:
            raise CheckFailed(f"group {group}, block {block}, OrgnlMsgId {original}")
        print(f"pain.002: valid against {XSD.name}; {len(seen)} items with the expected statuses; "
              f"group and block PART; OrgnlMsgId {original}")

        verify = ff.run("ledger", "verify")
        if verify.returncode != 0:
            raise CheckFailed("ledger verify failed\n" + verify.describe())

        # The wallet equation, from the quotes (debits) and the tracker (returns).
        expected = dict(FUNDING)
        hops = 0
        manila_back = None
        for e2e, item in payouts.items():
            payout = json.loads(ff.ok("payout", "show", str(item["payout"]), json_output=True).stdout)
            expected[payout["sendCurrency"]] -= Fraction(payout["debited"])
            track = json.loads(ff.ok("track", payout["uetr"], json_output=True).stdout)
            hops += check_hops(payout["uetr"], track)
            last = track["payment_event"][-1]
            if last["return"]:
                back = last["confirmed_amount"]
                expected[back["currency"]] += Fraction(back["amount"])
                if e2e == "E2E-3":
                    manila_back = minor(back["amount"], back["currency"])
        balances = ff.balances()
        for currency, amount in expected.items():
            got = balances[f"wallet:acme:{currency}"][1]
            if Fraction(got) != amount:
                raise CheckFailed(f"wallet:acme:{currency} is {got}, funding − debits + returns = "
                                  f"{float(amount):.2f}")
        ff.ok("ledger", "export", "--format", "hledger", "books.journal")
        hledger = subprocess.run(["hledger", "-f", "books.journal", "balance", "--flat", "-N",
                                  "--output-format", "csv", "Wallet"], cwd=directory,
                                 capture_output=True, text=True, check=True)
        hledger_wallets = {}
        for row in csv.reader(hledger.stdout.splitlines()[1:]):
            amount, currency = row[1].replace(",", "").split()[-2:] if " " in row[1] else (row[1], "")
            hledger_wallets[row[0]] = (amount, currency)
        for currency, amount in expected.items():
            name = f"liabilities:wallet:acme:{currency}".lower()
            match = [v for k, v in hledger_wallets.items() if k.lower() == name]
            if not match or abs(Fraction(match[0][0].lstrip("-").replace(currency, "").strip())) != amount:
                raise CheckFailed(f"hledger's {name} is {match}, expected {float(amount):.2f}")
        print(f"wallets: EUR {float(expected['EUR']):.2f}, USD {float(expected['USD']):.2f} = funding − "
              f"debits + returns, in fundflow and in hledger; ledger verify passes; "
              f"{hops} tracker events add up hop by hop")

        # A pain.001 past the 10 MB FoundationXML's parser refused: every payment, to the cent.
        generated = subprocess.run(
            [sys.executable, str(PACKAGE_ROOT / "scripts/gen_batch.py"), "26000", "pain001",
             str(directory / "big.xml")], capture_output=True, text=True, check=True).stdout
        total = Fraction(generated.split(", ")[1].split()[0])
        size = (directory / "big.xml").stat().st_size
        big = json.loads(ff.ok("batch", "import", "big.xml", "--company", "acme",
                               json_output=True, timeout=1800).stdout)
        if big["items"] != 26000 or big["errors"] or [
                (t["currency"], Fraction(t["amount"])) for t in big["totals"]] != [("EUR", total)]:
            raise CheckFailed(f"the {size:,}-byte pain.001: {big['items']} items, {big['totals']}")
        print(f"a {size:,}-byte pain.001.001.03: 26,000 payments, {generated.split(', ')[1]}, "
              f"imported exactly")

        worked = hand_worked_manila_return(minor("1000.00", "USD"), "2026-12-01")
        if manila_back != worked:
            raise CheckFailed(f"the Manila return credited {manila_back} cents, worked by hand: {worked}")
        print(f"Manila return: USD 1,000.00 SHA, AC01 after conversion → {worked / 100:.2f} USD back, "
              f"as worked by hand from fees.csv, fx.csv and the ECB history")


if __name__ == "__main__":
    main_wrapper(main)
