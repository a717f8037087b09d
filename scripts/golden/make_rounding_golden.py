#!/usr/bin/env python3
"""Golden tables for FundflowCore's money rounding, computed independently of the Swift code.

Every expected value here comes from Python's `decimal` module (prec=100, the rounding constant named
in the table) or from plain integer arithmetic written from DESIGN.md section 2, and is cross-checked
against `fractions.Fraction`. The Swift tests in Tests/FundflowCoreTests/RoundingGoldenTests.swift
replay each row against `Rounding` and `Allocation`.

Regenerate (deterministic: fixed seeds, and ECB quotes taken only from dates up to 2026-10-30, so
rows appended to the ECB history later do not change the output), from the repository root:

    python3 scripts/golden/make_rounding_golden.py
    # or, with the ECB history somewhere else:
    python3 scripts/golden/make_rounding_golden.py --ecb PATH/eurofxref-hist.csv

Python 3.11, standard library only. Writes into Tests/FundflowCoreTests/Golden/:

    divide.csv  numerator,denominator,rule,result
    fx.csv      amount,from,from_exponent,quote_from,to,to_exponent,quote_to,margin_bps,position,customer
    fee.csv     base,exponent,bps,fixed,min,max,fee
    split.csv   total,weights,parts
    refund.csv  paid,refunds,allocations

Commit the CSV files together with any change to this script.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT = REPO_ROOT / "Tests" / "FundflowCoreTests" / "Golden"
DEFAULT_ECB = REPO_ROOT.parent / "shared" / "data" / "ecb" / "eurofxref-hist.csv"
LAST_ECB_DATE = "2026-10-30"

# Int128 bounds: every intermediate product the Swift code forms must stay inside them.
INT128_MAX = 2**127 - 1
INT64_MAX = 2**63 - 1

RULES = {"ROUND_HALF_EVEN": ROUND_HALF_EVEN, "ROUND_HALF_UP": ROUND_HALF_UP, "ROUND_DOWN": ROUND_DOWN}

# ISO 4217 minor units of the codes used here (ECB columns + a few with 0, 3 and 4 decimals).
EXPONENTS = {"JPY": 0, "ISK": 0, "KRW": 0, "TRL": 0, "CLP": 0, "VND": 0,
             "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3, "CLF": 4, "UYW": 4}

# Quotes (units per EUR) for currencies the ECB does not publish; made up but realistic.
MADE_UP_QUOTES = {
    "KWD": ["0.3421", "0.34187", "0.3398", "0.35012"],
    "BHD": ["0.4212", "0.41876"],
    "JOD": ["0.7921", "0.79304"],
    "OMR": ["0.4301", "0.42987"],
    "TND": ["3.3875", "3.41"],
    "CLF": ["0.0271", "0.02693", "0.0285"],
    "UYW": ["27.1832"],
    "CLP": ["1052.31", "1098.7"],
    "VND": ["29354.12", "30012.5"],
}


def exponent_of(code: str) -> int:
    return EXPONENTS.get(code, 2)


def ctx() -> Context:
    return Context(prec=100)


def major(minor: int, exponent: int) -> str:
    """Minor units as a major-unit string with exactly `exponent` decimals: 123456, 2 -> 1234.56."""
    sign = "-" if minor < 0 else ""
    digits = str(abs(minor)).rjust(exponent + 1, "0")
    if exponent == 0:
        return sign + digits
    return f"{sign}{digits[:-exponent]}.{digits[-exponent:]}"


def minor_of(text: str, exponent: int) -> int:
    value = Fraction(Decimal(text)) * 10**exponent
    assert value.denominator == 1, (text, exponent)
    return int(value)


def fraction_round(value: Fraction, rule: str) -> int:
    """Independent integer rounding of an exact rational, to cross-check `decimal`."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    quotient, remainder = divmod(magnitude.numerator, magnitude.denominator)
    twice, d = 2 * remainder, magnitude.denominator
    if rule == "ROUND_HALF_UP" and twice >= d:
        quotient += 1
    elif rule == "ROUND_HALF_EVEN" and (twice > d or (twice == d and quotient % 2 == 1)):
        quotient += 1
    return sign * quotient


def is_tie(value: Fraction) -> bool:
    return value.denominator == 2


