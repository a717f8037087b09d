#!/usr/bin/env python3
"""Writes pain.001 fixtures made by an independent library, sepaxml, for FundflowFormats' batch reader.

usage: scripts/gen_pain001_fixtures.py [--check] [--seed N]   (in scripts/test's venv)

From a list of payments drawn by a seeded random generator (valid IBANs from schwifty, BICs of
the creditors' countries, amounts in cents, EndToEndIds, execution dates), sepaxml builds
pain.001.001.03 files and validates them against its copy of the ISO schema. Next to each XML
file goes a JSON manifest with what the file must read as: the message id, the blocks (execution
date, number of transactions, control sum) and every item in file order (EndToEndId, amount,
currency, creditor name, IBAN, BIC, remittance). `FundflowEngineTests/Formats/
SepaxmlFixtureTests.swift` reads each pair and requires exact agreement.

- sepaxml 2.6.1 has schemas pain.001.001.03 and the German pain.001.003.03 (and the old .001.01 /
  .003.01), but no pain.001.001.09: only .03 variants are generated (batch booking in EUR, one
  block per payment in EUR, and a domestic batch in CHF).
- sepaxml puts the clock and random ids into the file (CreDtTm from datetime.now(), MsgId and
  PmtInfId from SystemRandom). They are replaced here by a fixed time and ids derived from the
  seed, so the output depends on the seed alone; `--check` regenerates into a temporary folder and
  compares byte for byte with the committed files (scripts/test runs it).
- Items without an EndToEndId get sepaxml's NOTPROVIDED, which may repeat; some items carry no
  BIC (an IBAN lets the bank be derived).
"""

import datetime
import json
import random
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import sepaxml
import sepaxml.shared
import sepaxml.transfer
from schwifty import IBAN

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "FundflowEngineTests" / "Formats" / "Fixtures"
DEFAULT_SEED = 20240102
GENERATOR = "sepaxml 2.6.1"

# One real-form BIC per creditor country (BIC country = IBAN country).
BICS = {
    "DE": "COBADEFFXXX", "FR": "BNPAFRPPXXX", "NL": "ABNANL2AXXX", "AT": "BKAUATWWXXX",
    "BE": "GEBABEBBXXX", "IT": "UNCRITMMXXX", "ES": "CAIXESBBXXX", "CH": "UBSWCHZH80A",
}
NAMES = [
    "Anna Schmidt", "Bureau Martin SARL", "De Vries BV", "Huber & Partner GmbH", "Peeters NV",
    "Rossi Forniture Srl", "Garcia y Hijos SL", "Keller AG", "Nordwind Logistik GmbH",
    "Atelier Dubois", "Van Dijk Transport", "Bianchi Consulting",
]


class FixedDateTime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2024, 1, 2, 9, 30, 0)


class FixedClock:
    """Stands in for the `datetime` module inside sepaxml.transfer: now() is fixed."""

    date = datetime.date
    datetime = FixedDateTime


def cents(amount: int) -> str:
    return f"{amount // 100}.{amount % 100:02d}"


def payments(rng: random.Random, count: int, currency: str, countries: list, dates: list) -> list:
    """The seeded payments, in the order they are given to sepaxml."""
    drawn = []
    for index in range(count):
        country = rng.choice(countries)
        iban = str(IBAN.random(country_code=country, random=rng, use_registry=False))
        payment = {
            "name": rng.choice(NAMES),
            "IBAN": iban,
            "amount": rng.randint(1, 2_500_000),
            "execution_date": rng.choice(dates),
            "description": f"Invoice {rng.randint(1000, 99999)}",
            "currency": currency,
        }
        if rng.random() < 0.75:
            payment["BIC"] = BICS[country]
        if index % 5 != 3:  # every fifth payment (4th, 9th, …) leaves its EndToEndId out
            payment["endtoend_id"] = f"FF-{index + 1:04d}-{rng.randrange(16 ** 6):06x}"
        drawn.append(payment)
    return drawn


