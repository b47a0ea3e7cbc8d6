"""The committee report model: what a council reads, made from protected counts only.

:func:`build_report` takes a publication's :class:`~analysis.disclosure.ProtectedCounts`
(every count rounded at random to a multiple of the base, audited, rarely
hidden) and lays them out as findings, tables, a timeline, sentiment and
quotes. Every share and interval is computed from the published counts
(:func:`analysis.disclosure.share_of`), never from raw data, so no number
of a report can tell more than the counts it is made from. Templates,
charts, PDFs and CSVs render this model.

How a count reads: an ``int`` (a multiple of ``base``; ``0`` means fewer
than ``base``, possibly none), or ``None``: hidden to protect a small group.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from analysis.aggregate import LANGUAGE, SOURCE
from analysis.disclosure import (
    TOTAL,
    ProtectedCounts,
    Share,
    cell_id,
    mood_id,
    share_of,
    theme_id,
)
from analysis.records import SOURCE_FOCUS_GROUP, SOURCE_SURVEY
from analysis.trend_report import TrendSection, section_counts, section_from_dict

MONTH = "month"
"""The dimension of respondents per month (survey responses by date, focus groups by session)."""


@dataclass(frozen=True)
class Quote:
    """An approved quote in the language it was written in, and its translation (if
    any) in its own: each is shown in its own direction, never run together."""

    text: str
    language: str = ""
    translation: str | None = None
    translation_language: str | None = None

    @classmethod
    def of(cls, value) -> Quote:
        """A quote from a :class:`Quote`, its dict (a snapshot) or plain text (older
        snapshots, where a translation was run into the text)."""
        if isinstance(value, Quote):
            return value
        if isinstance(value, Mapping):
            return cls(**value)
        return cls(str(value))


@dataclass(frozen=True)
class ThemeFinding:
    """One theme's place in the findings: respondents, share with interval, sentiment, quotes."""

    key: str
    label: str
    respondents: int | None
    share: float | None
    low: float | None
    high: float | None
    survey_respondents: int | None = None
    focus_group_respondents: int | None = None
    moods: tuple[int | None, ...] = ()
    """Respondents whose texts on the theme read negative, neutral, positive (see ``MOODS``)."""
    mood_shares: tuple[float, ...] = ()
    """The share of each mood among the scored respondents (empty when too few to tell)."""
    quotes: tuple[Quote, ...] = ()
    label_fallback: bool = False
    """True when the theme has no label in the report's language (``label`` is the English one)."""


@dataclass(frozen=True)
class ReportTable:
    """A theme x subgroup table of respondents, as published."""

    attribute: str
    title: str
    groups: tuple[str, ...]
    group_totals: tuple[int | None, ...]
    rows: tuple[tuple[str, tuple[int | None, ...]], ...]
    theme_keys: tuple[str, ...] = ()
    """The codebook key of each row."""
    group_keys: tuple[str, ...] = ()
    """The key of each group: a language code, a choice name."""


@dataclass(frozen=True)
class Report:
    """Everything a committee view, PDF or CSV shows."""

    title: str
    language: str
    respondents: int | None
    period: tuple[str, str]
    languages: tuple[tuple[str, int | None], ...]
    findings: tuple[ThemeFinding, ...]
    tables: tuple[ReportTable, ...]
    threshold: int
    methods: Mapping[str, object] = field(default_factory=dict)
    timeline: tuple[tuple[str, int | None], ...] = ()
    """Respondents per month (labelled, e.g. "Mar 2026"), as published."""
    base: int = 0
    """Counts are multiples of it (0 in summaries published before rounding)."""
    hidden: bool = False
    """True when any count is hidden to protect a small group."""
    title_fallback: bool = False
    """True when ``title`` is the English title: none was given in the report's language."""
    comparisons: tuple[TrendSection, ...] = ()
    """Waves or audiences compared (:mod:`analysis.trend_report`), each from its own
    protected counts."""


