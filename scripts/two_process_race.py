#!/usr/bin/env python3
"""Two-process race: two fundflow processes create one brand-new database at the same moment and
then race to spend the same wallet. SQLite's locking (and Fundflow's create/migrate/seed
serialisation) must make them behave like one ledger: no "database is locked", no lost or
doubled money, no overdraft.

usage: scripts/two_process_race.py [FUNDFLOW_BINARY] [--rounds R] [--attempts A] [--keep]

Each round: both processes are started with stdin=PIPE before the database file exists; then two
threads behind a threading.Barrier write each process's whole input and close its stdin at the
same moment (that is the barrier). Each input opens the same accounts, posts the same opening
balance and the same wallet funding under the same keys (so each happens once), then tries A
debits of a fixed amount from the wallet with its own keys (a-1, a-2, ... / b-1, ...), more than
the funding allows in total. Piped input stops at the first failure, so each process ends at its
first refusal (exit 1, "insufficient funds"). Checks per round: exactly floor(funding / amount)
a-/b- transfers, the wallet ends at funding - that x amount, each process's committed keys are a
prefix of its own, the a-/b- commits interleave both ways (by transfer id), neither stderr mentions
"locked" or "busy", the shared keys exist once, and `ledger verify` / `audit verify` pass.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    CheckFailed, Fundflow, main_wrapper, private_copy, read_only, resolve_binary, workdir)

NOSTRO = "nostro:DEUTDEFFXXX:EUR"
OPENING = "equity:opening:EUR"
WALLET = "wallet:acme:EUR"
FUNDING = Decimal("1000.00")
AMOUNT = Decimal("7.13")


def process_input(prefix: str, attempts: int) -> str:
    lines = [
        f"ledger open {NOSTRO} EUR",
        f"ledger open {OPENING} EUR",
        f"ledger open {WALLET} EUR",
        f"ledger post --debit {NOSTRO} --credit {OPENING} '10000.00 EUR' --key open-1",
        f"ledger post --debit {NOSTRO} --credit {WALLET} '{FUNDING} EUR' --key fund-1 --reason 'race funding'",
    ]
    lines += [f"ledger post --debit {WALLET} --credit {NOSTRO} '{AMOUNT} EUR' --key {prefix}-{index} "
              f"--reason 'race debit'" for index in range(1, attempts + 1)]
    return "\n".join(lines) + "\n"


def race(binary: Path, root: Path, round_number: int, attempts: int) -> dict:
    db = root / f"race-{round_number}.db"
    if db.exists():
        raise CheckFailed(f"{db} exists before the race")
    fundflow = Fundflow(binary, db, root)
    logs = {}
    processes = {}
    for prefix in ("a", "b"):
        out = open(root / f"{round_number}-{prefix}.out", "w")
        err = open(root / f"{round_number}-{prefix}.err", "w")
        logs[prefix] = (out, err)
        processes[prefix] = subprocess.Popen([str(binary), "--db", str(db)], cwd=root, env=fundflow.env,
                                             stdin=subprocess.PIPE, stdout=out, stderr=err)
    time.sleep(0.3)  # both are up and blocked reading standard input
    if db.exists():
        raise CheckFailed("a process created the database before it was given any command")

    barrier = threading.Barrier(2)
    inputs = {prefix: process_input(prefix, attempts).encode() for prefix in processes}
    problems: list[str] = []

    def feed(prefix: str) -> None:
        try:
            barrier.wait(timeout=10)
            processes[prefix].stdin.write(inputs[prefix])
            processes[prefix].stdin.close()
        except Exception as error:  # noqa: BLE001 - reported below
            problems.append(f"feeding {prefix}: {error!r}")

    threads = [threading.Thread(target=feed, args=(prefix,)) for prefix in processes]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = {}
    for prefix, process in processes.items():
        try:
            codes[prefix] = process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            problems.append(f"process {prefix} did not finish within 10 minutes")
        logs[prefix][0].close()
        logs[prefix][1].close()
    elapsed = time.monotonic() - started
    if problems:
        raise CheckFailed(f"round {round_number}: " + "; ".join(problems))
    stderr = {prefix: (root / f"{round_number}-{prefix}.err").read_text() for prefix in processes}

    failures: list[str] = []
    for prefix, text in stderr.items():
        if re.search(r"locked|busy", text, re.IGNORECASE):
            failures.append(f"stderr of {prefix} mentions locked/busy:\n{text.strip()[:1500]}")
        errors = [line for line in text.splitlines() if "error" in line]
        if codes[prefix] != 1 or len(errors) != 1 or f"insufficient funds in {WALLET}" not in errors[0]:
            failures.append(f"process {prefix} should stop at its first refusal with exit 1 and one "
                            f"'insufficient funds in {WALLET}' error; exit {codes[prefix]}, errors: {errors[:5]}")

    for prefix in processes:
        opens = re.findall(r"^(?:opened|already open:) (\S+) ", (root / f"{round_number}-{prefix}.out").read_text(),
                           re.MULTILINE)
        if sorted(opens) != sorted([NOSTRO, OPENING, WALLET]):
            failures.append(f"process {prefix}: the three identical opens did not all succeed: {opens}")

    with read_only(db) as connection:
        rows = connection.execute("SELECT id, key FROM transfer ORDER BY id").fetchall()
        refused = dict(connection.execute(
            "SELECT key, outcome FROM idempotency WHERE key LIKE 'a-%' OR key LIKE 'b-%'").fetchall())
        seeded = connection.execute("SELECT count(*) FROM meta WHERE key = 'seededAt'").fetchone()[0]
        operators = connection.execute("SELECT count(*) FROM person WHERE isOperator = 1").fetchone()[0]
        accounts = connection.execute("SELECT count(*) FROM account").fetchone()[0]
    keys = [key for _, key in rows]
    for shared in ("open-1", "fund-1"):
        if keys.count(shared) != 1:
            failures.append(f"key {shared} has {keys.count(shared)} transfers, expected exactly 1")
    if seeded != 1 or operators != 1 or accounts != 3:
        failures.append(f"seeded {seeded}x, {operators} operators, {accounts} accounts (expected 1, 1, 3)")
    debits = [key for key in keys if re.fullmatch(r"[ab]-\d+", key)]
    expected = int(FUNDING // AMOUNT)
    if len(debits) != expected:
        failures.append(f"{len(debits)} debits succeeded, expected floor({FUNDING} / {AMOUNT}) = {expected}")
    for prefix in ("a", "b"):
        mine = [int(key[2:]) for key in debits if key[0] == prefix]
        if mine != list(range(1, len(mine) + 1)):
            failures.append(f"{prefix}'s committed keys are not {prefix}-1..{prefix}-{len(mine)} in order: {mine[:20]}")
        first_refused = f"{prefix}-{len(mine) + 1}"
        if refused.get(first_refused) != "refused":
            failures.append(f"{first_refused} should be recorded as refused, found {refused.get(first_refused)}")
    sequence = "".join(key[0] for key in debits)
    switches_ab = sequence.count("ab")
    switches_ba = sequence.count("ba")
    if switches_ab < 1 or switches_ba < 1:
        failures.append(f"commits do not interleave both ways (by transfer id): {sequence}")

    balances = fundflow.balances()
    wallet = balances.get(WALLET, (None, None))[1]
    if wallet != FUNDING - len(debits) * AMOUNT:
        failures.append(f"{WALLET} ends at {wallet}, expected {FUNDING} - {len(debits)} x {AMOUNT} = "
                        f"{FUNDING - len(debits) * AMOUNT}")
    for words in (("ledger", "verify"), ("audit", "verify")):
        result = fundflow.run(*words)
        if result.returncode != 0:
            failures.append(f"`{' '.join(words)}` failed:\n{result.describe()}")
    if failures:
        raise CheckFailed(f"round {round_number}:\n- " + "\n- ".join(failures))
    return {"debits": len(debits), "a": sequence.count("a"), "b": sequence.count("b"), "ab": switches_ab,
            "ba": switches_ba, "wallet": wallet, "elapsed": elapsed, "sequence": sequence}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--attempts", type=int, default=0,
                        help="debits each process tries (default: the whole funding's worth plus 10)")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    if options.rounds < 5:
        raise CheckFailed("the race must be repeated at least 5 times")
    expected = int(FUNDING // AMOUNT)
    attempts = options.attempts or expected + 10
    if 2 * attempts <= expected:
        raise CheckFailed(f"{attempts} attempts each cannot overdraw {expected} debits")
    binary = resolve_binary(options.binary)
    started = time.monotonic()
    with workdir("fundflow-race-", keep=options.keep) as root:
        binary = private_copy(binary, root)
        print(f"funding {FUNDING} EUR, debits of {AMOUNT} EUR: {expected} can succeed; "
              f"each process tries {attempts}")
        for round_number in range(1, options.rounds + 1):
            result = race(binary, root, round_number, attempts)
            print(f"  round {round_number}: {result['debits']} debits (a {result['a']}, b {result['b']}), "
                  f"switches a->b {result['ab']}, b->a {result['ba']}, wallet {result['wallet']} EUR, "
                  f"{result['elapsed']:.1f}s", flush=True)
    print(f"rounds: {options.rounds}, all passed; elapsed {time.monotonic() - started:.1f}s")
    print("two_process_race: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
