"""Theme prevalence and theme × subgroup tables from coded text units.

Counts are of *respondents*, not units: a person who mentions housing in
three answers counts once for housing. The denominator of every share is
the number of respondents in the group, including those who wrote nothing
(so pass every respondent, not only those with coded text).

Respondents are columns (:class:`RespondentColumns`) with, for each person,
the frozenset of themes they raised; units are tallied as they come
(:class:`UnitTally`). Each table is then one ``Counter`` over (group, themes
raised) pairs, expanded per distinct pair: the work per person is done in C,
and 100,000 respondents aggregate in about a tenth of a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import NamedTuple

from analysis.disclosure import CountCube, Shape, count_cube
from analysis.records import SOURCE_SURVEY, TextUnit, UnitRef
from analysis.sentiment import NEGATIVE, POSITIVE, sentiment_label
from analysis.stats import Z_95, Proportion, proportion_with_interval

NOT_STATED = "_not_stated"
"""Group key for respondents who gave no value for a breakdown attribute."""

LANGUAGE = "language"
SOURCE = "source"

NO_THEMES: frozenset[str] = frozenset()
"""What a respondent who raised no theme raised (one shared object)."""


def choice_key(question: str, choice: str) -> str:
    """The theme-like key of the count of respondents who ticked ``choice`` of a
    select-multiple ``question`` (waves and core indicators count them as themes).

    Codebook theme keys never hold a colon, so the two cannot collide.
    """
    return f"{question}:{choice}"


class Respondent(NamedTuple):
    """One person who took part: a survey response or a focus-group participant.

    A named tuple rather than a dataclass: summaries build 100,000 of them.
    """

    respondent_id: str
    source: str = SOURCE_SURVEY
    language: str = ""
    attributes: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ThemePrevalence:
    """How often a theme came up: units, distinct respondents, and the share of respondents."""

    theme: str
    units: int
    respondents: int
    share: Proportion


@dataclass(frozen=True, slots=True)
class BreakdownTable:
    """Respondents raising each theme (rows) in each group of one attribute (columns).

    ``group_totals`` are the respondents in each group (the denominators);
    ``theme_totals`` the respondents raising each theme over all groups.
    Every respondent is in exactly one group (``NOT_STATED`` when the value
    is missing), so rows add up to ``theme_totals`` and ``group_totals`` add
    up to ``total``; columns do not add up (one person can raise several themes).
    """

    attribute: str
    themes: tuple[str, ...]
    groups: tuple[str, ...]
    counts: Mapping[str, Mapping[str, int]]
    group_totals: Mapping[str, int]
    theme_totals: Mapping[str, int]
    total: int

    def count(self, theme: str, group: str) -> int:
        """Respondents in ``group`` who raised ``theme``."""
        return self.counts.get(theme, {}).get(group, 0)

    def share(self, theme: str, group: str, z: float = Z_95) -> Proportion:
        """Share of ``group`` that raised ``theme``, with its Wilson interval."""
        return proportion_with_interval(
            self.count(theme, group), self.group_totals.get(group, 0), z
        )


@dataclass(frozen=True, slots=True)
class ThemeSentiment:
    """Mean polarity of the units coded to a theme that had a sentiment score."""

    theme: str
    n: int
    mean: float | None
    share_negative: float | None
    share_positive: float | None


@dataclass(frozen=True, slots=True)
class Aggregation:
    """Everything a summary needs about themes across respondents."""

    respondents: int
    units: int
    prevalence: tuple[ThemePrevalence, ...]
    breakdowns: Mapping[str, BreakdownTable]
    by_language: BreakdownTable
    by_source: BreakdownTable
    sentiment: tuple[ThemeSentiment, ...]
    moods: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Respondents per theme and mood: how each person's scored texts on the theme read."""


@dataclass(frozen=True, slots=True)
class RespondentColumns:
    """Respondents as parallel columns, one entry per person, in a stable order.

    ``raised`` holds the themes each person raised, as a frozenset (empty for
    none). People who raised the same themes may share one frozenset, and
    people with the same answers one attributes mapping: large summaries
    then count combinations instead of people.
    """

    sources: Sequence[str]
    languages: Sequence[str]
    attributes: Sequence[Mapping[str, str]]
    raised: Sequence[frozenset[str]]

    def __add__(self, other: RespondentColumns) -> RespondentColumns:
        return RespondentColumns(
            [*self.sources, *other.sources],
            [*self.languages, *other.languages],
            [*self.attributes, *other.attributes],
            [*self.raised, *other.raised],
        )


