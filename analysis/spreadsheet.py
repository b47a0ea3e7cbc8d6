"""The one writer of CSV and XLSX files: every text cell neutralised (CSV injection).

(It is also where uploaded CSV and XLSX tables are read: :func:`read_rows`.)

Every CSV and XLSX that Consult writes, for any role, goes through this module
(a test looks for ``csv.writer``, ``csv.DictWriter`` and ``Workbook`` anywhere
else): researcher exports, the committee report's tables, the focus-group
roster, ``consult code-file`` and whatever comes next.

Following the OWASP guidance on CSV injection, a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or with spaces and
then one of ``=+-@``) gets a leading apostrophe, so Excel, LibreOffice and
Google Sheets show it as text instead of evaluating it. Numbers are never
touched: ``-2`` given as a number (``int``, ``float``, ``Decimal``) stays the
number -2, so pass numbers as numbers. Neutralising is idempotent: a cell
that already starts with the apostrophe is left alone. The apostrophe is
visible in the file; it is the documented price of safety (docs/exports.md).

In XLSX, text is only ever written with ``write_string`` (never as a formula,
a URL or a number) and numbers with ``write_number``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from numbers import Number
from os import PathLike
from typing import IO, Any

import xlsxwriter

FORMULA_STARTS = frozenset("=+-@\t\r")
_AFTER_SPACES = frozenset("=+-@")

MAX_XLSX_CELL = 32767
"""Excel's limit on characters in a cell."""


def neutralise(text: str) -> str:
    """``text``, with a leading ``'`` when a spreadsheet would read it as a formula."""
    if not text:
        return text
    first = text[0]
    if first in FORMULA_STARTS:
        return "'" + text
    if first.isspace():
        stripped = text.lstrip()
        if stripped and stripped[0] in _AFTER_SPACES:
            return "'" + text
    return text


_SUSPECT = FORMULA_STARTS | frozenset(" \n\x0b\x0c\u00a0\u3000")
"""First characters worth a closer look (a fast first test for whole rows)."""


_PLAIN = frozenset({int, float, type(None)})


def safe_cell(cell: object) -> object:
    """``cell`` as a file may hold it: ``None`` and numbers as they are; anything else
    (text, or an object a writer would turn into text) as neutralised text."""
    if cell is None or isinstance(cell, Number):
        return cell
    return neutralise(cell if cell.__class__ is str else str(cell))


def neutralise_row(cells: Iterable[object]) -> list[object]:
    """Every text cell of a row neutralised; numbers and empty cells as they are."""
    suspect, plain = _SUSPECT, _PLAIN
    return [
        c
        if (c.__class__ is str and not (c and c[0] in suspect)) or c.__class__ in plain
        else safe_cell(c)
        for c in cells
    ]


class CsvWriter:
    """:func:`csv.writer` whose every row is neutralised first."""

    def __init__(self, stream: IO[str], **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)
        self.dialect = self._writer.dialect

    def writerow(self, row: Iterable[object]) -> Any:
        """Write one row, text cells neutralised."""
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write every row, text cells neutralised."""
        self._writer.writerows(map(neutralise_row, rows))


def csv_writer(stream: IO[str], **fmtparams: Any) -> CsvWriter:
    """A CSV writer on ``stream`` (the same arguments as :func:`csv.writer`)."""
    return CsvWriter(stream, **fmtparams)


class CsvDictWriter(csv.DictWriter):
    """:class:`csv.DictWriter` whose every row, header included, is neutralised."""

    def __init__(self, stream: IO[str], fieldnames, **kwargs: Any) -> None:
        super().__init__(stream, fieldnames, **kwargs)
        self.writer = CsvWriter(stream, dialect=self.writer.dialect)


def xlsx_workbook(path: str | PathLike[str] | IO[bytes], **options: Any) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook that never turns a string into a formula, URL or number.

    ``path`` may also be a binary stream (``io.BytesIO``) for a workbook built in
    memory. ``options`` add to XlsxWriter's (``constant_memory=True`` for large files).
    """
    settings = {
        **options,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    target = path if hasattr(path, "write") else str(path)
    return xlsxwriter.Workbook(target, settings)


def write_xlsx_row(
    sheet, row: int, cells: Iterable[object], cell_format=None, date_formats=None
) -> None:
    """Write ``cells`` into ``row`` of ``sheet``: text neutralised (and cut to Excel's
    limit) with ``write_string``, numbers with ``write_number``, dates and times
    (naive) with ``write_datetime`` in ``date_formats`` (``(date format, date-time
    format)``), ``None`` and empty text left blank."""
    write_string, write_number = sheet.write_string, sheet.write_number
    for col, cell in enumerate(cells):
        if cell is None:
            continue
        if cell.__class__ is not str and isinstance(cell, Number):
            write_number(row, col, cell, cell_format)
            continue
        if isinstance(cell, date):
            shown = date_formats[isinstance(cell, datetime)] if date_formats else cell_format
            sheet.write_datetime(row, col, cell, shown)
            continue
        text = safe_cell(cell)
        if text:
            write_string(row, col, text[:MAX_XLSX_CELL], cell_format)


class UnreadableTable(ValueError):
    """An upload that is not a table (``code``: ``unreadable``, ``encoding``, ``empty``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX file as text (XLSX: its first sheet).

    CSV must be UTF-8 (a byte-order mark is fine); its delimiter is the one of
    ``,`` ``;`` or tab most frequent in the first line. XLSX cells are read as
    their values (never formulas); a whole number stored as a float reads
    without ``.0``; an empty cell reads as ``""``.
    """
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data)
    return _csv_rows(data)


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableTable("encoding") from error
    if not text.strip():
        raise UnreadableTable("empty")
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise UnreadableTable("unreadable") from error


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise UnreadableTable("unreadable") from error
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
