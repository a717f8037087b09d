#!/usr/bin/env python3
"""Fundflow's router (`route compare --json`) equals an independent, exhaustive Python model (DESIGN.md §2, §5).

usage: scripts/route_crosscheck.py [FUNDFLOW_BINARY] [--cases N] [--networks M] [--seed S] [--ecb-csv FILE] [--keep]

Seeded random small networks (4–8 banks in 2–4 of US, DE, GB, JP, PH, every bank in UTC, no cut-offs
and no holidays, so banks are open all day on weekdays) are written as network CSVs and loaded with
`network load` into a copy of one freshly seeded database each. Per network a few queries
(`route compare --json`, one process per network) are answered here from scratch, with
`fractions.Fraction` and integer minor units throughout (EUR/USD/GBP/PHP 2 decimals, JPY 0; PHP is
restricted to PH). Quotes: for a start on date D every conversion and valuation uses each currency's
latest ECB quote on or before D (raw ECB history CSV, EUR = 1); start times are Tuesdays 09:00Z.

Routes are enumerated exhaustively: every simple path b0 … bn (1 ≤ n, at most 6 banks) from the
debtor agent to the creditor agent, with every choice of link currency c_i for which a link row
(b_i, b_i+1, c_i) exists. incoming(0) = send currency, incoming(i) = c_i-1, outgoing(i) = c_i,
outgoing(n) = target. A route is invalid when a bank holds/receives/converts PHP outside PH (a
bank's country from banks.csv, else the BIC's characters 5–6), or a bank whose outgoing differs from
its incoming has no fx row for that pair. A destination outside banks.csv is reached by domestic
clearing (`estimated`): the last hop goes from a network bank of the destination's country in the
target currency, needs the clearing row (country, target), takes its latency, and the destination's
fee is the row's fixed amount (never `deducts_under_our`).

Evaluation of a route for an instructed amount (everything exact, rounded only where stated):
  fee at bank i = clamp(fixed + round_half_up(base × bps / 10000), min, max) in minor units of
      incoming(i) (max 0: none), row (bank, incoming(i), role) else (bank, incoming(i), any), role
      debtor / intermediary / creditor; base = the amount reaching the bank, before its own fee;
  bearer BEN deducts every fee; SHA bills bank 0's fee and deducts the rest; OUR bills every fee
      except at a deducts_under_our bank; a deducted fee must be < the amount left, else the route is
      infeasible; a billed fee adds round_half_even(fee × q_send / q_fee) (send minor units);
  conversion: customer = round_half_even(left × q_out / q_in × (10000 − margin) / 10000), must be
      > 0 (else infeasible); marginCost = round_half_even(left × q_out / q_in) − customer;
  debited = instructed + billed; cost = debited − round_half_even(delivered × q_send / q_target);
      costPercent = round_half_up(cost × 10000 / debited) / 100;
  timing: processed at arrival (Saturday/Sunday: Monday 00:00Z), next arrival = processed + the
      link's latency; eta = processed time at the last bank.
Ranking --by cost: cost ↑, delivered ↓, eta ↑, description ↑ ("B0 -C0-> B1 -C1-> B2"); --by time: eta
↑, cost ↑, description ↑; the first k. `--bearer all`: SHA's k, then BEN's, then OUR's.

Networks and queries (seeded): each bank links to 1–4 others in 1–3 currencies (home, USD and EUR
most often; PHP only between PH banks, fx rows with PHP only at PH banks and PHP clearing only in PH,
as `network load` requires), has fee rows for random (currency, role) pairs (fixed 0–30 major units,
JPY × 100, bps 0–50, sometimes min/max), fx rows for most pairs of the currencies it may hold
(margins 0–300) and deducts_under_our a quarter of the time; countries have clearing rows for their
home currency (sometimes USD or EUR). Some banks have a twin (same country, fee and fx rows, links in
and out, latencies equal or not, deducts_under_our sometimes flipped) so that adjacent ranks tie on
cost, delivered and eta and the later sort keys decide. A quarter of the queries go to a BIC outside
the network, about 15% use `--bearer all`, a third rank by time, 15% are fixed receive, 15% use tiny
amounts (1–20 major units) so that fees make routes infeasible; 90% are drawn among endpoints with
at least one valid route. Half of the fixed send amounts are "hunted": among about twenty
candidates, the amount meeting the most exact .5 roundings (conversion, percentage fee, billed fee
valued in the send currency, delivered value, cost percent) or deducted fees exactly equal to the
amount left is used, so that rounding modes and the strict "fee < amount left" rule are exercised.

Checked for every query: the number of routes (min(k, feasible)) and, rank by rank, bank path, link
currencies (derived from the JSON fx list: the currency changes only at a converting bank), bearer,
instructed, debited, delivered, cost, costPercent, eta, estimated, fees (agent, amount, currency,
billed; only fees > 0) and fx (agent, from, to, marginBps, marginCost). Fixed-receive queries
(`--receive "T CUR" --send-currency S`) are not compared by ranking; each returned route must be a
valid route, its figures must equal this evaluation at its `instructed`, deliver ≥ T there, and
deliver < T (or be infeasible) at instructed − 1 minor unit.
Prints networks, queries, routes compared, queries with infeasible paths, cleared destinations,
conversions, fixed-receive routes checked, the exact .5 roundings and sort-key ties met, and
mismatches (the first few in full: command, expected and returned routes, the network files).
The weekend rule is implemented but never reached (Tuesday 09:00 starts, latencies ≤ 120 minutes).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import random
import sqlite3
import string
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    PACKAGE_ROOT, CheckFailed, Fundflow, main_wrapper, private_copy, resolve_binary, workdir)

EXPONENT = {"EUR": 2, "USD": 2, "GBP": 2, "JPY": 0, "PHP": 2}
HOME_CURRENCY = {"US": "USD", "DE": "EUR", "GB": "GBP", "JP": "JPY", "PH": "PHP"}
RESTRICTED = {"PHP": "PH"}
ROLES = ("debtor", "intermediary", "creditor", "any")
MAX_BANKS = 6
BEARERS = ("SHA", "BEN", "OUR")
FIRST_START = dt.date(2024, 1, 2)       # a Tuesday
LAST_START = dt.date(2026, 10, 27)      # a Tuesday
LOCATIONS = ("33", "22", "2L", "MM", "FF", "TT", "JJ", "2X")
SHOW_MISMATCHES = 3
# How much meeting an exact .5 of each kind counts when hunting amounts (the rarer, the more).
TIE_WEIGHT = {"delivered value": 50, "cost percent": 50, "billed fee value": 20, "conversion": 10,
              "fee equals amount left at the last bank": 30, "fee equals amount left": 10, "conversion at mid": 5,
              "percent fee": 1}


# ---------------------------------------------------------------------------------------------- money

def round_half_even(value: Fraction) -> int:
    return round(value)                       # Fraction.__round__ rounds half to even, exactly


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def to_minor(text: str, currency: str) -> int:
    value = Fraction(text) * 10 ** EXPONENT[currency]
    if value.denominator != 1:
        raise CheckFailed(f"{text} has more decimals than {currency} allows")
    return value.numerator


def format_minor(minor: int, currency: str) -> str:
    exponent = EXPONENT[currency]
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    if exponent == 0:
        return f"{sign}{minor}"
    return f"{sign}{minor // 10 ** exponent}.{minor % 10 ** exponent:0{exponent}d}"


def format_hundredths(value: int) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------- rates

def default_ecb_csv() -> Path:
    for path in (PACKAGE_ROOT.parent / "shared" / "data" / "ecb" / "eurofxref-hist.csv",
                 PACKAGE_ROOT / "rates" / "eurofxref-hist.csv"):
        if path.is_file():
            return path
    raise CheckFailed("raw ECB history not found (../shared/data/ecb/eurofxref-hist.csv or rates/); pass --ecb-csv")


class Quotes:
    """EUR quotes (units per EUR, exact as published) by date for the currencies used here."""

    def __init__(self, path: Path):
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        header = [cell.strip() for cell in lines[0].split(",")]
        if header[0] != "Date":
            raise CheckFailed(f"{path}: unexpected header {lines[0][:80]!r}")
        wanted = {c: header.index(c) for c in EXPONENT if c != "EUR"}
        points: dict[str, list[tuple[dt.date, Fraction]]] = {c: [] for c in wanted}
        for line in lines[1:]:
            if not line.strip():
                continue
            cells = [cell.strip() for cell in line.split(",")]
            day = dt.date.fromisoformat(cells[0])
            for currency, column in wanted.items():
                if column < len(cells) and cells[column] not in ("", "N/A"):
                    points[currency].append((day, Fraction(cells[column])))
        self.days = {c: [d for d, _ in sorted(p)] for c, p in points.items()}
        self.values = {c: [v for _, v in sorted(p)] for c, p in points.items()}

    def on(self, day: dt.date) -> dict[str, Fraction]:
        """Each currency's latest quote on or before `day` (EUR = 1)."""
        result = {"EUR": Fraction(1)}
        for currency, days in self.days.items():
            index = bisect.bisect_right(days, day) - 1
            if index < 0:
                raise CheckFailed(f"no ECB quote for {currency} on or before {day}")
            result[currency] = self.values[currency][index]
        return result


