#!/usr/bin/env python3
"""Export check: Fundflow's hledger / ledger / beancount exports are accepted by the real tools,
report the same balances as Fundflow, and a one-minor-unit corruption is rejected by every tool.

usage: scripts/check_export.py [FUNDFLOW_BINARY] [--seed N] [--random-transfers N] [--keep]

Needs `hledger` (1.25) and `ledger` (3.3) on PATH. bean-check comes from beancount as pinned in
scripts/requirements.txt: the running interpreter's when it has that version (as in scripts/test's
venv), else a venv ($FUNDFLOW_SCRIPTS_VENV, default ~/.cache/fundflow/scripts-venv) that is created
and filled from requirements.txt when it does not already hold the pinned version.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    SCRIPTS_DIR, CheckFailed, Fundflow, main_wrapper, private_copy, resolve_binary, workdir)

EXPONENT = {"EUR": 2, "USD": 2, "JPY": 0, "KWD": 3}
NOSTROS = {
    "EUR": ["nostro:DEUTDEFFXXX:EUR", "nostro:COBADEFF:EUR"],
    "USD": ["nostro:CHASUS33XXX:USD"],
    "JPY": ["nostro:BOTKJPJT:JPY"],
    "KWD": ["nostro:NBOKKWKWXXX:KWD"],
}
COMPANIES = ["acme", "globex", "7seas", "blue-sky"]
MEMOS = [
    None, None, None, "salary run", 'invoice "Q3-17"', "split; second part", "50% off @ 1.10 {promo}",
    "back\\slash", "Zürich — ¥ 東京", "it's fine", "two  spaces", "#hashtag", "(code) leading parens",
]

# DESIGN.md §3: type and normal side from the first segment.
TYPE_BY_PREFIX = {
    "nostro": "asset", "wallet": "liability", "family": "liability", "member": "liability",
    "transit": "liability", "settlement": "liability", "provider": "liability", "suspense": "liability",
    "equity": "equity", "fees:income": "income", "fees:expense": "expense", "fx:position": "equity",
    "fx:revenue": "income",
}
ROOT = {"asset": "Assets", "liability": "Liabilities", "equity": "Equity", "income": "Income", "expense": "Expenses"}
DEBIT_NORMAL = {"asset", "expense"}
NON_NEGATIVE_PREFIXES = ("nostro:", "wallet:", "family:", "member:", "transit:", "settlement:", "provider:")

TOOLS = ("hledger", "ledger", "beancount")
EXTENSION = {"hledger": "hledger", "ledger": "ledger", "beancount": "beancount"}


def account_type(name: str) -> str:
    segments = name.split(":")
    for length in (2, 1):
        prefix = ":".join(segments[:length])
        if prefix in TYPE_BY_PREFIX:
            return TYPE_BY_PREFIX[prefix]
    raise CheckFailed(f"no type known for account {name}")


def export_name(name: str, kind: str) -> str:
    """The name mapping the export promises, computed independently of the Swift code."""
    root = ROOT[kind]
    segments = [segment[:1].upper() + segment[1:] for segment in name.split(":")]
    if segments[0] == root:
        segments = segments[1:]
    return ":".join([root] + segments)


def fmt(minor: int, currency: str) -> str:
    exponent = EXPONENT[currency]
    if exponent == 0:
        return str(minor)
    text = str(minor).rjust(exponent + 1, "0")
    return f"{text[:-exponent]}.{text[-exponent:]}"


class Books:
    """An independent model of the ledger the script builds: balances in minor units on the normal side."""

    def __init__(self) -> None:
        self.balance: dict[str, int] = {}
        self.currency: dict[str, str] = {}
        self.lines: list[str] = []
        self.count = 0

    def open(self, name: str, currency: str) -> None:
        self.balance[name] = 0
        self.currency[name] = currency
        self.lines.append(f"ledger open {name} {currency}")

    def can_debit(self, name: str, minor: int) -> bool:
        if account_type(name) in DEBIT_NORMAL or not name.startswith(NON_NEGATIVE_PREFIXES):
            return True
        return self.balance[name] >= minor

    def can_credit(self, name: str, minor: int) -> bool:
        if account_type(name) not in DEBIT_NORMAL or not name.startswith(NON_NEGATIVE_PREFIXES):
            return True
        return self.balance[name] >= minor

    def post(self, debit: str, credit: str, minor: int, memo: str | None = None) -> None:
        currency = self.currency[debit]
        assert currency == self.currency[credit] and minor > 0
        assert self.can_debit(debit, minor) and self.can_credit(credit, minor), (debit, credit, minor)
        self.balance[debit] += minor if account_type(debit) in DEBIT_NORMAL else -minor
        self.balance[credit] += -minor if account_type(credit) in DEBIT_NORMAL else minor
        self.count += 1
        words = ["ledger", "post", "--debit", debit, "--credit", credit, f"{fmt(minor, currency)} {currency}",
                 "--key", f"exp-{self.count}"]
        if memo is not None:
            words += ["--memo", memo]
        if any(name.startswith(("wallet:", "family:", "member:")) for name in (debit, credit)):
            words += ["--reason", "export check"]
        self.lines.append(" ".join(shlex.quote(word) for word in words))


def build_books(rng: random.Random, random_transfers: int) -> Books:
    books = Books()
    for currency in EXPONENT:
        for nostro in NOSTROS[currency]:
            books.open(nostro, currency)
        for company in COMPANIES:
            books.open(f"wallet:{company}:{currency}", currency)
        for other in ("equity:opening", "fees:income", "fees:expense", "suspense", "fx:position"):
            books.open(f"{other}:{currency}", currency)

    def amount(currency: str, low_major: int, high_major: int) -> int:
        scale = 10 ** EXPONENT[currency]
        return rng.randint(low_major * scale, high_major * scale) + (rng.randint(0, scale - 1) if scale > 1 else 0)

    def memo() -> str | None:
        return rng.choice(MEMOS)

    # Fixed part: every currency gets an opening balance, deposits, fees, a bank charge and a payout.
    for currency in EXPONENT:
        scale = 10 ** EXPONENT[currency]
        for nostro in NOSTROS[currency]:
            books.post(nostro, f"equity:opening:{currency}", 1_000_000 * scale + 1, "opening balance")
        for company in COMPANIES:
            books.post(NOSTROS[currency][0], f"wallet:{company}:{currency}", amount(currency, 5_000, 50_000), memo())
        books.post(f"wallet:acme:{currency}", f"fees:income:{currency}", 1, "smallest fee")  # one minor unit
        books.post(f"fees:expense:{currency}", NOSTROS[currency][-1], amount(currency, 1, 30), "bank charge")
        books.post(f"wallet:globex:{currency}", NOSTROS[currency][0], amount(currency, 100, 900), memo())
        books.post(NOSTROS[currency][0], f"suspense:{currency}", amount(currency, 10, 99), "unidentified arrival")

    def nostro_with(currency: str, minor: int) -> str | None:
        options = [name for name in NOSTROS[currency] if books.balance[name] >= minor]
        return rng.choice(options) if options else None

    made = 0
    while made < random_transfers:
        currency = rng.choice(list(EXPONENT))
        company = rng.choice(COMPANIES)
        wallet = f"wallet:{company}:{currency}"
        kind = rng.choice(["deposit", "payout", "fee", "charge", "fx", "suspense", "internal", "nostro"])
        if kind == "deposit":
            books.post(rng.choice(NOSTROS[currency]), wallet, amount(currency, 1, 20_000), memo())
        elif kind == "payout":
            minor = amount(currency, 1, 5_000)
            nostro = nostro_with(currency, minor)
            if nostro is None or books.balance[wallet] < minor:
                continue
            books.post(wallet, nostro, minor, memo())
        elif kind == "fee":
            minor = amount(currency, 0, 25) or 1
            if books.balance[wallet] < minor:
                continue
            books.post(wallet, f"fees:income:{currency}", minor, "service fee")
        elif kind == "charge":
            minor = amount(currency, 0, 40) or 1
            nostro = nostro_with(currency, minor)
            if nostro is None:
                continue
            books.post(f"fees:expense:{currency}", nostro, minor, "correspondent charge")
        elif kind == "fx":
            target = rng.choice([code for code in EXPONENT if code != currency])
            minor = amount(currency, 1, 2_000)
            if books.balance[wallet] < minor:
                continue
            books.post(wallet, f"fx:position:{currency}", minor, f"fx {currency}->{target}")
            books.post(f"fx:position:{target}", f"wallet:{company}:{target}", amount(target, 1, 2_000),
                       f"fx {currency}->{target}")
            made += 1
        elif kind == "suspense":
            suspense = f"suspense:{currency}"
            minor = amount(currency, 1, 50)
            books.post(suspense, wallet, minor, "suspense cleared")  # suspense may go negative
        elif kind == "internal":
            other = f"wallet:{rng.choice([c for c in COMPANIES if c != company])}:{currency}"
            minor = amount(currency, 1, 1_000)
            if books.balance[wallet] < minor:
                continue
            books.post(wallet, other, minor, memo())
        elif kind == "nostro":
            if len(NOSTROS[currency]) < 2:
                continue
            source, target = rng.sample(NOSTROS[currency], 2)
            minor = amount(currency, 1, 10_000)
            if books.balance[source] < minor:
                continue
            books.post(target, source, minor, "nostro rebalancing")
        made += 1
    return books


# --- beancount from the pinned requirements -------------------------------------------------------

def pinned_beancount_version() -> str:
    for line in (SCRIPTS_DIR / "requirements.txt").read_text().splitlines():
        match = re.match(r"\s*beancount\s*==\s*([\w.]+)", line)
        if match:
            return match.group(1)
    raise CheckFailed("scripts/requirements.txt pins no beancount version")


def beancount_python() -> Path:
    """A Python whose beancount (and bean-check) is the pinned version; creates the venv if needed."""
    version = pinned_beancount_version()
    # Already running in an environment with the pinned beancount (scripts/test's venv)? Use it.
    here = Path(sys.executable).parent
    try:
        import beancount  # noqa: PLC0415
        if beancount.__version__ == version and (here / "bean-check").exists():
            return Path(sys.executable)
    except ImportError:
        pass
    venv = Path(os.environ.get("FUNDFLOW_SCRIPTS_VENV", Path.home() / ".cache" / "fundflow" / "scripts-venv"))
    python = venv / "bin" / "python"

    def installed() -> str | None:
        if not python.exists() or not (venv / "bin" / "bean-check").exists():
            return None
        probe = subprocess.run([str(python), "-c", "import beancount; print(beancount.__version__)"],
                               capture_output=True, text=True)
        return probe.stdout.strip() if probe.returncode == 0 else None

    if installed() != version:
        print(f"installing beancount=={version} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r",
                              str(SCRIPTS_DIR / "requirements.txt")], capture_output=True, text=True)
        if pip.returncode != 0:
            raise CheckFailed(f"pip install -r scripts/requirements.txt failed:\n{pip.stderr[-3000:]}")
        if installed() != version:
            raise CheckFailed(f"the venv {venv} does not hold beancount {version} after installing")
    return python


BEANCOUNT_BALANCES = r"""
import json, sys
from beancount import loader
from beancount.core import realization
entries, errors, options = loader.load_file(sys.argv[1])
balances = {}
for real_account in realization.iter_children(realization.realize(entries)):
    for position in real_account.balance:
        key = real_account.account + "\t" + position.units.currency
        balances[key] = str(position.units.number)
