"""The exporters a researcher can choose from, by name.

This is the extension point for other exports (the codebook, coded text
units): write a function ``write(job, path) -> None`` (and, for a format that
can stream, ``stream(job) -> Iterator[bytes]``), then call :func:`register`
with an :class:`Exporter`. The CLI's ``--format`` choices, the export page's
options, the audit log entry and the download headers all come from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from consult.exports.job import ExportError, ExportJob


@dataclass(frozen=True, slots=True)
class Exporter:
    """One export format."""

    name: str
    title: object
    """What the export page calls it (a lazy gettext string)."""
    extension: str
    media_type: str
    write: Callable[[ExportJob, Path], None]
    """Write the whole export to a file."""
    stream: Callable[[ExportJob], Iterator[bytes]] | None = None
    """Yield the export in chunks, for downloads that start at once (optional)."""
    uses_labels: bool = True
    """True when the labels option (language or codes) changes the output."""


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    """Make an exporter available to the UI and the CLI (a later one replaces an earlier)."""
    EXPORTERS[exporter.name] = exporter
    return exporter


def exporter_named(name: str) -> Exporter:
    """The exporter called ``name``; :class:`ExportError` when there is none."""
    try:
        return EXPORTERS[name]
    except KeyError:
        raise ExportError(
            f"No export format {name!r} (formats: {', '.join(sorted(EXPORTERS))})."
        ) from None
