"""Waves of one study: the same indicators measured again, compared over time from protected counts.

A partnership repeats its needs assessment every few years. Each repetition
(a survey, or one version of a survey) is a **wave**; the questions both
waves ask are its **indicators**, under the name they have in the first
wave (a question renamed later is mapped to it). For every wave this module
builds one :class:`~analysis.disclosure.CountCube`:

- ``("total",)``: respondents of the wave;
- ``("theme", t)``: respondents who raised codebook theme ``t``;
- ``("theme", "q:c")``: respondents who ticked choice ``c`` of the
  select-multiple question ``q`` (:func:`choice_key`);
- ``("group", q, c)``: respondents who chose ``c`` of the select-one
  question ``q`` (every choice listed, and ``NOT_STATED``), a dimension
  without theme cells.

The caller protects each cube with :func:`analysis.disclosure.protect`
(rounded at random to multiples of the threshold, audited with the
partnership's earlier publications), and :func:`compare` computes every
figure of the trend from the protected counts only: each share with its 95%
Wilson interval, a test of change between consecutive waves, and a test
over all waves. Nothing here reads a true count, so the trend is as safe
as the counts.

**The tests.** Between two waves, the two-proportion z test with a pooled
variance, computed as Pearson's chi-square on the 2 × 2 table without
continuity correction (``scipy.stats.chi2_contingency``; ``z² = χ²``, the
sign from the direction of change). Over all waves, Pearson's chi-square
test of homogeneity on the waves × (chose, did not) table, and for a
select-one question on the waves × choices table (choices nobody in any
wave is published as choosing are left out). Counts are the rounded ones:
the tests do not include the rounding error, and a count published as
"fewer than the base" enters as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analysis.aggregate import NOT_STATED, choice_key
from analysis.disclosure import (
    TOTAL,
    CountCube,
    Dimension,
    ProtectedCounts,
    Shape,
    Share,
    group_id,
    share_of,
    theme_id,
)

SINGLE, MULTIPLE = "single", "multiple"
"""Indicator kinds: a select-one question (one choice each) or a select-multiple one."""

THEME = "theme"
"""The kind of a codebook theme's trend row."""

SIGNIFICANCE = 0.05
"""A change is called significant when its test's p-value is below this."""


@dataclass(frozen=True, slots=True)
class Indicator:
    """A choice question asked in the waves, under its name in the first wave."""

    question: str
    kind: str
    choices: tuple[str, ...]


def wave_shape(themes: Sequence[str], indicators: Sequence[Indicator]) -> Shape:
    """The shape of one wave's counts (the same for every wave asking the same indicators).

    Codebook themes and select-multiple choices are themes; each select-one
    question is a dimension without theme cells. No moods.
    """
    keys = list(themes)
    dimensions = []
    for indicator in indicators:
        if indicator.kind == MULTIPLE:
            keys += [choice_key(indicator.question, c) for c in indicator.choices]
        else:
            dimensions.append(
                Dimension(indicator.question, (*indicator.choices, NOT_STATED), themed=False)
            )
    return Shape(tuple(keys), tuple(dimensions), moods=())


def wave_cube(
    shape: Shape,
    total: int,
    theme_counts: Mapping[str, int],
    answer_counts: Mapping[str, Mapping[str, int]],
) -> CountCube:
    """The true counts of one wave in ``shape``.

    ``theme_counts``: respondents per codebook theme. ``answer_counts[q][c]``:
    respondents who chose (or ticked) ``c`` of question ``q``. A select-one
    answer that is not a listed choice, and every respondent who did not
    answer, counts in ``NOT_STATED``; a select-multiple choice not listed
    is left out.
    """
    counts: dict = {TOTAL: total}
    for key in shape.themes:
        question, _, choice = key.partition(":")
        if choice:
            counts[theme_id(key)] = answer_counts.get(question, {}).get(choice, 0)
        else:
            counts[theme_id(key)] = theme_counts.get(key, 0)
    for dimension in shape.dimensions:
        answers = answer_counts.get(dimension.name, {})
        stated = 0
        for group in dimension.groups[:-1]:
            counts[group_id(dimension.name, group)] = answers.get(group, 0)
            stated += answers.get(group, 0)
        counts[group_id(dimension.name, NOT_STATED)] = total - stated
    return CountCube(shape, counts)


@dataclass(frozen=True, slots=True)
class Change:
    """A test of change between two waves (or across all of them).

    ``statistic`` is z for two waves (positive: the share rose) and
    chi-square across several; ``p_value`` is two-sided.
    """

    test: str
    statistic: float
    p_value: float
    degrees_of_freedom: int

    @property
    def significant(self) -> bool:
        """True when ``p_value`` is below :data:`SIGNIFICANCE`."""
        return self.p_value < SIGNIFICANCE


Z_TEST, CHI_SQUARE = "two_proportion_z", "chi_square"
"""The names of the tests, as :attr:`Change.test`."""


@dataclass(frozen=True, slots=True)
class Point:
    """One wave of a trend row: the published count and whole, and the share.

    ``count`` is ``None`` when hidden or when the wave does not ask the
    question; 0 means "fewer than the base". ``share`` is ``None`` whenever
    it cannot be told (see :func:`analysis.disclosure.share_of`).
    ``change`` tests this wave against the previous one.
    """

    count: int | None
    whole: int | None
    share: Share | None
    change: Change | None = None


@dataclass(frozen=True, slots=True)
class TrendRow:
    """One indicator choice or theme over the waves, with the test over all waves."""

    kind: str
    question: str
    choice: str
    points: tuple[Point, ...]
    overall: Change | None


