"""Researcher exports: responses as CSV, XLSX and SPSS .sav, from the UI and the CLI.

- :mod:`layout`: columns and cells (pure; takes parsed definitions).
- :mod:`source`: responses and answers read in bounded batches.
- :mod:`cells`: formula neutralisation (CSV injection).
- :mod:`csv_format`, :mod:`xlsx_format`, :mod:`sav_format`: the writers.
- :mod:`registry`: exporters by name, the extension point for more exports
  (codebook, coded text units): ``register(Exporter(...))``.
- :mod:`services`: run an export and audit it; :mod:`routes`, :mod:`cli`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.exports.coding_formats import (
    stream_codebook,
    stream_units,
    write_codebook,
    write_units,
)
from consult.exports.csv_format import stream_csv, write_csv
from consult.exports.job import CODES, ExportError, ExportJob, ExportOptions, prepare
from consult.exports.registry import EXPORTERS, Exporter, exporter_named, register
from consult.exports.sav_format import write_sav
from consult.exports.xlsx_format import write_xlsx

register(
    Exporter(
        "csv",
        _l("CSV (any spreadsheet or statistics program)"),
        "csv",
        "text/csv",  # Werkzeug adds "; charset=utf-8" to every text/* type
        write_csv,
        stream_csv,
    )
)
register(
    Exporter(
        "xlsx",
        _l("Excel workbook (.xlsx), with a sheet describing the columns"),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        write_xlsx,
    )
)
register(
    Exporter(
        "sav",
        _l("SPSS (.sav), with variable and value labels"),
        "sav",
        "application/x-spss-sav",
        write_sav,
    )
)

register(
    Exporter(
        "codebook",
        _l("The codebook (CSV): themes, labels, definitions and patterns per language"),
        "csv",
        "text/csv",  # Werkzeug adds "; charset=utf-8" to every text/* type
        write_codebook,
        stream_codebook,
        uses_labels=False,
    )
)
register(
    Exporter(
        "units",
        _l("Coded text units (CSV): each free-text answer with its themes and evidence"),
        "csv",
        "text/csv",  # Werkzeug adds "; charset=utf-8" to every text/* type
        write_units,
        stream_units,
        uses_labels=False,
    )
)

__all__ = [
    "CODES",
    "EXPORTERS",
    "ExportError",
    "ExportJob",
    "ExportOptions",
    "Exporter",
    "exporter_named",
    "prepare",
    "register",
]
