#!/usr/bin/env python3
"""Fundflow's account checks agree with schwifty (IBANs) and with independent check-digit code here
(CLABE, ABA routing numbers).

usage: scripts/iban_crosscheck.py [FUNDFLOW_BINARY] [--ibans N] [--seed S] [--keep]

IBANs: N (default 6,000) seeded cases, about a third valid — `schwifty.IBAN.random` for every
country of schwifty's IBAN registry, written plainly, in groups of four or in lower case — and the
rest corrupted from valid ones: one character replaced (digit by digit, letter by letter, letter by
digit), two neighbours swapped, one character dropped or doubled, the country replaced by another
IBAN country or by a non-country, the check digits replaced (by their twins 00/01/99 where those
keep mod-97 at 1), a dash inserted. The expected answer is schwifty's default check
(`IBAN(text, allow_invalid=True).is_valid`, schwifty pinned in requirements.txt); Fundflow's is
`beneficiary validate --iban TEXT --json` → {"valid": …}, which must exit 0 either way. Every case
must agree, and at least 40 % of the corrupted cases must be ones schwifty still rejects for a
reason other than length (so the BBAN-format and check-digit paths are exercised).

CLABE and ABA: hand-made valid numbers (real published ones) and every single-digit change and
every neighbour swap of them, checked here with the Banco de México weights 3-7-1 and the ABA
3-7-1 weights plus the Federal Reserve prefixes, against `beneficiary validate --account
CLABE:… / ABA:ROUTING/1234567 --json`.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    CheckFailed, Fundflow, main_wrapper, private_copy, resolve_binary, workdir)

from schwifty import IBAN  # noqa: E402
from schwifty import registry  # noqa: E402

CLABES = ["002010077777777771", "032180000118359719", "014027000005555558"]
ROUTINGS = ["021000021", "026009593", "011000015", "121000358", "322271627", "111000025", "091000019"]


def schwifty_valid(text: str) -> tuple[bool, str]:
    try:
        iban = IBAN(text, allow_invalid=True)
        iban.validate()
        return True, ""
    except Exception as error:  # schwifty raises its own exception types
        return False, type(error).__name__


def clabe_valid(text: str) -> bool:
    if len(text) != 18 or not text.isdigit():
        return False
    weights = [3, 7, 1]
    total = sum(int(text[i]) * weights[i % 3] % 10 for i in range(17))
    return (10 - total % 10) % 10 == int(text[17])


def aba_valid(text: str) -> bool:
    if len(text) != 9 or not text.isdigit():
        return False
    prefix = int(text[:2])
    if not (0 <= prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80):
        return False
    d = [int(c) for c in text]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0


def corruptions(rng: random.Random, valid: str, countries: list[str]) -> list[str]:
    chars = list(valid)
    out = []
    index = rng.randrange(len(chars))
    replaced = chars.copy()
    pool = string.digits if chars[index].isdigit() else string.ascii_uppercase
    replaced[index] = rng.choice([c for c in pool if c != chars[index]])
    out.append("".join(replaced))
    index = rng.randrange(4, len(chars))
    cross = chars.copy()
    cross[index] = rng.choice(string.ascii_uppercase if chars[index].isdigit() else string.digits)
    out.append("".join(cross))
    index = rng.randrange(len(chars) - 1)
    swapped = chars.copy()
    swapped[index], swapped[index + 1] = swapped[index + 1], swapped[index]
    out.append("".join(swapped))
    index = rng.randrange(len(chars))
    out.append("".join(chars[:index] + chars[index + 1:]))
    out.append("".join(chars[:index] + [chars[index]] + chars[index:]))
    out.append(rng.choice(countries) + valid[2:])
    out.append(rng.choice(["XX", "QQ", "ZZ", "AA"]) + valid[2:])
    digits = int(valid[2:4])
    twins = {2: "99", 3: "00", 4: "01"}
    out.append(valid[:2] + (twins.get(digits) or f"{(digits + rng.randrange(1, 97)) % 100:02d}") + valid[4:])
    index = rng.randrange(4, len(chars))
    out.append("".join(chars[:index] + ["-"] + chars[index:]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--ibans", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=13616)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    started = time.monotonic()
    rng = random.Random(options.seed)
    countries = sorted(registry.get("iban").keys())
    cases: list[str] = []
    while len(cases) < options.ibans:
        country = rng.choice(countries)
        valid = str(IBAN.random(country_code=country, random=rng, use_registry=False))
        style = rng.randrange(3)
        shown = valid if style == 0 else (" ".join(valid[i:i + 4] for i in range(0, len(valid), 4))
                                          if style == 1 else valid.lower())
        cases.append(shown)
        cases.extend(rng.sample(corruptions(rng, valid, countries), 2))
    cases = cases[:options.ibans]
    expected = [schwifty_valid(case) for case in cases]

    accounts: list[tuple[str, bool]] = []
    for clabe in CLABES:
        if not clabe_valid(clabe):
            raise CheckFailed(f"hand-made CLABE {clabe} is not valid by the weights here")
        variants = {clabe}
        for i in range(18):
            for digit in string.digits:
                variants.add(clabe[:i] + digit + clabe[i + 1:])
            if i < 17:
                variants.add(clabe[:i] + clabe[i + 1] + clabe[i] + clabe[i + 2:])
        accounts += [(f"CLABE:{v}", clabe_valid(v)) for v in sorted(variants)]
    for routing in ROUTINGS:
        if not aba_valid(routing):
            raise CheckFailed(f"hand-made routing number {routing} is not valid by the weights here")
        variants = {routing}
        for i in range(9):
            for digit in string.digits:
                variants.add(routing[:i] + digit + routing[i + 1:])
            if i < 8:
                variants.add(routing[:i] + routing[i + 1] + routing[i] + routing[i + 2:])
        accounts += [(f"ABA:{v}/1234567", aba_valid(v)) for v in sorted(variants)]

    with workdir("fundflow-iban-", keep=options.keep) as root:
        binary = private_copy(resolve_binary(options.binary), root)
        fundflow = Fundflow(binary, root / "unused.db", root)
        lines = [f"beneficiary validate --iban '{case}'" for case in cases]
        lines += [f"beneficiary validate --account '{account}'" for account, _ in accounts]
        script = root / "validate.fundflow"
        script.write_text("\n".join(lines) + "\n")
        run = fundflow.run("--json", str(script), timeout=600)
        if run.returncode != 0:
            raise CheckFailed("fundflow failed on the validation script\n" + run.describe())
        decoder = json.JSONDecoder()
        documents, index, text = [], 0, run.stdout
        while True:
            while index < len(text) and text[index].isspace():
                index += 1
            if index >= len(text):
                break
            document, index = decoder.raw_decode(text, index)
            documents.append(document)
        if len(documents) != len(lines):
            raise CheckFailed(f"{len(documents)} answers for {len(lines)} commands")

    mismatches = []
    for case, (want, reason), got in zip(cases, expected, documents):
        if got.get("valid") != want:
            mismatches.append(f"IBAN {case!r}: schwifty {'valid' if want else 'invalid (' + reason + ')'}, "
                              f"fundflow {got}")
    for (account, want), got in zip(accounts, documents[len(cases):]):
        if got.get("valid") != want:
            mismatches.append(f"{account}: expected {'valid' if want else 'invalid'}, fundflow {got}")
    valid_count = sum(want for want, _ in expected)
    reasons: dict[str, int] = {}
    for want, reason in expected:
        if not want:
            reasons[reason] = reasons.get(reason, 0) + 1
    invalid = len(cases) - valid_count
    not_length = invalid - reasons.get("InvalidLength", 0)
    print(f"IBANs: {len(cases)} cases ({valid_count} valid, {invalid} invalid: "
          + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) + f") over {len(countries)} countries")
    print(f"CLABE/ABA: {len(accounts)} cases ({sum(w for _, w in accounts)} valid)")
    print(f"mismatches: {len(mismatches)}; elapsed {time.monotonic() - started:.1f}s")
    for line in mismatches[:10]:
        print("  " + line)
    if mismatches:
        raise CheckFailed(f"{len(mismatches)} answers differ")
    if not_length < 0.4 * invalid:
        raise CheckFailed(f"only {not_length} of {invalid} invalid cases fail for a reason other than length")
    print("iban_crosscheck: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