# -------------------------------------------------------------------------------------------- network

@dataclass
class Bank:
    bic: str
    country: str
    gpi: bool
    deducts_under_our: bool


@dataclass
class FeeRow:
    fixed: int          # minor units of the row's currency
    bps: int
    minimum: int
    maximum: int        # 0: no maximum
    texts: tuple[str, str, str]


@dataclass
class Network:
    number: int
    banks: dict[str, Bank] = field(default_factory=dict)
    links: dict[tuple[str, str, str], int] = field(default_factory=dict)    # (from, to, ccy) → minutes
    fees: dict[tuple[str, str, str], FeeRow] = field(default_factory=dict)  # (bic, ccy, role)
    fx: dict[tuple[str, str, str], int] = field(default_factory=dict)       # (bic, from, to) → bps
    # (country, ccy) → (fixed fee in minor units, latency minutes)
    clearing: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    countries: list[str] = field(default_factory=list)
    flipped_twins: set[str] = field(default_factory=set)   # twin pairs that differ in deducts_under_our

    def country_of(self, bic: str) -> str:
        bank = self.banks.get(bic)
        return bank.country if bank else bic[4:6]

    def files(self) -> dict[str, list[str]]:
        banks = ["bic,name,country,timezone,gpi,deducts_under_our"] + [
            f"{b.bic},Bank {b.bic[:4]},{b.country},UTC,{str(b.gpi).lower()},{str(b.deducts_under_our).lower()}"
            for b in self.banks.values()]
        links = ["from,to,currency,latency_minutes"] + [
            f"{frm},{to},{currency},{minutes}" for (frm, to, currency), minutes in self.links.items()]
        fees = ["bic,currency,role,fixed,percent_bps,min,max"] + [
            f"{bic},{currency},{role},{row.texts[0]},{row.bps},{row.texts[1]},{row.texts[2]}"
            for (bic, currency, role), row in self.fees.items()]
        fx = ["bic,from_currency,to_currency,margin_bps"] + [
            f"{bic},{frm},{to},{bps}" for (bic, frm, to), bps in self.fx.items()]
        clearing = ["country,currency,fixed,latency_minutes"] + [
            f"{country},{currency},{format_minor(fixed, currency)},{minutes}"
            for (country, currency), (fixed, minutes) in self.clearing.items()]
        return {"banks.csv": banks, "links.csv": links, "cutoffs.csv": ["bic,currency,opens,cutoff"],
                "holidays.csv": ["date,calendar"], "fees.csv": fees, "fx.csv": fx, "clearing.csv": clearing,
                "currencies.csv": ["currency,home_country"] + [f"{c},{h}" for c, h in RESTRICTED.items()]}

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, lines in self.files().items():
            (directory / name).write_text("\n".join(lines) + "\n")

    def dump(self) -> str:
        return "\n".join(f"  --- {name}\n" + "\n".join("    " + line for line in lines)
                         for name, lines in self.files().items())


def allowed_currencies(country: str) -> list[str]:
    """Currencies a bank of that country may hold (PHP only in PH)."""
    return [c for c in EXPONENT if c not in RESTRICTED or RESTRICTED[c] == country]


def random_major(rng: random.Random, currency: str, low: int, high: int) -> int:
    """A random amount in minor units between low and high major units (JPY × 100)."""
    unit = (100 if currency == "JPY" else 1) * 10 ** EXPONENT[currency]
    return rng.randint(low * unit, high * unit)


