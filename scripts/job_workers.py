#!/usr/bin/env python3
"""Job workers: two `worker` processes and an interactive REPL run the job queue of one database
at the same time for a minute; every channel request must be sent exactly once.

usage: scripts/job_workers.py [FUNDFLOW_BINARY] [--seconds S] [--interval I] [--order-every T] [--seed N]
                              [--keep]

A new database on the system clock gets a sandbox channel `race` (synchronous answer 09, queries
answering 09 09 00 on the schedule 1 2 3 s: every flow is one submission and three queries, and
succeeds at the third) and a funded wallet. Then two `fundflow --db DB --json worker --interval I
--for Ss` processes start, and a REPL on a pseudo-terminal (pexpect) keeps creating an order and
paying it from channel:race about every T seconds (jittered; now and then it sends just an empty
line or `clock show`), so it runs due jobs between its commands while both workers run them too.
When the workers stop, the REPL exits, the script waits until every scheduled query is due and
runs `run --until-idle` once.

Then, from the database (sqlite3, read-only): every order succeeded (trade order paid) with one
flow, every flow succeeded; each flow has exactly one 'submit' request (from its submit job, seq 0)
and exactly three 'query' requests from three distinct query jobs with seqs {1, 2, 3}; no request
was sent before its job was due or after its flow settled; there are 4 requests per flow and no
others; the audit log records each job run exactly once ('job ID KIND SUBJECT#SEQ'), and the jobs
run are exactly the jobs that sent requests, each leased once (attempts = 1); no job is left
'leased', nor 'due' with dueAt in the past, nor in any state but due, done or cancelled. Jobs run
per process: the workers' and the final run's JSON `jobs`, the REPL's = all jobs run (audit log)
minus those; a thread also samples the job table for leases and reports which lease holders
(worker-PID, repl-PID, run-PID) it saw, and that no job was seen leased by two holders. Both
workers and the REPL must each have run at least one job. Neither worker's stderr may hold anything
but notices, the REPL's transcript no error, failure, "locked" or "busy", every process must exit
0, and `ledger verify` and `audit verify` must pass.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    CheckFailed, Fundflow, main_wrapper, private_copy, read_only, resolve_binary, workdir)

try:
    import pexpect
except ImportError:  # pragma: no cover - reported as a failed check
    pexpect = None

NOSTRO = "nostro:DEUTDEFFXXX:EUR"
WALLET = "wallet:acme:EUR"
CHANNEL = "race"
QUERY_SCHEDULE = [1, 2, 3]
CHANNEL_FILE = f"""# Written by scripts/job_workers.py: every flow is one submission and three queries.
[channel]
name = {CHANNEL}
kind = psp
query-schedule = {' '.join(str(seconds) for seconds in QUERY_SCHEDULE)}
retry-window = 72h
retry-limit = 3

[codes]
# code  sub-code  outcome     retry   meaning
00      -         success     -       approved
09      -         processing  -       request in progress
05      -         failure     final   do not honour