def build(variant: dict, seed: int) -> tuple:
    """The XML bytes sepaxml makes for one variant, and its manifest."""
    rng = random.Random(f"{seed}-{variant['name']}")
    dates = [datetime.date(2024, 1, 2) + datetime.timedelta(days=d) for d in variant["day_offsets"]]
    drawn = payments(rng, variant["count"], variant["currency"], variant["countries"], dates)
    message_id = f"FF-{seed}-{variant['name']}"[:35]
    counter = iter(range(1, 1000))
    sepaxml.shared.make_msg_id = lambda: message_id
    sepaxml.transfer.make_id = lambda name: f"{variant['name']}-{next(counter):03d}"
    sepaxml.transfer.datetime = FixedClock
    config = {
        "name": "Fundflow Test GmbH",
        "IBAN": str(IBAN.random(country_code=variant["debtor_country"], random=rng, use_registry=False)),
        "BIC": BICS[variant["debtor_country"]],
        "batch": variant["batch"],
        "currency": variant["currency"],
        "domestic": variant.get("domestic", False),
    }
    transfer = sepaxml.SepaTransfer(config, schema="pain.001.001.03")
    for payment in drawn:
        given = {key: value for key, value in payment.items() if key != "currency"}
        transfer.add_payment(dict(given))
    xml = transfer.export(validate=True, pretty_print=True)
    return xml, manifest(variant, seed, message_id, drawn)


def manifest(variant: dict, seed: int, message_id: str, drawn: list) -> dict:
    """What the file must read as. With batch booking sepaxml makes one block per execution date,
    in the order the dates first appear; otherwise one block per payment."""
    if variant["batch"]:
        order = []
        for payment in drawn:
            if payment["execution_date"] not in order:
                order.append(payment["execution_date"])
        groups = [[p for p in drawn if p["execution_date"] == date] for date in order]
    else:
        groups = [[p] for p in drawn]
    blocks = [
        {
            "executionDate": group[0]["execution_date"].isoformat(),
            "numberOfTransactions": len(group),
            "controlSum": cents(sum(p["amount"] for p in group)),
            "items": [
                {
                    "endToEndID": p.get("endtoend_id", "NOTPROVIDED"),
                    "amount": cents(p["amount"]),
                    "currency": p["currency"],
                    "creditorName": p["name"],
                    "creditorIBAN": p["IBAN"],
                    "creditorBIC": p.get("BIC"),
                    "remittance": p["description"],
                }
                for p in group
            ],
        }
        for group in groups
    ]
    return {
        "generator": GENERATOR,
        "seed": seed,
        "schema": "pain.001.001.03",
        "messageID": message_id,
        "numberOfTransactions": len(drawn),
        "controlSum": cents(sum(p["amount"] for p in drawn)),
        "blocks": blocks,
    }


VARIANTS = [
    {"name": "batch-eur", "batch": True, "currency": "EUR", "count": 12, "day_offsets": [0, 1, 7],
     "countries": ["DE", "FR", "NL", "AT", "BE", "IT", "ES"], "debtor_country": "DE"},
    {"name": "single-eur", "batch": False, "currency": "EUR", "count": 4, "day_offsets": [0, 3],
     "countries": ["DE", "NL", "FR"], "debtor_country": "NL"},
    {"name": "batch-chf", "batch": True, "currency": "CHF", "count": 5, "day_offsets": [1],
     "countries": ["CH"], "debtor_country": "CH", "domestic": True},
]


def write_all(folder: Path, seed: int) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for variant in VARIANTS:
        xml, data = build(variant, seed)
        stem = f"sepaxml_pain.001.001.03_{variant['name']}"
        (folder / f"{stem}.xml").write_bytes(xml)
        (folder / f"{stem}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        written += [f"{stem}.xml", f"{stem}.json"]
    return written


def main() -> int:
    args = sys.argv[1:]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else DEFAULT_SEED
    installed = metadata.version("sepaxml")
    if GENERATOR != f"sepaxml {installed}":
        print(f"{GENERATOR} is pinned in scripts/requirements.txt, but sepaxml {installed} is installed")
        return 1
    if "--check" not in args:
        for name in write_all(OUT, seed):
            print(f"wrote {OUT / name}")
        return 0
    with tempfile.TemporaryDirectory() as temporary:
        names = write_all(Path(temporary), seed)
        stale = [
            name for name in names
            if not (OUT / name).is_file() or (OUT / name).read_bytes() != (Path(temporary) / name).read_bytes()
        ]
        extra = sorted(p.name for p in OUT.glob("sepaxml_*") if p.name not in names)
    if stale or extra:
        print("pain.001 fixtures differ from what sepaxml makes (run scripts/gen_pain001_fixtures.py):",
              *(stale + [f"{name} (not generated)" for name in extra]), sep="\n  ")
        return 1
    print(f"{len(names)} pain.001 fixture files match {GENERATOR} with seed {seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