def make_network(rng: random.Random, number: int) -> Network:
    network = Network(number)
    countries = rng.sample(sorted(HOME_CURRENCY), rng.randint(2, 4))
    if "PH" not in countries and rng.random() < 0.5:
        countries[0] = "PH"
    network.countries = countries
    count = rng.randint(4, 8)
    twins = rng.choice([0, 1, 1, 2, 2]) if count - 2 >= max(3, len(countries)) else 0
    homes = list(countries) + [rng.choice(countries) for _ in range(count - twins - len(countries))]
    codes: set[str] = set()

    def new_bic(country: str) -> str:
        while True:
            code = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
            if code not in codes and not code.startswith("ZZ"):
                codes.add(code)
                return f"{code}{country}{rng.choice(LOCATIONS)}XXX"

    for country in homes:
        bic = new_bic(country)
        network.banks[bic] = Bank(bic, country, rng.random() < 0.7, rng.random() < 0.25)
    bics = list(network.banks)
    rng.shuffle(bics)
    for bic in bics:
        here = network.banks[bic].country
        for other in rng.sample([b for b in bics if b != bic], rng.randint(1, min(4, len(bics) - 1))):
            there = network.banks[other].country
            weights = {"USD": 3, "EUR": 3, "GBP": 1, "JPY": 1, "PHP": 1}
            weights[HOME_CURRENCY[here]] += 2
            weights[HOME_CURRENCY[there]] += 2
            choices = [c for c in weights
                       if c not in RESTRICTED or (here == RESTRICTED[c] and there == RESTRICTED[c])]
            wanted = 1 if rng.random() < 0.5 else (2 if rng.random() < 0.75 else 3)
            picked: list[str] = []
            while len(picked) < min(wanted, len(choices)):
                currency = rng.choices(choices, [weights[c] for c in choices])[0]
                if currency not in picked:
                    picked.append(currency)
            for currency in picked:
                network.links[(bic, other, currency)] = rng.randint(5, 120)
    originals = list(network.banks)
    for bic, bank in network.banks.items():
        held = allowed_currencies(bank.country)
        home = HOME_CURRENCY[bank.country]
        for _ in range(rng.randint(1, 7)):
            currency = rng.choice(held + [home, "USD", "EUR"])
            role = rng.choice(ROLES)
            if (bic, currency, role) in network.fees:
                continue
            fixed = random_major(rng, currency, 0, 30) if rng.random() < 0.85 else 0
            if rng.random() < 0.2:
                fixed = fixed // 10 ** EXPONENT[currency] * 10 ** EXPONENT[currency]
            roll = rng.random()
            bps = rng.randint(0, 50) if roll < 0.45 else rng.choice([5, 10, 15, 20, 25, 50]) if roll < 0.8 else 0
            minimum = random_major(rng, currency, 0, 20) if rng.random() < 0.3 else 0
            maximum = 0
            if rng.random() < 0.35:
                maximum = minimum + random_major(rng, currency, 0, 40)
                if maximum == 0:
                    maximum = 1
            texts = (format_minor(fixed, currency), format_minor(minimum, currency), format_minor(maximum, currency))
            network.fees[(bic, currency, role)] = FeeRow(fixed, bps, minimum, maximum, texts)
        if rng.random() < 0.9:
            chance = rng.uniform(0.6, 1.0)
            for frm in held:
                for to in held:
                    if frm != to and rng.random() < (chance if home in (frm, to) else chance * 0.7):
                        network.fx[(bic, frm, to)] = rng.randint(0, 300) if rng.random() < 0.75 else \
                            rng.choice([0, 0, 10, 25, 40, 50, 100, 125, 250])
    # Twins: copies of a bank (same country, fee rows, fx rows, links in and out; latencies the same
    # or not; deducts_under_our sometimes flipped), so that routes through either tie on cost
    # (and delivered, or not), and the later keys decide.
    for _ in range(twins):
        model = network.banks[rng.choice(originals)]
        twin = new_bic(model.country)
        flip = rng.random() < 0.5
        network.banks[twin] = Bank(twin, model.country, model.gpi, model.deducts_under_our != flip)
        if flip:
            network.flipped_twins |= {model.bic, twin}
        if flip:      # make sure the pair charges something whatever the currency
            for currency in allowed_currencies(model.country):
                if (model.bic, currency, "any") not in network.fees:
                    fixed = random_major(rng, currency, 1, 10)
                    zero = format_minor(0, currency)
                    network.fees[(model.bic, currency, "any")] = FeeRow(
                        fixed, 0, 0, 0, (format_minor(fixed, currency), zero, zero))
        same_latency = rng.random() < 0.5
        for (frm, to, currency), minutes in list(network.links.items()):
            if model.bic in (frm, to) and twin not in (frm, to):
                pair = (twin, to) if frm == model.bic else (frm, twin)
                if pair[0] != pair[1]:
                    network.links[(pair[0], pair[1], currency)] = minutes if same_latency else rng.randint(5, 120)
        for (bic, currency, role), row in list(network.fees.items()):
            if bic == model.bic:
                network.fees[(twin, currency, role)] = row
        for (bic, frm, to), bps in list(network.fx.items()):
            if bic == model.bic:
                network.fx[(twin, frm, to)] = bps
    for country in countries:
        home = HOME_CURRENCY[country]
        if rng.random() < 0.75:
            network.clearing[(country, home)] = (random_major(rng, home, 0, 5), rng.randint(5, 120))
        if rng.random() < 0.3:
            other = rng.choice(["USD", "EUR"])
            if other != home:
                network.clearing[(country, other)] = (random_major(rng, other, 0, 5), rng.randint(5, 120))
    return network


# --------------------------------------------------------------------------------------------- routes

@dataclass(frozen=True)
class Route:
    banks: tuple[str, ...]
    links: tuple[str, ...]      # c_0 … c_n-1
    cleared: bool

    def description(self) -> str:
        parts = [self.banks[0]]
        for currency, bank in zip(self.links, self.banks[1:]):
            parts.append(f"-{currency}-> {bank}")
        return " ".join(parts)


@dataclass
class Query:
    number: int
    network: Network
    start: dt.datetime
    source: str             # send currency
    target: str
    origin: str
    destination: str
    bearer: str             # SHA, BEN, OUR or all
    k: int
    by: str
    amount: int | None = None       # fixed send, minor units of source
    receive: int | None = None      # fixed receive, minor units of target
    hunted: bool = False            # amount chosen for exact .5 roundings

    def command(self) -> str:
        money = (f'--amount "{format_minor(self.amount, self.source)} {self.source}" --currency {self.target}'
                 if self.receive is None else
                 f'--receive "{format_minor(self.receive, self.target)} {self.target}" --send-currency {self.source}')
        return (f"route compare --from {self.origin} --to {self.destination} {money} --bearer {self.bearer} "
                f"--k {self.k} --by {self.by} --at {format_time(self.start)}")