@dataclass(frozen=True, slots=True)
class QuestionTest:
    """The chi-square test of a select-one question's whole distribution across the waves."""

    question: str
    change: Change | None


@dataclass(frozen=True)
class Trend:
    """Every theme and indicator of a study over its waves, from protected counts."""

    respondents: tuple[int | None, ...]
    rows: tuple[TrendRow, ...]
    questions: tuple[QuestionTest, ...]
    base: int


def compare(
    waves: Sequence[ProtectedCounts | None],
    themes: Sequence[str],
    indicators: Sequence[Indicator],
    asked: Sequence[frozenset[str]] | None = None,
) -> Trend:
    """The trend of ``themes`` and ``indicators`` over ``waves`` (in order), from their counts.

    ``waves[i]`` is the protected counts of wave ``i`` (``None`` when it
    could not be published: too few people). ``asked[i]`` names the
    indicators wave ``i`` asks (all of them when not given); the others
    have no point in that wave. Shares are of every respondent of the wave.
    """
    asked = asked or [frozenset(i.question for i in indicators)] * len(waves)
    base = next((w.base for w in waves if w is not None), 0)
    rows = [_row(THEME, "", t, waves, theme_id(t), [True] * len(waves)) for t in themes]
    tests = []
    for indicator in indicators:
        present = [indicator.question in a for a in asked]
        for choice in indicator.choices:
            cell = (
                group_id(indicator.question, choice)
                if indicator.kind == SINGLE
                else theme_id(choice_key(indicator.question, choice))
            )
            rows.append(_row(indicator.kind, indicator.question, choice, waves, cell, present))
        if indicator.kind == SINGLE:
            tests.append(
                QuestionTest(indicator.question, _question_test(indicator, waves, present))
            )
    respondents = tuple(w.total if w is not None else None for w in waves)
    return Trend(respondents, tuple(rows), tuple(tests), base)


def _row(kind, question, choice, waves, cell, present) -> TrendRow:
    points: list[Point] = []
    pairs: list[tuple[int, int]] = []
    for i, counts in enumerate(waves):
        if counts is None or not present[i]:
            points.append(Point(None, None, None))
            continue
        count, whole = counts.value(cell), counts.total
        change = None
        previous = points[-1] if points else None
        if (
            previous is not None
            and _testable(previous.count, previous.whole)
            and _testable(count, whole)
        ):
            change = two_proportion_test(previous.count, previous.whole, count, whole)
        points.append(Point(count, whole, share_of(count, whole, counts.base), change))
        if _testable(count, whole):
            pairs.append((min(count, whole), whole))
    overall = homogeneity_test([[x, n - x] for x, n in pairs]) if len(pairs) > 2 else None
    if len(pairs) == 2:
        (x1, n1), (x2, n2) = pairs
        overall = two_proportion_test(x1, n1, x2, n2)
    return TrendRow(kind, question, choice, tuple(points), overall)


def _testable(count: int | None, whole: int | None) -> bool:
    return count is not None and whole is not None and whole > 0


def _question_test(indicator: Indicator, waves, present) -> Change | None:
    table = []
    for i, counts in enumerate(waves):
        if counts is None or not present[i]:
            continue
        row = [counts.group(indicator.question, c) for c in indicator.choices]
        if any(v is None for v in row):
            return None
        table.append(row)
    return homogeneity_test(table) if len(table) >= 2 else None


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> Change | None:
    """The pooled two-proportion z test of ``x1/n1`` against ``x2/n2`` (two-sided).

    Computed as Pearson's chi-square on the 2 × 2 table without continuity
    correction (``z² = χ²``); z is positive when the second share is
    higher. ``None`` when the table has an empty row or column (every
    share 0 or every share 1: there is nothing to test). Parts above their
    whole (possible with rounded counts) are capped.
    """
    x1, x2 = min(x1, n1), min(x2, n2)
    found = _chi_square([[x1, n1 - x1], [x2, n2 - x2]])
    if found is None:
        return None
    statistic, p_value, dof = found
    sign = 1.0 if x2 * n1 >= x1 * n2 else -1.0
    return Change(Z_TEST, sign * statistic**0.5, p_value, dof)


def homogeneity_test(table: Sequence[Sequence[int]]) -> Change | None:
    """Pearson's chi-square test that every row of ``table`` has the same distribution.

    Columns that are 0 in every row are dropped; ``None`` when fewer than
    two rows or two columns are left.
    """
    found = _chi_square(table)
    if found is None:
        return None
    statistic, p_value, dof = found
    return Change(CHI_SQUARE, statistic, p_value, dof)


def _chi_square(table: Sequence[Sequence[int]]):
    from scipy.stats import chi2_contingency

    rows = [list(r) for r in table if sum(r) > 0]
    if len(rows) < 2:
        return None
    columns = [j for j in range(len(rows[0])) if any(r[j] for r in rows)]
    if len(columns) < 2:
        return None
    observed = [[r[j] for j in columns] for r in rows]
    result = chi2_contingency(observed, correction=False)
    return float(result.statistic), float(result.pvalue), int(result.dof)


__all__ = [
    "CHI_SQUARE",
    "MULTIPLE",
    "SINGLE",
    "THEME",
    "Z_TEST",
    "Change",
    "Indicator",
    "Point",
    "QuestionTest",
    "Trend",
    "TrendRow",
    "choice_key",
    "compare",
    "homogeneity_test",
    "two_proportion_test",
    "wave_cube",
    "wave_shape",
]
