"""Say where a pyxform message points when it names no row.

pyxform names the row of most problems ("[row : 5]"), but not of an unknown
question type ("Unknown question type 'x'.") nor of a column header that
appears twice on a sheet ("Duplicate column header: label", raised before any
row is read). These find the cell the message is about, so that every refusal
names its sheet, row and column.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from typing import Any

from forms.problems import Problem

_QUOTED = re.compile(r"'([^']+)'")
_DUPLICATE_HEADER = re.compile(r"^Duplicate column header: (.+)$")
_SHEETS = ("survey", "choices", "settings")


def locate(problem: Problem, workbook: Any) -> Problem:
    """``problem`` with the sheet, row and column of the first cell holding a value
    its message quotes, when it names no row itself (unchanged when none does)."""
    if problem.row is not None:
        return problem
    for value in _QUOTED.findall(problem.detail):
        for sheet in _SHEETS:
            for index, row in enumerate(getattr(workbook, sheet, None) or ()):
                for column, cell in row.items():
                    if isinstance(cell, str) and cell.strip() == value:
                        return replace(problem, sheet=sheet, row=index + 2, column=column)
    return problem


def header_problem(source: bytes, detail: str) -> Problem:
    """pyxform's refusal to read a workbook: a repeated column header is placed on
    the sheet and header row (row 1) where it repeats; anything else is unreadable."""
    match = _DUPLICATE_HEADER.match(detail)
    if match:
        header = match.group(1).strip()
        for sheet, headers in _first_rows(source):
            cells = [str(cell).strip() for cell in headers if cell not in (None, "")]
            if cells.count(header) > 1:
                return Problem("pyxform", detail=detail, sheet=sheet.lower(), row=1, column=header)
    return Problem("unreadable", detail=detail)


def _first_rows(source: bytes) -> Iterator[tuple[str, list[Any]]]:
    """Each sheet's name and header row, from an .xlsx or .xls file (nothing otherwise)."""
    if zipfile.is_zipfile(BytesIO(source)):
        import openpyxl

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\b")
            book = openpyxl.load_workbook(BytesIO(source), read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                first = next(sheet.iter_rows(max_row=1, values_only=True), ())
                yield sheet.title, list(first)
        finally:
            book.close()
        return
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=source, on_demand=True)
    except Exception:  # noqa: BLE001 - not an .xls file either: nothing to place
        return
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield sheet.name, sheet.row_values(0) if sheet.nrows else []
    finally:
        book.release_resources()