def build_report(
    counts: ProtectedCounts,
    *,
    title: str,
    language: str,
    period: tuple[str, str],
    theme_label: Callable[[str], str],
    untranslated_themes: Collection[str] = (),
    group_label: Callable[[str, str], str],
    table_titles: Mapping[str, str],
    quotes: Mapping[str, Sequence[Quote | str]] | None = None,
    methods: Mapping[str, object] | None = None,
    title_fallback: bool = False,
    comparisons: Sequence[TrendSection] = (),
) -> Report:
    """The committee report of ``counts``.

    ``table_titles`` maps each themed dimension to show (breakdown
    questions, ``"language"``, ``"source"``) to its title. ``quotes`` are
    printed only under themes whose count is shown (at least the base).
    ``untranslated_themes`` are the keys whose ``theme_label`` is a fallback.
    """
    shape = counts.shape
    language_groups = _groups(counts, LANGUAGE)
    return Report(
        title=title,
        language=language,
        respondents=counts.total,
        period=period,
        languages=tuple(
            (group_label(LANGUAGE, g), counts.group(LANGUAGE, g)) for g in language_groups
        ),
        findings=tuple(
            _findings(counts, theme_label, quotes or {}, frozenset(untranslated_themes))
        ),
        tables=tuple(
            _table(counts, d.name, table_titles[d.name], theme_label, group_label)
            for d in shape.dimensions
            if d.themed and d.name in table_titles
        ),
        threshold=counts.threshold,
        methods=dict(methods or {}),
        timeline=tuple(
            (group_label(MONTH, g), counts.group(MONTH, g)) for g in _groups(counts, MONTH)
        ),
        base=counts.base,
        hidden=any(v is None for v in counts.values.values()),
        title_fallback=title_fallback,
        comparisons=tuple(comparisons),
    )


def _groups(counts: ProtectedCounts, name: str) -> tuple[str, ...]:
    try:
        return counts.shape.dimension(name).groups
    except KeyError:
        return ()


def _findings(counts: ProtectedCounts, labels, quotes, untranslated) -> list[ThemeFinding]:
    order = {t: k for k, t in enumerate(counts.shape.themes)}
    findings = [_finding(counts, t, labels, quotes, untranslated) for t in counts.shape.themes]
    # Ranked by published counts only; ties keep codebook order (never the true counts).
    return sorted(findings, key=lambda f: (-(f.respondents or 0), order[f.key]))


def _finding(counts: ProtectedCounts, theme: str, labels, quotes, untranslated) -> ThemeFinding:
    share = counts.share(theme_id(theme), TOTAL)
    moods = tuple(counts.value(mood_id(theme, m)) for m in counts.shape.moods)
    return ThemeFinding(
        key=theme,
        label=labels(theme),
        respondents=counts.theme(theme),
        share=share.value if share else None,
        low=share.low if share else None,
        high=share.high if share else None,
        survey_respondents=_source(counts, theme, SOURCE_SURVEY),
        focus_group_respondents=_source(counts, theme, SOURCE_FOCUS_GROUP),
        moods=moods,
        mood_shares=_mood_shares(moods, counts.base),
        quotes=tuple(Quote.of(q) for q in quotes.get(theme, ()))
        if counts.shown(theme_id(theme))
        else (),
        label_fallback=theme in untranslated,
    )


def _source(counts: ProtectedCounts, theme: str, source: str) -> int | None:
    cell = cell_id(theme, SOURCE, source)
    return counts.value(cell) if cell in counts.values else 0


def _mood_shares(moods: tuple[int | None, ...], base: int) -> tuple[float, ...]:
    """Each mood's share of the scored respondents, when at least one mood is shown."""
    if any(m is None for m in moods) or not any(m >= base for m in moods):
        return ()
    scored = sum(moods)
    return tuple(m / scored for m in moods)


def _table(counts: ProtectedCounts, name, title, theme_label, group_label) -> ReportTable:
    groups = counts.shape.dimension(name).groups
    return ReportTable(
        attribute=name,
        title=title,
        groups=tuple(group_label(name, g) for g in groups),
        group_totals=tuple(counts.group(name, g) for g in groups),
        rows=tuple(
            (theme_label(t), tuple(counts.cell(t, name, g) for g in groups))
            for t in counts.shape.themes
        ),
        theme_keys=counts.shape.themes,
        group_keys=groups,
    )


@dataclass(frozen=True)
class CompactTable:
    """A breakdown table as a reader sees it: rows and columns that hold nothing but
    numbers below the base (or hidden) are named in a sentence instead of drawn.

    Made from the published numbers alone, so it tells a reader nothing the
    full table would not.
    """

    table: ReportTable
    """The rows and columns that show at least one number (the group's size counts)."""
    few_groups: tuple[str, ...]
    """Labels of the groups left out: every number of their column is small or hidden."""
    few_themes: tuple[str, ...]
    """Labels of the themes left out: every number of their row (in kept columns) is."""
    small: int
    """How many numbers of the whole table (group sizes included) are small or hidden."""
    numbers: int
    """How many numbers the whole table has."""

    @property
    def empty(self) -> bool:
        """True when no column or no row is left to draw."""
        return not self.table.groups or not self.table.rows


