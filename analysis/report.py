"""The committee report model: what a council reads, with disclosure control built in.

:func:`build_report` turns an :class:`~analysis.aggregate.Aggregation` into
plain, JSON-ready data in which every count describing fewer people than
the threshold is already suppressed (with complementary suppression), and
every share or interval derived from a suppressed count is removed too.
Templates, charts, PDFs and CSVs render this model and never see raw
counts, so no output can leak what suppression hid.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from analysis.aggregate import Aggregation, BreakdownTable
from analysis.stats import wilson_interval
from analysis.suppression import (
    DEFAULT_THRESHOLD,
    is_suppressed,
    suppress_small_cells,
    suppress_small_counts,
)

SUPPRESSED = None
"""How a suppressed count appears in the report model (rendered as "fewer than N")."""


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
    """One theme's place in the findings: respondents, share with interval, quotes."""

    key: str
    label: str
    respondents: int | None
    share: float | None
    low: float | None
    high: float | None
    survey_respondents: int | None = None
    focus_group_respondents: int | None = None
    sentiment_mean: float | None = None
    sentiment_n: int = 0
    quotes: tuple[Quote, ...] = ()
    label_fallback: bool = False
    """True when the theme has no label in the report's language (``label`` is the English one)."""


@dataclass(frozen=True)
class ReportTable:
    """A theme x subgroup table of respondent counts after suppression."""

    attribute: str
    title: str
    groups: tuple[str, ...]
    group_totals: tuple[int | None, ...]
    rows: tuple[tuple[str, tuple[int | None, ...]], ...]


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
    """Responses per week (``2026-W03``), small weeks suppressed."""
    title_fallback: bool = False
    """True when ``title`` is the English title: none was given in the report's language."""


def _shown(value) -> int | None:
    return SUPPRESSED if is_suppressed(value) else int(value)


def _findings(aggregation: Aggregation, labels, threshold, quotes, untranslated) -> list:
    counts = [p.respondents for p in aggregation.prevalence]
    hidden = suppress_small_counts(counts, aggregation.respondents, threshold, adds_up=False)
    by_source = aggregation.by_source
    sentiment = {s.theme: s for s in aggregation.sentiment}
    findings = []
    for prevalence, shown in zip(aggregation.prevalence, hidden.counts, strict=True):
        count = _shown(shown)
        total = _shown(hidden.total)
        share = low = high = None
        if count is not None and total:
            share = count / total
            low, high = wilson_interval(count, total)
        mood = sentiment.get(prevalence.theme)
        keep_mood = mood is not None and mood.mean is not None and mood.n >= threshold
        findings.append(
            ThemeFinding(
                key=prevalence.theme,
                label=labels(prevalence.theme),
                respondents=count,
                share=share,
                low=low,
                high=high,
                survey_respondents=_source_count(by_source, prevalence.theme, "survey", threshold),
                focus_group_respondents=_source_count(
                    by_source, prevalence.theme, "focus_group", threshold
                ),
                sentiment_mean=mood.mean if keep_mood else None,
                sentiment_n=mood.n if keep_mood else 0,
                quotes=tuple(Quote.of(q) for q in quotes.get(prevalence.theme, ())),
                label_fallback=prevalence.theme in untranslated,
            )
        )
    ranked = sorted(findings, key=lambda f: (f.respondents is None, -(f.respondents or 0)))
    return ranked


def _source_count(table: BreakdownTable, theme: str, source: str, threshold: int):
    if source not in table.groups:
        return 0
    value = table.count(theme, source)
    return value if value == 0 or value >= threshold else SUPPRESSED


def suppressed_table(
    table: BreakdownTable, title: str, labels, group_label, threshold: int
) -> ReportTable:
    """A breakdown table with small cells (and what would reveal them) hidden."""
    hidden = suppress_small_cells(table.as_count_table(), threshold)
    return ReportTable(
        attribute=table.attribute,
        title=title,
        groups=tuple(group_label(table.attribute, g) for g in table.groups),
        group_totals=tuple(_shown(v) for v in hidden.column_totals),
        rows=tuple(
            (labels(theme), tuple(_shown(v) for v in row))
            for theme, row in zip(table.themes, hidden.cells, strict=True)
        ),
    )


def build_report(
    aggregation: Aggregation,
    *,
    title: str,
    language: str,
    period: tuple[str, str],
    theme_label: Callable[[str], str],
    untranslated_themes: Collection[str] = (),
    group_label: Callable[[str, str], str],
    table_titles: Mapping[str, str],
    threshold: int = DEFAULT_THRESHOLD,
    quotes: Mapping[str, Sequence[Quote | str]] | None = None,
    methods: Mapping[str, object] | None = None,
    timeline: Sequence[tuple[str, int]] = (),
    title_fallback: bool = False,
) -> Report:
    """The committee report of ``aggregation`` with every small count suppressed.

    ``table_titles`` maps each breakdown attribute (and ``"language"``,
    ``"source"``) to its table title; only those attributes are included.
    ``untranslated_themes`` are the keys whose ``theme_label`` is a fallback
    (another language's label): their findings say so.
    Sentiment is reported for a theme only when at least ``threshold``
    texts were scored.
    """
    findings = _findings(
        aggregation, theme_label, threshold, quotes or {}, frozenset(untranslated_themes)
    )
    tables = [
        suppressed_table(table, table_titles[name], theme_label, group_label, threshold)
        for name, table in (
            *aggregation.breakdowns.items(),
            ("language", aggregation.by_language),
            ("source", aggregation.by_source),
        )
        if name in table_titles
    ]
    languages = suppress_small_counts(
        list(aggregation.by_language.group_totals.values()),
        aggregation.respondents,
        threshold,
    )
    total = _shown(languages.total)
    return Report(
        title=title,
        language=language,
        respondents=total,
        period=period,
        languages=tuple(
            (group_label("language", g), _shown(c))
            for g, c in zip(aggregation.by_language.group_totals, languages.counts, strict=True)
        ),
        findings=tuple(findings),
        tables=tuple(tables),
        threshold=threshold,
        methods=dict(methods or {}),
        timeline=_suppressed_timeline(timeline, threshold),
        title_fallback=title_fallback,
    )


def _suppressed_timeline(timeline: Sequence[tuple[str, int]], threshold: int):
    if not timeline:
        return ()
    hidden = suppress_small_counts([c for _, c in timeline], sum(c for _, c in timeline), threshold)
    return tuple((label, _shown(c)) for (label, _), c in zip(timeline, hidden.counts, strict=True))


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
        findings=tuple(
            ThemeFinding(**{**f, "quotes": tuple(Quote.of(q) for q in f.get("quotes", ()))})
            for f in data["findings"]
        ),
        tables=tuple(
            ReportTable(
                attribute=t["attribute"],
                title=t["title"],
                groups=tuple(t["groups"]),
                group_totals=tuple(t["group_totals"]),
                rows=tuple((label, tuple(cells)) for label, cells in t["rows"]),
            )
            for t in data["tables"]
        ),
        threshold=data["threshold"],
        methods=data.get("methods", {}),
        timeline=tuple(tuple(pair) for pair in data.get("timeline", ())),
        title_fallback=data.get("title_fallback", False),
    )


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
            )
            if c is not None
        ]
    for table in report.tables:
        counts += [c for c in table.group_totals if c is not None]
        counts += [c for _, cells in table.rows for c in cells if c is not None]
    return counts
