"""Limits checked on an uploaded XLSForm before anything parses it.

An ``.xlsx`` is a zip: 400 KB can unpack to a million rows and keep a
parser busy for a minute. Before openpyxl sees the file, its zip directory
is read (sizes as declared, then checked while reading) and each worksheet's
XML is scanned, never parsed, for its rows and the widest column. A form
over a limit is refused with a :class:`~forms.problems.Problem` whose code
says which limit (``too_many_parts``, ``unpacks_too_large``,
``too_many_rows``, ``too_many_columns``) and whose detail is the limit.
``.xls``, CSV and markdown are not compressed: the upload size limit
already bounds them.
"""

from __future__ import annotations

import io
import re
import zipfile

from forms.problems import FormError, Problem

MAX_UNPACKED_BYTES = 32 * 1024 * 1024
"""Largest total size of an ``.xlsx``'s parts once unpacked."""
MAX_PARTS = 500
"""Most files inside an ``.xlsx``."""
MAX_ROWS = 50_000
"""Most rows in one sheet (the largest real forms have a few thousand choices)."""
MAX_COLUMNS = 300
"""Most columns in one sheet (a label, hint and message column per language fit easily)."""

_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})[0-9]+"')
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_CHUNK = 1 << 20


def check_limits(source: bytes) -> None:
    """Raise :class:`FormError` when an ``.xlsx`` is over a limit."""
    if not source.startswith(b"PK"):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(source))
    except zipfile.BadZipFile:
        return  # not an xlsx after all: the reader says what it is
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            _refuse("too_many_parts", MAX_PARTS)
        if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
            _refuse("unpacks_too_large", MAX_UNPACKED_BYTES // (1024 * 1024))
        unpacked = 0
        for part in parts:
            if _SHEET.fullmatch(part.filename):
                unpacked = _scan_sheet(archive, part, unpacked)


def _scan_sheet(archive: zipfile.ZipFile, part: zipfile.ZipInfo, unpacked: int) -> int:
    rows, widest, tail = 0, 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            unpacked += len(chunk)
            if unpacked > MAX_UNPACKED_BYTES:  # sizes in the directory can lie
                _refuse("unpacks_too_large", MAX_UNPACKED_BYTES // (1024 * 1024))
            text = tail + chunk
            cut = text.rfind(b"<")
            body, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            rows += len(_ROW.findall(body))
            widest = max([widest, *(_column_number(ref) for ref in _CELL_REF.findall(body))])
            if rows > MAX_ROWS:
                _refuse("too_many_rows", MAX_ROWS)
            if widest > MAX_COLUMNS:
                _refuse("too_many_columns", MAX_COLUMNS)
    return unpacked


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _refuse(code: str, limit: int) -> None:
    raise FormError([Problem(code, detail=str(limit))])
