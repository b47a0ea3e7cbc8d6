"""Responses as XLSX, written by XlsxWriter in ``constant_memory`` mode.

Sheets: ``responses`` (the same columns as the CSV), one sheet per repeat
(a row per entry: reference, entry number, each child question), then
``columns`` (each column's question, type and label) and ``choices`` (each
choice's name and label): enough to read the codes without the form.

Cells go through :mod:`analysis.spreadsheet`: text only ever written with
``write_string`` (never as a formula, a URL or a number) and neutralised as
in the CSV; numbers with ``write_number``; the submission and start times (in
UTC) and the answers to date and date-time questions as Excel dates, so they
sort and filter as dates (an answer that is not a valid date stays text).
In ``constant_memory`` mode each row goes to a temporary file as soon as the
next row starts, so memory stays flat; the workbook is zipped at the end.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from analysis.spreadsheet import write_xlsx_row as _write_row
from analysis.spreadsheet import xlsx_workbook
from consult.exports.job import ExportJob

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
UTC_COLUMNS = ("submitted_at", "started_at")


def write_xlsx(job: ExportJob, path: Path) -> None:
    """The workbook written to ``path``."""
    workbook = xlsx_workbook(path, constant_memory=True)
    bold = workbook.add_format({"bold": True})
    layout = job.layout
    used: set[str] = set()
    main = workbook.add_worksheet(_sheet_name("responses", used))
    _write_row(main, 0, layout.header, bold)
    main.freeze_panes(1, 1)
    repeats = [f for f in layout.fields if f.is_repeat]
    repeat_sheets = []
    for f in repeats:
        sheet = workbook.add_worksheet(_sheet_name(f.name, used))
        _write_row(sheet, 0, layout.repeat_header(f), bold)
        repeat_sheets.append([f, sheet, 1])
    row_number = 1
    cells = layout.cells
    dates = _date_columns(layout)
    formats = (
        workbook.add_format({"num_format": "yyyy-mm-dd"}),
        workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
    )
    for batch in job.batches():
        for meta, answers in batch:
            _write_row(main, row_number, _typed(cells(meta, answers), dates), None, formats)
            row_number += 1
            for entry in repeat_sheets:
                f, sheet, next_row = entry
                for row in layout.repeat_rows(f, meta.reference, answers.get(f.name)):
                    _write_row(sheet, next_row, row)
                    next_row += 1
                entry[2] = next_row
    _write_dictionary(workbook, layout, used, bold)
    workbook.close()


def _date_columns(layout) -> dict[int, str]:
    """Column index -> ``"utc"`` (submission and start times), ``"date"`` or
    ``"datetime"`` (answers to such questions)."""
    kinds = {}
    for index, column in enumerate(layout.columns):
        f = column.field
        if f is None and column.key in UTC_COLUMNS:
            kinds[index] = "utc"
        elif f is not None and column.choice is None and f.type in ("date", "datetime"):
            kinds[index] = f.type
    return kinds


def _typed(row: list[object], dates: dict[int, str]) -> list[object]:
    """The row with its date columns as ``date`` or naive ``datetime`` values."""
    for index, kind in dates.items():
        value = row[index]
        if not isinstance(value, str):
            continue
        try:
            if kind == "date":
                row[index] = date.fromisoformat(value)
                continue
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue  # not a date: written as the text it is
        if kind == "utc" and moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        row[index] = moment.replace(tzinfo=None)  # an answer keeps its own wall-clock time
    return row


def _write_dictionary(workbook, layout, used: set[str], bold) -> None:
    columns = workbook.add_worksheet(_sheet_name("columns", used))
    _write_row(columns, 0, ["column", "question", "type", "label"], bold)
    for number, column in enumerate(layout.columns, start=1):
        f = column.field
        kind = "" if f is None else ("choice" if column.choice else f.type)
        _write_row(columns, number, [column.key, f.name if f else "", kind, column.label])
    choices = workbook.add_worksheet(_sheet_name("choices", used))
    _write_row(choices, 0, ["question", "choice", "label"], bold)
    number = 1
    for f in layout.fields:
        for choice in f.choices:
            _write_row(choices, number, [f.name, choice.name, layout.text(choice.label)])
            number += 1


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of ``[]:*?/\\``)."""
    base = _SHEET_BAD.sub("_", name).strip("'")[:31] or "sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate
