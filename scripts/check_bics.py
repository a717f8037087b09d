#!/usr/bin/env python3
"""Every BIC of the default network (rates/network/banks.csv) passes schwifty's BIC check.

usage: scripts/check_bics.py [BANKS_CSV]

schwifty (an independent IBAN/BIC library) parses each BIC: length 8 or 11, a four-letter bank
code, a valid ISO 3166 country code, a two-character location code and an optional branch code.
The country schwifty reads from the BIC must equal the banks.csv `country` column. Prints how many
BICs schwifty's own bank registry also lists (informational: its registry covers a few countries).
"""

import csv
import sys
from pathlib import Path

from schwifty import BIC
from schwifty.exceptions import SchwiftyException

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "rates" / "network" / "banks.csv"
    problems = []
    known = 0
    rows = list(csv.DictReader(path.open()))
    for line, row in enumerate(rows, start=2):
        try:
            bic = BIC(row["bic"])
        except SchwiftyException as error:
            problems.append(f"{path}:{line}: {row['bic']}: {error}")
            continue
        if bic.country_code != row["country"]:
            problems.append(f"{path}:{line}: {row['bic']}: schwifty reads country {bic.country_code}, "
                            f"banks.csv says {row['country']}")
        known += bool(bic.exists)
    for problem in problems:
        print(problem)
    print(f"{len(rows)} BICs checked by schwifty: {len(rows) - len(problems)} valid, "
          f"{known} also in schwifty's bank registry")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