def bank_problem(network: Network, bic: str, incoming: str, outgoing: str) -> str | None:
    """Why a bank may not take `incoming` and pass on `outgoing` (None: it may)."""
    country = network.country_of(bic)
    for currency in (incoming, outgoing):
        home = RESTRICTED.get(currency)
        if home is not None and country != home:
            return f"{bic} ({country}) may not hold {currency}"
    if incoming != outgoing and (bic, incoming, outgoing) not in network.fx:
        return f"{bic} has no fx row {incoming}->{outgoing}"
    return None


def hop_latency(network: Network, route: Route, index: int) -> int | None:
    """Latency of the link from bank `index` to the next one, None when there is no such link."""
    frm, to, currency = route.banks[index], route.banks[index + 1], route.links[index]
    if route.cleared and index == len(route.banks) - 2:
        country = network.country_of(to)
        if frm not in network.banks or network.banks[frm].country != country or currency is None:
            return None
        row = network.clearing.get((country, currency))
        return row[1] if row else None
    return network.links.get((frm, to, currency))


def route_problem(network: Network, route: Route, source: str, target: str) -> str | None:
    banks = route.banks
    if not 2 <= len(banks) <= MAX_BANKS or len(set(banks)) != len(banks) or len(route.links) != len(banks) - 1:
        return "not a simple path of 2 to 6 banks"
    if any(b not in network.banks for b in banks[:-1]) or route.cleared == (banks[-1] in network.banks):
        return "bank outside the network"
    if route.cleared and route.links[-1] != target:
        return "a cleared last hop must carry the target currency"
    for index in range(len(banks) - 1):
        if hop_latency(network, route, index) is None:
            return f"no link {banks[index]} -{route.links[index]}-> {banks[index + 1]}"
    currencies = (source,) + route.links + (target,)
    for index, bic in enumerate(banks):
        problem = bank_problem(network, bic, currencies[index], currencies[index + 1])
        if problem:
            return problem
    return None


def enumerate_routes(network: Network, origin: str, destination: str, source: str, target: str) -> list[Route]:
    """Every valid route (simple path × link currencies), by depth-first search over link rows; a
    prefix is dropped as soon as one of its banks is invalid (that depends only on its own currencies)."""
    cleared = destination not in network.banks
    routes: list[Route] = []
    adjacency: dict[str, list[tuple[str, str]]] = {}
    for (frm, to, currency) in network.links:
        adjacency.setdefault(frm, []).append((to, currency))
    if origin not in network.banks:
        return routes

    def visit(banks: list[str], links: list[str], incoming: str) -> None:
        here = banks[-1]
        # The last hop to a cleared destination.
        if cleared and len(banks) < MAX_BANKS and network.country_of(here) == network.country_of(destination) \
                and (network.country_of(destination), target) in network.clearing:
            if bank_problem(network, here, incoming, target) is None \
                    and bank_problem(network, destination, target, target) is None:
                routes.append(Route(tuple(banks) + (destination,), tuple(links) + (target,), True))
        if len(banks) >= MAX_BANKS:
            return
        for to, currency in adjacency.get(here, []):
            if to in banks or bank_problem(network, here, incoming, currency) is not None:
                continue
            if to == destination:
                if bank_problem(network, to, currency, target) is None:
                    routes.append(Route(tuple(banks) + (to,), tuple(links) + (currency,), False))
                continue
            visit(banks + [to], links + [currency], currency)

    visit([origin], [], source)
    return routes


HALF = Fraction(1, 2)


def is_half(value: Fraction) -> bool:
    return value - math.floor(value) == HALF


@dataclass
class Step:
    bic: str
    incoming: str
    outgoing: str
    reaching: int           # amount reaching the bank (minor units of incoming)
    fee: int
    deducted: bool


@dataclass
class Outcome:
    route: Route
    feasible: bool
    reason: str = ""
    delivered: int = 0
    debited: int = 0
    cost: int = 0
    eta: dt.datetime | None = None
    summary: dict | None = None
    ties: list[str] = field(default_factory=list)    # exact .5 cases met on the way (kind per rounding)
    trace: list[Step] = field(default_factory=list)     # the banks passed (up to the one that failed)


def weekday_time(moment: dt.datetime) -> dt.datetime:
    """Saturday/Sunday: the following Monday 00:00 UTC; otherwise unchanged (no cut-offs here)."""
    if moment.weekday() >= 5:
        day = moment.date() + dt.timedelta(days=7 - moment.weekday())
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    return moment


def fee_for(row: FeeRow | None, base: int, ties: list[str] | None = None) -> int:
    if row is None:
        return 0
    percent = Fraction(base * row.bps, 10000)
    if ties is not None and is_half(percent):
        ties.append("percent fee")
    fee = max(row.fixed + round_half_up(percent), row.minimum)
    if row.maximum:
        fee = min(fee, row.maximum)
    return fee


def fee_row(network: Network, route: Route, index: int, incoming: str) -> FeeRow | None:
    role = "debtor" if index == 0 else ("creditor" if index == len(route.banks) - 1 else "intermediary")
    bic = route.banks[index]
    return network.fees.get((bic, incoming, role)) or network.fees.get((bic, incoming, "any"))