[sandbox]
sync = 09
queries = 09 09 00
notify = none
late-notify = none
refund-sync = 09
refund-queries = 00
"""
PROMPT = "fundflow> "
BAD_REPL = re.compile(r"\berror\b|\bfailed\b|locked|busy|could not run|fatal", re.IGNORECASE)


def now_ms() -> int:
    return int(time.time() * 1000)


class LeaseSampler(threading.Thread):
    """Polls the job table (read-only) for leased rows and records who held which job."""

    def __init__(self, db: Path, period: float = 0.02):
        super().__init__(daemon=True)
        self.db = db
        self.period = period
        self.stop = threading.Event()
        self.holders: dict[int, set[str]] = defaultdict(set)
        self.samples = 0
        self.errors: list[str] = []

    def run(self) -> None:
        connection = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
        try:
            while not self.stop.is_set():
                try:
                    rows = connection.execute(
                        "SELECT id, leasedBy FROM job WHERE status = 'leased'").fetchall()
                    self.samples += 1
                    for job, holder in rows:
                        self.holders[job].add(holder)
                except sqlite3.Error as error:
                    self.errors.append(str(error))
                self.stop.wait(self.period)
        finally:
            connection.close()


class Repl:
    """The interactive shell on a pseudo-terminal; each command waits for the next prompt."""

    def __init__(self, binary: Path, db: Path, cwd: Path, env: dict, transcript: Path):
        if pexpect is None:
            raise CheckFailed("pexpect is not installed (pip install -r scripts/requirements.txt)")
        self.log = open(transcript, "w", encoding="utf-8")
        self.child = pexpect.spawn(str(binary), ["--db", str(db)], cwd=str(cwd), env=env, encoding="utf-8",
                                   codec_errors="replace", timeout=60, dimensions=(50, 200))
        self.child.logfile_read = self.log
        self.commands = 0
        self.slowest = 0.0
        self.notices = 0
        self.problems: list[str] = []
        self.expect_prompt("start")

    def expect_prompt(self, command: str) -> str:
        try:
            self.child.expect_exact(PROMPT)
        except (pexpect.TIMEOUT, pexpect.EOF) as error:
            raise CheckFailed(f"the REPL gave no prompt after `{command}` ({type(error).__name__}); "
                              f"last output: {self.child.before!r}") from None
        return self.child.before

    def send(self, command: str) -> str:
        started = time.monotonic()
        self.child.sendline(command)
        output = self.expect_prompt(command)
        self.slowest = max(self.slowest, time.monotonic() - started)
        self.commands += 1
        lines = output.replace("\r\n", "\n").split("\n")
        if lines and lines[0].strip() == command.strip():
            lines = lines[1:]  # the terminal's echo of the command
        text = "\n".join(lines)
        self.notices += sum(1 for line in lines if line.startswith("notice: "))
        for line in lines:
            if BAD_REPL.search(line):
                self.problems.append(f"`{command}` -> {line.strip()}")
        return text

    def exit(self) -> int:
        self.child.sendline("exit")
        try:
            self.child.expect(pexpect.EOF, timeout=60)
        except pexpect.TIMEOUT:
            self.child.terminate(force=True)
            raise CheckFailed("the REPL did not leave after `exit`") from None
        self.child.close()
        self.log.close()
        return self.child.exitstatus if self.child.exitstatus is not None else 128 + (self.child.signalstatus or 0)


def drive(repl: Repl, workers: list[subprocess.Popen], order_every: float, rng: random.Random,
          hard_stop: float) -> list[int]:
    """Creates and pays orders through the REPL until a worker ends; returns the order ids. The
    pause between orders is jittered (0.5 to 1.5 times `order_every`): on a fixed beat the queries
    (due whole seconds after a submission) would fall due just as the REPL runs its next pass."""
    orders: list[int] = []
    number = 0
    while all(worker.poll() is None for worker in workers):
        if time.monotonic() > hard_stop:
            raise CheckFailed("the workers did not end in time (their --for elapsed long ago)")
        started = time.monotonic()
        number += 1
        amount = f"{1 + number / 100:.2f}"  # distinct amounts: no order is held as a duplicate
        create = f"order create --payer acme --payee globex '{amount} EUR' --key o-{number}"
        text = repl.send(create)
        match = re.search(r"^order (\d+) open: ", text, re.MULTILINE)
        if not match:
            raise CheckFailed(f"`{create}` did not open an order:\n{text}")
        order = int(match.group(1))
        pay = f"order pay {order} --from channel:{CHANNEL} --key p-{number}"
        text = repl.send(pay)
        if not re.search(rf"^order {order} paying: flow \d+ channel:{CHANNEL} ", text, re.MULTILINE):
            raise CheckFailed(f"`{pay}` did not start a channel flow:\n{text}")
        orders.append(order)
        if number % 3 == 0:
            repl.send("")  # nothing but the job queue's due work
        if number % 7 == 0:
            repl.send("clock show")
        time.sleep(max(0.0, order_every * rng.uniform(0.5, 1.5) - (time.monotonic() - started)))
    return orders


def check(fundflow: Fundflow, db: Path, orders: list[int]) -> dict:
    failures: list[str] = []
    now = now_ms()
    with read_only(db) as connection:
        clock = connection.execute("SELECT value FROM meta WHERE key = 'clock'").fetchone()
        if not clock or clock[0] != "system":
            failures.append(f"the database should run on the system clock, meta says {clock}")
        order_rows = connection.execute("""
            SELECT t.id, t.key, t.state, p.state FROM tradeOrder t JOIN paymentOrder p ON p.tradeOrder = t.id
            ORDER BY t.id""").fetchall()
        flows = connection.execute("""
            SELECT id, paymentOrder, source, state, reference, settledAt FROM paymentFlow ORDER BY id""").fetchall()
        requests = connection.execute("""
            SELECT r.id, r.job, r.kind, r.reference, r.sentAt, r.outcome, j.kind, j.subject, j.seq, j.dueAt,
                   j.status, j.attempts
            FROM channelRequest r LEFT JOIN job j ON j.id = r.job ORDER BY r.id""").fetchall()
        jobs = connection.execute(
            "SELECT id, kind, subject, seq, dueAt, status, attempts FROM job ORDER BY id").fetchall()
        audit = connection.execute("""
            SELECT command, outcome FROM auditEntry WHERE actor = 'system' AND command LIKE 'job %'""").fetchall()

    if [row[0] for row in order_rows] != sorted(orders):
        failures.append(f"orders in the database {[row[0] for row in order_rows][:20]}... are not the "
                        f"{len(orders)} the REPL created")
    for order, key, trade, payment in order_rows:
        if payment != "succeeded" or trade != "paid":
            failures.append(f"order {order} ({key}) is {payment} (trade order {trade}), expected succeeded (paid)")
    flows_by_order = Counter(row[1] for row in flows)
    for order, _, _, _ in order_rows:
        if flows_by_order[order] != 1:
            failures.append(f"order {order} has {flows_by_order[order]} flows, expected 1")
    flow_by_reference = {row[4]: row for row in flows}
    for flow, order, source, state, reference, settled in flows:
        if source != f"channel:{CHANNEL}" or state != "succeeded" or settled is None:
            failures.append(f"flow {flow} of order {order}: {source} {state}, settledAt {settled}; "
                            f"expected channel:{CHANNEL} succeeded")

    per_flow: dict[str, list] = defaultdict(list)
    for request in requests:
        per_flow[request[3]].append(request)
        if request[3] not in flow_by_reference:
            failures.append(f"request {request[0]} for unknown reference {request[3]}")
    for reference, (flow, order, _, _, _, settled) in flow_by_reference.items():
        mine = per_flow.get(reference, [])
        submits = [r for r in mine if r[2] == "submit"]
        queries = [r for r in mine if r[2] == "query"]
        others = [r for r in mine if r[2] not in ("submit", "query")]
        where = f"flow {flow} ({reference}) of order {order}"
        if len(submits) != 1:
            failures.append(f"{where}: {len(submits)} 'submit' requests (jobs {[r[1] for r in submits]}), expected 1")
        if len(queries) != len(QUERY_SCHEDULE):
            failures.append(f"{where}: {len(queries)} 'query' requests (jobs {[r[1] for r in queries]}), "
                            f"expected {len(QUERY_SCHEDULE)}")
        if others:
            failures.append(f"{where}: unexpected requests {others}")
        if len({r[1] for r in queries}) != len(queries):
            failures.append(f"{where}: query requests share a job: {[r[1] for r in queries]}")
        seqs = sorted(r[8] for r in queries)
        if seqs != list(range(1, len(QUERY_SCHEDULE) + 1)):
            failures.append(f"{where}: query job seqs {seqs}, expected {list(range(1, len(QUERY_SCHEDULE) + 1))}")
        for r in mine:
            rid, job, kind, _, sent, _, job_kind, subject, seq, due, _, attempts = r
            if job_kind != kind or subject != flow or (kind == "submit" and seq != 0):
                failures.append(f"{where}: request {rid} ({kind}) came from job {job} = {job_kind} {subject}#{seq}")
            if settled is not None and sent > settled:
                failures.append(f"{where}: request {rid} ({kind} #{seq}) sent at {sent}, after the flow "
                                f"settled at {settled} (+{sent - settled} ms)")
            if due is not None and sent < due:
                failures.append(f"{where}: request {rid} ({kind} #{seq}) sent at {sent}, before its job was "
                                f"due at {due}")
            if attempts != 1:
                failures.append(f"{where}: job {job} ({kind} #{seq}) was leased {attempts} times")
        if submits and queries:
            if min(r[4] for r in queries) < submits[0][4]:
                failures.append(f"{where}: a query was sent before the submission")
    expected_requests = (1 + len(QUERY_SCHEDULE)) * len(flows)
    if len(requests) != expected_requests:
        failures.append(f"{len(requests)} channel requests, expected {expected_requests} "
                        f"({1 + len(QUERY_SCHEDULE)} per flow x {len(flows)} flows)")

    runs = Counter()
    for command, outcome in audit:
        match = re.fullmatch(r"job (\d+) (\S+) (\d+)#(\d+)", command)
        if not match:
            failures.append(f"unexpected system audit entry: {command!r}")
        elif outcome == "ok":
            runs[int(match.group(1))] += 1
    twice = {job: count for job, count in runs.items() if count != 1}
    if twice:
        failures.append(f"jobs run more than once according to the audit log: {dict(list(twice.items())[:20])}")
    requested = {r[1] for r in requests}
    if set(runs) - requested:
        failures.append(f"jobs run (audit log) that sent no request: {sorted(set(runs) - requested)[:20]}")
    if requested - set(runs):
        failures.append(f"requests from jobs the audit log does not show run: {sorted(requested - set(runs))[:20]}")
    statuses = Counter(row[5] for row in jobs)
    stale = [row for row in jobs if row[5] == "leased" or (row[5] == "due" and row[4] <= now)]
    if stale:
        failures.append(f"{len(stale)} jobs left leased, or due in the past: {stale[:10]}")
    odd = [row for row in jobs if row[5] not in ("due", "leased", "done", "cancelled")]
    if odd:
        failures.append(f"{len(odd)} jobs ended neither done nor cancelled: {odd[:10]}")
    ran_cancelled = sorted(job for job in runs if next((row[5] for row in jobs if row[0] == job), None) == "cancelled")
    if ran_cancelled:
        failures.append(f"{len(ran_cancelled)} jobs ran but are recorded 'cancelled' (a job must finish as done): "
                        f"{ran_cancelled[:10]}")

    for words in (("ledger", "verify"), ("audit", "verify")):
        result = fundflow.run(*words)
        if result.returncode != 0:
            failures.append(f"`{' '.join(words)}` failed:\n{result.describe()}")
    if failures:
        raise CheckFailed(f"{len(failures)} problems:\n- " + "\n- ".join(failures[:60]))
    return {"orders": len(order_rows), "flows": len(flows), "requests": len(requests),
            "submits": sum(1 for r in requests if r[2] == "submit"),
            "queries": sum(1 for r in requests if r[2] == "query"),
            "jobs_run": sum(runs.values()), "statuses": dict(statuses), "ran_cancelled": ran_cancelled,
            "lateness": [(r[4], r[4] - r[9]) for r in requests]}


def worker_result(name: str, process: subprocess.Popen, out: Path, err: Path) -> dict:
    stdout, stderr = out.read_text(), err.read_text()
    problems = []
    if process.returncode != 0:
        problems.append(f"exit {process.returncode}")
    try:
        document = json.loads(stdout)
    except json.JSONDecodeError:
        raise CheckFailed(f"{name}: stdout is not one JSON document (exit {process.returncode}):\n"
                          f"{stdout[:1500]}\nstderr: {stderr[:1500]}") from None
    if document.get("failures"):
        problems.append(f"job failures: {document['failures'][:10]}")
    odd = [line for line in stderr.splitlines()
           if not (line.startswith("notice: ") or line.startswith("note: ")) or re.search(r"locked|busy", line, re.I)]
    if odd:
        problems.append("stderr holds more than notices:\n  " + "\n  ".join(odd[:20]))
    if problems:
        raise CheckFailed(f"{name} (pid {process.pid}): " + "; ".join(problems))
    lines = stderr.splitlines()
    return {"jobs": int(document["jobs"]), "notices": sum(1 for line in lines if line.startswith("notice: ")),
            "notes": sum(1 for line in lines if line.startswith("note: "))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--seconds", type=int, default=60, help="how long the workers run (default 60)")
    parser.add_argument("--interval", default="100ms", help="the workers' --interval (default 100ms)")
    parser.add_argument("--order-every", type=float, default=0.5,
                        help="seconds between orders the REPL creates and pays (default 0.5)")
    parser.add_argument("--seed", type=int, default=20261129, help="seed of the pauses' jitter")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    if options.seconds < 5:
        raise CheckFailed("--seconds must be at least 5")
    if pexpect is None:
        raise CheckFailed("pexpect is not installed (pip install -r scripts/requirements.txt)")
    binary = resolve_binary(options.binary)
    with workdir("fundflow-jobs-", keep=options.keep) as root:
        binary = private_copy(binary, root)
        db = root / "jobs.db"
        fundflow = Fundflow(binary, db, root)
        (root / f"{CHANNEL}.channel").write_text(CHANNEL_FILE)
        fundflow.commands([
            f"channel load {CHANNEL}.channel",
            f"ledger open {NOSTRO} EUR",
            f"ledger open {WALLET} EUR",
            f"ledger post --debit {NOSTRO} --credit {WALLET} '1000.00 EUR' --key fund-1 --reason 'job workers funding'",
        ])
        sampler = LeaseSampler(db)
        sampler.start()

        started = time.monotonic()
        workers, logs = [], []
        for index in (1, 2):
            out, err = root / f"worker-{index}.out", root / f"worker-{index}.err"
            logs.append((out, err))
            with open(out, "w") as stdout, open(err, "w") as stderr:
                workers.append(subprocess.Popen(
                    fundflow.argv("worker", "--interval", options.interval, "--for", f"{options.seconds}s",
                                  json_output=True),
                    cwd=root, env=fundflow.env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr))
        repl = None
        try:
            repl = Repl(binary, db, root, fundflow.env, root / "repl.log")
            print(f"workers pid {workers[0].pid} and {workers[1].pid} (--interval {options.interval} "
                  f"--for {options.seconds}s), REPL pid {repl.child.pid}; an order every {options.order_every}s",
                  flush=True)
            orders = drive(repl, workers, options.order_every, random.Random(options.seed),
                           started + options.seconds + 120)
            for worker in workers:
                worker.wait(timeout=120)
            workers_done = time.monotonic()
            workers_done_ms = now_ms()
            repl_status = repl.exit()
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
            if repl is not None and repl.child.isalive():
                repl.child.terminate(force=True)
        sampler.stop.set()
        sampler.join()
        if repl_status != 0:
            raise CheckFailed(f"the REPL exited with status {repl_status}")
        if repl.problems:
            raise CheckFailed("the REPL printed errors:\n  " + "\n  ".join(repl.problems[:20]))
        results = [worker_result(f"worker {index}", worker, *log)
                   for index, (worker, log) in enumerate(zip(workers, logs), 1)]

        # Every query scheduled so far falls due; then one last run does what is left.
        with read_only(db) as connection:
            last_due = connection.execute("""
                SELECT MAX(dueAt) FROM job WHERE status IN ('due', 'leased') AND kind IN ('submit', 'query')
                """).fetchone()[0]
        wait = max(4.0, ((last_due or 0) - now_ms()) / 1000 + 0.5)
        time.sleep(wait)
        final = fundflow.run("run", "--until-idle", json_output=True)
        if final.returncode != 0 or re.search(r"locked|busy|error", final.stderr, re.I):
            raise CheckFailed("the last `run --until-idle` failed\n" + final.describe())
        final_document = json.loads(final.stdout)
        if final_document["failures"]:
            raise CheckFailed(f"the last run had job failures: {final_document['failures'][:10]}")
        final_jobs = int(final_document["jobs"])

        figures = check(fundflow, db, orders)
        repl_jobs = figures["jobs_run"] - sum(result["jobs"] for result in results) - final_jobs
        pids = {f"worker-{workers[0].pid}": "worker 1", f"worker-{workers[1].pid}": "worker 2",
                f"repl-{repl.child.pid}": "REPL"}
        seen = Counter()
        shared = {}
        for job, holders in sampler.holders.items():
            if len(holders) > 1:
                shared[job] = sorted(holders)
            for holder in holders:
                seen[pids.get(holder, holder.split("-")[0] if holder.startswith("run-") else holder)] += 1
        print(f"orders: {figures['orders']} created and paid by the REPL, all succeeded; "
              f"flows: {figures['flows']}, all succeeded")
        print(f"channel requests: {figures['requests']} ({figures['submits']} submit, {figures['queries']} query), "
              f"each sent exactly once")
        print(f"jobs run: {figures['jobs_run']} (audit log): worker 1 {results[0]['jobs']}, "
              f"worker 2 {results[1]['jobs']}, REPL {repl_jobs} (the rest), last run --until-idle {final_jobs}")
        print(f"job table: {figures['statuses']}; every job that ran is recorded done "
              f"({len(figures['ran_cancelled'])} recorded otherwise)")
        print(f"lease sampler: {sampler.samples} samples, jobs seen leased by "
              + ", ".join(f"{name} {count}" for name, count in sorted(seen.items())))
        print(f"REPL: {repl.commands} commands, slowest {repl.slowest * 1000:.0f} ms, {repl.notices} notices; "
              f"workers' stderr: {results[0]['notices']}/{results[1]['notices']} notices "
              f"(+{results[0]['notes']}/{results[1]['notes']} repeated as 'note:' at the end)")
        late = [lateness for sent, lateness in figures["lateness"] if sent <= workers_done_ms]
        if late:
            late.sort()
            print(f"requests sent while the workers ran: {len(late)}, after their job fell due by median "
                  f"{late[len(late) // 2]} ms, max {late[-1]} ms")
        print(f"elapsed: {workers_done - started:.1f}s with the workers, {time.monotonic() - started:.1f}s in all")

        problems = []
        if shared:
            problems.append(f"jobs seen leased by two holders: {dict(list(shared.items())[:10])}")
        for name, count in (("worker 1", results[0]["jobs"]), ("worker 2", results[1]["jobs"]), ("the REPL", repl_jobs)):
            if count < 1:
                problems.append(f"{name} ran {count} jobs: the test needs three processes running jobs")
        if sampler.errors:
            problems.append(f"the lease sampler could not read the database: {sampler.errors[:3]}")
        if problems:
            raise CheckFailed("\n- ".join([""] + problems))
    print("job_workers: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
