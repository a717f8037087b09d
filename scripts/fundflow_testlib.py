"""Helpers shared by the end-to-end check scripts in this folder (stdlib only).

Each script takes the fundflow binary as its first argument (default `.build/debug/fundflow`,
looked up from the current directory, then from the package root), works in a temporary
directory that it removes, prints what it measured, and exits non-zero with a clear message
on any failure.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterator

SCRIPTS_DIR = Path(__file__).resolve().parent
PACKAGE_ROOT = SCRIPTS_DIR.parent
DEFAULT_BINARY = ".build/debug/fundflow"


class CheckFailed(Exception):
    """A check did not hold; the message says what was expected and what was seen."""


def resolve_binary(argument: str | None) -> Path:
    """The fundflow binary as an absolute path (scripts chdir into temp directories)."""
    candidate = argument or DEFAULT_BINARY
    for path in (Path(candidate), PACKAGE_ROOT / candidate):
        if path.is_file() and os.access(path, os.X_OK):
            return path.absolute()
    raise CheckFailed(
        f"fundflow binary not found or not executable: {candidate} "
        f"(looked in {Path.cwd()} and {PACKAGE_ROOT}); build it first or pass its path")


def private_copy(binary: Path, directory: Path) -> Path:
    """A copy of the binary inside the work directory, so that a rebuild of the original while the
    script runs (another engineer's `swift build`) neither changes the program under test nor makes
    exec fail with "Text file busy". Retries while the original is being written."""
    target = directory / "fundflow"
    last = ""
    for attempt in range(10):
        try:
            shutil.copyfile(binary, target)
            target.chmod(0o755)
            probe = subprocess.run([str(target), "--help"], capture_output=True, text=True, timeout=60,
                                   stdin=subprocess.DEVNULL)
            if probe.returncode == 0:
                return target
            last = f"exit {probe.returncode}: {probe.stderr.strip()[:300]}"
        except OSError as error:
            last = str(error)
        time.sleep(3)
    raise CheckFailed(f"cannot take a working copy of {binary}: {last}")


@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        return (f"command: {' '.join(self.args)}\nexit: {self.returncode}\n"
                f"stdout: {self.stdout.strip()[:2000]}\nstderr: {self.stderr.strip()[:2000]}")


class Fundflow:
    """Runs the CLI against one database file, with a clean environment for the operator."""

    def __init__(self, binary: Path, db: Path, cwd: Path):
        self.binary = binary
        self.db = db
        self.cwd = cwd
        self.env = dict(os.environ)
        self.env.pop("FUNDFLOW_DB", None)
        self.env.pop("FUNDFLOW_PIN", None)

    def argv(self, *args: str, json_output: bool = False) -> list[str]:
        return [str(self.binary), "--db", str(self.db)] + (["--json"] if json_output else []) + list(args)

    def run(self, *args: str, json_output: bool = False, timeout: float = 300) -> Run:
        argv = self.argv(*args, json_output=json_output)
        done = subprocess.run(argv, cwd=self.cwd, env=self.env, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
        return Run(argv, done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str, json_output: bool = False, timeout: float = 300) -> Run:
        result = self.run(*args, json_output=json_output, timeout=timeout)
        if result.returncode != 0:
            raise CheckFailed("fundflow command failed\n" + result.describe())
        return result

    def commands(self, commands: list[str]) -> Run:
        """Runs commands as one `-c` argument (lines separated by newlines)."""
        return self.ok("-c", "\n".join(commands))

    def script(self, path: Path, lines: list[str]) -> Run:
        path.write_text("\n".join(lines) + "\n")
        return self.ok(str(path), timeout=1800)

    def balances(self) -> dict[str, tuple[str, Decimal]]:
        """`ledger balances --json` as {account: (currency, balance on its normal side)}."""
        document = json.loads(self.ok("ledger", "balances", json_output=True).stdout)
        return {row["account"]: (row["currency"], Decimal(row["balance"])) for row in document}

    def accounts(self) -> dict[str, dict]:
        document = json.loads(self.ok("ledger", "accounts", json_output=True).stdout)
        return {row["account"]: row for row in document}


@contextmanager
def read_only(db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection (closed afterwards) that never creates or migrates anything."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        connection.execute("PRAGMA query_only = ON")
        yield connection
    finally:
        connection.close()


@contextmanager
def workdir(prefix: str, keep: bool = False) -> Iterator[Path]:
    """A fresh temporary directory, removed afterwards unless `keep` (then its path is printed)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        if keep:
            print(f"kept {path}")
        else:
            shutil.rmtree(path, ignore_errors=True)


def main_wrapper(body) -> None:
    """Runs `body()` and turns a failed check into a message and exit status 1."""
    try:
        body()
    except CheckFailed as failure:
        print(f"\nFAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    except subprocess.TimeoutExpired as timeout:
        print(f"\nFAILED: timed out: {timeout}", file=sys.stderr)
        sys.exit(1)
