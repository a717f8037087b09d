#!/usr/bin/env python3
"""pain.002.001.03 status reports validate against the official ISO 20022 schema (xmlschema).

usage: scripts/check_pain002.py [PATH ...] [--from-tests] [--keep]   (in scripts/test's venv)

Each PATH is an XML file or a directory whose `*.xml` files are validated against
`../shared/data/iso20022-xsd/pain.002.001.03.xsd` (beside the repository) with xmlschema, an
independent XSD 1.0 validator. An invalid file is reported as `FILE: ELEMENT-PATH: reason`
and the script exits 1.

Every run first checks the script itself: the published sample
`../shared/data/iso20022/pain002/pain.002.001.03_rjct-ac04_pt-es.xml` must pass, and the same
sample with two elements swapped (TxInfAndSts's StsRsnInf before OrgnlEndToEndId) must fail.

`--from-tests` runs `swift test --skip-build --filter Pain002SchemaOutputTests` with
`FUNDFLOW_PAIN002_OUT` set to a temporary folder (build the tests first), then validates every
report FundflowFormats' `Pain002Writer` wrote there (exit 1 if it wrote none) and checks each
against a model computed here from its own transactions: OrgnlNbOfTxs and OrgnlCtrlSum of the
group and of each block (Python's decimal, adding amounts whatever their currency), the common
status or PART, NbOfTxsPerSts in the order PDNG ACCP ACSP ACSC RJCT, a reason code on every
RJCT, and that the CSV written beside it (read with Python's csv module) holds the same
transactions. `--keep` keeps the temporary folder and prints its path.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
XSD = SHARED / "iso20022-xsd" / "pain.002.001.03.xsd"
SAMPLE = SHARED / "iso20022" / "pain002" / "pain.002.001.03_rjct-ac04_pt-es.xml"
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
TEST_FILTER = "Pain002SchemaOutputTests"
OUTPUT_VARIABLE = "FUNDFLOW_PAIN002_OUT"
STATUS_ORDER = ["PDNG", "ACCP", "ACSP", "ACSC", "RJCT"]
CSV_HEADER = ["payment_information_id", "instruction_id", "end_to_end_id", "uetr", "status",
              "reason", "reason_text", "amount", "currency"]


def q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def schema_problems(schema: xmlschema.XMLSchema, source) -> list:
    """`[LINE:] PATH: reason` for every way the document breaks the schema (the line only where
    the parser kept it: ElementTree does not)."""
    problems = []
    for error in schema.iter_errors(source):
        line = getattr(error, "sourceline", None)
        problems.append(f"{f'{line}: ' if line else ' '}{error.path or '/'}: {error.reason}")
    return problems


def check_sample(schema: xmlschema.XMLSchema) -> list:
    """The script's own sanity check: the published sample passes, a broken copy does not."""
    problems = [f"{SAMPLE}:{p}" for p in schema_problems(schema, str(SAMPLE))]
    if problems:
        return problems + [f"{SAMPLE}: the published sample must pass; the check is wrong"]
    broken = ElementTree.parse(SAMPLE).getroot()
    transaction = broken.find(f".//{q('TxInfAndSts')}")
    reason = transaction.find(q("StsRsnInf"))
    transaction.remove(reason)
    transaction.insert(0, reason)
    if not schema_problems(schema, ElementTree.ElementTree(broken)):
        return [f"{SAMPLE}: with StsRsnInf moved before OrgnlEndToEndId it still passed: "
                "the check does not see element order"]
    return []


def xml_files(paths: list) -> list:
    files = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.xml")) if path.is_dir() else [path])
    return files


def text(element, name: str):
    child = element.find(q(name))
    return None if child is None else child.text


def expected_statuses(transactions: list) -> tuple:
    """(count, control sum, common status or PART or None, [(status, count, sum)]) of a scope."""
    total = sum((amount for _, amount in transactions), Decimal(0))
    per_status = []
    for status in STATUS_ORDER:
        amounts = [amount for each, amount in transactions if each == status]
        if amounts:
            per_status.append((status, str(len(amounts)), sum(amounts, Decimal(0))))
    common = None if not per_status else per_status[0][0] if len(per_status) == 1 else "PART"
    return str(len(transactions)), total, common, per_status


def statuses_written(scope, status_element: str) -> tuple:
    per_status = [(text(entry, "DtldSts"), text(entry, "DtldNbOfTxs"),
                   Decimal(text(entry, "DtldCtrlSum")))
                  for entry in scope.findall(q("NbOfTxsPerSts"))]
    return (text(scope, "OrgnlNbOfTxs"), Decimal(text(scope, "OrgnlCtrlSum")),
            text(scope, status_element), per_status)