# With --check nothing is written: each table is compared with the committed file instead, so CI
# proves the committed golden rows are exactly what Python's decimal produces today.
CHECK_ONLY = False
MISMATCHES: list[str] = []


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    if CHECK_ONLY:
        committed = (OUTPUT / name).read_text(encoding="utf-8") if (OUTPUT / name).exists() else ""
        if committed != buffer.getvalue():
            MISMATCHES.append(name)
        return
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / name).write_text(buffer.getvalue(), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# divide.csv


def divide_row(n: int, d: int, rule: str) -> list[str]:
    with localcontext(ctx()):
        result = (Decimal(n) / Decimal(d)).quantize(Decimal(1), rounding=RULES[rule])
    value = int(result)
    assert value == fraction_round(Fraction(n, d), rule), (n, d, rule)
    assert abs(n) <= INT128_MAX and abs(d) <= INT128_MAX
    return [str(n), str(d), rule, str(value)]


def make_divide() -> tuple[list[list[str]], int]:
    rng = random.Random(4217_01)
    rows: list[list[str]] = []
    pairs: list[tuple[int, int]] = []
    # Small hand-picked cases, including exact ties with odd and even quotients.
    for n, d in [(0, 1), (0, 7), (1, 1), (-1, 1), (1, 2), (-1, 2), (3, 2), (-3, 2), (5, 2), (-5, 2),
                 (7, 2), (1, 3), (2, 3), (-2, 3), (5, 10), (15, 10), (25, 10), (-25, 10), (35, 10),
                 (999, 1000), (1500, 1000), (2500, 1000), (-2500, 1000), (1, 10**12),
                 (5 * 10**11, 10**12), (15 * 10**11, 10**12), (-15 * 10**11, 10**12),
                 (10**30, 3), (10**30 + 5, 10), (-(10**30) - 5, 10), (10**30 - 1, 10**12),
                 (7, -2), (-7, -2), (9, -2), (10, -4), (-6, -4)]:
        pairs.append((n, d))
    # Constructed exact ties: n = q*d + d/2 for even d, q odd and even, either sign.
    for index in range(140):
        d = 2 * rng.choice([1, 2, 5, 50, 500, 5 * 10**3, 5 * 10**5, rng.randint(1, 10**6),
                            rng.randint(1, 5 * 10**11)])
        q = rng.choice([rng.randint(0, 20), rng.randint(0, 10**6), rng.randint(0, 10**15),
                        rng.randint(0, 10**18)])
        if index % 2 == 0:
            q = q - q % 2  # even quotient
        else:
            q = q | 1  # odd quotient
        n = q * d + d // 2
        if rng.random() < 0.4:
            n = -n
        if rng.random() < 0.1:
            n, d = -n, -d
        pairs.append((n, d))
    # Random quotients over many magnitudes.
    for _ in range(120):
        d = rng.choice([1, 2, 3, 7, 10, 100, 10_000, rng.randint(1, 1000), rng.randint(1, 10**6),
                        rng.randint(1, 10**12), 10**12])
        n = rng.choice([rng.randint(-1000, 1000), rng.randint(-10**9, 10**9),
                        rng.randint(-10**18, 10**18), rng.randint(-10**30, 10**30)])
        if rng.random() < 0.05:
            d = -d
        pairs.append((n, d))
    for n, d in pairs:
        for rule in RULES:
            rows.append(divide_row(n, d, rule))
    ties = sum(1 for n, d, _, _ in rows if 2 * (abs(int(n)) % abs(int(d))) == abs(int(d)))
    return rows, ties


# ---------------------------------------------------------------------------------------------
# fx.csv


def load_ecb(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        days = []
        for line in reader:
            if not line or line[0] > LAST_ECB_DATE:
                continue
            quotes = {code: value.strip() for code, value in zip(header[1:], line[1:])
                      if code.strip() and value.strip() and value.strip() != "N/A"}
            quotes["EUR"] = "1"
            days.append((line[0], quotes))
    days.sort()
    return [quotes for _, quotes in days]


def fx_values(amount: str, e_from: int, q_from: str, e_to: int, q_to: str, bps: int) -> tuple[str, str]:
    unit = Decimal(1).scaleb(-e_to)
    with localcontext(ctx()):
        a, qf, qt = Decimal(amount), Decimal(q_from), Decimal(q_to)
        position = (a * qt * 10000 / (qf * 10000)).quantize(unit, rounding=ROUND_HALF_EVEN)
        customer = (a * qt * (10000 - bps) / (qf * 10000)).quantize(unit, rounding=ROUND_HALF_EVEN)
    # Independent check with exact rationals.
    exact = Fraction(Decimal(amount)) * Fraction(Decimal(q_to)) / Fraction(Decimal(q_from)) * 10**e_to
    assert fraction_round(exact, "ROUND_HALF_EVEN") == minor_of(format(position, "f"), e_to)
    exact_customer = exact * Fraction(10000 - bps, 10000)
    assert fraction_round(exact_customer, "ROUND_HALF_EVEN") == minor_of(format(customer, "f"), e_to)
    return format(position, "f"), format(customer, "f")


def rate_parts(quote: str) -> tuple[int, int]:
    """The mantissa and scale the Swift `DecimalRate(parsing:)` holds."""
    whole, _, fraction = quote.partition(".")
    return int(whole + fraction), len(fraction)


def fx_fraction(amount_minor: int, e_from: int, q_from: str, e_to: int, q_to: str, bps: int) -> tuple[int, int]:
    """Exact customer amount in target minor units as numerator/denominator, unreduced."""
    m_to, s_to = rate_parts(q_to)
    m_from, s_from = rate_parts(q_from)
    numerator = amount_minor * m_to * 10**s_from * 10**e_to * (10000 - bps)
    denominator = m_from * 10**s_to * 10**e_from * 10000
    return numerator, denominator


def fx_row(code_from: str, q_from: str, code_to: str, q_to: str, amount_minor: int, bps: int) -> list[str]:
    e_from, e_to = exponent_of(code_from), exponent_of(code_to)
    amount = major(amount_minor, e_from)
    position, customer = fx_values(amount, e_from, q_from, e_to, q_to, bps)
    # The Swift code multiplies amount, quotes and powers of ten in Int128: keep well inside it,
    # and keep the test's own unreduced tie check inside it too.
    numerator, denominator = fx_fraction(amount_minor, e_from, q_from, e_to, q_to, bps)
    assert abs(numerator) < 2**125 and denominator < 2**125, (code_from, code_to, amount)
    assert abs(minor_of(position, e_to)) <= INT64_MAX
    return [amount, code_from, str(e_from), q_from, code_to, str(e_to), q_to, str(bps), position, customer]


def solve_tie(multiplier: int, modulus: int) -> int | None:
    """Smallest A >= 1 with A * multiplier = modulus/2 (mod modulus), if any."""
    half = modulus // 2
    g = math.gcd(multiplier, modulus)
    if half % g:
        return None
    reduced = modulus // g
    if reduced == 1:
        return 1
    a = (half // g) * pow(multiplier // g, -1, reduced) % reduced
    return a or reduced


def make_fx(ecb: list[dict[str, str]]) -> tuple[list[list[str]], int]:
    rng = random.Random(4217_02)
    rows: list[list[str]] = []

    def random_quote(code_pool: list[str] | None = None) -> tuple[dict[str, str], str, str]:
        day = rng.choice(ecb)
        codes = sorted(day) + sorted(MADE_UP_QUOTES)
        code = rng.choice(code_pool or codes)
        quote = day.get(code) or rng.choice(MADE_UP_QUOTES.get(code, ["1"]))
        return day, code, quote

    def random_pair() -> tuple[str, str, str, str]:
        day = rng.choice(ecb)
        pool = sorted(day) + sorted(MADE_UP_QUOTES)
        weights = [6 if c in ("EUR", "USD", "GBP", "JPY", "CHF") else 3 if c in MADE_UP_QUOTES else 1
                   for c in pool]
        a, b = rng.choices(pool, weights)[0], rng.choices(pool, weights)[0]
        qa = day.get(a) or rng.choice(MADE_UP_QUOTES[a])
        qb = day.get(b) or rng.choice(MADE_UP_QUOTES[b])
        return a, qa, b, qb

    def random_amount(exponent: int) -> int:
        whole = rng.choice([rng.randint(0, 9), rng.randint(10, 999), rng.randint(1000, 99_999),
                            rng.randint(100_000, 9_999_999), rng.randint(10**7, 10**9)])
        return whole * 10**exponent + rng.randint(0, 10**exponent - 1)

    def random_bps() -> int:
        return rng.choice([0, 0, 10, 25, 35, 50, 75, 100, 150, 200, 250, 300, rng.randint(0, 300),
                           rng.randint(0, 300)])

    # Hand-picked rows across exponents 0, 2, 3 and 4.
    fixed = [
        ("EUR", "1", "USD", "1.1172", 123456, 0), ("EUR", "1", "USD", "1.1172", 123456, 150),
        ("USD", "1.1172", "EUR", "1", 100000, 50), ("EUR", "1", "JPY", "175.68", 1000, 0),
        ("JPY", "175.68", "EUR", "1", 1200, 100), ("JPY", "175.68", "USD", "1.1172", 1_000_000, 30),
        ("EUR", "1", "KWD", "0.3421", 123456, 25), ("KWD", "0.3421", "EUR", "1", 1234, 0),
        ("KWD", "0.3421", "JPY", "175.68", 1_234_567, 200), ("EUR", "1", "CLF", "0.0271", 500000, 0),
        ("CLF", "0.0271", "EUR", "1", 12345, 75), ("CLF", "0.0271", "KWD", "0.3421", 98765, 300),
        ("JPY", "175.68", "CLF", "0.0271", 9_999_999, 10), ("ISK", "136", "KRW", "1491.76", 50_000, 0),
        ("EUR", "1", "EUR", "1", 0, 300), ("USD", "1.1172", "GBP", "0.8338", 0, 0),
        ("EUR", "1", "IDR", "20275.17", 10**11, 300), ("IDR", "20275.17", "EUR", "1", 10**13, 0),
        ("EUR", "1", "TRL", "372816", 10**9, 0), ("TRL", "372816", "EUR", "1", 10**12, 10),
        ("CYP", "0.58231", "GBP", "0.7111", 1_000_000, 0), ("EUR", "1", "USD", "1.1172", 1, 0),
        ("EUR", "1", "USD", "1.1172", 1, 300), ("EUR", "1", "JPY", "175.68", 1, 0),
    ]
    for a, qa, b, qb, amount, bps in fixed:
        rows.append(fx_row(a, qa, b, qb, amount, bps))

    # Random conversions with quotes from real ECB days (and made-up 3- and 4-decimal ones).
    for _ in range(380):
        a, qa, b, qb = random_pair()
        rows.append(fx_row(a, qa, b, qb, random_amount(exponent_of(a)), random_bps()))

    # EUR -> EUR with a margin that leaves exactly half a cent.
    for amount, bps in [(100, 50), (300, 50), (500, 50), (700, 50), (100, 150), (300, 150), (10, 50),
                        (30, 50), (1000, 5), (3000, 5), (20, 25), (60, 25), (123400, 5), (4, 125),
                        (12, 125)]:
        rows.append(fx_row("EUR", "1", "EUR", "1", amount, bps))

    # Amounts constructed so the exact customer amount ends in 5 at the next digit.
    constructed = 0
    attempts = 0
    while constructed < 90 and attempts < 100_000:
        attempts += 1
        a, qa, b, qb = random_pair()
        bps = random_bps() if constructed % 5 else 0  # every fifth: a position tie as well
        numerator_per_unit, denominator = fx_fraction(1, exponent_of(a), qa, exponent_of(b), qb, bps)
        amount = solve_tie(numerator_per_unit, denominator)
        if amount is None or amount > 10**12:
            continue
        modulus = denominator // math.gcd(numerator_per_unit, denominator)
        while amount + modulus <= 10**11 and rng.random() < 0.5:
            amount += modulus * rng.randint(1, 20)
        rows.append(fx_row(a, qa, b, qb, amount, bps))
        constructed += 1
    assert constructed == 90, constructed

    ties = 0
    for row in rows:
        e_from, e_to = int(row[2]), int(row[5])
        numerator, denominator = fx_fraction(minor_of(row[0], e_from), e_from, row[3], e_to, row[6], int(row[7]))
        ties += is_tie(Fraction(numerator, denominator))
    return rows, ties


# ---------------------------------------------------------------------------------------------
# fee.csv


def fee_row(base_minor: int, exponent: int, bps: int, fixed: int, low: int, high: int) -> list[str]:
    unit = Decimal(1).scaleb(-exponent)
    base, fixed_d = Decimal(major(base_minor, exponent)), Decimal(major(fixed, exponent))
    low_d, high_d = Decimal(major(low, exponent)), Decimal(major(high, exponent))
    with localcontext(ctx()):
        percent = (base * bps / 10000).quantize(unit, rounding=ROUND_HALF_UP)
        fee = max(low_d, fixed_d + percent)
        if high_d > 0:
            fee = min(high_d, fee)
        fee = fee.quantize(unit)
    check = fraction_round(Fraction(base_minor * bps, 10000), "ROUND_HALF_UP") + fixed
    check = max(low, check)
    if high > 0:
        check = min(high, check)
    assert minor_of(format(fee, "f"), exponent) == check
    return [major(base_minor, exponent), str(exponent), str(bps), major(fixed, exponent),
            major(low, exponent), major(high, exponent), format(fee, "f")]


def make_fee() -> tuple[list[list[str]], int]:
    rng = random.Random(4217_03)
    rows: list[list[str]] = []
    exponents = [0, 2, 2, 2, 3, 4]

    def scale(major_units: int, exponent: int) -> int:
        return major_units * 10**exponent

    # Hand-picked: the clamp order (min first, then max), max 0 meaning none, max below min.
    for base, e, bps, fixed, low, high in [
        (100000, 2, 10, 0, 0, 0), (100000, 2, 10, 500, 0, 0), (100000, 2, 10, 0, 2500, 0),
        (100000, 2, 10, 0, 0, 50), (100000, 2, 10, 0, 2500, 1000), (0, 2, 25, 0, 0, 0),
        (0, 2, 25, 1500, 0, 0), (0, 2, 25, 0, 1500, 0), (50, 2, 100, 0, 0, 0), (150, 2, 100, 0, 0, 0),
        (1, 2, 5000, 0, 0, 0), (3, 2, 5000, 0, 0, 0), (1, 0, 5000, 0, 0, 0), (12345, 0, 30, 0, 0, 0),
        (1234567, 3, 15, 0, 0, 0), (12345678, 4, 15, 0, 0, 0), (10**15, 2, 300, 0, 0, 0),
        (999_999_999_999, 2, 10000, 0, 0, 0), (2000, 2, 25, 0, 0, 0), (6000, 2, 25, 0, 0, 0),
        (200, 2, 25, 0, 0, 0), (100, 2, 50, 2500, 1000, 3000), (100, 2, 50, 2500, 3000, 2000),
    ]:
        rows.append(fee_row(base, e, bps, fixed, low, high))

    for _ in range(230):
        e = rng.choice(exponents)
        base = rng.choice([rng.randint(0, 10**3), rng.randint(0, 10**6), rng.randint(0, 10**9),
                           rng.randint(0, 10**12)])
        bps = rng.choice([0, 1, 5, 10, 15, 20, 25, 30, 50, 75, 100, 150, 250, rng.randint(0, 500),
                          rng.randint(0, 10000)])
        fixed = rng.choice([0, 0, scale(rng.randint(1, 50), e), rng.randint(0, 10**e * 30)])
        low = rng.choice([0, 0, scale(rng.choice([1, 2, 5, 10, 25]), e), rng.randint(0, 10**e * 100)])
        high = rng.choice([0, 0, scale(rng.choice([10, 50, 100, 500]), e), rng.randint(0, 10**e * 1000)])
        rows.append(fee_row(base, e, bps, fixed, low, high))

    # Constructed ties: base * bps / 10000 ends in exactly half a minor unit.
    made = 0
    while made < 80:
        e = rng.choice(exponents)
        bps = rng.choice([1, 3, 5, 10, 15, 25, 30, 50, 75, 125, rng.randint(1, 10000)])
        base = solve_tie(bps, 10000)
        if base is None:
            continue
        modulus = 10000 // math.gcd(bps, 10000)
        base += modulus * rng.choice([0, rng.randint(1, 100), rng.randint(1, 10**6), rng.randint(1, 10**9)])
        fixed = rng.choice([0, 0, rng.randint(0, 10**e * 30)])
        low = rng.choice([0, 0, 0, rng.randint(0, 10**e * 10)])
        high = rng.choice([0, 0, 0, rng.randint(0, 10**e * 10**6)])
        rows.append(fee_row(base, e, bps, fixed, low, high))
        made += 1

    ties = sum(1 for row in rows
               if (minor_of(row[0], int(row[1])) * int(row[2])) % 10000 == 5000)
    return rows, ties


# ---------------------------------------------------------------------------------------------
# split.csv and refund.csv: integers only, written from DESIGN.md section 2.


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    weight_sum = sum(weights)
    assert total >= 0 and weight_sum > 0 and all(w >= 0 for w in weights)
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    leftover = total - sum(floors)
    # Largest remainder first; equal remainders go to the earlier party.
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    parts = list(floors)
    for i in order[:leftover]:
        parts[i] += 1
    assert sum(parts) == total
    for w, p in zip(weights, parts):  # each part within one unit of its exact share
        assert abs(Fraction(total * w, weight_sum) - p) < 1
    return parts


def decisive_tie(total: int, weights: list[int]) -> bool:
    """True when two equal remainders straddle the cut: the earlier-index rule decided the split."""
    weight_sum = sum(weights)
    remainders = sorted((total * w % weight_sum for w in weights), reverse=True)
    leftover = total - sum(total * w // weight_sum for w in weights)
    return 0 < leftover < len(weights) and remainders[leftover - 1] == remainders[leftover]


def joined(values: list[int]) -> str:
    return ";".join(str(v) for v in values)


def make_split() -> tuple[list[list[str]], int]:
    rng = random.Random(4217_04)
    cases: list[tuple[int, list[int]]] = [
        (100, [1, 1, 1]), (1, [1, 1]), (2, [1, 1, 1]), (10, [1, 1, 1]), (0, [1, 2, 3]), (7, [0, 1, 0]),
        (5, [0, 1, 1, 0]), (100, [1]), (1001, [1, 1]), (3333, [5000, 5000]), (9999, [5000, 5000]),
        (10, [3, 3, 4]), (1, [0, 0, 5]), (14, [1, 1, 1, 1, 1, 1]), (10**15, [1, 1, 1]),
        (10**15, [10**12, 10**12 - 1, 3]), (999, [2500, 2500, 2500, 2500]),
        (2**62, [3, 7, 11]), (12345, [10**17, 10**17, 10**17]),
    ]
    for _ in range(200):
        count = rng.randint(1, 8)
        size = rng.choice([3, 10, 1000, 10**6, 10**12])
        weights = [rng.randint(0, size) if rng.random() > 0.15 else 0 for _ in range(count)]
        if sum(weights) == 0:
            weights[rng.randrange(count)] = rng.randint(1, size)
        total = rng.choice([rng.randint(0, 10), rng.randint(0, 1000), rng.randint(0, 10**6),
                            rng.randint(0, 10**12), rng.randint(0, 10**15)])
        cases.append((total, weights))
    # Ties: repeated weights with totals that do not divide evenly.
    while len(cases) < 330:
        base = rng.choice([1, 2, 5, 100, 2500, rng.randint(1, 10**6)])
        count = rng.randint(2, 7)
        weights = [base * rng.choice([1, 1, 1, 2]) if rng.random() > 0.2 else 0 for _ in range(count)]
        if sum(weights) == 0:
            continue
        total = rng.choice([rng.randint(1, 50), rng.randint(1, 10**6), rng.randint(1, 10**12)])
        cases.append((total, weights))
    rows, ties = [], 0
    for total, weights in cases:
        assert sum(weights) <= INT64_MAX and total <= INT64_MAX
        rows.append([str(total), joined(weights), joined(largest_remainder(total, weights))])
        ties += decisive_tie(total, weights)
    return rows, ties


def refund_step(paid: list[int], refunded: list[int], refund: int) -> tuple[list[int], bool]:
    """One cumulative refund step; also says whether the clamp had to move anything."""
    target = largest_remainder(sum(refunded) + refund, paid)
    room = [p - r for p, r in zip(paid, refunded)]
    give = [min(max(t - r, 0), c) for t, r, c in zip(target, refunded, room)]
    clamped = any(g != t - r for g, t, r in zip(give, target, refunded))
    order = sorted(range(len(paid)), key=lambda i: (-(target[i] - refunded[i] - give[i]), i))
    difference = refund - sum(give)
    if difference > 0:
        for i in order:
            extra = min(room[i] - give[i], difference)
            give[i] += extra
            difference -= extra
    elif difference < 0:
        for i in reversed(order):
            taken = min(give[i], -difference)
            give[i] -= taken
            difference += taken
    assert difference == 0 and all(0 <= g <= c for g, c in zip(give, room))
    return give, clamped


def refund_row(paid: list[int], refunds: list[int]) -> tuple[list[str], int]:
    refunded = [0] * len(paid)
    steps, clamped_steps = [], 0
    for refund in refunds:
        give, clamped = refund_step(paid, refunded, refund)
        clamped_steps += clamped
        refunded = [r + g for r, g in zip(refunded, give)]
        steps.append(joined(give))
    return [joined(paid), joined(refunds), "|".join(steps)], clamped_steps


def make_refund() -> tuple[list[list[str]], int, int]:
    rng = random.Random(4217_05)
    cases: list[tuple[list[int], list[int]]] = [
        ([5000, 5000], [3333, 3333, 3333]), ([5000, 5000], [3333, 3333, 3334]), ([10000], [1, 2, 9997]),
        ([1, 1, 1], [1, 1, 1]), ([0, 700, 300], [250, 250, 500]), ([3000, 2000, 5000], [10000]),
        ([1, 2], [1, 1, 1]), ([999, 1], [500, 500]),
    ]

    def random_case() -> tuple[list[int], list[int]]:
        count = rng.randint(1, 5)
        size = rng.choice([3, 10, 100, 10_000, 10**6, 10**9])
        paid = [rng.randint(0, size) if rng.random() > 0.15 else 0 for _ in range(count)]
        if sum(paid) == 0:
            paid[rng.randrange(count)] = rng.randint(1, size)
        left = sum(paid)
        refunds = []
        for _ in range(rng.randint(1, 6)):
            if left == 0:
                break
            refund = left if rng.random() < 0.15 else rng.randint(1, max(1, left // rng.choice([1, 2, 3, 5])))
            refunds.append(refund)
            left -= refund
        return paid, refunds

    while len(cases) < 200:
        cases.append(random_case())
    # Cases where a source's cumulative target fell below what it already got back (the Alabama
    # paradox of largest remainder) or rose above what it can still get: the clamp and the
    # shortfall rule decide them.
    clamp_cases = 0
    attempts = 0
    while clamp_cases < 40 and attempts < 200_000:
        attempts += 1
        paid = [rng.randint(1, 30) for _ in range(rng.randint(3, 5))]
        left, refunds = sum(paid), []
        for _ in range(rng.randint(2, 8)):
            if left == 0:
                break
            refund = rng.randint(1, min(left, 6))
            refunds.append(refund)
            left -= refund
        if refund_row(paid, refunds)[1]:
            cases.append((paid, refunds))
            clamp_cases += 1
    rows, clamped_rows = [], 0
    for paid, refunds in cases:
        assert sum(refunds) <= sum(paid)
        row, clamped = refund_row(paid, refunds)
        rows.append(row)
        clamped_rows += clamped > 0
    assert rows[0] == ["5000;5000", "3333;3333;3333", "1667;1666|1666;1667|1667;1666"], rows[0]
    return rows, clamped_rows, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ecb", type=Path, default=DEFAULT_ECB, help="eurofxref-hist.csv")
    parser.add_argument("--check", action="store_true", help="compare with the committed tables, write nothing")
    args = parser.parse_args()
    global CHECK_ONLY
    CHECK_ONLY = args.check

    divide, divide_ties = make_divide()
    write("divide.csv", ["numerator", "denominator", "rule", "result"], divide)
    fx, fx_ties = make_fx(load_ecb(args.ecb))
    write("fx.csv", ["amount", "from", "from_exponent", "quote_from", "to", "to_exponent", "quote_to",
                     "margin_bps", "position", "customer"], fx)
    fee, fee_ties = make_fee()
    write("fee.csv", ["base", "exponent", "bps", "fixed", "min", "max", "fee"], fee)
    split, split_ties = make_split()
    write("split.csv", ["total", "weights", "parts"], split)
    refund, refund_clamped, _ = make_refund()
    write("refund.csv", ["paid", "refunds", "allocations"], refund)

    assert len(divide) >= 600 and divide_ties >= 100
    assert len(fx) >= 500 and fx_ties >= 50
    assert len(fee) >= 300 and len(split) >= 300 and len(refund) >= 200
    print(f"divide.csv {len(divide)} rows, {divide_ties} exact ties")
    print(f"fx.csv     {len(fx)} rows, {fx_ties} exact ties in customer")
    print(f"fee.csv    {len(fee)} rows, {fee_ties} exact ties in the percentage")
    print(f"split.csv  {len(split)} rows, {split_ties} decided by the earlier-index tie rule")
    print(f"refund.csv {len(refund)} rows, {refund_clamped} with a step the clamp decided")
    if MISMATCHES:
        print(f"golden tables differ from what Python's decimal gives now: {', '.join(MISMATCHES)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
