"""The one way PACT writes CSV files: every cell escaped so no spreadsheet runs it as a formula.

A spreadsheet opening a CSV file runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and in some programs ``|`` or ``%``, a full-width ``＝``, or any of these after a tab or a
line break) as a formula, so a survey answer typed as ``=HYPERLINK(...)`` could send data
away or start a program on the computer of the member of staff who opens the export (CSV
injection). Such a text cell is written with a leading apostrophe, which spreadsheets take
as "this is text" and do not show; a ``|`` in it is escaped too, against DDE. Numbers,
dates and text that is only a number (``-1.5``) are written as they are. Every cell is
quoted, so a program that splits on ``;`` or tabs cannot cut a cell in two and expose a
formula in its second half.

The rules are defusedcsv's (pretix's library) plus the tab and line-break starts it leaves
out; tests/core/test_csv_export.py holds its test cases as ours.
"""

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Protocol

_FORMULA_START = frozenset("=+-@|%\uff1d\uff0b\uff0d\uff20")
_CONTROL_START = frozenset("\t\r\n")
_NUMBER = re.compile(r"^-?[0-9,.]+$")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_cell(value: Any) -> Any:
    """``value`` as a safe cell: numbers and dates as they are, None as empty, text escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    text = str(value)
    starts_control = text[:1] in _CONTROL_START
    if starts_control or (text.lstrip()[:1] in _FORMULA_START and not _NUMBER.match(text)):
        return "'" + text.replace("|", "\\|")
    return text


class CsvWriter:
    """``csv.writer``'s writerow and writerows, with every cell passed through csv_cell."""

    def __init__(self, file: _Writable):
        self._writer = csv.writer(file, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: _Writable) -> CsvWriter:
    """A writer of safe CSV rows into ``file`` (an HttpResponse, a StringIO)."""
    return CsvWriter(file)


class _Line:
    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one line of safe CSV, for a StreamingHttpResponse."""
    writer = CsvWriter(_Line())
    for row in rows:
        yield writer.writerow(row)
