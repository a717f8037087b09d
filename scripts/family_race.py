#!/usr/bin/env python3
"""Two processes spend for one family member at once where together they would pass a cap:
exactly one may pay, every time; the other becomes a request (DESIGN.md §6, issue 7).

usage: scripts/family_race.py [FUNDFLOW_BINARY] [--trials N] [--keep]

One simulated database: the operator owns family `race` (CNY) with 2,000.00 CNY in the pool; `kid`
is an adult member whose daily cap is 100.00 CNY. Each trial is a new day (`clock advance 1d`):
two fundflow processes acting as `kid` are started with stdin=PIPE and released at the same
moment (a threading.Barrier), each with one `pay … 60.00 CNY --json` at its own merchant.
Checks per trial: both exit 0; exactly one answer says "paid" and the other "request"; the
ledger's postings out of the pool that day (read from SQLite, not from fundflow's answers) are
exactly 60.00 CNY; neither stderr mentions "locked" or "busy". At the end: the pool holds
2,000.00 − trials × 60.00 CNY, `ledger verify` and `audit verify` pass.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    CheckFailed, Fundflow, main_wrapper, private_copy, read_only, resolve_binary, workdir)

PIN = "482913"
POOL = "family:race:pool:CNY"


def pool_debits(db: Path) -> int:
    """Minor units the ledger moved out of the pool, in all."""
    with read_only(db) as connection:
        row = connection.execute(
            "SELECT COALESCE(SUM(p.amountMinor), 0) FROM posting p JOIN account a ON a.id = p.account "
            "WHERE a.name = ? AND p.side = 'debit'", (POOL,)).fetchone()
    return int(row[0])


def trial(fundflow: Fundflow, db: Path, number: int) -> dict:
    fundflow.ok("clock", "advance", "1d")
    before = pool_debits(db)
    env = dict(fundflow.env, FUNDFLOW_PIN=PIN)
    processes = {
        side: subprocess.Popen(
            fundflow.argv("--as", "kid"), cwd=fundflow.cwd, env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for side in ("a", "b")}
    barrier = threading.Barrier(2)
    outputs: dict[str, tuple[str, str]] = {}

    def feed(side: str) -> None:
        line = (f"pay --family race --merchant shop-{side} --category food '60.00 CNY' "
                f"--key t{number}-{side} --json\n")
        barrier.wait()
        outputs[side] = processes[side].communicate(line, timeout=300)

    threads = [threading.Thread(target=feed, args=(side,)) for side in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = []
    statuses = {}
    for side, (stdout, stderr) in outputs.items():
        if processes[side].returncode != 0:
            failures.append(f"process {side} exit {processes[side].returncode}: {stderr.strip()[:400]}")
            continue
        if "locked" in stderr.lower() or "busy" in stderr.lower():
            failures.append(f"process {side} reported: {stderr.strip()[:400]}")
        statuses[side] = json.loads(stdout)["status"]
    if sorted(statuses.values()) != ["paid", "request"]:
        failures.append(f"expected one paid and one request, got {statuses}")
    moved = pool_debits(db) - before
    if moved != 6000:
        failures.append(f"the pool paid {moved} minor units this day, expected 6000")
    if failures:
        raise CheckFailed(f"trial {number}:\n- " + "\n- ".join(failures))
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    binary = resolve_binary(options.binary)
    started = time.monotonic()
    with workdir("fundflow-family-race-", keep=options.keep) as root:
        binary = private_copy(binary, root)
        db = root / "family.db"
        fundflow = Fundflow(binary, db, root)
        fundflow.env["USER"] = "ops"
        fundflow.ok("--simulated", "-c", "clock set 2026-12-01T04:00:00Z")
        fundflow.env["FUNDFLOW_NEW_PIN"] = PIN
        fundflow.commands([
            "user add kid --role member",
            "family create race --currency CNY --timezone Asia/Shanghai",
            "family invite race kid --role adult",
            "family deposit race '2000.00 CNY' --key seed",
        ])
        fundflow.env.pop("FUNDFLOW_NEW_PIN")
        accepted = subprocess.run(
            fundflow.argv("--as", "kid", "family", "accept", "race"), cwd=root,
            env=dict(fundflow.env, FUNDFLOW_PIN=PIN), capture_output=True, text=True, timeout=300,
            stdin=subprocess.DEVNULL)
        if accepted.returncode != 0:
            raise CheckFailed(f"kid could not accept: {accepted.stderr.strip()}")
        fundflow.ok("family", "policy", "race", "kid", "--daily", "100")
        winners = {"a": 0, "b": 0}
        for number in range(1, options.trials + 1):
            statuses = trial(fundflow, db, number)
            winner = next(side for side, status in statuses.items() if status == "paid")
            winners[winner] += 1
        expected = 200000 - options.trials * 6000
        balances = fundflow.balances()
        pool = int(balances[POOL][1] * 100)
        if pool != expected:
            raise CheckFailed(f"the pool holds {pool} minor units, expected {expected}")
        for command in (["ledger", "verify"], ["audit", "verify"]):
            fundflow.ok(*command)
        print(f"trials: {options.trials}, exactly one payment each time (first process {winners['a']}, "
              f"second {winners['b']}); pool {balances[POOL][1]} CNY; elapsed {time.monotonic() - started:.1f}s")
    print("family_race: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
