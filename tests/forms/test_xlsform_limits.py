"""Zip-bomb XLSForms are refused before anything parses them, saying which limit."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from forms import xlsform_limits
from forms.problems import FormError
from forms.xlsform import read_xlsform


def _xlsx(sheet_xml: bytes, parts: int = 0) -> bytes:
    """A real workbook whose first sheet's XML is replaced by ``sheet_xml``."""
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["type", "name", "label"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            z.writestr(item.filename, data)
        for index in range(parts):
            z.writestr(f"customXml/item{index}.xml", b"<x/>")
    return out.getvalue()


def _sheet(rows: int, width: int = 3) -> bytes:
    columns = [chr(65 + i) for i in range(min(width, 26))]
    if width > 26:
        columns.append(xlsform_limits_ref(width))
    row = lambda n: (  # noqa: E731
        f'<row r="{n}">'
        + "".join(f'<c r="{c}{n}" t="inlineStr"><is><t>x</t></is></c>' for c in columns)
        + "</row>"
    )
    body = "".join(row(n) for n in range(1, rows + 1))
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def xlsform_limits_ref(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _refusal(source: bytes) -> str:
    with pytest.raises(FormError) as error:
        read_xlsform(source)
    [problem] = error.value.problems
    assert problem.code in {
        "too_many_parts",
        "unpacks_too_large",
        "too_many_rows",
        "too_many_columns",
    }
    return str(problem)


def test_a_sheet_with_too_many_rows_is_refused_before_parsing():
    bomb = _xlsx(_sheet(xlsform_limits.MAX_ROWS + 1, width=1))
    assert len(bomb) < 400_000  # small on the wire
    assert "over 50000 rows" in _refusal(bomb)


def test_a_sheet_with_too_many_columns_is_refused():
    assert "columns" in _refusal(_xlsx(_sheet(2, width=xlsform_limits.MAX_COLUMNS + 1)))


def test_a_workbook_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(xlsform_limits, "MAX_UNPACKED_BYTES", 200_000)
    padding = b"<!--" + b" " * 300_000 + b"-->"
    assert "unpacks to over" in _refusal(_xlsx(_sheet(2) + padding))


def test_a_workbook_with_too_many_parts_is_refused():
    assert "files" in _refusal(_xlsx(_sheet(2), parts=xlsform_limits.MAX_PARTS))


def test_a_form_within_the_limits_reads():
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["type", "name", "label"])
    book.active.append(["text", "name", "Your name"])
    out = io.BytesIO()
    book.save(out)
    assert [q.name for q in read_xlsform(out.getvalue()).iter_questions()] == ["name"]