def evaluate(network: Network, quotes: dict[str, Fraction], route: Route, source: str, target: str,
             bearer: str, instructed: int, start: dt.datetime) -> Outcome:
    """The route's figures for an instructed amount (minor units of the send currency)."""
    ties: list[str] = []
    trace: list[Step] = []

    def factor(frm: str, to: str) -> Fraction:     # minor units of `to` per minor unit of `frm`
        return quotes[to] / quotes[frm] * Fraction(10) ** (EXPONENT[to] - EXPONENT[frm])

    def even(value: Fraction, kind: str) -> int:
        if is_half(value):
            ties.append(kind)
        return round_half_even(value)

    last = len(route.banks) - 1
    left, currency, billed = instructed, source, 0
    fees, fxs = [], []
    arrival = start
    eta = None
    for index, bic in enumerate(route.banks):
        incoming = currency
        outgoing = route.links[index] if index < last else target
        reaching = left
        if route.cleared and index == last:
            fee = network.clearing[(network.country_of(bic), target)][0]
            deducts_under_our = False
        else:
            fee = fee_for(fee_row(network, route, index, incoming), left, ties)
            deducts_under_our = network.banks[bic].deducts_under_our
        if fee > 0:
            deducted = bearer == "BEN" or (bearer == "SHA" and index > 0) or (bearer == "OUR" and deducts_under_our)
            if deducted:
                if fee >= left:
                    if fee == left:      # (at the last bank nothing else would make the route infeasible)
                        ties.append("fee equals amount left" + (" at the last bank" if index == last else ""))
                    trace.append(Step(bic, incoming, outgoing, reaching, fee, True))
                    return Outcome(route, False, f"fee {format_minor(fee, incoming)} {incoming} at {bic} "
                                                 f">= {format_minor(left, incoming)} left", ties=ties, trace=trace)
                left -= fee
            else:
                billed += fee if incoming == source else even(fee * factor(incoming, source), "billed fee value")
            fees.append([bic, format_minor(fee, incoming), incoming, not deducted])
        trace.append(Step(bic, incoming, outgoing, reaching, fee, fee > 0 and left < reaching))
        if outgoing != incoming:
            bps = network.fx[(bic, incoming, outgoing)]
            mid = left * factor(incoming, outgoing)
            customer = even(mid * Fraction(10000 - bps, 10000), "conversion")
            if customer <= 0:
                return Outcome(route, False, f"conversion at {bic} gives {customer}", ties=ties)
            position = even(mid, "conversion at mid") if bps else customer
            fxs.append([bic, incoming, outgoing, bps, format_minor(position - customer, outgoing), outgoing])
            left, currency = customer, outgoing
        processed = weekday_time(arrival)
        if index < last:
            arrival = processed + dt.timedelta(minutes=hop_latency(network, route, index))
        else:
            eta = processed
    debited = instructed + billed
    delivered_value = left if target == source else even(left * factor(target, source), "delivered value")
    cost = debited - delivered_value
    percent = Fraction(cost * 10000, debited)
    if is_half(percent):
        ties.append("cost percent")
    summary = {
        "path": list(route.banks), "links": list(route.links), "bearer": bearer,
        "instructed": format_minor(instructed, source), "instructedCurrency": source,
        "debited": format_minor(debited, source), "debitedCurrency": source,
        "delivered": format_minor(left, target), "deliveredCurrency": target,
        "cost": format_minor(cost, source), "costCurrency": source,
        "costPercent": format_hundredths(round_half_up(percent)),
        "eta": format_time(eta), "estimated": route.cleared, "fees": fees, "fx": fxs,
    }
    return Outcome(route, True, "", left, debited, cost, eta, summary, ties, trace)


def rank_key(outcome: Outcome, by: str) -> tuple:
    if by == "cost":
        return (outcome.cost, -outcome.delivered, outcome.eta, outcome.route.description())
    return (outcome.eta, outcome.cost, outcome.route.description())


def ranked(outcomes: list[Outcome], by: str, k: int | None = None) -> list[Outcome]:
    """The feasible outcomes best first (the first k)."""
    return sorted((o for o in outcomes if o.feasible), key=lambda o: rank_key(o, by))[:k]


def summarize_json(route: dict) -> dict:
    """The compared fields of one JSON route, with the link currencies derived from its fx list."""
    fx_by_agent = {entry.get("agent"): entry for entry in route.get("fx", [])}
    currency = route.get("instructedCurrency")
    links = []
    for bic in route.get("path", [])[:-1]:
        if bic in fx_by_agent:
            currency = fx_by_agent[bic].get("to")
        links.append(currency)
    return {
        "path": route.get("path"), "links": links, "bearer": route.get("bearer"),
        "instructed": route.get("instructed"), "instructedCurrency": route.get("instructedCurrency"),
        "debited": route.get("debited"), "debitedCurrency": route.get("debitedCurrency"),
        "delivered": route.get("delivered"), "deliveredCurrency": route.get("deliveredCurrency"),
        "cost": route.get("cost"), "costCurrency": route.get("costCurrency"),
        "costPercent": route.get("costPercent"), "eta": route.get("eta"), "estimated": route.get("estimated"),
        "fees": [[f.get("agent"), f.get("amount"), f.get("currency"), f.get("billed")] for f in route.get("fees", [])],
        "fx": [[f.get("agent"), f.get("from"), f.get("to"), f.get("marginBps"), f.get("marginCost"),
                f.get("marginCostCurrency")] for f in route.get("fx", [])],
    }


def show(summary: dict) -> str:
    text = (f"{summary['bearer']} {Route(tuple(summary['path'] or ()), tuple(summary['links']), False).description()}"
            f" | debited {summary['debited']} {summary['debitedCurrency']}, delivered {summary['delivered']} "
            f"{summary['deliveredCurrency']}, cost {summary['cost']} ({summary['costPercent']}%), eta {summary['eta']}"
            f", estimated {summary['estimated']}")
    fees = "; ".join(f"{a} {m} {c} {'billed' if b else 'deducted'}" for a, m, c, b in summary["fees"])
    fxs = "; ".join(f"{a} {f}->{t} {bps}bps margin {m} {c}" for a, f, t, bps, m, c in summary["fx"])
    return f"{text}\n          fees: {fees or '-'}\n          fx: {fxs or '-'}"


def differences(want: dict, got: dict) -> list[str]:
    return [f"{key}: fundflow {got.get(key)!r}, python {want[key]!r}" for key in want if got.get(key) != want[key]]


# ---------------------------------------------------------------------------------------------- cases

def random_start(rng: random.Random) -> dt.datetime:
    weeks = (LAST_START - FIRST_START).days // 7
    day = FIRST_START + dt.timedelta(weeks=rng.randint(0, weeks))
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.timezone.utc)


def pick_endpoints(rng: random.Random, network: Network, avoid: set[str]) -> tuple[str, str, str, str]:
    """(origin, destination, send currency, target): a network bank or, a quarter of the time, a BIC
    outside the network in a country with a clearing row; mostly home currencies, USD and EUR.
    Banks in `avoid` are not endpoints (unless that leaves fewer than two)."""
    bics = [b for b in network.banks if b not in avoid]
    if len(bics) < 2:
        bics = list(network.banks)
    clearing_countries = sorted({country for country, _ in network.clearing})
    origin = rng.choice(bics)
    here = network.banks[origin].country
    if clearing_countries and rng.random() < 0.25:
        country = rng.choice(clearing_countries)
        letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(2))
        destination = f"ZZ{letters}{country}{rng.choice(LOCATIONS)}XXX"
        currencies = [c for (k, c) in network.clearing if k == country]
        target = rng.choice(currencies) if rng.random() < 0.9 else rng.choice(list(EXPONENT))
    else:
        destination = rng.choice([b for b in bics if b != origin])
        there = network.banks[destination].country
        roll = rng.random()
        target = (HOME_CURRENCY[there] if roll < 0.5 else "USD" if roll < 0.7 else "EUR" if roll < 0.85
                  else rng.choice(list(EXPONENT)))
    roll = rng.random()
    source = (HOME_CURRENCY[here] if roll < 0.4 else "USD" if roll < 0.65 else "EUR" if roll < 0.85
              else rng.choice(list(EXPONENT)))
    return origin, destination, source, target


def odd_multiple(rng: random.Random, unit: int, low: int, high: int) -> int | None:
    """A random odd multiple of `unit` in [low, high], None if there is none."""
    first = max(0, (low // unit - 1) // 2)
    last = (high // unit - 1) // 2
    if unit > high or last < first:
        return None
    value = unit * (2 * rng.randint(first, last) + 1)
    return value if low <= value <= high else None


def smallest_amount(low: int, high: int, reached) -> int | None:
    """The smallest amount in [low, high] for which the monotone predicate holds (None: none)."""
    if high < low or not reached(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if reached(middle):
            high = middle
        else:
            low = middle + 1
    return low


def next_odd_multiple(value: int, half: int) -> int:
    """The smallest odd multiple of `half` that is ≥ value."""
    multiple = -(-value // half)
    return (multiple + (multiple % 2 == 0)) * half


def hunt_amount(rng: random.Random, query: Query, quotes: Quotes, routes: list[Route], tiny: bool) -> int:
    """An instructed amount that meets the rarest kinds of exact .5 roundings (or fees equal to the
    amount left; TIE_WEIGHT), then the most of them, among about twenty candidates: the random amount, odd
    multiples of 2^a·5^b minor units, and amounts aimed at a tie on a few sampled routes. A value
    v × p/q (p/q reduced) is a half exactly when q is even and v is an odd multiple of q/2, so:
    the instructed amount itself at the first bank that converts or charges a percentage before
    anything is deducted; by bisection (everything here grows with the amount), the fee of a bank
    billed in another currency (its value in the send currency), the amount delivered (its value in
    the send currency), and, for tiny amounts, the amount reaching a deducting bank equal to its fee;
    and debited = 20000 × cost / odd for cost percent."""
    network, source, target = query.network, query.source, query.target
    rates = quotes.on(query.start.date())
    bearers = BEARERS if query.bearer == "all" else (query.bearer,)
    scale = 100 if source == "JPY" else 1
    low, high = 100 * scale * 10 ** EXPONENT[source], 100000 * scale * 10 ** EXPONENT[source]
    if tiny:
        low, high = 1, 20 * scale * 10 ** EXPONENT[source]

    def factor(frm: str, to: str) -> Fraction:
        return rates[to] / rates[frm] * Fraction(10) ** (EXPONENT[to] - EXPONENT[frm])

    candidates: list[int | None] = [query.amount]
    for _ in range(5):
        candidates.append(odd_multiple(rng, 2 ** rng.randint(0, 6) * 5 ** rng.randint(0, 6), low, high))
    for route in rng.sample(routes, min(4, len(routes))):
        bearer = rng.choice(bearers)

        def run(amount: int, route=route, bearer=bearer) -> Outcome:
            return evaluate(network, rates, route, source, target, bearer, amount, query.start)

        base = run(query.amount)
        for index, step in enumerate(base.trace):          # the instructed amount itself at a tie
            if step.reaching != query.amount or step.incoming != source:
                break
            row = None if route.cleared and index == len(route.banks) - 1 else fee_row(network, route, index, source)
            if row is not None and row.bps and Fraction(row.bps, 10000).denominator % 2 == 0:
                candidates.append(odd_multiple(rng, Fraction(row.bps, 10000).denominator // 2, low, high))
            if step.deducted:
                break
            if step.outgoing != source:
                exact = factor(source, step.outgoing)
                for value in (exact * Fraction(10000 - network.fx[(step.bic, source, step.outgoing)], 10000), exact):
                    if value.denominator % 2 == 0:
                        candidates.append(odd_multiple(rng, value.denominator // 2, low, high))
                break
        for index, step in enumerate(base.trace):          # a billed fee valued at a tie
            value = factor(step.incoming, source)
            if step.fee and not step.deducted and step.incoming != source and value.denominator % 2 == 0:
                half = value.denominator // 2
                below = step.fee // half - (step.fee // half % 2 == 0)
                for goal in {next_odd_multiple(step.fee, half), max(1, below) * half}:
                    candidates.append(smallest_amount(low, high, lambda a, i=index, g=goal: len(run(a).trace) > i
                                                      and run(a).trace[i].fee >= g))
        if tiny:                                            # a deducted fee equal to the amount left
            for index in {len(route.banks) - 1, rng.randrange(len(route.banks))}:
                def enough(amount: int, i=index) -> bool:
                    trace = run(amount).trace
                    return len(trace) > i and trace[i].reaching >= trace[i].fee
                candidates.append(smallest_amount(low, high, enough))
        if not base.feasible:
            continue
        value = factor(target, source)
        if target != source and value.denominator % 2 == 0:   # the delivered amount valued at a tie
            goal = next_odd_multiple(base.delivered, value.denominator // 2)
            candidates.append(smallest_amount(low, high, lambda a, g=goal: run(a).feasible and run(a).delivered >= g))
        if base.cost > 0:                                    # cost percent at a tie
            billed = base.debited - query.amount
            numerator = 20000 * base.cost
            divisors = [m for m in range(1, 4001, 2) if numerator % m == 0 and low <= numerator // m - billed <= high]
            if divisors:
                candidates.append(numerator // rng.choice(divisors) - billed)
    best, best_score = query.amount, (-1, -1)
    for amount in dict.fromkeys(a for a in candidates if a):
        met: list[str] = []
        for bearer in bearers:
            for route in routes:
                met += evaluate(network, rates, route, source, target, bearer, amount, query.start).ties
        score = (sum(TIE_WEIGHT[kind] for kind in set(met)), len(met))    # rare kinds first, then how many
        if score > best_score:
            best, best_score = amount, score
    return best


def make_queries(rng: random.Random, network: Network, count: int, first_number: int, quotes: Quotes) -> list[Query]:
    """Random queries; about 90% are drawn (up to 40 tries) among endpoints with at least one valid
    route, so that most comparisons have routes to rank, the rest among endpoints without one.
    Fixed amounts are mostly 100–100000 major units (JPY × 100), 15% tiny (1–20); half of the fixed
    send amounts are then hunted for exact .5 roundings (`hunt_amount`)."""
    queries = []
    for offset in range(count):
        want_routes = rng.random() < 0.9
        # With a twin whose deducts_under_our differs, OUR routes in one currency through either
        # twin tie on cost but not on delivered: ask for those more often.
        single_currency = bool(network.flipped_twins) and rng.random() < 0.4
        for _ in range(40):
            origin, destination, source, target = pick_endpoints(rng, network,
                                                                 network.flipped_twins if single_currency else set())
            if single_currency:
                target = source
            routes = enumerate_routes(network, origin, destination, source, target)
            if bool(routes) == want_routes:
                break
        bearer = rng.choice(BEARERS) if rng.random() < 0.85 else "all"
        if single_currency and rng.random() < 0.6:
            bearer = "OUR"
        query = Query(first_number + offset, network, random_start(rng), source, target, origin, destination, bearer,
                      rng.randint(1, 6), "cost" if rng.random() < (0.85 if single_currency else 0.65) else "time")
        tiny = rng.random() < 0.15
        if tiny and rng.random() < 0.6:
            query.k = 6         # many routes are infeasible: show all that are left
        if rng.random() < 0.15:
            query.receive = max(1, random_major(rng, target, 1, 20) if tiny else random_major(rng, target, 100, 100000))
        else:
            query.amount = max(1, random_major(rng, source, 1, 20) if tiny else random_major(rng, source, 100, 100000))
            if routes and rng.random() < 0.5:
                query.amount = hunt_amount(rng, query, quotes, routes, tiny)
                query.hunted = True
        queries.append(query)
    return queries


# ------------------------------------------------------------------------------------------- checking

def parse_documents(text: str) -> list:
    decoder = json.JSONDecoder()
    documents, index = [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return documents
        document, index = decoder.raw_decode(text, index)
        documents.append(document)


@dataclass
class Stats:
    networks: int = 0
    queries: int = 0
    routes_compared: int = 0
    routes_enumerated: int = 0
    infeasible_routes: int = 0
    queries_with_infeasible: int = 0
    empty_queries: int = 0
    cleared_queries: int = 0
    cleared_routes: int = 0
    conversions: int = 0
    receive_queries: int = 0
    receive_routes: int = 0
    all_bearer_queries: int = 0
    by_time: int = 0
    hunted: int = 0
    fee_equals_left: int = 0                                  # routes excluded by a fee exactly equal to what is left
    fee_equals_left_last: int = 0                             # … at the last bank
    ties: dict[str, int] = field(default_factory=dict)        # exact .5 roundings in compared routes
    rank_ties: dict[str, int] = field(default_factory=dict)   # adjacent ranks (within k + 1) tied on keys
    mismatches: int = 0
    shown: list[str] = field(default_factory=list)

    def tie(self, table: dict[str, int], kind: str, count: int = 1) -> None:
        table[kind] = table.get(kind, 0) + count


def check_query(query: Query, quotes: Quotes, document, stats: Stats) -> list[str]:
    """Problems with one query's answer (empty: it matches)."""
    network = query.network
    rates = quotes.on(query.start.date())
    routes = enumerate_routes(network, query.origin, query.destination, query.source, query.target)
    stats.routes_enumerated += len(routes)
    if query.destination not in network.banks:
        stats.cleared_queries += 1
    if not isinstance(document, dict) or not isinstance(document.get("routes"), list):
        return [f"unexpected document: {str(document)[:300]}"]
    got = document["routes"]
    bearers = BEARERS if query.bearer == "all" else (query.bearer,)
    problems: list[str] = []
    if query.receive is None:
        want: list[Outcome] = []
        infeasible = 0
        stats.hunted += query.hunted
        for bearer in bearers:
            outcomes = [evaluate(network, rates, r, query.source, query.target, bearer, query.amount, query.start)
                        for r in routes]
            infeasible += sum(not o.feasible for o in outcomes)
            stats.fee_equals_left += sum(kind.startswith("fee equals") for o in outcomes for kind in o.ties)
            stats.fee_equals_left_last += sum(kind.endswith("last bank") for o in outcomes for kind in o.ties)
            order = ranked(outcomes, query.by, None)
            want += order[:query.k]
            for better, worse in zip(order[:query.k], order[1:query.k + 1]):
                a, b = rank_key(better, query.by), rank_key(worse, query.by)
                names = (("cost", "delivered", "eta") if query.by == "cost" else ("eta", "cost"))
                tied = next((i for i in range(len(names)) if a[i] != b[i]), len(names))
                if tied:
                    stats.tie(stats.rank_ties, f"by {query.by}: " + "+".join(names[:tied]) + " equal")
        for outcome in want:
            for kind in outcome.ties:
                stats.tie(stats.ties, kind)
        stats.infeasible_routes += infeasible
        stats.queries_with_infeasible += infeasible > 0
        wanted = [o.summary for o in want]
        seen = [summarize_json(r) for r in got]
        if len(seen) != len(wanted):
            problems.append(f"{len(seen)} routes, expected {len(wanted)} "
                            f"({len(routes)} valid routes per bearer, {infeasible} infeasible in all)")
        for rank, (w, g) in enumerate(zip(wanted, seen), start=1):
            for difference in differences(w, g):
                problems.append(f"rank {rank}: {difference}")
        stats.routes_compared += min(len(seen), len(wanted))
        if problems:
            problems.append("expected:\n" + "\n".join(f"      {i}. {show(s)}" for i, s in enumerate(wanted, 1))
                            + "\n    got:\n" + "\n".join(f"      {i}. {show(s)}" for i, s in enumerate(seen, 1)))
        counted = want
    else:
        stats.receive_queries += 1
        counted = []
        per_bearer: dict[str, int] = {}
        for rank, raw in enumerate(got, start=1):
            seen = summarize_json(raw)
            bearer = seen["bearer"]
            per_bearer[bearer] = per_bearer.get(bearer, 0) + 1
            if bearer not in bearers:
                problems.append(f"route {rank}: bearer {bearer!r} not asked for")
                continue
            route = Route(tuple(seen["path"] or ()), tuple(seen["links"]),
                          bool(seen["path"]) and seen["path"][-1] not in network.banks)
            problem = route_problem(network, route, query.source, query.target) \
                if seen["path"] and seen["path"][0] == query.origin and seen["path"][-1] == query.destination \
                else "does not go from the origin to the destination"
            if problem or seen["instructedCurrency"] != query.source:
                problems.append(f"route {rank} ({show(seen)}) is not a valid route: {problem or 'wrong send currency'}")
                continue
            instructed = to_minor(seen["instructed"], query.source)
            at = evaluate(network, rates, route, query.source, query.target, bearer, instructed, query.start)
            if not at.feasible:
                problems.append(f"route {rank} ({show(seen)}) is infeasible at its instructed amount: {at.reason}")
                continue
            counted.append(at)
            stats.receive_routes += 1
            for difference in differences(at.summary, seen):
                problems.append(f"route {rank} at instructed {seen['instructed']}: {difference}")
            if at.delivered < query.receive:
                problems.append(f"route {rank}: delivers {format_minor(at.delivered, query.target)} < asked "
                                f"{format_minor(query.receive, query.target)} at instructed {seen['instructed']}")
            if instructed > 1:
                less = evaluate(network, rates, route, query.source, query.target, bearer, instructed - 1, query.start)
                if less.feasible and less.delivered >= query.receive:
                    problems.append(f"route {rank}: instructed {format_minor(instructed - 1, query.source)} "
                                    f"already delivers {format_minor(less.delivered, query.target)} ≥ asked "
                                    f"{format_minor(query.receive, query.target)} (not the least amount)")
        for bearer, count in per_bearer.items():
            if count > query.k:
                problems.append(f"{count} routes for {bearer}, k = {query.k}")
        order = [BEARERS.index(r.get("bearer")) for r in got if r.get("bearer") in BEARERS]
        if order != sorted(order):
            problems.append("bearers not in the order SHA, BEN, OUR")
        if len({(s["bearer"], s["path"] and tuple(s["path"]), tuple(s["links"]))
                for s in map(summarize_json, got)}) != len(got):
            problems.append("the same route is listed twice")
        if problems:
            problems.append("got:\n" + "\n".join(f"      {i}. {show(summarize_json(r))}" for i, r in enumerate(got, 1)))
    stats.empty_queries += not got
    stats.cleared_routes += sum(o.route.cleared for o in counted)
    stats.conversions += sum(len(o.summary["fx"]) for o in counted)
    return problems


def seeded_template(fundflow_binary: Path, root: Path) -> Path:
    """A database seeded once (creating one seeds the embedded rates, which takes seconds); each
    network gets a copy of it made with SQLite's backup API."""
    template = root / "template.db"
    Fundflow(fundflow_binary, template, root).ok("fx", "convert", "1.00 USD", "--to", "EUR", "--date", "2026-10-27",
                                               json_output=True)
    return template


def copy_database(template: Path, target: Path) -> None:
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    destination = sqlite3.connect(str(target))
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--cases", type=int, default=300, help="queries in all")
    parser.add_argument("--networks", type=int, default=60, help="random networks the queries are spread over")
    parser.add_argument("--seed", type=int, default=20261027)
    parser.add_argument("--ecb-csv", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (networks, databases)")
    options = parser.parse_args()
    if options.cases < 1 or not 1 <= options.networks <= options.cases:
        raise CheckFailed("need --cases >= --networks >= 1")
    binary = resolve_binary(options.binary)
    started = time.monotonic()
    quotes = Quotes(options.ecb_csv or default_ecb_csv())
    rng = random.Random(options.seed)
    stats = Stats()
    with workdir("fundflow-route-", keep=options.keep) as root:
        binary = private_copy(binary, root)
        template = seeded_template(binary, root)
        number = 1
        for index in range(options.networks):
            network = make_network(rng, index + 1)
            count = options.cases // options.networks + (index < options.cases % options.networks)
            queries = make_queries(rng, network, count, number, quotes)
            number += count
            directory = root / f"network-{index + 1:03d}"
            network.write(directory)
            db = root / f"network-{index + 1:03d}.db"
            copy_database(template, db)
            fundflow = Fundflow(binary, db, root)
            script = root / f"queries-{index + 1:03d}.txt"
            script.write_text(f"network load {directory.name}\n" + "".join(q.command() + "\n" for q in queries))
            run = fundflow.run("--json", str(script), timeout=600)
            documents = parse_documents(run.stdout)
            if run.returncode != 0 or len(documents) != len(queries) + 1:
                check = fundflow.run("network", "check", directory.name)
                failed = len(documents) - 1
                raise CheckFailed(
                    f"network {index + 1}: fundflow stopped after {len(documents)} of {len(queries) + 1} commands "
                    f"(exit {run.returncode})\n"
                    + (f"failing command: {queries[failed].command() if failed >= 0 else 'network load'}\n"
                       if failed < len(queries) else "")
                    + f"stderr (last lines): {' | '.join(run.stderr.strip().splitlines()[-5:])}\n"
                    + f"network check: {check.stdout.strip()[:1500]} {check.stderr.strip()[:1500]}\n"
                    + f"network files:\n{network.dump()}")
            loaded = documents[0]
            if loaded.get("banks") != len(network.banks) or loaded.get("links") != len(network.links):
                raise CheckFailed(f"network {index + 1}: network load reported {loaded}, expected "
                                  f"{len(network.banks)} banks and {len(network.links)} links")
            stats.networks += 1
            for query, document in zip(queries, documents[1:]):
                stats.queries += 1
                stats.all_bearer_queries += query.bearer == "all"
                stats.by_time += query.by == "time"
                problems = check_query(query, quotes, document, stats)
                if problems:
                    stats.mismatches += 1
                    if len(stats.shown) < SHOW_MISMATCHES:
                        stats.shown.append(
                            f"query {query.number} (network {index + 1}): fundflow --json {query.command()}\n    "
                            + "\n    ".join(problems) + f"\n    network files:\n{network.dump()}")
    print(f"networks: {stats.networks}, queries: {stats.queries} (seed {options.seed}; "
          f"bearer all {stats.all_bearer_queries}, "
          f"by time {stats.by_time}, fixed receive {stats.receive_queries}, cleared destination "
          f"{stats.cleared_queries}, no route {stats.empty_queries})")
    print(f"valid routes enumerated: {stats.routes_enumerated}; infeasible route evaluations: "
          f"{stats.infeasible_routes} in {stats.queries_with_infeasible} queries")
    print(f"routes compared: {stats.routes_compared} ranked + {stats.receive_routes} fixed-receive routes checked; "
          f"cleared-destination routes {stats.cleared_routes}, conversions {stats.conversions}")
    print(f"amounts hunted for ties: {stats.hunted} queries; exact .5 roundings in compared routes: "
          + (", ".join(f"{kind} {n}" for kind, n in sorted(stats.ties.items())) or "none")
          + f"; routes excluded by a fee equal to the amount left: {stats.fee_equals_left} "
          f"({stats.fee_equals_left_last} at the last bank)")
    print("adjacent ranks tied on leading keys (within k + 1): "
          + (", ".join(f"{kind} {n}" for kind, n in sorted(stats.rank_ties.items())) or "none"))
    print(f"mismatches: {stats.mismatches}; elapsed {time.monotonic() - started:.1f}s")
    if stats.mismatches:
        raise CheckFailed(f"{stats.mismatches} of {stats.queries} queries differ from the exhaustive model; first "
                          f"{len(stats.shown)}:\n" + "\n".join(stats.shown))
    print("route_crosscheck: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
