#!/usr/bin/env python3
"""Runs the README's family walk-through exactly as written, on a new database, and checks that
the Lee family's numbers hold (issue 7's acceptance: "a family walk-through in the README's tour,
run by a CI test that extracts the tour's commands").

usage: scripts/family_tour.py [FUNDFLOW_BINARY] [--keep]

The lines between `<!-- family-tour:begin -->` and `<!-- family-tour:end -->` in README.md are
run by bash with `set -euo pipefail` in an empty directory, `fundflow` being a shell function that
calls the binary (the README's alias runs `swift run`). Every line must succeed (the two refusals
the tour shows are caught by `|| echo`, and must have printed their message). Then, read straight
from the SQLite file: the pool holds 2000 − 50 (allowance) − 70 − 260 + 35 = 1655.00 CNY, Hao's
own wallet 50 − 50 + 25 = 25.00 CNY, the pharmacy's settlement 60.00 and the academy's 260.00
CNY, request 1 is approved by wei, and the report's JSON totals equal those ledger figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    PACKAGE_ROOT, CheckFailed, main_wrapper, private_copy, read_only, resolve_binary, workdir)


def tour_lines() -> list[str]:
    text = (PACKAGE_ROOT / "README.md").read_text()
    match = re.search(r"<!-- family-tour:begin -->\s*```sh\n(.*?)```\s*<!-- family-tour:end -->", text, re.S)
    if not match:
        raise CheckFailed("README.md has no family tour between the family-tour markers")
    lines = [line for line in match.group(1).splitlines() if line.strip()]
    if len(lines) < 10:
        raise CheckFailed(f"the family tour has only {len(lines)} lines")
    return lines


def balance(connection, name: str) -> int:
    row = connection.execute("SELECT bookedMinor FROM account WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise CheckFailed(f"account {name} does not exist after the tour")
    return int(row[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    binary = resolve_binary(options.binary)
    lines = tour_lines()
    with workdir("fundflow-family-tour-", keep=options.keep) as root:
        binary = private_copy(binary, root)
        script = root / "tour.sh"
        script.write_text("set -euo pipefail\n" + f'fundflow() {{ "{binary}" "$@"; }}\n' + "\n".join(lines) + "\n")
        env = {key: value for key, value in os.environ.items() if not key.startswith("FUNDFLOW_")}
        env["USER"] = "ops"
        done = subprocess.run(["bash", str(script)], cwd=root, env=env, capture_output=True, text=True,
                              timeout=900, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise CheckFailed(f"the tour stopped (exit {done.returncode})\nstdout: {done.stdout[-3000:]}\n"
                              f"stderr: {done.stderr[-3000:]}")
        for expected in ("refused: an invitation is not membership", "refused: nobody approves their own request",
                         "ledger verified"):
            if expected not in done.stdout:
                raise CheckFailed(f"the tour's output lacks '{expected}':\n{done.stdout[-3000:]}")
        db = root / "family.db"
        with read_only(db) as connection:
            figures = {
                "pool": balance(connection, "family:lee:pool:CNY"),
                "hao": balance(connection, "member:lee:hao:CNY"),
                "pharmacy": balance(connection, "settlement:pending:pharmacy:CNY"),
                "academy": balance(connection, "settlement:pending:academy:CNY"),
            }
            request = connection.execute(
                "SELECT status, approvals FROM familyRequest WHERE id = 1").fetchone()
        expected = {"pool": 165500, "hao": 2500, "pharmacy": 6000, "academy": 26000}
        if figures != expected:
            raise CheckFailed(f"after the tour the books hold {figures}, expected {expected}")
        if tuple(request) != ("approved", "wei"):
            raise CheckFailed(f"request 1 is {tuple(request)}, expected approved by wei")
        report = subprocess.run(
            [str(binary), "--db", str(db), "--as", "lan", "--json", "family", "report", "lee", "--month", "2026-12"],
            cwd=root, env=dict(env, FUNDFLOW_PIN="482913"), capture_output=True, text=True, timeout=300,
            stdin=subprocess.DEVNULL)
        if report.returncode != 0:
            raise CheckFailed(f"family report failed: {report.stderr}")
        total = json.loads(report.stdout)["total"]
        net = figures["pharmacy"] + figures["academy"]
        if (total["gross"], total["refunded"], total["net"]) != ("380.00", "60.00", f"{net / 100:.2f}"):
            raise CheckFailed(f"report totals {total} do not match the ledger (net {net} minor units)")
        print(f"tour: {len(lines)} lines ran; pool 1655.00 CNY, hao 25.00 CNY, merchants 60.00 + 260.00 CNY "
              f"= report net {total['net']}")
    print("family_tour: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
