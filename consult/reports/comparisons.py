"""A report's comparisons (waves over time, audiences side by side) in the report's words.

The HTML page, the PDF and the CSV all read :func:`comparison_views`: each
share with its 95% interval, "fewer than 5", "hidden" or "not asked", and
one sentence a council understands for what the test of change says
("Rose from about 30% to about 45%; this change is unlikely to be chance.").
Every figure comes from the frozen, protected section
(:mod:`analysis.trend_report`). Call inside the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from analysis.report import Report
from analysis.trend_report import (
    AUDIENCES,
    DIFFER,
    FELL,
    ROSE,
    SAME,
    TrendLine,
    TrendSection,
)


@dataclass(frozen=True)
class LineView:
    """One line as a reader sees it."""

    label: str
    cells: tuple[str, ...]
    sentence: str
    label_fallback: bool = False


@dataclass(frozen=True)
class TableView:
    """The themes, or one question, across the groups."""

    title: str
    lines: tuple[LineView, ...]
    note: str


@dataclass(frozen=True)
class ComparisonView:
    """A comparison section in words."""

    kind: str
    """:data:`~analysis.trend_report.WAVES` or :data:`~analysis.trend_report.AUDIENCES`."""
    heading: str
    intro: str
    groups: tuple[str, ...]
    respondents: tuple[str, ...]
    tables: tuple[TableView, ...]
    note: str = ""
    """The questions left out whole (nothing to show for any of their answers), in words."""


def comparison_views(report: Report) -> list[ComparisonView]:
    """Every comparison of ``report``, worded."""
    return [_view(section, report.language) for section in report.comparisons]


def _view(section: TrendSection, lang: str) -> ComparisonView:
    audiences = section.kind == AUDIENCES
    if audiences:
        heading = _("What each audience says about the same themes")
        intro = _(
            "Each audience answered its own survey. Shares are of each audience's respondents, "
            "with %(level)s%% intervals, worked out from the rounded numbers. Differences are "
            "called unlikely to be chance when a chi-square test gives a p-value below 0.05.",
            level=95,
        )
    else:
        heading = _("Change over time: %(title)s", title=section.title)
        intro = _(
            "Each wave asked a different group of people. Shares are of each wave's "
            "respondents, with %(level)s%% intervals, worked out from the rounded numbers. A "
            "change is called unlikely to be chance when a two-proportion test (a chi-square "
            "test over three waves or more) gives a p-value below 0.05.",
            level=95,
        )
    respondents = tuple(_count(v, section.base) for v in section.respondents)
    themes, *questions = section.tables or (None,)
    tables = tuple(
        TableView(
            table.title,
            tuple(_line(line, section.base, audiences) for line in table.lines),
            _left_out_note(table.left_out, section.base, lang),
        )
        for table in [themes, *(q for q in questions if q.lines)]
        if table is not None
    )
    empty = [q.title for q in questions if not q.lines]
    note = _empty_questions_note(empty, section.base, lang) if empty else ""
    return ComparisonView(section.kind, heading, intro, section.groups, respondents, tables, note)


def _count(value: int | None, base: int) -> str:
    if value is None:
        return "—"
    if value == 0:
        return _("fewer than %(n)s", n=base)
    return str(value)


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def _cell(line: TrendLine, i: int, base: int) -> str:
    if not line.asked[i]:
        return _("not asked")
    share = line.shares[i]
    if share is not None:
        value, low, high = share
        return f"{_percent(value)} ({_percent(low)}–{_percent(high)})"
    if line.counts[i] is None:
        return _("hidden to protect a small group")
    return _("fewer than %(n)s", n=base)


def _line(line: TrendLine, base: int, audiences: bool) -> LineView:
    cells = tuple(_cell(line, i, base) for i in range(len(line.counts)))
    return LineView(line.label, cells, _sentence(line, audiences), line.label_fallback)


def _sentence(line: TrendLine, audiences: bool) -> str:
    if line.first is None or line.verdict not in (ROSE, FELL, SAME, DIFFER):
        return _("Too few people to test.")
    shown = [s[0] for s in line.shares if s is not None]
    if audiences:
        low, high = _percent(min(shown)), _percent(max(shown))
        if line.verdict == DIFFER:
            return _(
                "From about %(low)s to about %(high)s across audiences; differences this large "
                "are unlikely to be chance.",
                low=low,
                high=high,
            )
        return _(
            "From about %(low)s to about %(high)s across audiences; differences this small "
            "could be chance.",
            low=low,
            high=high,
        )
    first, last = _percent(line.shares[line.first][0]), _percent(line.shares[line.last][0])
    if line.verdict == ROSE:
        return _(
            "Rose from about %(first)s to about %(last)s; this change is unlikely to be chance.",
            first=first,
            last=last,
        )
    if line.verdict == FELL:
        return _(
            "Fell from about %(first)s to about %(last)s; this change is unlikely to be chance.",
            first=first,
            last=last,
        )
    return _(
        "About %(first)s, then about %(last)s; a change this small could be chance.",
        first=first,
        last=last,
    )


def _empty_questions_note(titles: list[str], base: int, lang: str) -> str:
    from consult.reports.render import label_list

    return _(
        "Questions not shown, because no group has a share to show for any of their answers "
        "(every number is below %(n)s or hidden): %(labels)s.",
        n=base,
        labels=label_list(titles, lang),
    )


def _left_out_note(labels: tuple[str, ...], base: int, lang: str) -> str:
    from consult.reports.render import label_list

    if not labels:
        return ""
    return _(
        "Not shown, because no group has a share to show (every number is below %(n)s or "
        "hidden): %(labels)s.",
        n=base,
        labels=label_list(labels, lang),
    )