@dataclass
class UnitTally:
    """What the text units add up to: how many, how many per theme, and sentiment per theme."""

    count: int = 0
    per_theme: Counter = field(default_factory=Counter)
    sentiment_sum: Counter = field(default_factory=Counter)
    sentiment_n: Counter = field(default_factory=Counter)
    negative: Counter = field(default_factory=Counter)
    positive: Counter = field(default_factory=Counter)

    def add_units(self, themes: Iterable[str], count: int = 1) -> None:
        """Count ``count`` units that each carry ``themes`` (duplicates count once)."""
        self.count += count
        for theme in set(themes):
            self.per_theme[theme] += count

    def add_sentiment(self, themes: Iterable[str], polarity: float) -> None:
        """Add one scored unit's polarity to each of its themes (in unit order, for exact sums)."""
        label = sentiment_label(polarity)
        for theme in set(themes):
            self.sentiment_sum[theme] += polarity
            self.sentiment_n[theme] += 1
            if label == NEGATIVE:
                self.negative[theme] += 1
            elif label == POSITIVE:
                self.positive[theme] += 1

    def theme_sentiment(self, theme: str) -> ThemeSentiment:
        """Mean polarity and shares negative and positive of the theme's scored units."""
        n = self.sentiment_n[theme]
        if n == 0:
            return ThemeSentiment(theme, 0, None, None, None)
        return ThemeSentiment(
            theme,
            n,
            self.sentiment_sum[theme] / n,
            self.negative[theme] / n,
            self.positive[theme] / n,
        )


class RespondentMoods:
    """How each respondent's scored texts on each theme read, on the whole, counted per theme.

    A respondent's mood on a theme is the label of the mean polarity of
    their scored units carrying it (:func:`analysis.sentiment.sentiment_label`),
    so every person counts once per theme, like every other count of a report.
    """

    def __init__(self) -> None:
        self._sums: dict[tuple[object, str], list[float]] = {}

    def add(self, respondent: object, themes: Iterable[str], polarity: float) -> None:
        """Add one scored unit of ``respondent`` carrying ``themes``."""
        for theme in set(themes):
            total = self._sums.setdefault((respondent, theme), [0.0, 0])
            total[0] += polarity
            total[1] += 1

    def counts(self) -> dict[str, dict[str, int]]:
        """``{theme: {mood: respondents}}``."""
        found: dict[str, dict[str, int]] = {}
        for (_respondent, theme), (total, n) in self._sums.items():
            mood = sentiment_label(total / n)
            row = found.setdefault(theme, {})
            row[mood] = row.get(mood, 0) + 1
        return found


def aggregate(
    coded_units: Iterable[tuple[TextUnit | UnitRef, Sequence[str]]],
    respondents: Mapping[str, Respondent],
    breakdowns: Sequence[str] = (),
    sentiments: Mapping[str, float | None] | None = None,
    themes: Sequence[str] | None = None,
    z: float = Z_95,
) -> Aggregation:
    """Aggregate ``(unit, theme keys)`` pairs over all ``respondents``.

    ``breakdowns`` names the respondent attributes to cross with themes;
    language and source are always broken down. ``sentiments`` maps unit
    ids to polarity (``None`` = not available, skipped). ``themes`` fixes
    the row order and includes themes nobody raised; by default themes are
    ordered by respondents, most first. Raises ``ValueError`` for a unit
    whose respondent is not in ``respondents``.
    """
    units = UnitTally()
    moods = RespondentMoods()
    raised: dict[str, set[str]] = {}
    sentiments = sentiments or {}
    for unit, unit_themes in coded_units:
        if unit.respondent_id not in respondents:
            raise ValueError(
                f"unit {unit.unit_id!r} belongs to unknown respondent {unit.respondent_id!r}"
            )
        distinct = set(unit_themes)
        units.add_units(distinct)
        if distinct:
            raised.setdefault(unit.respondent_id, set()).update(distinct)
            polarity = sentiments.get(unit.unit_id)
            if polarity is not None:
                units.add_sentiment(distinct, polarity)
                moods.add(unit.respondent_id, distinct, polarity)
    found = aggregate_columns(respondent_columns(respondents, raised), units, breakdowns, themes, z)
    return replace(found, moods=moods.counts())


def respondent_columns(
    respondents: Mapping[str, Respondent], raised: Mapping[str, Iterable[str]]
) -> RespondentColumns:
    """Columns of ``respondents`` (in their order), with the themes each raised."""
    people = list(respondents.items())
    return RespondentColumns(
        sources=[p.source for _, p in people],
        languages=[p.language for _, p in people],
        attributes=[p.attributes for _, p in people],
        raised=[frozenset(raised[rid]) if rid in raised else NO_THEMES for rid, _ in people],
    )


