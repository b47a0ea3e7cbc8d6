"""A comparison in a committee report: theme shares and choice indicators across groups of people.

The groups are the waves of a study (the same needs measured again) or
audiences (newcomers, employers, service providers answering their own
surveys). :func:`trend_section` lays out an :class:`analysis.waves.Trend`,
computed from each group's protected counts only, as plain data a committee
view, PDF and CSV render: per line, every group's published share with its
95% interval (or why there is none), and what the test of change says,
as a code (:data:`ROSE`, :data:`FELL`, :data:`DIFFER`, :data:`SAME`,
:data:`UNTESTED`) the caller words in the reader's language.

Nothing here reads a true count: a line is as safe as the counts it is
made from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from analysis.waves import THEME, Trend, TrendRow

WAVES, AUDIENCES = "waves", "audiences"
"""What a comparison's groups are: waves of a study, or audiences."""

ROSE, FELL, DIFFER, SAME, UNTESTED = "rose", "fell", "differ", "same", "untested"
"""What a line's test says: the share rose or fell significantly from the first shown
group to the last (waves), the groups differ significantly (audiences), the change
could be chance, or there is no test (too few people shown)."""


@dataclass(frozen=True)
class TrendLine:
    """One theme or choice across the groups, as published.

    ``counts[i]`` is the published count in group ``i`` (0: fewer than the
    base; ``None``: hidden, or the group was not asked); ``shares[i]`` is
    ``(share, low, high)`` or ``None`` when it cannot be told.
    """

    label: str
    counts: tuple[int | None, ...]
    shares: tuple[tuple[float, float, float] | None, ...]
    asked: tuple[bool, ...]
    verdict: str
    p_value: float | None = None
    first: int | None = None
    """Index of the first group with a share (the sentence starts there)."""
    last: int | None = None
    """Index of the last group with a share."""
    label_fallback: bool = False


@dataclass(frozen=True)
class TrendTable:
    """The themes, or one choice question, across the groups."""

    title: str
    lines: tuple[TrendLine, ...]
    left_out: tuple[str, ...] = ()
    """Labels of lines left out: no group has a share to show (every count small or hidden)."""


@dataclass(frozen=True)
class TrendSection:
    """A comparison of groups (waves or audiences) as a committee reads it."""

    kind: str
    title: str
    groups: tuple[str, ...]
    respondents: tuple[int | None, ...]
    tables: tuple[TrendTable, ...]
    base: int


def trend_section(
    trend: Trend,
    *,
    kind: str,
    title: str,
    groups: Sequence[str],
    themes_title: str,
    theme_label: Callable[[str], str],
    untranslated_themes: frozenset[str] = frozenset(),
    questions: Sequence[tuple[str, str]] = (),
    choice_label: Callable[[str, str], str] = lambda q, c: c,
) -> TrendSection:
    """``trend`` laid out for a committee: the themes first, then each question of ``questions``
    (``(name, title)``), in order.

    Lines with no share in any group are left out and named (``left_out``);
    what is left shows only published counts and shares computed from them.
    """
    themes = [r for r in trend.rows if r.kind == THEME]
    tables = [_table(themes_title, themes, kind, theme_label, untranslated_themes)]
    for name, question_title in questions:
        rows = [r for r in trend.rows if r.kind != THEME and r.question == name]
        tables.append(_table(question_title, rows, kind, lambda c, q=name: choice_label(q, c)))
    return TrendSection(
        kind=kind,
        title=title,
        groups=tuple(groups),
        respondents=trend.respondents,
        tables=tuple(t for t in tables if t.lines or t.left_out),
        base=trend.base,
    )


def _table(title, rows: Sequence[TrendRow], kind, label, untranslated=frozenset()) -> TrendTable:
    lines, left_out = [], []
    for row in rows:
        line = _line(row, kind, label(row.choice), row.choice in untranslated)
        (lines if line.first is not None else left_out).append(line)
    return TrendTable(title, tuple(lines), tuple(line.label for line in left_out))


def _line(row: TrendRow, kind: str, label: str, fallback: bool) -> TrendLine:
    shares = tuple(
        (p.share.value, p.share.low, p.share.high) if p.share is not None else None
        for p in row.points
    )
    shown = [i for i, s in enumerate(shares) if s is not None]
    first, last = (shown[0], shown[-1]) if shown else (None, None)
    return TrendLine(
        label=label,
        counts=tuple(p.count for p in row.points),
        shares=shares,
        asked=tuple(p.whole is not None or p.count is not None for p in row.points),
        verdict=_verdict(row, kind, shares, first, last),
        p_value=row.overall.p_value if row.overall is not None else None,
        first=first,
        last=last,
        label_fallback=fallback,
    )


def _verdict(row: TrendRow, kind: str, shares, first, last) -> str:
    if row.overall is None or first is None or first == last:
        return UNTESTED
    if not row.overall.significant:
        return SAME
    if kind == AUDIENCES:
        return DIFFER
    return ROSE if shares[last][0] > shares[first][0] else FELL


def section_to_dict(section: TrendSection) -> dict:
    """JSON-ready data (in a publication's snapshot)."""
    return asdict(section)


def section_from_dict(data: Mapping) -> TrendSection:
    """Rebuild a section from :func:`section_to_dict` output."""
    return TrendSection(
        kind=data["kind"],
        title=data["title"],
        groups=tuple(data["groups"]),
        respondents=tuple(data["respondents"]),
        tables=tuple(
            TrendTable(
                title=t["title"],
                lines=tuple(_line_from(line) for line in t["lines"]),
                left_out=tuple(t.get("left_out", ())),
            )
            for t in data["tables"]
        ),
        base=data["base"],
    )


def _line_from(data: Mapping) -> TrendLine:
    return TrendLine(
        label=data["label"],
        counts=tuple(data["counts"]),
        shares=tuple(tuple(s) if s is not None else None for s in data["shares"]),
        asked=tuple(data["asked"]),
        verdict=data["verdict"],
        p_value=data.get("p_value"),
        first=data.get("first"),
        last=data.get("last"),
        label_fallback=data.get("label_fallback", False),
    )


def section_counts(section: TrendSection) -> list[int]:
    """Every count the section publishes (for checking that none is small)."""
    counts = [c for c in section.respondents if c is not None]
    for table in section.tables:
        counts += [c for line in table.lines for c in line.counts if c is not None]
    return counts


__all__ = [
    "AUDIENCES",
    "DIFFER",
    "FELL",
    "ROSE",
    "SAME",
    "UNTESTED",
    "WAVES",
    "TrendLine",
    "TrendSection",
    "TrendTable",
    "section_counts",
    "section_from_dict",
    "section_to_dict",
    "trend_section",
]