print(json.dumps({"errors": [f"{e.source.get('lineno') if e.source else '?'}: {e.message}" for e in errors],
                  "balances": balances}))
"""


# --- running the tools ---------------------------------------------------------------------------

def run_tool(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)


AMOUNT = re.compile(r"^\s*(?:([A-Z]{3})\s*)?(-?[\d,]*\.?\d*)\s*(?:([A-Z]{3}))?\s*$")


def parse_amounts(cell: str) -> list[tuple[str | None, Decimal]]:
    """"-1.00 EUR" (or several, comma-and-space separated) → [(EUR, -1.00)]; a bare "0" → [(None, 0)]."""
    out = []
    for part in re.split(r",\s+|\n", cell.strip()):
        if not part.strip():
            continue
        match = AMOUNT.match(part)
        if not match or not match.group(2) or match.group(2) in ("-", "."):
            raise CheckFailed(f"cannot read the amount {part!r} in {cell!r}")
        out.append((match.group(1) or match.group(3), Decimal(match.group(2).replace(",", ""))))
    return out


def hledger_balances(path: Path) -> dict[tuple[str, str], Decimal]:
    done = run_tool(["hledger", "-f", str(path), "balance", "--flat", "--no-total", "-E", "-O", "csv"])
    if done.returncode != 0:
        raise CheckFailed(f"hledger balance failed: {short(done.stderr, 3)}")
    balances: dict[tuple[str, str], Decimal] = {}
    rows = list(csv.reader(io.StringIO(done.stdout)))
    if not rows or rows[0] != ["account", "balance"]:
        raise CheckFailed(f"unexpected hledger csv header: {rows[:1]}")
    for account, cell in rows[1:]:
        for currency, value in parse_amounts(cell):
            if currency is not None:
                balances[(account, currency)] = balances.get((account, currency), Decimal(0)) + value
    return balances


def ledger_balances(path: Path) -> dict[tuple[str, str], Decimal]:
    done = run_tool(["ledger", "-f", str(path), "--pedantic", "balance", "--flat", "--no-total", "--empty",
                     "--balance-format", "%(account)\t%(scrub(display_total))\n"])
    if done.returncode != 0:
        raise CheckFailed(f"ledger balance failed: {short(done.stderr, 3)}")
    balances: dict[tuple[str, str], Decimal] = {}
    account = None
    for line in done.stdout.splitlines():
        if "\t" in line:
            account, cell = line.split("\t", 1)
        else:  # a multi-commodity total continues on the next lines
            cell = line
        for currency, value in parse_amounts(cell):
            if currency is not None:
                balances[(account, currency)] = balances.get((account, currency), Decimal(0)) + value
    return balances


def beancount_load(python: Path, path: Path) -> dict:
    done = run_tool([str(python), "-c", BEANCOUNT_BALANCES, str(path)])
    if done.returncode != 0:
        raise CheckFailed(f"the beancount loader crashed on {path.name}: {done.stderr.strip()[-1500:]}")
    return json.loads(done.stdout)


def beancount_balances(python: Path, path: Path) -> dict[tuple[str, str], Decimal]:
    loaded = beancount_load(python, path)
    if loaded["errors"]:
        raise CheckFailed(f"beancount loader errors: {loaded['errors'][:5]}")
    return {tuple(key.split("\t")): Decimal(value) for key, value in loaded["balances"].items()}


def accept_checks(fmt_name: str, path: Path, bean_check: Path) -> list[tuple[str, list[str]]]:
    """The acceptance commands for one export format."""
    if fmt_name == "hledger":
        return [
            ("hledger check", ["hledger", "-f", str(path), "check"]),
            ("hledger check --strict (declared accounts and commodities)", ["hledger", "-f", str(path), "check", "--strict"]),
            ("hledger check ordereddates", ["hledger", "-f", str(path), "check", "ordereddates"]),
        ]
    if fmt_name == "ledger":
        return [("ledger --pedantic balance", ["ledger", "-f", str(path), "--pedantic", "balance"])]
    return [("bean-check", [str(bean_check), str(path)])]


def corrupt(text: str, rng: random.Random, currency: str) -> tuple[str, str, str]:
    """Changes ONE posting amount in `currency` by one minor unit (away from zero).
    Returns (the corrupted text, the old line, the new line)."""
    lines = text.split("\n")
    posting = re.compile(r"^(\s+\S+\s+)(-?)(\d+)(?:\.(\d+))?( ([A-Z]{3}))\s*$")
    candidates = [index for index, line in enumerate(lines)
                  if (match := posting.match(line)) and match.group(6) == currency]
    if not candidates:
        raise CheckFailed(f"no {currency} posting line found to corrupt")
    index = rng.choice(candidates)
    head, sign, whole, fraction, tail, _ = posting.match(lines[index]).groups()
    digits = len(fraction or "")
    if digits != EXPONENT[currency]:
        raise CheckFailed(f"the export wrote {lines[index].strip()!r} with {digits} decimals, "
                          f"{currency} has {EXPONENT[currency]}")
    magnitude = int(whole + (fraction or "")) + 1
    text_value = str(magnitude).rjust(digits + 1, "0")
    new_number = f"{text_value[:-digits]}.{text_value[-digits:]}" if digits else text_value
    old = lines[index]
    lines[index] = f"{head}{sign}{new_number}{tail}"
    return "\n".join(lines), " ".join(old.split()), " ".join(lines[index].split())


def short(message: str, lines: int = 6) -> str:
    kept = message.strip().splitlines()
    return "\n  ".join(kept[:lines] + (["..."] if len(kept) > lines else []))


# --- the check -----------------------------------------------------------------------------------

def fx_export_check(binary: Path, root: Path) -> list[str]:
    work = root / "fx"
    work.mkdir(exist_ok=True)
    fundflow = Fundflow(private_copy(binary, work), work / "fx.db", work)
    operator = next(u["name"] for u in json.loads(fundflow.ok("user", "list", json_output=True).stdout) if u["operator"])
    fundflow.commands([
        "company create acme --name 'Acme GmbH' --country DE",
        f"company member add acme {operator} --role treasurer",
        "wallet open acme EUR", "wallet open acme USD", "wallet open acme JPY",
        "wallet fund acme '100000.00 EUR' --key f1",
        "wallet convert acme '12345.67 EUR' --to USD --margin-bps 25 --key c1",
        "wallet convert acme '999.99 USD' --to JPY --margin-bps 40 --key c2",
        "wallet convert acme '50000 JPY' --to EUR --key c3",
    ])
    failures = []
    verify = fundflow.run("ledger", "verify")
    if verify.returncode != 0:
        failures.append("ledger verify failed after conversions:\n" + verify.describe())
    path = work / "fx.journal"
    fundflow.ok("ledger", "export", "--format", "hledger", str(path))
    check = run_tool(["hledger", "-f", str(path), "check", "--strict"])
    if check.returncode != 0:
        failures.append(f"hledger check rejected the FX export: {short(check.stderr or check.stdout)}")
    expected = {}
    for name, (currency, balance) in fundflow.balances().items():
        kind = account_type(name)
        expected[(export_name(name, kind), currency)] = balance if kind in DEBIT_NORMAL else -balance
    reported = hledger_balances(path)
    differ = [f"{key}: fundflow {value}, hledger {reported.get(key)}" for key, value in expected.items()
              if reported.get(key, Decimal(0)) != value]
    if differ:
        failures.append("hledger balances differ after FX:\n  " + "\n  ".join(differ))
    fx_lines = sum(1 for line in path.read_text().splitlines() if " fx" in line and line[:1].isdigit())
    print(f"FX export: 3 conversions ({fx_lines} fx transactions), hledger check --strict "
          f"{'ok' if check.returncode == 0 else 'FAILED'}, {len(expected)} balances "
          f"{'equal' if not differ else 'DIFFER'}; ledger verify {'ok' if verify.returncode == 0 else 'FAILED'}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--random-transfers", type=int, default=48)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    options = parser.parse_args()
    binary = resolve_binary(options.binary)
    for tool in ("hledger", "ledger"):
        if shutil.which(tool) is None:
            raise CheckFailed(f"{tool} is not on PATH")
    python = beancount_python()
    bean_check = python.parent / "bean-check"
    versions = [run_tool(["hledger", "--version"]).stdout.strip(), run_tool(["ledger", "--version"]).stdout.splitlines()[0],
                run_tool([str(bean_check), "--version"]).stdout.strip()]
    print(f"binary: {binary}\ntools: " + "; ".join(versions))

    started = time.monotonic()
    rng = random.Random(options.seed)
    failures: list[str] = []
    with workdir("fundflow-export-", keep=options.keep) as root:
        fundflow = Fundflow(private_copy(binary, root), root / "export.db", root)
        books = build_books(rng, options.random_transfers)
        fundflow.script(root / "build.ff", books.lines)
        print(f"seed {options.seed}: {len(books.balance)} accounts in {len(EXPONENT)} currencies "
              f"({', '.join(f'{c} exp {e}' for c, e in EXPONENT.items())}), {books.count} transfers "
              f"({options.random_transfers} random steps)")

        # Fundflow's own view: balances equal the independent model, types follow the prefixes.
        balances = fundflow.balances()
        accounts = fundflow.accounts()
        for name, minor in books.balance.items():
            currency = books.currency[name]
            seen = balances.get(name)
            expected = Decimal(minor).scaleb(-EXPONENT[currency])
            if seen is None or seen[0] != currency or seen[1] != expected:
                failures.append(f"fundflow balance of {name}: expected {expected} {currency}, got {seen}")
            if accounts[name]["type"] != account_type(name):
                failures.append(f"{name} has type {accounts[name]['type']}, DESIGN §3 says {account_type(name)}")
        if set(balances) != set(books.balance):
            failures.append(f"fundflow lists other accounts: {sorted(set(balances) ^ set(books.balance))}")
        for command in (("ledger", "verify"), ("audit", "verify")):
            result = fundflow.run(*command)
            if result.returncode != 0:
                failures.append(f"`{' '.join(command)}` failed:\n{result.describe()}")

        expected_tool: dict[tuple[str, str], Decimal] = {}
        for name, (currency, balance) in balances.items():
            kind = account_type(name)
            expected_tool[(export_name(name, kind), currency)] = balance if kind in DEBIT_NORMAL else -balance

        files = {}
        for fmt_name in TOOLS:
            path = root / f"books.{EXTENSION[fmt_name]}"
            fundflow.ok("ledger", "export", "--format", fmt_name, str(path))
            files[fmt_name] = path
            print(f"exported {fmt_name}: {path.name}, {len(path.read_text().splitlines())} lines")

        # 1. Each tool accepts its file.
        for fmt_name, path in files.items():
            for label, argv in accept_checks(fmt_name, path, bean_check):
                done = run_tool(argv)
                noise = done.stderr.strip()
                if done.returncode != 0 or (fmt_name == "ledger" and noise):
                    failures.append(f"{label} rejected {path.name} (exit {done.returncode}):\n  "
                                    + short(noise or done.stdout.strip()))
                    print(f"  {label}: REJECTED (exit {done.returncode})")
                else:
                    print(f"  {label}: ok")

        # 2. Each tool's balances equal Fundflow's after the name mapping.
        readers = {
            "hledger": lambda path: hledger_balances(path),
            "ledger": lambda path: ledger_balances(path),
            "beancount": lambda path: beancount_balances(python, path),
        }
        for fmt_name, path in files.items():
            try:
                reported = readers[fmt_name](path)
            except CheckFailed as failure:
                failures.append(f"{fmt_name} balances unreadable: {failure}")
                print(f"  {fmt_name} balances: UNREADABLE")
                continue
            mismatches = []
            for key, value in expected_tool.items():
                if reported.get(key, Decimal(0)) != value:
                    mismatches.append(f"{key[0]} {key[1]}: fundflow {value}, {fmt_name} {reported.get(key)}")
            for key, value in reported.items():
                if key not in expected_tool and value != 0:
                    mismatches.append(f"{key[0]} {key[1]}: only in {fmt_name}, {value}")
            nonzero = sum(1 for value in expected_tool.values() if value != 0)
            if mismatches:
                failures.append(f"{fmt_name} balances differ from fundflow's:\n  " + "\n  ".join(mismatches[:20]))
                print(f"  {fmt_name} balances: {len(mismatches)} MISMATCHES")
            else:
                print(f"  {fmt_name} balances: {len(expected_tool)} (account, currency) pairs equal "
                      f"({nonzero} non-zero)")

        # 3. A one-minor-unit corruption of ONE posting is rejected by every tool (once per currency).
        rejected = 0
        for fmt_name, path in files.items():
            for currency in EXPONENT:
                text, old, new = corrupt(path.read_text(), rng, currency)
                bad = root / f"corrupt-{currency}.{EXTENSION[fmt_name]}"
                bad.write_text(text)
                outcomes = []
                for label, argv in accept_checks(fmt_name, bad, bean_check)[:1]:
                    done = run_tool(argv)
                    outcomes.append((label, done.returncode, done.stderr.strip() or done.stdout.strip()))
                if fmt_name == "beancount":
                    loaded = beancount_load(python, bad)
                    outcomes.append(("beancount.loader.load_file", 1 if loaded["errors"] else 0,
                                     "; ".join(loaded["errors"])))
                for label, code, message in outcomes:
                    if code == 0:
                        failures.append(f"{label} accepted the corrupted {fmt_name} file ({old!r} -> {new!r})")
                        print(f"  corrupted {fmt_name} [{old} -> {new}]: {label} ACCEPTED it")
                    elif not re.search(r"balanc", message, re.IGNORECASE):
                        failures.append(f"{label} rejected the corrupted {fmt_name} file ({old!r} -> {new!r}) "
                                        f"for another reason:\n  {short(message)}")
                        print(f"  corrupted {fmt_name} [{old} -> {new}]: {label} rejects it, NOT as unbalanced")
                    else:
                        rejected += 1
                        lines = message.replace(str(root) + "/", "").splitlines()
                        why = next((l for l in lines if re.search(r"(does not|could not) balance|sum should be", l)),
                                   lines[0])
                        print(f"  corrupted {fmt_name} [{old} -> {new}]: {label} rejects: {why.strip()[:90]}")
        print(f"corruptions rejected: {rejected}")

        # 4. FX transfers (wallet convert: two same-currency legs through fx:position and the margin
        #    to fx:revenue) export to hledger balancing per commodity, and hledger's balances equal
        #    Fundflow's.
        failures += fx_export_check(binary, root)
    print(f"elapsed {time.monotonic() - started:.1f}s")
    if failures:
        raise CheckFailed(f"{len(failures)} check(s) failed:\n- " + "\n- ".join(failures))
    print("check_export: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
