#!/usr/bin/env python3
"""Writes a large payout batch for the benchmark: N payments in EUR to German accounts (valid
IBANs: random bank code and account, ISO 7064 mod 97-10 check digits) held at banks of the
default network, as the payout CSV or as pain.001.001.03 (one PmtInf block, NbOfTxs and CtrlSum
given). Amounts are seeded and exact (Decimal); the same N and seed give the same file.

Usage: scripts/gen_batch.py N csv|pain001 FILE [--seed S] [--date YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal
from pathlib import Path

BANKS = ["COBADEFFXXX", "DEUTDEFFXXX"]
CSV_HEADER = ("name,account,bank,currency,amount,amount_type,source_currency,reference,end_to_end_id,"
              "bearer,execution_date,purpose,street,building,postcode,town,country")


def iban_de(rng: random.Random) -> str:
    bban = f"{rng.randrange(10**7, 10**8):08d}{rng.randrange(10**9, 10**10):010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "DE00")
    check = 98 - int(digits) % 97
    return f"DE{check:02d}{bban}"


def payments(count: int, seed: int):
    rng = random.Random(seed)
    for index in range(count):
        cents = rng.randrange(10_00, 25_000_00)
        yield {
            "name": f"Supplier {index + 1:06d} GmbH",
            "iban": iban_de(rng),
            "bic": BANKS[index % len(BANKS)],
            "amount": Decimal(cents) / 100,
            "e2e": f"E2E-{seed}-{index + 1:07d}",
            "reference": f"Invoice {rng.randrange(10**6, 10**7)}",
        }


def write_csv(path: Path, count: int, seed: int, date: str) -> Decimal:
    total = Decimal(0)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(CSV_HEADER + "\n")
        for p in payments(count, seed):
            total += p["amount"]
            out.write(f"{p['name']},IBAN:{p['iban']},{p['bic']},EUR,{p['amount']:.2f},send,EUR,"
                      f"{p['reference']},{p['e2e']},SHA,{date},,Hauptstrasse,1,10115,Berlin,DE\n")
    return total


def write_pain001(path: Path, count: int, seed: int, date: str) -> Decimal:
    total = sum((p["amount"] for p in payments(count, seed)), Decimal(0))
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">'
                  "<CstmrCdtTrfInitn><GrpHdr>"
                  f"<MsgId>BENCH-{seed}-{count}</MsgId><CreDtTm>{date}T08:00:00</CreDtTm>"
                  f"<NbOfTxs>{count}</NbOfTxs><CtrlSum>{total:.2f}</CtrlSum>"
                  "<InitgPty><Nm>Acme GmbH</Nm></InitgPty></GrpHdr>\n"
                  "<PmtInf><PmtInfId>BENCH-1</PmtInfId><PmtMtd>TRF</PmtMtd>"
                  f"<NbOfTxs>{count}</NbOfTxs><CtrlSum>{total:.2f}</CtrlSum>"
                  f"<ReqdExctnDt>{date}</ReqdExctnDt><Dbtr><Nm>Acme GmbH</Nm></Dbtr>"
                  "<DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></DbtrAcct>"
                  "<DbtrAgt><FinInstnId><BIC>DEUTDEFFXXX</BIC></FinInstnId></DbtrAgt>"
                  "<ChrgBr>SLEV</ChrgBr>\n")
        for p in payments(count, seed):
            out.write("<CdtTrfTxInf>"
                      f"<PmtId><InstrId>{p['e2e']}</InstrId><EndToEndId>{p['e2e']}</EndToEndId></PmtId>"
                      f'<Amt><InstdAmt Ccy="EUR">{p["amount"]:.2f}</InstdAmt></Amt>'
                      f"<CdtrAgt><FinInstnId><BIC>{p['bic']}</BIC></FinInstnId></CdtrAgt>"
                      f"<Cdtr><Nm>{p['name']}</Nm><PstlAdr><Ctry>DE</Ctry></PstlAdr></Cdtr>"
                      f"<CdtrAcct><Id><IBAN>{p['iban']}</IBAN></Id></CdtrAcct>"
                      f"<RmtInf><Ustrd>{p['reference']}</Ustrd></RmtInf></CdtTrfTxInf>\n")
        out.write("</PmtInf></CstmrCdtTrfInitn></Document>\n")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("format", choices=["csv", "pain001"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--date", default="2026-12-01")
    args = parser.parse_args()
    write = write_csv if args.format == "csv" else write_pain001
    total = write(args.file, args.count, args.seed, args.date)
    print(f"{args.file}: {args.count} payments, {total:.2f} EUR, {args.file.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
