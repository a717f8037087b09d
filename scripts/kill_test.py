#!/usr/bin/env python3
"""Kill test: SIGKILL a fundflow process running a script of keyed posts, again and again, and
replay the whole script with the same keys each time. Nothing may be lost or posted twice.

usage: scripts/kill_test.py [FUNDFLOW_BINARY] [--posts N] [--kills K] [--seed S] [--keep]

After every kill the database is read directly (sqlite3, read-only): the committed kill-* keys
must be exactly kill-1..kill-C for some C (the script runs in order and each post is one
transaction), each with its idempotency record and two postings. A kill "between commits" is one
after which the run had committed some but not all of the transfers it had left (C0 < C < N);
delays adapt so that at least a quarter of the kills are of that kind. When enough kills were
delivered a run is left to finish (exit 0). Then: exactly N kill-* transfers, each with the
accounts and amount its line asked for, final balances equal to the start plus what the script
intended (computed here), and `ledger verify` and `audit verify` pass.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    CheckFailed, Fundflow, main_wrapper, private_copy, read_only, resolve_binary, workdir)

NOSTRO = "nostro:DEUTDEFFXXX:EUR"
OPENING = "equity:opening:EUR"
WALLETS = ["wallet:acme:EUR", "wallet:globex:EUR", "wallet:initech:EUR"]
FEES_IN = "fees:income:EUR"
FEES_OUT = "fees:expense:EUR"
DEBIT_NORMAL = {NOSTRO, FEES_OUT}
FUNDING_MINOR = 10_000_00  # per wallet; more than 400 posts of at most 9.99 EUR can take out


def money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d} EUR"


def plan(rng: random.Random, posts: int) -> list[tuple[str, str, str, int]]:
    """(key, debit, credit, minor units) for each line of the script, in order."""
    lines = []
    for index in range(1, posts + 1):
        kind = rng.random()
        minor = rng.randint(1, 999)
        if kind < 0.55:
            debit, credit = rng.sample(WALLETS, 2)
        elif kind < 0.7:
            debit, credit = rng.choice(WALLETS), FEES_IN
        elif kind < 0.85:
            debit, credit = FEES_OUT, NOSTRO
        else:
            debit, credit = NOSTRO, rng.choice(WALLETS)
        lines.append((f"kill-{index}", debit, credit, minor))
    return lines


def command(key: str, debit: str, credit: str, minor: int) -> str:
    words = ["ledger", "post", "--debit", debit, "--credit", credit, money(minor), "--key", key,
             "--memo", f"kill test {key}"]
    if debit.startswith("wallet:") or credit.startswith("wallet:"):
        words += ["--reason", "kill test"]
    return " ".join(shlex.quote(word) for word in words)


class Probe:
    """Reads what is committed, read-only, after a process died."""

    def __init__(self, db: Path, posts: int):
        self.db = db
        self.posts = posts

    def state(self) -> tuple[int, int]:
        """(committed kill-* transfers, audit entries), after checking the committed keys are a prefix."""
        with read_only(self.db) as connection:
            keys = [row[0] for row in connection.execute("SELECT key FROM transfer WHERE key LIKE 'kill-%'")]
            numbers = sorted(int(key.split("-", 1)[1]) for key in keys)
            if numbers != list(range(1, len(numbers) + 1)):
                missing = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
                raise CheckFailed(f"committed kill-* keys are not a prefix of the script: {len(numbers)} keys, "
                                  f"missing {missing[:10]}, duplicates {len(numbers) - len(set(numbers))}")
            records = connection.execute(
                "SELECT count(*) FROM idempotency WHERE key LIKE 'kill-%' AND outcome = 'succeeded'").fetchone()[0]
            if records != len(numbers):
                raise CheckFailed(f"{len(numbers)} kill-* transfers but {records} succeeded idempotency records")
            bad = connection.execute(
                "SELECT t.key, count(p.id) FROM transfer t LEFT JOIN posting p ON p.transfer = t.id "
                "WHERE t.key LIKE 'kill-%' GROUP BY t.id HAVING count(p.id) <> 2").fetchall()
            if bad:
                raise CheckFailed(f"transfers without exactly two postings: {bad[:5]}")
            audits = connection.execute("SELECT count(*) FROM auditEntry").fetchone()[0]
        return len(numbers), audits

    def count(self) -> int:
        """Committed kill-* transfers right now (polled while a run is going)."""
        try:
            with read_only(self.db) as connection:
                return connection.execute("SELECT count(*) FROM transfer WHERE key LIKE 'kill-%'").fetchone()[0]
        except sqlite3.OperationalError:
            return 0  # e.g. the file is momentarily unreadable for a read-only opener; just poll again

    def transfers(self) -> dict[str, tuple[str, str, int]]:
        with read_only(self.db) as connection:
            rows = connection.execute(
                "SELECT t.key, p.side, a.name, p.amountMinor FROM transfer t JOIN posting p ON p.transfer = t.id "
                "JOIN account a ON a.id = p.account WHERE t.key LIKE 'kill-%'").fetchall()
            total = connection.execute("SELECT count(*) FROM transfer WHERE key LIKE 'kill-%'").fetchone()[0]
            distinct = connection.execute("SELECT count(DISTINCT key) FROM transfer WHERE key LIKE 'kill-%'").fetchone()[0]
        if total != distinct:
            raise CheckFailed(f"{total} kill-* transfers but only {distinct} distinct keys")
        legs: dict[str, dict[str, tuple[str, int]]] = {}
        for key, side, name, minor in rows:
            legs.setdefault(key, {})[side] = (name, minor)
        out = {}
        for key, sides in legs.items():
            if set(sides) != {"debit", "credit"} or sides["debit"][1] != sides["credit"][1]:
                raise CheckFailed(f"transfer {key} has legs {sides}")
            out[key] = (sides["debit"][0], sides["credit"][0], sides["debit"][1])
        return out


def check_final_run(stdout: str, replays: int, probe: Probe, posts: int, run: int) -> None:
    """A run that finished: the first `replays` keys answered with their first result (same transfer
    id, `replayed: true`), the rest were posted now."""
    decoder = json.JSONDecoder()
    documents, position = [], 0
    while position < len(stdout):
        if stdout[position].isspace():
            position += 1
            continue
        document, position = decoder.raw_decode(stdout, position)
        documents.append(document)
    if len(documents) != posts:
        raise CheckFailed(f"run {run} printed {len(documents)} JSON documents for {posts} lines")
    with read_only(probe.db) as connection:
        ids = dict(connection.execute("SELECT key, id FROM transfer WHERE key LIKE 'kill-%'").fetchall())
    for index, document in enumerate(documents, start=1):
        key = f"kill-{index}"
        if document.get("key") != key or document.get("transfer") != ids.get(key):
            raise CheckFailed(f"run {run}, line {index}: printed {document.get('key')} as transfer "
                              f"{document.get('transfer')}, the database has {key} as transfer {ids.get(key)}")
        if document.get("replayed") != (index <= replays):
            raise CheckFailed(f"run {run}, line {index}: replayed={document.get('replayed')} but {replays} keys "
                              f"were committed before the run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--posts", type=int, default=400)
    parser.add_argument("--kills", type=int, default=60, help="SIGKILLs to deliver before letting a run finish")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    if options.posts < 400 or options.kills < 50:
        raise CheckFailed("the kill test needs at least 400 posts and 50 kills")
    binary = resolve_binary(options.binary)
    rng = random.Random(options.seed)
    started = time.monotonic()

    with workdir("fundflow-kill-", keep=options.keep) as root:
        db = root / "kill.db"
        binary = private_copy(binary, root)
        fundflow = Fundflow(binary, db, root)
        setup = [f"ledger open {name} EUR" for name in [NOSTRO, OPENING, FEES_IN, FEES_OUT] + WALLETS]
        setup.append(f"ledger post --debit {NOSTRO} --credit {OPENING} '{money(5_000_000_00)}' --key setup-open")
        for number, wallet in enumerate(WALLETS):
            setup.append(f"ledger post --debit {NOSTRO} --credit {wallet} '{money(FUNDING_MINOR)}' "
                         f"--key setup-fund-{number} --reason 'kill test funding'")
        fundflow.commands(setup)
        start = {name: balance for name, (_, balance) in fundflow.balances().items()}

        lines = plan(rng, options.posts)
        script = root / "kill.ff"
        script.write_text("\n".join(command(*line) for line in lines) + "\n")
        intended: dict[str, int] = {name: 0 for name in start}
        for _, debit, credit, minor in lines:
            intended[debit] += minor if debit in DEBIT_NORMAL else -minor
            intended[credit] += -minor if credit in DEBIT_NORMAL else minor

        probe = Probe(db, options.posts)
        committed, audits = probe.state()
        if committed != 0:
            raise CheckFailed(f"a fresh database already holds {committed} kill-* transfers")

        # Timing model, refined after every kill: start-up s0, then `per_line` seconds per script line
        # (a replayed key costs about as much as a new post: each is one IMMEDIATE transaction and an fsync).
        begin = time.monotonic()
        fundflow.ok("ledger", "balances")
        s0 = time.monotonic() - begin
        per_line = 0.012

        kills = between = runs = early_finishes = guards = 0
        argv = [str(binary), "--db", str(db), "--json", str(script)]
        log = root / "stderr.log"
        out = root / "stdout.json"
        while True:
            runs += 1
            remaining_kills = options.kills - kills
            c0, a0 = committed, audits
            kill_at = None
            cap = options.posts + 1
            if remaining_kills > 0:
                between_ratio = between / kills if kills else 0.0
                aim_between = rng.random() < (0.7 if between_ratio < 0.4 else 0.5)
                span = max(2, int(1.6 * (options.posts - c0) / remaining_kills))
                if aim_between:
                    target = c0 + rng.randint(1, span) - 0.5
                    kill_at = s0 + target * per_line * rng.uniform(0.9, 1.1)
                else:  # during start-up or while the already-committed keys are replayed
                    kill_at = rng.uniform(0, s0 + c0 * per_line)
                # A guard against timing drift (the machine is shared): never let one run commit much
                # more than planned, or the script would be done before enough kills were delivered.
                cap = c0 + 2 * span
            with open(log, "w") as stderr, open(out, "w") as stdout:
                process = subprocess.Popen(argv, cwd=root, stdin=subprocess.DEVNULL, stdout=stdout,
                                           stderr=stderr, env=fundflow.env)
                launched = time.monotonic()
                guarded = False
                if kill_at is None:
                    try:
                        process.wait(timeout=1800)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        raise CheckFailed("the final run did not finish within 30 minutes")
                else:
                    while process.poll() is None:
                        if time.monotonic() - launched >= kill_at:
                            break
                        if probe.count() >= cap:
                            guarded = True
                            break
                        time.sleep(0.004)
                    if process.poll() is None:
                        os.kill(process.pid, signal.SIGKILL)  # the fundflow process itself, no shell in between
                    process.wait()
                elapsed_run = time.monotonic() - launched
                guards += guarded
            errors = [line for line in log.read_text().splitlines() if not line.startswith("note: ")]
            committed, audits = probe.state()
            if committed < c0:
                raise CheckFailed(f"run {runs}: committed transfers went down from {c0} to {committed}")
            if process.returncode == -signal.SIGKILL:
                kills += 1
                if errors:
                    raise CheckFailed(f"run {runs} wrote errors before it was killed: {errors[:5]}")
                processed = audits - a0  # one audit entry per script line, replayed or new
                if processed > 0:
                    per_line = 0.7 * per_line + 0.3 * max(0.001, (elapsed_run - s0) / processed)
                landed_between = c0 < committed < options.posts
                between += landed_between
                if kills <= 3 or kills % 10 == 0:
                    print(f"  kill {kills:3d} after {elapsed_run * 1000:6.0f} ms: committed {c0} -> {committed}"
                          f"{'  (between commits)' if landed_between else ''}", flush=True)
                continue
            if process.returncode != 0:
                raise CheckFailed(f"run {runs} exited {process.returncode}: {errors[:10]}")
            if committed != options.posts:
                raise CheckFailed(f"run {runs} exited 0 but only {committed} of {options.posts} kill-* transfers exist")
            check_final_run(out.read_text(), c0, probe, options.posts, runs)
            final_replays = c0
            if kills >= options.kills:
                break
            early_finishes += 1  # finished before it was killed; keep killing (pure replays) until enough kills

        # The end state.
        found = probe.transfers()
        if len(found) != options.posts:
            raise CheckFailed(f"{len(found)} kill-* transfers, expected exactly {options.posts}")
        for key, debit, credit, minor in lines:
            if found.get(key) != (debit, credit, minor):
                raise CheckFailed(f"{key}: committed {found.get(key)}, the script asked for {(debit, credit, minor)}")
        final = {name: balance for name, (_, balance) in fundflow.balances().items()}
        for name in start:
            expected = start[name] + Decimal(intended[name]).scaleb(-2)
            if final.get(name) != expected:
                raise CheckFailed(f"{name}: final balance {final.get(name)}, expected {expected} "
                                  f"(start {start[name]} + intended {Decimal(intended[name]).scaleb(-2)})")
        for words in (("ledger", "verify"), ("audit", "verify")):
            result = fundflow.run(*words)
            if result.returncode != 0:
                raise CheckFailed(f"`{' '.join(words)}` failed after the kill test:\n{result.describe()}")
        with read_only(db) as connection:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise CheckFailed(f"PRAGMA integrity_check: {integrity}")

    share = between / kills
    print(f"posts: {options.posts}, seed {options.seed}")
    print(f"kills: {kills}")
    print(f"kills between commits: {between} ({share:.0%})")
    print(f"kills by the drift guard (run had committed twice the planned span): {guards}")
    print(f"runs: {runs} (the last one finished with exit 0; {early_finishes} finished early and were replayed)")
    print(f"final run: {final_replays} keys replayed with their first result, {options.posts - final_replays} posted")
    print(f"final: {options.posts} kill-* transfers, each as intended; balances = start + intended; "
          f"ledger verify, audit verify, integrity_check ok")
    print(f"elapsed: {time.monotonic() - started:.1f}s")
    if share < 0.25:
        raise CheckFailed(f"only {between} of {kills} kills landed between commits (need at least a quarter)")
    print("kill_test: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