def compact_table(table: ReportTable, base: int) -> CompactTable:
    """``table`` without its wholly small rows and columns (see :class:`CompactTable`).

    A number is small when it is hidden (``None``) or published below
    ``base`` (0 reads "fewer than 5"; with exact counts, ``base`` 0, only
    hidden numbers are small).
    """

    def small(value: int | None) -> bool:
        return value is None or value < base

    columns = range(len(table.groups))
    kept = [
        j
        for j in columns
        if not (small(table.group_totals[j]) and all(small(r[1][j]) for r in table.rows))
    ]
    rows = [
        i for i, (_label, cells) in enumerate(table.rows) if any(not small(cells[j]) for j in kept)
    ]
    values = [*table.group_totals, *(c for _label, cells in table.rows for c in cells)]
    return CompactTable(
        table=ReportTable(
            attribute=table.attribute,
            title=table.title,
            groups=tuple(table.groups[j] for j in kept),
            group_totals=tuple(table.group_totals[j] for j in kept),
            rows=tuple((table.rows[i][0], tuple(table.rows[i][1][j] for j in kept)) for i in rows),
            theme_keys=tuple(table.theme_keys[i] for i in rows) if table.theme_keys else (),
            group_keys=tuple(table.group_keys[j] for j in kept) if table.group_keys else (),
        ),
        few_groups=tuple(table.groups[j] for j in columns if j not in kept),
        few_themes=tuple(
            label for i, (label, _cells) in enumerate(table.rows) if i not in set(rows)
        ),
        small=sum(1 for v in values if small(v)),
        numbers=len(values),
    )


def table_share(table: ReportTable, row: int, column: int, base: int) -> Share | None:
    """The share of a group raising a row's theme, from the table's published counts."""
    return share_of(table.rows[row][1][column], table.group_totals[column], base)


def report_to_dict(report: Report) -> dict:
    """The report as JSON-ready data (for a published snapshot)."""
    return asdict(report)


def report_from_dict(data: Mapping) -> Report:
    """Rebuild a report from :func:`report_to_dict` output."""
    return Report(
        title=data["title"],
        language=data["language"],
        respondents=data["respondents"],
        period=tuple(data["period"]),
        languages=tuple(tuple(pair) for pair in data["languages"]),
        findings=tuple(_finding_from(f) for f in data["findings"]),
        tables=tuple(
            ReportTable(
                attribute=t["attribute"],
                title=t["title"],
                groups=tuple(t["groups"]),
                group_totals=tuple(t["group_totals"]),
                rows=tuple((label, tuple(cells)) for label, cells in t["rows"]),
                theme_keys=tuple(t.get("theme_keys", ())),
                group_keys=tuple(t.get("group_keys", ())),
            )
            for t in data["tables"]
        ),
        threshold=data["threshold"],
        methods=data.get("methods", {}),
        timeline=tuple(tuple(pair) for pair in data.get("timeline", ())),
        base=data.get("base", 0),
        hidden=data.get("hidden", False),
        title_fallback=data.get("title_fallback", False),
        comparisons=tuple(section_from_dict(c) for c in data.get("comparisons", ())),
    )


def _finding_from(data: Mapping) -> ThemeFinding:
    known = {k: v for k, v in data.items() if k in ThemeFinding.__dataclass_fields__}
    for name in ("moods", "mood_shares"):
        known[name] = tuple(known.get(name, ()))
    known["quotes"] = tuple(Quote.of(q) for q in known.get("quotes", ()))
    return ThemeFinding(**known)


def every_count(report: Report) -> list[int]:
    """Every count the report publishes (for checking that none is small)."""
    counts = [report.respondents] if report.respondents is not None else []
    counts += [c for _, c in report.timeline if c is not None]
    counts += [c for _, c in report.languages if c is not None]
    for finding in report.findings:
        counts += [
            c
            for c in (
                finding.respondents,
                finding.survey_respondents,
                finding.focus_group_respondents,
                *finding.moods,
            )
            if c is not None
        ]
    for table in report.tables:
        counts += [c for c in table.group_totals if c is not None]
        counts += [c for _, cells in table.rows for c in cells if c is not None]
    for section in report.comparisons:
        counts += section_counts(section)
    return counts
