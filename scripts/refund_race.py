#!/usr/bin/env python3
"""Two processes refund the same order at once: together they must never refund more than was
paid, in total or per source, and every refund they report must be in the books exactly once.

usage: scripts/refund_race.py [FUNDFLOW_BINARY] [--rounds R] [--keep]

Each round: a new database, two wallets pay one order 60.00 + 40.00 EUR. Two fundflow processes
are started with stdin=PIPE, then released at the same moment (a threading.Barrier) with the same
input except for their keys: 20 refunds of 7.00 EUR each. A refund past what is left is refused
(exit 1), and piped input stops at the first failure, so each process stops at its first refusal.
Checks: exactly floor(100.00 / 7.00) = 14 refunds succeeded between them, the wallets got back
98.00 EUR in total and neither more than it paid, the refunds' parts in the database add up per
source to what the wallets got back (independently computed here from the ledger's transfers),
neither stderr mentions "locked" or "busy", and `ledger verify` / `audit verify` pass.
"""

from __future__ import annotations

import argparse
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
WALLETS = {"wallet:a:EUR": Decimal("60.00"), "wallet:b:EUR": Decimal("40.00")}
REFUND = Decimal("7.00")
ATTEMPTS = 20


def race(binary: Path, root: Path, number: int) -> dict:
    db = root / f"refunds-{number}.db"
    fundflow = Fundflow(binary, db, root)
    setup = [f"ledger open {NOSTRO} EUR"]
    for wallet, amount in WALLETS.items():
        setup += [f"ledger open {wallet} EUR",
                  f"ledger post --debit {NOSTRO} --credit {wallet} '{amount} EUR' --key fund-{wallet} --reason setup"]
    setup += ["order create --payer fam --payee shop '100.00 EUR' --key order",
              "order pay 1 --from wallet:a:EUR=60.00 --from wallet:b:EUR --key pay"]
    fundflow.commands(setup)
    processes = {}
    for prefix in ("a", "b"):
        processes[prefix] = subprocess.Popen(
            fundflow.argv(), cwd=root, env=fundflow.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
    barrier = threading.Barrier(2)
    outputs: dict[str, tuple[str, str]] = {}

    def feed(prefix: str) -> None:
        lines = "".join(f"refund create 1 '{REFUND} EUR' --key {prefix}-{index}\n" for index in range(ATTEMPTS))
        barrier.wait()
        outputs[prefix] = processes[prefix].communicate(lines, timeout=300)

    threads = [threading.Thread(target=feed, args=(prefix,)) for prefix in processes]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    failures = []
    for prefix, (_, stderr) in outputs.items():
        if "locked" in stderr.lower() or "busy" in stderr.lower():
            failures.append(f"process {prefix} reported: {stderr.strip()[:400]}")
        if processes[prefix].returncode != 1 or "can still be refunded" not in stderr:
            failures.append(f"process {prefix} should stop at its first refusal; exit {processes[prefix].returncode}, "
                            f"stderr {stderr.strip()[:400]}")
    with read_only(db) as connection:
        refunds = connection.execute("SELECT key, amountMinor, state FROM refund ORDER BY id").fetchall()
        parts = dict(connection.execute(
            "SELECT f.source, SUM(p.amountMinor) FROM refundPart p JOIN paymentFlow f ON f.id = p.flow "
            "WHERE p.state = 'succeeded' GROUP BY f.source").fetchall())
        # Independently of the refund tables: what the ledger moved back into each wallet.
        credited = dict(connection.execute(
            "SELECT a.name, SUM(p.amountMinor) FROM posting p JOIN account a ON a.id = p.account "
            "JOIN transfer t ON t.id = p.transfer WHERE t.kind = 'refund' AND p.side = 'credit' "
            "GROUP BY a.name").fetchall())
    expected = int(Decimal("100.00") // REFUND)
    if len(refunds) != expected or any(state != "succeeded" for _, _, state in refunds):
        failures.append(f"expected {expected} succeeded refunds, found {refunds}")
    total = sum(credited.values())
    if total != expected * int(REFUND * 100):
        failures.append(f"wallets got back {total} minor units in all, expected {expected * int(REFUND * 100)}")
    for wallet, paid in WALLETS.items():
        back = credited.get(wallet, 0)
        if back > int(paid * 100):
            failures.append(f"{wallet} got back {back} minor units, more than the {paid} it paid")
        if parts.get(wallet, 0) != back:
            failures.append(f"{wallet}: refund parts say {parts.get(wallet, 0)}, the ledger moved {back}")
    for command in (["ledger", "verify"], ["audit", "verify"]):
        run = fundflow.run(*command)
        if run.returncode != 0:
            failures.append(run.describe())
    if failures:
        raise CheckFailed(f"round {number}:\n- " + "\n- ".join(failures))
    keys = [key for key, _, _ in refunds]
    return {"refunds": len(refunds), "a": sum(k.startswith("a-") for k in keys),
            "b": sum(k.startswith("b-") for k in keys), "back": {w: credited.get(w, 0) for w in WALLETS},
            "elapsed": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    binary = resolve_binary(options.binary)
    started = time.monotonic()
    with workdir("fundflow-refunds-", keep=options.keep) as root:
        binary = private_copy(binary, root)
        for number in range(1, options.rounds + 1):
            result = race(binary, root, number)
            print(f"  round {number}: {result['refunds']} refunds (a {result['a']}, b {result['b']}), "
                  f"back per wallet {result['back']}, {result['elapsed']:.1f}s", flush=True)
    print(f"rounds: {options.rounds}, all passed; elapsed {time.monotonic() - started:.1f}s")
    print("refund_race: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
