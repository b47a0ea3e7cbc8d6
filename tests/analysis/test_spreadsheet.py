"""The one CSV and XLSX writer: text neutralised, numbers kept, nothing else changed."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from analysis.spreadsheet import CsvDictWriter, csv_writer, safe_cell, write_xlsx_row, xlsx_workbook


class Label:
    """An object a writer turns into text with ``str()`` (a lazy translation, say)."""

    def __str__(self) -> str:
        return "=1+1"


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_writer_neutralises_every_row_and_keeps_numbers():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=SUM(A1)", -2, 0.5, Decimal("-0.500"), None, "plain", Label()])
    writer.writerows([["@cmd", "+1 613"], [" -x", "'=already"]])
    assert _read(out.getvalue()) == [
        ["'=SUM(A1)", "-2", "0.5", "-0.500", "", "plain", "'=1+1"],
        ["'@cmd", "'+1 613"],
        ["' -x", "'=already"],
    ]


def test_the_dict_writer_neutralises_the_header_too():
    out = io.StringIO()
    writer = CsvDictWriter(out, fieldnames=["=name", "n"])
    writer.writeheader()
    writer.writerow({"=name": "-1-1", "n": -1})
    assert _read(out.getvalue()) == [["'=name", "n"], ["'-1-1", "-1"]]


def test_safe_cell_is_idempotent():
    for value in ["=x", "-2", "\t=y", Label()]:
        once = safe_cell(value)
        assert safe_cell(once) == once


def test_the_xlsx_writer_writes_text_as_text_and_numbers_as_numbers(tmp_path):
    path = tmp_path / "t.xlsx"
    workbook = xlsx_workbook(path)
    sheet = workbook.add_worksheet("t")
    write_xlsx_row(sheet, 0, ['=HYPERLINK("x")', "http://a.example", "12", -3, None, Label()])
    workbook.close()
    cells = list(openpyxl.load_workbook(path)["t"].iter_rows(values_only=True))[0]
    assert cells == ('\'=HYPERLINK("x")', "http://a.example", "12", -3, None, "'=1+1")
