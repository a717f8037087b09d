#!/usr/bin/env python3
"""Writes a generated correspondent network for the routing benchmark (stdlib only).

usage: scripts/gen_big_network.py OUT_DIR [--banks 10000] [--links 100000] [--seed 7]

The network has the shape of correspondent banking at scale, not of a real one: BANKS banks
spread over 20 countries (real ISO codes, IANA time zones), each sending USD to random other
banks so that there are LINKS links in all (every bank has the same out-degree, ±1), latencies
10–240 minutes. Every bank charges a USD fee: a fixed 15.00–30.00 USD and, for a third of them,
1–10 bps with a minimum. Fees are all that differ between routes, so the same graph with the
fee of the receiving bank on each edge is a plain weighted digraph (written to `edges.tsv`:
`from to fee_minor`, the fixed part only, for the networkx comparison in scripts/bench-routes,
which therefore gives no bank a bps part when `--networkx-exact` is set).
"""

import argparse
import random
from pathlib import Path

COUNTRIES = [
    ("US", "America/New_York"), ("DE", "Europe/Berlin"), ("GB", "Europe/London"), ("FR", "Europe/Paris"),
    ("JP", "Asia/Tokyo"), ("CH", "Europe/Zurich"), ("SG", "Asia/Singapore"), ("HK", "Asia/Hong_Kong"),
    ("AU", "Australia/Sydney"), ("CA", "America/Toronto"), ("MX", "America/Mexico_City"),
    ("ZA", "Africa/Johannesburg"), ("NL", "Europe/Amsterdam"), ("ES", "Europe/Madrid"), ("IT", "Europe/Rome"),
    ("SE", "Europe/Stockholm"), ("NO", "Europe/Oslo"), ("DK", "Europe/Copenhagen"), ("PL", "Europe/Warsaw"),
    ("NZ", "Pacific/Auckland"),
]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def bic(index: int, country: str) -> str:
    code = ""
    for _ in range(4):
        code += LETTERS[index % 26]
        index //= 26
    return f"{code}{country}22XXX"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--banks", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--networkx-exact", action="store_true",
                        help="fixed fees only, so that networkx's edge weights are the exact costs")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    banks = []
    for index in range(args.banks):
        country, zone = COUNTRIES[index % len(COUNTRIES)]
        banks.append((bic(index, country), country, zone))
    with open(out / "banks.csv", "w") as f:
        f.write("bic,name,country,timezone,gpi,deducts_under_our\n")
        for code, country, zone in banks:
            f.write(f"{code},Bank {code[:4]},{country},{zone},true,false\n")
    links = set()
    per_bank = args.links // args.banks
    extra = args.links - per_bank * args.banks
    for index, (code, _, _) in enumerate(banks):
        count = per_bank + (1 if index < extra else 0)
        targets = set()
        while len(targets) < count:
            other = rng.randrange(args.banks)
            if other != index:
                targets.add(other)
        for other in sorted(targets):
            links.add((code, banks[other][0], rng.randrange(10, 241)))
    fees = {}
    with open(out / "fees.csv", "w") as f:
        f.write("bic,currency,role,fixed,percent_bps,min,max\n")
        for code, _, _ in banks:
            fixed = rng.randrange(1500, 3001)
            bps = 0 if args.networkx_exact or rng.random() < 2 / 3 else rng.randrange(1, 11)
            minimum = fixed if bps else 0
            fees[code] = fixed
            f.write(f"{code},USD,any,{fixed // 100}.{fixed % 100:02d},{bps},{minimum // 100}.{minimum % 100:02d},0\n")
    with open(out / "links.csv", "w") as f, open(out / "edges.tsv", "w") as e:
        f.write("from,to,currency,latency_minutes\n")
        for source, target, latency in sorted(links):
            f.write(f"{source},{target},USD,{latency}\n")
            e.write(f"{source}\t{target}\t{fees[target]}\n")
    print(f"{len(banks)} banks, {len(links)} links in {out}")


if __name__ == "__main__":
    main()
