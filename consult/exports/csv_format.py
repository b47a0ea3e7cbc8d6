"""Responses as CSV: UTF-8 with a byte order mark, CRLF line ends, one row per response.

The byte order mark makes Excel read Arabic, Chinese or Punjabi text as
UTF-8; Python reads it back with ``encoding="utf-8-sig"``. Rows are written
as their batch arrives, so a download starts at once and memory holds one
batch, whatever the number of responses.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from analysis.spreadsheet import csv_writer
from consult.exports.job import ExportJob

BOM = "\ufeff"


def stream_csv(job: ExportJob) -> Iterator[bytes]:
    """The CSV in chunks: the header, then one chunk per batch of responses."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    layout = job.layout
    writer.writerow(layout.header)
    yield (BOM + _take(buffer)).encode("utf-8")
    cells = layout.cells
    for batch in job.batches():
        writer.writerows(cells(meta, answers) for meta, answers in batch)
        yield _take(buffer).encode("utf-8")


def write_csv(job: ExportJob, path: Path) -> None:
    """The CSV written to ``path``."""
    with path.open("wb") as out:
        for chunk in stream_csv(job):
            out.write(chunk)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