def transactions_of(block) -> list:
    rows = []
    for transaction in block.findall(q("TxInfAndSts")):
        amount = transaction.find(f"{q('OrgnlTxRef')}/{q('Amt')}/{q('InstdAmt')}")
        reason = transaction.find(f"{q('StsRsnInf')}/{q('Rsn')}/{q('Cd')}")
        texts = [piece.text for piece in transaction.findall(f"{q('StsRsnInf')}/{q('AddtlInf')}")]
        rows.append({
            "payment_information_id": text(block, "OrgnlPmtInfId"),
            "instruction_id": text(transaction, "OrgnlInstrId") or "",
            "end_to_end_id": text(transaction, "OrgnlEndToEndId"),
            "status": text(transaction, "TxSts"),
            "reason": "" if reason is None else reason.text,
            "reason_text": "".join(texts),
            "amount": amount.text,
            "currency": amount.get("Ccy"),
        })
    return rows


def check_model(path: Path) -> list:
    """The counts, sums, statuses and CSV of a report written by the tests, recomputed here."""
    problems = []
    root = ElementTree.parse(path).getroot()
    report = root.find(q("CstmrPmtStsRpt"))
    everything = []
    all_rows = []
    for index, block in enumerate(report.findall(q("OrgnlPmtInfAndSts")), start=1):
        rows = transactions_of(block)
        all_rows.extend(rows)
        pairs = [(row["status"], Decimal(row["amount"])) for row in rows]
        everything.extend(pairs)
        if statuses_written(block, "PmtInfSts") != expected_statuses(pairs):
            problems.append(f"{path}: OrgnlPmtInfAndSts[{index}]: wrote "
                            f"{statuses_written(block, 'PmtInfSts')}, expected "
                            f"{expected_statuses(pairs)}")
        problems += [f"{path}: OrgnlPmtInfAndSts[{index}]: {row['end_to_end_id']} is RJCT "
                     "without a reason code" for row in rows
                     if row["status"] == "RJCT" and not row["reason"]]
    group = report.find(q("OrgnlGrpInfAndSts"))
    if statuses_written(group, "GrpSts") != expected_statuses(everything):
        problems.append(f"{path}: OrgnlGrpInfAndSts: wrote {statuses_written(group, 'GrpSts')}, "
                        f"expected {expected_statuses(everything)}")
    problems += check_csv(path.with_suffix(".csv"), all_rows)
    return problems


def check_csv(path: Path, rows: list) -> list:
    if not path.is_file():
        return [f"{path}: missing (the tests write a CSV beside each report)"]
    with path.open(newline="", encoding="utf-8") as handle:
        read = list(csv.reader(handle))
    if not read or read[0] != CSV_HEADER:
        return [f"{path}: header {read[:1]}, expected {CSV_HEADER}"]
    problems = []
    if len(read) - 1 != len(rows):
        problems.append(f"{path}: {len(read) - 1} lines, the XML has {len(rows)} transactions")
    for number, (line, row) in enumerate(zip(read[1:], rows), start=2):
        fields = dict(zip(CSV_HEADER, line))
        fields.pop("uetr", None)
        if len(line) != len(CSV_HEADER) or fields != row:
            problems.append(f"{path}:{number}: {line} does not match the XML's {row}")
    return problems


def run_tests(directory: Path) -> list:
    """Asks the Swift tests to write their representative reports into `directory`."""
    command = ["swift", "test", "--skip-build", "--filter", TEST_FILTER]
    environment = dict(os.environ, **{OUTPUT_VARIABLE: str(directory)})
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-4000:] + result.stderr[-4000:])
        return [f"{' '.join(command)} exited {result.returncode} (run swift build --build-tests)"]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="XML files or directories of XML files")
    parser.add_argument("--from-tests", action="store_true",
                        help=f"validate what {TEST_FILTER} writes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    arguments = parser.parse_args()

    schema = xmlschema.XMLSchema(str(XSD))
    problems = check_sample(schema)
    if not problems:
        print(f"{SAMPLE.name}: valid, and refused with two elements swapped")
    files = xml_files(arguments.paths)
    modelled = []
    directory = None
    if arguments.from_tests:
        directory = Path(tempfile.mkdtemp(prefix="pain002-"))
        problems += run_tests(directory)
        written = xml_files([directory])
        if not written and not problems:
            problems.append(f"{TEST_FILTER} wrote no report into {directory}")
        files += written
        modelled = written
    for path in files:
        if not path.is_file():
            problems.append(f"{path}: no such file")
            continue
        found = [f"{path}:{problem}" for problem in schema_problems(schema, str(path))]
        if not found and path in modelled:
            found = check_model(path)
        print(f"{path}: {'valid' if not found else 'INVALID'}")
        problems += found
    if directory is not None:
        if arguments.keep:
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory)
    for problem in problems:
        print(problem)
    print(f"{len(files)} pain.002 files checked against {XSD.name}: "
          f"{'all valid' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