def aggregate_columns(
    people: RespondentColumns,
    units: UnitTally,
    breakdowns: Sequence[str] = (),
    themes: Sequence[str] | None = None,
    z: float = Z_95,
) -> Aggregation:
    """:func:`aggregate` over respondents as columns and units already tallied.

    The fast path for large summaries: each table counts the distinct
    (group, themes raised) combinations, so the work per person is done by
    ``Counter`` rather than Python code.
    """
    per_theme = _respondents_per_theme(people.raised)
    order = _theme_order(per_theme, units.per_theme, themes)
    total = len(people.raised)
    prevalence = tuple(
        ThemePrevalence(
            t, units.per_theme[t], per_theme[t], proportion_with_interval(per_theme[t], total, z)
        )
        for t in order
    )
    return Aggregation(
        respondents=total,
        units=units.count,
        prevalence=prevalence,
        breakdowns={
            name: _breakdown(name, _attribute_groups(people.attributes, name), people, order)
            for name in breakdowns
        },
        by_language=_breakdown(LANGUAGE, _groups(people.languages), people, order),
        by_source=_breakdown(SOURCE, _groups(people.sources), people, order),
        sentiment=tuple(units.theme_sentiment(t) for t in order),
    )


def respondents_from_units(units: Iterable[TextUnit]) -> dict[str, Respondent]:
    """Build respondents from their units (first unit wins); misses people who wrote nothing."""
    found: dict[str, Respondent] = {}
    for unit in units:
        if unit.respondent_id not in found:
            found[unit.respondent_id] = Respondent(
                unit.respondent_id, unit.source, unit.language, dict(unit.attributes)
            )
    return found


def _respondents_per_theme(raised: Sequence[frozenset[str]]) -> Counter:
    per_theme: Counter = Counter()
    for themes, people in Counter(raised).items():
        for theme in themes:
            per_theme[theme] += people
    return per_theme


def _theme_order(
    per_theme: Mapping[str, int], units: Mapping[str, int], themes: Sequence[str] | None
) -> tuple[str, ...]:
    if themes is None:
        return tuple(sorted(per_theme, key=lambda t: (-per_theme[t], -units.get(t, 0), t)))
    extra = sorted(set(per_theme) - set(themes))
    return tuple(dict.fromkeys(themes)) + tuple(extra)


def _groups(values: Sequence[str]) -> list[str]:
    return [value or NOT_STATED for value in values]


def _attribute_groups(attributes: Sequence[Mapping[str, str]], name: str) -> list[str]:
    return [answers.get(name) or NOT_STATED for answers in attributes]


def _breakdown(
    attribute: str, groups: Sequence[str], people: RespondentColumns, order: tuple[str, ...]
) -> BreakdownTable:
    """Respondents per theme and group, from each distinct (group, themes raised) count."""
    group_totals = Counter(groups)  # groups in the order people first appear
    counts: dict[str, dict[str, int]] = {t: {} for t in order}
    for (group, raised), people_count in Counter(zip(groups, people.raised, strict=True)).items():
        for theme in raised:
            row = counts[theme]
            row[group] = row.get(group, 0) + people_count
    return BreakdownTable(
        attribute=attribute,
        themes=order,
        groups=tuple(sorted(group_totals, key=lambda g: (g == NOT_STATED, g))),
        counts=counts,
        group_totals=dict(group_totals),
        theme_totals={t: sum(counts[t].values()) for t in order},
        total=len(groups),
    )


def count_cube_of(
    aggregation: Aggregation,
    shape: Shape,
    group_sizes: Mapping[str, Mapping[str, int]] | None = None,
) -> CountCube:
    """The counts of ``aggregation`` in ``shape``, whose groups are fixed in advance.

    The shape lists every group a publication shows whoever answered (all
    choices of a question, every language offered, every month of the
    period): a value found in the data but not listed counts in the
    dimension's ``NOT_STATED`` group. Themes not in the shape are left out.
    ``group_sizes`` gives the sizes of dimensions that are not breakdowns
    of the aggregation (respondents per month).
    """
    tables = {LANGUAGE: aggregation.by_language, SOURCE: aggregation.by_source}
    tables.update(aggregation.breakdowns)
    sizes: dict[str, dict[str, int]] = {k: dict(v) for k, v in (group_sizes or {}).items()}
    cells: dict[str, dict[str, dict[str, int]]] = {}
    for dimension in shape.dimensions:
        table = tables.get(dimension.name)
        if table is None:
            continue
        listed = set(dimension.groups)
        place = {g: g if g in listed else NOT_STATED for g in table.groups}
        sizes[dimension.name] = _folded(
            {g: table.group_totals.get(g, 0) for g in table.groups}, place
        )
        cells[dimension.name] = {
            t: _folded({g: table.count(t, g) for g in table.groups}, place) for t in shape.themes
        }
    totals = {p.theme: p.respondents for p in aggregation.prevalence}
    return count_cube(shape, aggregation.respondents, totals, sizes, cells, aggregation.moods)


def _folded(values: Mapping[str, int], place: Mapping[str, str]) -> dict[str, int]:
    folded: dict[str, int] = {}
    for group, value in values.items():
        folded[place[group]] = folded.get(place[group], 0) + value
    return folded
