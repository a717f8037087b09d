#!/usr/bin/env python3
"""Fundflow's FX conversions equal an independent Python `fractions` implementation of DESIGN.md §2.

usage: scripts/fx_crosscheck.py [FUNDFLOW_BINARY] [--cases N] [--ties T] [--seed S] [--chunk C]
                                [--ecb-csv FILE] [--keep]

The reference side reads the raw ECB history CSV (default ../shared/data/ecb/eurofxref-hist.csv
from the package root, else the package's rates/eurofxref-hist.csv; never Fundflow's database):
N/A gaps and the trailing comma are handled here, a currency's quote for a date is the latest one
published on or before it (EUR is 1), and

    customer = round_half_even(amount × q_to / q_from × (10000 − bps) / 10000)

in the target's minor units, with `fractions.Fraction` throughout. KWD (exponent 3), which the ECB
does not quote, comes from a user rates file written here (`date,base,quote,rate`, bases USD, EUR
and GBP, every 1–45 days, weekends and the day after the ECB file ends included) and loaded with
`rates load`; its EUR quote is computed here the same way the design says: the file's rate times
the ECB quote of the base on that date or the latest before it. (Fundflow refuses a row whose base
was last quoted before the previous business day, e.g. on Easter Monday or 26 December, so the file
keeps to days it accepts.)

Cases (seeded): random dates 1999-01-04…2026-12-31 (weekends and holidays included, so "latest on or
before" matters; RUB after 2022-03-01 and ISK 2008–2018 exercise long gaps), random pairs of
currencies that have a quote by then (historic ones only on a day they were quoted, or on the
weekend after a Friday they were quoted), amounts with the source's decimals, margins 0–500 bps.
Many cases convert into JPY, KRW, ISK (exponent 0) and KWD (exponent 3). At least 100 (`--ties`)
cases are constructed so that the exact customer amount lies exactly halfway between two minor units
(amount = odd multiple of half the reduced denominator of the conversion factor); ties are counted
with Fraction and must reach the minimum.

The commands run through `fundflow --db DB --json FILE`, `--chunk` lines per process. For every
case the JSON `amount`, `currency`, `rateDate` (the older of the two quotes' dates; the date itself
for EUR → EUR), `midRate` and `appliedRate` (10 significant digits, half-even), `margin` (position
leg round_half_even(amount × mid) minus customer) and the echoed source must equal ours.
Prints cases, ties, cases per target exponent, stale-rate notes, mismatches (the first few in full).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    PACKAGE_ROOT, CheckFailed, Fundflow, main_wrapper, private_copy, resolve_binary, workdir)

# ISO 4217 exponents of every currency the ECB history quotes, plus EUR and KWD (DESIGN.md §2:
# TRL 0, the other historic codes 2).
EXPONENT = {
    "EUR": 2, "USD": 2, "JPY": 0, "BGN": 2, "CYP": 2, "CZK": 2, "DKK": 2, "EEK": 2, "GBP": 2, "HUF": 2,
    "LTL": 2, "LVL": 2, "MTL": 2, "PLN": 2, "ROL": 2, "RON": 2, "SEK": 2, "SIT": 2, "SKK": 2, "CHF": 2,
    "ISK": 0, "NOK": 2, "HRK": 2, "RUB": 2, "TRL": 0, "TRY": 2, "AUD": 2, "BRL": 2, "CAD": 2, "CNY": 2,
    "HKD": 2, "IDR": 2, "ILS": 2, "INR": 2, "KRW": 0, "MXN": 2, "MYR": 2, "NZD": 2, "PHP": 2, "SGD": 2,
    "THB": 2, "ZAR": 2, "KWD": 3,
}
HISTORIC = {"CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "HRK", "BGN", "TRL"}
FIRST_DAY = dt.date(1999, 1, 4)
LAST_DAY = dt.date(2026, 12, 31)
MAX_MINOR = 10 ** 10          # largest source amount in minor units (keeps every result well inside Int64)
SHOW_MISMATCHES = 5
STALE_NOTE = re.compile(r"note: stale rate: the rate used is from (\d{4}-\d\d-\d\d), "
                        r"older than the previous business day of (\d{4}-\d\d-\d\d)")


def default_ecb_csv() -> Path:
    for path in (PACKAGE_ROOT.parent / "shared" / "data" / "ecb" / "eurofxref-hist.csv",
                 PACKAGE_ROOT / "rates" / "eurofxref-hist.csv"):
        if path.is_file():
            return path
    raise CheckFailed("raw ECB history not found (../shared/data/ecb/eurofxref-hist.csv or rates/); pass --ecb-csv")


class Quotes:
    """Per currency, the EUR quotes (units per EUR) by date, from the raw ECB CSV and the user file."""

    def __init__(self) -> None:
        self.days: dict[str, list[dt.date]] = {}
        self.values: dict[str, list[Fraction]] = {}

    @classmethod
    def from_ecb_csv(cls, path: Path) -> "Quotes":
        quotes = cls()
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        header = [cell.strip() for cell in lines[0].split(",")]
        if header[0] != "Date":
            raise CheckFailed(f"{path}: unexpected header {lines[0][:80]!r}")
        currencies = header[1:]
        series: dict[str, list[tuple[dt.date, Fraction]]] = {}
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            cells = [cell.strip() for cell in line.split(",")]
            day = dt.date.fromisoformat(cells[0])
            for currency, cell in zip(currencies, cells[1:]):
                if not currency:           # the trailing comma's empty column
                    continue
                if cell in ("", "N/A"):
                    continue
                value = Fraction(cell)     # exact decimal as published
                if value <= 0:
                    raise CheckFailed(f"{path}:{number}: non-positive rate {cell} for {currency}")
                series.setdefault(currency, []).append((day, value))
        for currency, points in series.items():
            quotes.put_series(currency, points)
        return quotes

    def put_series(self, currency: str, points: list[tuple[dt.date, Fraction]]) -> None:
        points = sorted(points)
        if len({day for day, _ in points}) != len(points):
            raise CheckFailed(f"two quotes for {currency} on one day")
        self.days[currency] = [day for day, _ in points]
        self.values[currency] = [value for _, value in points]

    def currencies(self) -> list[str]:
        return sorted(self.days)

    def on_or_before(self, currency: str, day: dt.date) -> tuple[Fraction, dt.date] | None:
        if currency == "EUR":
            return Fraction(1), day
        days = self.days.get(currency)
        if not days:
            return None
        index = bisect.bisect_right(days, day) - 1
        if index < 0:
            return None
        return self.values[currency][index], days[index]

    def quoted_on(self, currency: str, day: dt.date) -> bool:
        days = self.days.get(currency, [])
        index = bisect.bisect_left(days, day)
        return index < len(days) and days[index] == day

    def first(self, currency: str) -> dt.date:
        return FIRST_DAY if currency == "EUR" else self.days[currency][0]

    def last(self, currency: str) -> dt.date:
        return LAST_DAY if currency == "EUR" else self.days[currency][-1]


def usable(quotes: Quotes, currency: str, day: dt.date) -> bool:
    """Whether this case may use the currency on that date without depending on calendar subtleties:
    a quote on or before it exists; a historic currency only on a day it was quoted, or on the
    Saturday/Sunday after a Friday it was quoted (its previous business day)."""
    if currency == "EUR":
        return True
    if currency not in quotes.days or day < quotes.first(currency):
        return False
    if currency not in HISTORIC:
        return True
    if quotes.quoted_on(currency, day):
        return True
    if day.weekday() >= 5:
        return quotes.quoted_on(currency, previous_business_day(day))
    return False


def previous_business_day(day: dt.date) -> dt.date:
    """The weekday before `day` (Friday for a Monday or a weekend day)."""
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def round_half_even(value: Fraction) -> int:
    return round(value)   # Fraction.__round__ with no digits rounds half to even, exactly


def format_minor(minor: int, exponent: int) -> str:
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    if exponent == 0:
        return f"{sign}{minor}"
    return f"{sign}{minor // 10 ** exponent}.{minor % 10 ** exponent:0{exponent}d}"


def significant(value: Fraction, digits: int = 10) -> str:
    """A positive rational with `digits` significant digits, rounded half-even, as plain decimal."""
    if value <= 0:
        raise ValueError(value)
    exponent = 0                                  # floor(log10(value)), exactly
    while value >= Fraction(10) ** (exponent + 1):
        exponent += 1
    while value < Fraction(10) ** exponent:
        exponent -= 1
    places = digits - 1 - exponent
    scaled = round_half_even(value * Fraction(10) ** places)
    if scaled == 10 ** digits:                    # 9.9999999996 → 10.00000000
        places -= 1
        scaled = 10 ** (digits - 1)
    if places <= 0:
        return str(scaled * 10 ** (-places))
    return format_minor(scaled, places)


@dataclass
class Case:
    number: int
    day: dt.date
    source: str
    target: str
    minor: int            # source amount in the source's minor units
    bps: int
    constructed_tie: bool = False

    def amount_text(self) -> str:
        return format_minor(self.minor, EXPONENT[self.source])

    def command(self) -> str:
        return (f'fx convert "{self.amount_text()} {self.source}" --to {self.target} '
                f'--date {self.day.isoformat()} --margin-bps {self.bps}')


@dataclass
class Expected:
    amount: str
    rate_date: str
    mid: str
    applied: str
    margin: str
    tie: bool
    stale: tuple[str, str] | None     # (rate date, day) of the stale-rate note on stderr, if any


def factor(quotes: Quotes, case: Case) -> tuple[Fraction, Fraction, str]:
    """(mid rate in major units, customer factor in minor units per source minor unit, rate date)."""
    q_from = quotes.on_or_before(case.source, case.day)
    q_to = quotes.on_or_before(case.target, case.day)
    if q_from is None or q_to is None:
        raise CheckFailed(f"case {case.number}: no quote for {case.source} or {case.target} on {case.day}")
    mid = q_to[0] / q_from[0]
    dates = [d for currency, (_, d) in ((case.source, q_from), (case.target, q_to)) if currency != "EUR"]
    rate_date = min(dates) if dates else case.day
    scale = Fraction(10) ** (EXPONENT[case.target] - EXPONENT[case.source])
    return mid, mid * scale * Fraction(10000 - case.bps, 10000), rate_date.isoformat()


def expected(quotes: Quotes, case: Case) -> Expected:
    mid, customer_factor, rate_date = factor(quotes, case)
    exact = case.minor * customer_factor
    customer = round_half_even(exact)
    scale = Fraction(10) ** (EXPONENT[case.target] - EXPONENT[case.source])
    position = round_half_even(case.minor * mid * scale)
    exponent = EXPONENT[case.target]
    return Expected(
        amount=format_minor(customer, exponent), rate_date=rate_date, mid=significant(mid),
        applied=significant(mid * Fraction(10000 - case.bps, 10000)),
        margin=format_minor(position - customer, exponent),
        tie=(exact - (exact.numerator // exact.denominator)) == Fraction(1, 2),
        stale=((rate_date, case.day.isoformat())
               if dt.date.fromisoformat(rate_date) < previous_business_day(case.day) else None))


def random_day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def random_minor(rng: random.Random) -> int:
    """Log-uniform in [1, MAX_MINOR], with a share of round amounts."""
    minor = max(1, int(10 ** rng.uniform(0, 10)))
    if rng.random() < 0.15:
        minor = max(1, minor // 100 * 100)
    return min(minor, MAX_MINOR)


def random_bps(rng: random.Random) -> int:
    return 0 if rng.random() < 0.15 else rng.randint(0, 500)


def pick_pair(rng: random.Random, quotes: Quotes, day: dt.date) -> tuple[str, str] | None:
    candidates = [c for c in quotes.currencies() + ["EUR"] if usable(quotes, c, day)]
    roll = rng.random()
    if roll < 0.22:
        target = "JPY"
    elif roll < 0.40:
        target = "KWD"
    elif roll < 0.48:
        target = rng.choice(["KRW", "ISK", "TRL"])
    else:
        target = rng.choice(candidates)
    if target not in candidates:
        return None
    if rng.random() < 0.2:
        source = rng.choice(["EUR", "USD", "KWD", "JPY"])
        if source not in candidates:
            return None
    else:
        source = rng.choice(candidates)
    if source == target:
        return None
    return source, target


def make_cases(rng: random.Random, quotes: Quotes, count: int, ties: int) -> list[Case]:
    cases: list[Case] = []
    # Constructed ties first (their positions are shuffled later).
    attempts = 0
    while len(cases) < ties:
        attempts += 1
        if attempts > 2_000_000:
            raise CheckFailed(f"could only construct {len(cases)} ties")
        day = random_day(rng)
        pair = pick_pair(rng, quotes, day)
        if pair is None:
            continue
        case = Case(0, day, pair[0], pair[1], 1, rng.choice([0, 0, 0, rng.randint(0, 500)]), True)
        _, customer_factor, _ = factor(quotes, case)
        p, q = customer_factor.numerator, customer_factor.denominator
        # minor × p / q = k + 1/2  ⇔  minor = (q/2) × odd, which needs q even and p odd.
        if q % 2 or not p % 2 or q // 2 > MAX_MINOR:
            continue
        half = q // 2
        odd_limit = (MAX_MINOR // half - 1) // 2
        case.minor = half * (2 * rng.randint(0, min(odd_limit, 50)) + 1)
        cases.append(case)
    while len(cases) < count:
        day = random_day(rng)
        pair = pick_pair(rng, quotes, day)
        if pair is None:
            continue
        cases.append(Case(0, day, pair[0], pair[1], random_minor(rng), random_bps(rng)))
    rng.shuffle(cases)
    for number, case in enumerate(cases, start=1):
        case.number = number
    return cases


def user_rates(rng: random.Random, quotes: Quotes) -> tuple[list[str], list[tuple[dt.date, Fraction]]]:
    """Lines of a user rates file for KWD and the KWD EUR quotes they mean (computed here)."""
    lines = ["date,base,quote,rate"]
    points: list[tuple[dt.date, Fraction]] = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        roll = rng.random()
        if roll < 0.8:
            base, text = "USD", f"{rng.uniform(0.2650, 0.3100):.4f}"
        elif roll < 0.9:
            base, text = "EUR", f"{rng.uniform(0.2700, 0.4000):.5f}"
        else:
            base, text = "GBP", f"{rng.uniform(0.3800, 0.5600):.6f}"
        if rng.random() < 0.3:
            text = text.rstrip("0").rstrip(".")
        base_quote = quotes.on_or_before(base, day)
        if base != "EUR" and (base_quote is None or base_quote[1] < previous_business_day(day)):
            # Fundflow refuses a base whose latest ECB quote is older than the previous business
            # day (e.g. Easter Monday, 26 December, past the file's end): keep to dates it accepts.
            day += dt.timedelta(days=1)
            continue
        points.append((day, base_quote[0] * Fraction(text)))
        lines.append(f"{day.isoformat()},{base},KWD,{text}")
        day += dt.timedelta(days=rng.randint(1, 45))   # weekends included
    ecb_end = quotes.last("USD")
    day = ecb_end + dt.timedelta(days=1)               # one USD row the day after the ECB file's last day
    usd = quotes.on_or_before("USD", day)
    if points[-1][0] < day and usd[1] >= previous_business_day(day):
        points.append((day, usd[0] * Fraction("0.3068")))
        lines.append(f"{day.isoformat()},USD,KWD,0.3068")
    return lines, points


def parse_documents(text: str) -> list[dict]:
    decoder = json.JSONDecoder()
    documents, index = [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return documents
        document, index = decoder.raw_decode(text, index)
        documents.append(document)


def compare(case: Case, want: Expected, got: dict) -> list[str]:
    checks = [("amount", want.amount), ("currency", case.target), ("rateDate", want.rate_date),
              ("midRate", want.mid), ("appliedRate", want.applied), ("margin", want.margin),
              ("source", case.amount_text()), ("sourceCurrency", case.source), ("marginBps", case.bps)]
    return [f"{key}: fundflow {got.get(key)!r}, python {value!r}" for key, value in checks if got.get(key) != value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--ties", type=int, default=300, help="ties to construct (at least 100 must be seen)")
    parser.add_argument("--seed", type=int, default=20240615)
    parser.add_argument("--chunk", type=int, default=2000, help="commands per fundflow process")
    parser.add_argument("--ecb-csv", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    if options.ties < 100 or options.cases < options.ties:
        raise CheckFailed("need --ties >= 100 and --cases >= --ties")
    binary = resolve_binary(options.binary)
    ecb_csv = options.ecb_csv or default_ecb_csv()
    started = time.monotonic()
    quotes = Quotes.from_ecb_csv(ecb_csv)
    digest = hashlib.sha256(ecb_csv.read_bytes()).hexdigest()[:16]
    print(f"ECB file: {ecb_csv} (sha256 {digest}…), {len(quotes.currencies())} currencies, "
          f"{min(d[0] for d in quotes.days.values())} … {max(d[-1] for d in quotes.days.values())}")
    rng = random.Random(options.seed)
    kwd_lines, kwd_points = user_rates(rng, quotes)
    quotes.put_series("KWD", kwd_points)
    cases = make_cases(rng, quotes, options.cases, options.ties)
    wants = [expected(quotes, case) for case in cases]
    ties = sum(want.tie for want in wants)
    if ties < 100:
        raise CheckFailed(f"only {ties} exact .5 ties among the cases, need at least 100")

    mismatches: list[str] = []
    mismatch_count = 0
    stale_notes = 0
    with workdir("fundflow-fx-", keep=options.keep) as root:
        binary = private_copy(binary, root)
        fundflow = Fundflow(binary, root / "fx.db", root)
        rates_file = root / "kwd-rates.csv"
        rates_file.write_text("\n".join(kwd_lines) + "\n")
        loaded = json.loads(fundflow.ok("rates", "load", str(rates_file), json_output=True).stdout)
        if loaded.get("rates") != len(kwd_points):
            raise CheckFailed(f"rates load reported {loaded}, expected {len(kwd_points)} rates")
        print(f"user rates file: {len(kwd_points)} KWD rows {kwd_points[0][0]} … {kwd_points[-1][0]} loaded")
        for start in range(0, len(cases), options.chunk):
            chunk = cases[start:start + options.chunk]
            script = root / f"convert-{start // options.chunk + 1}.txt"
            script.write_text("".join(case.command() + "\n" for case in chunk))
            run = fundflow.run("--json", str(script), timeout=1800)
            documents = parse_documents(run.stdout)
            notes = STALE_NOTE.findall(run.stderr)
            stale_notes += len(notes)
            if run.returncode != 0 or len(documents) != len(chunk):
                failed = chunk[len(documents)] if len(documents) < len(chunk) else None
                raise CheckFailed(
                    f"fundflow stopped after {len(documents)} of {len(chunk)} commands in {script.name} "
                    f"(exit {run.returncode})\n"
                    + (f"failing case {failed.number}: {failed.command()}\n" if failed else "")
                    + f"stderr (last lines): {' | '.join(run.stderr.strip().splitlines()[-3:])}")
            chunk_mismatches = 0
            for case, want, got in zip(chunk, wants[start:], documents):
                differences = compare(case, want, got)
                if differences:
                    chunk_mismatches += 1
                    if len(mismatches) < SHOW_MISMATCHES:
                        mismatches.append(f"case {case.number}: {case.command()}\n    tie: {want.tie}\n    "
                                          + "\n    ".join(differences))
            mismatch_count += chunk_mismatches
            expected_notes = [want.stale for want in wants[start:start + len(chunk)] if want.stale]
            if notes != expected_notes:
                wrong = next((i for i, (a, b) in enumerate(zip(notes, expected_notes)) if a != b),
                             min(len(notes), len(expected_notes)))
                raise CheckFailed(
                    f"{script.name}: {len(notes)} stale-rate notes on stderr, expected {len(expected_notes)} "
                    f"(rate older than the previous business day); first difference at note {wrong + 1}: "
                    f"fundflow {notes[wrong:wrong + 1]}, python {expected_notes[wrong:wrong + 1]}")
            print(f"  commands {start + 1}–{start + len(chunk)}: {len(chunk)} converted, {chunk_mismatches} "
                  f"mismatches, {len(notes)} stale-rate notes as expected", flush=True)

    per_exponent: dict[int, int] = {}
    for case in cases:
        per_exponent[EXPONENT[case.target]] = per_exponent.get(EXPONENT[case.target], 0) + 1
    targets = {code: sum(case.target == code for case in cases) for code in ("JPY", "KRW", "ISK", "TRL", "KWD")}
    print(f"cases: {len(cases)} (seed {options.seed}), exact .5 ties: {ties} "
          f"({sum(c.constructed_tie for c in cases)} constructed, "
          f"{sum(w.tie and not c.constructed_tie for c, w in zip(cases, wants))} by chance)")
    print("per target exponent: " + ", ".join(f"{e}: {n}" for e, n in sorted(per_exponent.items()))
          + "; " + ", ".join(f"{code} {n}" for code, n in targets.items()))
    print(f"ties per target exponent: " + ", ".join(
        f"{e}: {sum(1 for c, w in zip(cases, wants) if w.tie and EXPONENT[c.target] == e)}"
        for e in sorted(per_exponent)))
    print(f"from KWD: {sum(c.source == 'KWD' for c in cases)}, historic currency involved: "
          f"{sum(c.source in HISTORIC or c.target in HISTORIC for c in cases)}, weekend dates: "
          f"{sum(c.day.weekday() >= 5 for c in cases)}, with margin: {sum(c.bps > 0 for c in cases)}, "
          f"stale-rate notes: {stale_notes}")
    print(f"mismatches: {mismatch_count}; elapsed {time.monotonic() - started:.1f}s")
    if mismatch_count:
        raise CheckFailed(f"{mismatch_count} of {len(cases)} conversions differ from the fractions model; first "
                          f"{len(mismatches)}:\n" + "\n".join(mismatches))
    print("fx_crosscheck: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
