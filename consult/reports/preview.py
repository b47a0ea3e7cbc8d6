"""What a researcher sees before publishing: the report, and what is rounded, hidden or left out.

Researchers see true counts anyway (theme summary, exports); the preview
puts them beside what the committee will read, says which counts the audit
hid and which small group each protects, and which approved quotes the
summary will not print and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from analysis.disclosure import TOTAL, CellId, theme_id
from analysis.report import Report
from consult.reports.build import Prepared
from consult.reports.report_text import report_in


@dataclass(frozen=True)
class PreviewRow:
    """One count: what it is, its true value, and what the committee will read."""

    label: str
    true: int
    published: int | None


@dataclass(frozen=True)
class Preview:
    """The preview page's model."""

    report: Report
    rows: tuple[PreviewRow, ...]
    hidden: tuple[tuple[str, str, int], ...]
    """(count hidden, count it protects, the small value it would have revealed)."""
    left_out_quotes: tuple[tuple[str, str, str], ...]
    """(theme, quote, why it is left out)."""
    draws: int


def preview_model(prepared: Prepared, lang: str) -> Preview:
    """The preview of ``prepared`` in the researcher's language ``lang``."""
    report = report_in(prepared, lang)
    labels = {f.key: f.label for f in report.findings}
    counts, cube = prepared.protection.counts, prepared.cube
    rows = [PreviewRow(_("Respondents"), cube.counts[TOTAL], counts.total)]
    rows += [
        PreviewRow(labels.get(t, t), cube.counts[theme_id(t)], counts.theme(t))
        for t in counts.shape.themes
    ]
    hidden = tuple(
        (describe(h.cell, report), describe(h.protects, report), h.pinned_at)
        for h in prepared.protection.hidden
    )
    return Preview(
        report=report,
        rows=tuple(rows),
        hidden=hidden,
        left_out_quotes=tuple(_left_out(prepared, labels)),
        draws=prepared.protection.draws,
    )


def _left_out(prepared: Prepared, labels):
    counts = prepared.protection.counts
    for quote in prepared.left_out_quotes:
        if quote.theme not in counts.shape.themes:
            why = _("its theme is no longer in the codebook")
        elif not counts.shown(theme_id(quote.theme)):
            why = _("its theme is shown as fewer than %(n)s or hidden", n=counts.base)
        else:
            why = _("it comes from an answer this summary does not count")
        yield (labels.get(quote.theme, quote.theme), quote.text, why)


def describe(cell: CellId, report: Report) -> str:
    """A count's name for people: "Housing — By language of the answers — French"."""
    themes = {f.key: f.label for f in report.findings}
    tables = {t.attribute: t for t in report.tables}
    kind = cell[0]
    if kind == "total":
        return _("Respondents")
    if kind == "theme":
        return themes.get(cell[1], cell[1])
    if kind == "mood":
        return f"{themes.get(cell[1], cell[1])} — {cell[2]}"
    name, group = (cell[1], cell[2]) if kind == "group" else (cell[2], cell[3])
    table = tables.get(name)
    where = _group_name(table, group) if table else group
    title = table.title if table else name
    if kind == "group":
        return f"{title} — {where}"
    return f"{themes.get(cell[1], cell[1])} — {title} — {where}"


def _group_name(table, group: str) -> str:
    keys = list(table.group_keys)
    return table.groups[keys.index(group)] if group in keys else group
