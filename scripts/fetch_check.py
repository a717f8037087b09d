#!/usr/bin/env python3
"""`rates fetch` against a local HTTP server: success, 404, timeout, garbage — and nothing changes on failure.

usage: scripts/fetch_check.py [FUNDFLOW_BINARY] [--timeout SECONDS] [--keep]

Starts a threaded http.server on 127.0.0.1 (a free port) that serves:
  /daily.xml     the ECB daily file (../shared/data/ecb/eurofxref-daily.xml from the package root,
                 2025-05-09, a day the embedded history also holds with the same values)
  /future.xml    the same file moved to 2026-11-27 (after the embedded history) with USD 1.2345
  /hist-90d.xml  the ECB 90-day file (65 days in 2019, double-quoted attributes, one line)
  /missing       404
  /error         500
  /slow          answers only long after the fetch timeout
  /trickle       200 at once, then the body one byte every 0.5 s for longer than the timeout
  /drip          200 at once, then a whole valid file (for 2026-12-04) in 4 parts over twice the
                 timeout: never idle as long as the timeout, complete only after it, so it must fail
  /garbage       200 with an HTML page
  /empty         200 with an empty body
  /broken.xml    200 with the daily file cut off in the middle
and a URL on a port where nothing listens (connection refused).

On a new database whose embedded history is loaded first (`rates show`), every fetch runs as
`fundflow --db DB rates fetch URL --timeout 2s --json`, and the `rate` table (currency, day,
source, mantissa, scale) is hashed before and after (`SELECT * FROM rate ORDER BY 1,2,3`).
Success: exit 0; /future.xml adds exactly the file's currencies on 2026-11-27 (all other rows
identical), `rates show USD --date 2026-11-27 --json` gives perEUR 1.2345 and every currency its
rate from the file; /daily.xml leaves the table identical and `rates show USD --date 2025-05-09`
gives 1.1252; /hist-90d.xml reports its 65 days and its rates equal the file's. Failure: exit 1,
nothing on stdout, stderr names the URL and the reason (HTTP 404 / HTTP 500 / no answer within 2 s /
not an ECB rates file / …), and the table hash is unchanged; the timeouts must return within a few
seconds of the timeout (4 s), not when the server finally answers. Finally, on new databases whose
first command is a fetch, a failed one leaves no rates and a successful one loads the embedded
history too, with the fetched day on top. Prints each case's exit, time and message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.server
import json
import re
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundflow_testlib import (  # noqa: E402
    PACKAGE_ROOT, CheckFailed, Fundflow, main_wrapper, private_copy, read_only, resolve_binary, workdir)

ECB_DIR = PACKAGE_ROOT.parent / "shared" / "data" / "ecb"
FUTURE_DAY = "2026-11-27"
FUTURE_USD = "1.2345"
SLOW_SECONDS = 12          # how long /slow and /trickle take; far more than the fetch timeout (set in main)
DRIP_SECONDS = 4           # /drip sends a whole file in 4 parts over twice the timeout (set in main)
DRIP_DAY = "2026-12-04"
SLACK_SECONDS = 4.0        # a timed-out fetch must return within timeout + this


def ecb_rates(xml_text: str) -> dict[str, dict[str, str]]:
    """{day: {currency: rate text}} from an ECB eurofxref XML, independently of Fundflow."""
    root = ET.fromstring(xml_text)
    days: dict[str, dict[str, str]] = {}
    for cube in root.iter():
        if cube.tag.endswith("Cube") and "time" in cube.attrib:
            days[cube.attrib["time"]] = {child.attrib["currency"]: child.attrib["rate"] for child in cube}
    if not days:
        raise CheckFailed("no rates in the ECB XML used for serving")
    return days


def day_number(day: str) -> int:
    """Days since 1970-01-01, as the `rate` table stores them."""
    return (dt.date.fromisoformat(day) - dt.date(1970, 1, 1)).days


class Server:
    """A threaded HTTP server on 127.0.0.1 with fixed paths; records each request's path."""

    def __init__(self, routes: dict[str, tuple[int, str, bytes]]):
        self.routes = routes
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:   # quiet
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                try:
                    if self.path == "/slow":
                        time.sleep(SLOW_SECONDS)
                        self.reply(200, "application/xml", routes["/daily.xml"][2])
                    elif self.path == "/drip":
                        # A whole, valid file (a day no one else serves) in 4 parts, 1 s apart:
                        # never idle for the timeout, but complete only after it.
                        body = routes["/drip-body"][2]
                        self.send_response(200)
                        self.send_header("Content-Type", "application/xml")
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        part = -(-len(body) // 4)
                        for index in range(0, len(body), part):
                            self.wfile.write(body[index:index + part])
                            self.wfile.flush()
                            time.sleep(DRIP_SECONDS / 4)
                    elif self.path == "/trickle":
                        body = routes["/daily.xml"][2]
                        self.send_response(200)
                        self.send_header("Content-Type", "application/xml")
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        deadline = time.monotonic() + SLOW_SECONDS
                        for index in range(len(body)):
                            if time.monotonic() > deadline:
                                break
                            self.wfile.write(body[index:index + 1])
                            self.wfile.flush()
                            time.sleep(0.5)
                        self.close_connection = True
                    elif self.path in routes:
                        self.reply(*routes[self.path])
                    else:
                        self.reply(404, "text/plain", b"not found\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def reply(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def table_hash(db: Path) -> tuple[str, int]:
    with read_only(db) as connection:
        exists = connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'rate'").fetchone()[0]
        rows = connection.execute("SELECT * FROM rate ORDER BY 1, 2, 3").fetchall() if exists else []
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest(), len(rows)


def rows_of(db: Path, where: str = "1", args: tuple = ()) -> set[tuple]:
    with read_only(db) as connection:
        return set(connection.execute(f"SELECT * FROM rate WHERE {where}", args).fetchall())


def summary(run) -> str:
    """A successful fetch's JSON report on one line (without the URL), else its stderr."""
    if run.returncode != 0:
        return run.stderr.strip()[:200]
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        return run.stdout.strip()[:200]
    return ", ".join(f"{key} {value}" for key, value in report.items() if key != "file")


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Failure:
    path: str
    reason: str          # a regular expression the message must match after the URL
    timed: str = ""      # for the timeouts: what the server does


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=None)
    parser.add_argument("--timeout", type=int, default=2, help="the fetch timeout in seconds (default 2)")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    if options.timeout < 1:
        raise CheckFailed("--timeout must be at least 1 (second)")
    global SLOW_SECONDS, DRIP_SECONDS
    SLOW_SECONDS = max(12, 3 * options.timeout + int(SLACK_SECONDS))
    DRIP_SECONDS = 2 * options.timeout
    binary = resolve_binary(options.binary)
    started = time.monotonic()
    daily_path, hist_path = ECB_DIR / "eurofxref-daily.xml", ECB_DIR / "eurofxref-hist-90d.xml"
    for path in (daily_path, hist_path):
        if not path.is_file():
            raise CheckFailed(f"{path} not found (the shared ECB data next to the package)")
    daily = daily_path.read_bytes()
    hist = hist_path.read_bytes()
    daily_text = daily.decode()
    (daily_day, daily_rates), = ecb_rates(daily_text).items()
    future_text = daily_text.replace(f"time='{daily_day}'", f"time='{FUTURE_DAY}'")
    future_text = future_text.replace(f"currency='USD' rate='{daily_rates['USD']}'",
                                      f"currency='USD' rate='{FUTURE_USD}'")
    future_rates = ecb_rates(future_text)
    if list(future_rates) != [FUTURE_DAY] or future_rates[FUTURE_DAY]["USD"] != FUTURE_USD:
        raise CheckFailed("could not make the future copy of the daily file (its layout changed?)")
    future_rates = future_rates[FUTURE_DAY]
    hist_rates = ecb_rates(hist.decode())
    garbage = (b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>"
               b"<body><p>The service is down for maintenance.</p></body></html>\n")
    routes = {
        "/daily.xml": (200, "application/xml", daily),
        "/future.xml": (200, "application/xml", future_text.encode()),
        "/hist-90d.xml": (200, "text/xml", hist),
        "/missing": (404, "text/html", b"<html><body>404 Not Found</body></html>\n"),
        "/error": (500, "text/plain", b"internal error\n"),
        "/garbage": (200, "text/html", garbage),
        "/empty": (200, "application/xml", b""),
        "/broken.xml": (200, "application/xml", daily[: len(daily) // 2]),
        "/drip-body": (200, "application/xml", daily_text.replace(f"time='{daily_day}'", f"time='{DRIP_DAY}'").encode()),
    }
    timeout = options.timeout
    failures = [
        Failure("/missing", r"HTTP 404"),
        Failure("/error", r"HTTP 500"),
        Failure("/slow", rf"no (complete )?answer within {timeout} ?s", timed=f"answers after {SLOW_SECONDS} s"),
        Failure("/trickle", rf"no (complete )?answer within {timeout} ?s",
                timed=f"sends one byte every 0.5 s for {SLOW_SECONDS} s"),
        Failure("/drip", rf"no (complete )?answer within {timeout} ?s",
                timed=f"sends a whole file in 4 parts over {DRIP_SECONDS} s"),
        Failure("/garbage", r"not an ECB rates file"),
        Failure("/empty", r"not an ECB rates file"),
        Failure("/broken.xml", r"not an ECB rates file"),
        Failure("refused", r"."),
    ]
    problems: list[str] = []

    with workdir("fundflow-fetch-", keep=options.keep) as root, Server(routes) as server:
        binary = private_copy(binary, root)
        db = root / "fetch.db"
        fundflow = Fundflow(binary, db, root)

        def fetch(url: str):
            began = time.monotonic()
            run = fundflow.run("rates", "fetch", url, "--timeout", f"{timeout}s", json_output=True,
                               timeout=timeout + SLOW_SECONDS + 60)
            return run, time.monotonic() - began

        def show(currency: str, day: str) -> dict:
            return json.loads(fundflow.ok("rates", "show", currency, "--date", day, json_output=True).stdout)

        # A new database with the embedded history loaded.
        show("USD", daily_day)
        before, count = table_hash(db)
        print(f"server on 127.0.0.1:{server.port}; new database with the embedded history: {count} rate rows")

        # Failures first: each must change nothing.
        for case in failures:
            url = (f"http://127.0.0.1:{closed_port()}/daily.xml" if case.path == "refused"
                   else server.url(case.path))
            before_case = table_hash(db)[0]
            run, elapsed = fetch(url)
            after, _ = table_hash(db)
            message = run.stderr.strip().replace("\n", " | ")
            print(f"  {case.path:<14} exit {run.returncode}  {elapsed:5.1f}s  "
                  f"{message[:160] if run.returncode else summary(run)}", flush=True)
            if run.returncode != 1:
                problems.append(f"{url}: expected exit 1 after {elapsed:.1f}s, got {run.returncode}"
                                + (f" (the server {case.timed})" if case.timed else "")
                                + f"; stdout {' '.join(run.stdout.split())[:300]}; stderr {message[:300]}")
            else:
                if run.stdout.strip():
                    problems.append(f"{url}: a failed fetch printed on stdout: {run.stdout.strip()[:300]}")
                if not re.search(re.escape(url) + r".*" + case.reason, run.stderr, re.S):
                    problems.append(f"{url}: stderr should name the URL and then the reason /{case.reason}/: "
                                    f"{message[:400]}")
            if after != before_case:
                problems.append(f"{url}: the rate table changed although the fetch should have failed")
            if case.timed and elapsed > timeout + SLACK_SECONDS:
                problems.append(f"{url}: took {elapsed:.1f}s with --timeout {timeout}s "
                                f"(the server {case.timed})")
            if case.timed and elapsed < timeout - 0.5:
                problems.append(f"{url}: gave up after {elapsed:.1f}s, before the {timeout}s timeout")

        # The same day the history holds, with the same values: accepted, nothing changes.
        before = table_hash(db)[0]
        run, elapsed = fetch(server.url("/daily.xml"))
        print(f"  /daily.xml     exit {run.returncode}  {elapsed:5.1f}s  {summary(run)}")
        if run.returncode != 0:
            problems.append(f"/daily.xml: expected exit 0\n{run.describe()}")
        else:
            report = json.loads(run.stdout)
            if report.get("rates") != len(daily_rates) or report.get("first") != daily_day:
                problems.append(f"/daily.xml: reported {report}, expected {len(daily_rates)} rates on {daily_day}")
        if table_hash(db)[0] != before:
            problems.append("/daily.xml: the table changed although the history already held the same rates")
        usd = show("USD", daily_day)
        if Decimal(usd["perEUR"]) != Decimal(daily_rates["USD"]) or usd["rateDate"] != daily_day:
            problems.append(f"rates show USD --date {daily_day}: {usd}, expected perEUR {daily_rates['USD']}")

        # A day after the history: exactly that day's rows are added, with the file's values.
        old_rows = rows_of(db)
        run, elapsed = fetch(server.url("/future.xml"))
        print(f"  /future.xml    exit {run.returncode}  {elapsed:5.1f}s  {summary(run)}")
        if run.returncode != 0:
            problems.append(f"/future.xml: expected exit 0\n{run.describe()}")
        new_rows = rows_of(db)
        added = new_rows - old_rows
        if not old_rows <= new_rows:
            problems.append(f"/future.xml: {len(old_rows - new_rows)} existing rows changed or vanished")
        if {row[1] for row in added} != {day_number(FUTURE_DAY)} or {row[0] for row in added} != set(future_rates):
            problems.append(f"/future.xml: expected rows for {sorted(future_rates)} on {FUTURE_DAY} "
                            f"(day {day_number(FUTURE_DAY)}), added {sorted(added)[:5]}… ({len(added)})")
        for currency, rate in future_rates.items():
            shown = show(currency, FUTURE_DAY)
            if Decimal(shown["perEUR"]) != Decimal(rate) or shown["rateDate"] != FUTURE_DAY:
                problems.append(f"rates show {currency} --date {FUTURE_DAY}: {shown}, expected perEUR {rate}")
        for row in added:
            currency, _, _, mantissa, scale = row
            if Decimal(mantissa).scaleb(-scale) != Decimal(future_rates[currency]):
                problems.append(f"/future.xml: stored {row} for {currency}, the file says {future_rates[currency]}")
        usd = show("USD", FUTURE_DAY)
        print(f"  rates show USD --date {FUTURE_DAY}: perEUR {usd['perEUR']} from {usd['rateDate']} "
              f"({usd['source']}); {len(added)} rows added")

        # The 90-day file: 65 days in one line with double quotes.
        before_hist = table_hash(db)[0]
        run, elapsed = fetch(server.url("/hist-90d.xml"))
        print(f"  /hist-90d.xml  exit {run.returncode}  {elapsed:5.1f}s  {summary(run)}")
        if run.returncode != 0:
            problems.append(f"/hist-90d.xml: expected exit 0\n{run.describe()}")
        else:
            report = json.loads(run.stdout)
            if (report.get("days") != len(hist_rates) or report.get("rates") != sum(map(len, hist_rates.values()))
                    or report.get("first") != min(hist_rates) or report.get("last") != max(hist_rates)):
                problems.append(f"/hist-90d.xml: reported {report}, the file has {len(hist_rates)} days "
                                f"{min(hist_rates)} … {max(hist_rates)}, {sum(map(len, hist_rates.values()))} rates")
        mismatched = 0
        with read_only(db) as connection:
            for day, rates in hist_rates.items():
                for currency, rate in rates.items():
                    stored = connection.execute(
                        "SELECT mantissa, scale FROM rate WHERE currency = ? AND day = ?",
                        (currency, day_number(day))).fetchall()
                    if [Decimal(m).scaleb(-s) for m, s in stored] != [Decimal(rate)]:
                        mismatched += 1
                        if mismatched <= 3:
                            problems.append(f"/hist-90d.xml: {currency} on {day}: stored {stored}, file {rate}")
        print(f"  hist-90d: {sum(map(len, hist_rates.values()))} rates on {len(hist_rates)} days checked, "
              f"{mismatched} differ; table {'unchanged' if table_hash(db)[0] == before_hist else 'changed'} "
              f"(the history already holds these days)")
        # A new database whose first command is a fetch: a failed one leaves no rates at all, a
        # successful one loads the embedded history too, and the fetched rates win over it.
        for name, path, succeeds in (("fresh-failed.db", "/garbage", False), ("fresh.db", "/future.xml", True)):
            fresh = Fundflow(binary, root / name, root)
            run = fresh.run("rates", "fetch", server.url(path), "--timeout", f"{timeout}s", json_output=True)
            rows = table_hash(root / name)[1] if (root / name).exists() else 0
            print(f"  new database, first command fetch {path}: exit {run.returncode}, {rows} rate rows")
            if run.returncode != (0 if succeeds else 1):
                problems.append(f"new database, fetch {path}: exit {run.returncode}\n{run.describe()}")
            if not succeeds and rows:
                problems.append(f"new database, failed fetch {path}: {rows} rate rows, expected none")
            if succeeds:
                if rows != count + len(future_rates):
                    problems.append(f"new database, fetch {path}: {rows} rate rows, expected the history's "
                                    f"{count} + {len(future_rates)}")
                shown = json.loads(fresh.ok("rates", "show", "USD", "--date", FUTURE_DAY, json_output=True).stdout)
                if shown["perEUR"] != FUTURE_USD:
                    problems.append(f"new database, fetch {path}: rates show USD gives {shown}")
        requests = list(server.requests)

    print(f"requests served: {len(requests)}; elapsed {time.monotonic() - started:.1f}s")
    if problems:
        raise CheckFailed(f"{len(problems)} problem(s):\n- " + "\n- ".join(problems))
    print("fetch_check: all checks passed")


if __name__ == "__main__":
    main_wrapper(main)
