"""Core indicators across partnerships: protected per partnership, side by side and pooled.

Each partnership that shares its core indicators with umbrella analysts
publishes one :class:`~analysis.disclosure.CountCube` of the bank questions
its surveys ask (:func:`indicator_shape`, :func:`indicator_cube`):

- ``("total",)``: respondents;
- ``("group", q, c)``: respondents who chose ``c`` of the select-one
  question ``q`` (every choice of the bank, and ``NOT_STATED``: did not
  answer, or their survey does not ask it), a dimension without theme cells;
- ``("theme", "q:c")``: respondents who ticked ``c`` of the select-multiple
  question ``q``.

The caller protects it with :func:`analysis.disclosure.protect`, audited
with the partnership's earlier publications. Everything an umbrella
analyst reads is then made from the protected counts alone
(:func:`indicator_table`):

- **side by side**: each partnership's published counts, and each share
  of its respondents with a 95% Wilson interval;
- **pooled**: the *sum of the published counts* of the partnerships
  (never a count of the pooled raw data). A pooled figure is therefore a
  function of figures already shown: subtracting the other partnerships'
  figures from it gives back exactly one partnership's published figure,
  nothing more, so pooling cannot be differenced against the side-by-side
  columns to reveal a small count. Sums of multiples of the base are
  multiples of the base, so no pooled figure is between 1 and
  ``base − 1`` either. A pooled figure is hidden when any of its parts is.

The cost: rounding errors add up (the pooled count of ``n`` partnerships is
within ``n·(base − 1)`` of the truth, unbiased), which the methods note says.
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

SINGLE, MULTIPLE = "select_one", "select_multiple"
"""The kinds of bank question counted (their XLSForm types)."""


@dataclass(frozen=True, slots=True)
class IndicatorQuestion:
    """A bank question as counted: its name, kind and the bank's choice names."""

    name: str
    kind: str
    choices: tuple[str, ...]


def indicator_shape(questions: Sequence[IndicatorQuestion]) -> Shape:
    """The shape of one partnership's indicator counts (no codebook themes, no moods)."""
    themes, dimensions = [], []
    for question in questions:
        if question.kind == MULTIPLE:
            themes += [choice_key(question.name, c) for c in question.choices]
        else:
            groups = (*question.choices, NOT_STATED)
            dimensions.append(Dimension(question.name, groups, themed=False))
    return Shape(tuple(themes), tuple(dimensions), moods=())


def indicator_cube(shape: Shape, total: int, answers: Mapping[str, Mapping[str, int]]) -> CountCube:
    """The true counts of one partnership in ``shape``.

    ``answers[q][c]``: respondents who chose (or ticked) ``c`` of ``q``. A
    select-one answer that is not a bank choice, and every respondent who
    did not answer, counts in ``NOT_STATED``; a select-multiple choice that
    is not the bank's is left out.
    """
    counts: dict = {TOTAL: total}
    for key in shape.themes:
        question, _, choice = key.partition(":")
        counts[theme_id(key)] = answers.get(question, {}).get(choice, 0)
    for dimension in shape.dimensions:
        chosen = answers.get(dimension.name, {})
        stated = 0
        for group in dimension.groups[:-1]:
            counts[group_id(dimension.name, group)] = chosen.get(group, 0)
            stated += chosen.get(group, 0)
        counts[group_id(dimension.name, NOT_STATED)] = total - stated
    return CountCube(shape, counts)


def cell_of(question: IndicatorQuestion, choice: str):
    """The id of the count of ``choice`` of ``question`` in an indicator cube."""
    if question.kind == MULTIPLE:
        return theme_id(choice_key(question.name, choice))
    return group_id(question.name, choice)


@dataclass(frozen=True, slots=True)
class Figure:
    """One published count and its share of the respondents (``None``: cannot be told)."""

    count: int | None
    """A multiple of the base (0: fewer than the base), or ``None`` when hidden or not asked."""
    share: Share | None
    asked: bool = True


@dataclass(frozen=True)
class IndicatorRow:
    """One choice of a bank question: each partnership's figure, and the pooled one."""

    choice: str
    figures: tuple[Figure, ...]
    pooled: Figure


@dataclass(frozen=True)
class IndicatorTable:
    """A bank question across partnerships: respondents per column, a row per choice."""

    question: IndicatorQuestion
    totals: tuple[int | None, ...]
    """Each partnership's published respondents (``None`` when it does not ask the question)."""
    pooled_total: int | None
    rows: tuple[IndicatorRow, ...]


def asks(counts: ProtectedCounts, question: IndicatorQuestion) -> bool:
    """True when these counts hold ``question`` (the partnership's surveys ask it)."""
    if question.kind == MULTIPLE:
        return choice_key(question.name, question.choices[0]) in counts.shape.themes
    return any(d.name == question.name for d in counts.shape.dimensions)


def pooled_sum(values: Sequence[int | None]) -> int | None:
    """The sum of published counts; ``None`` (hidden) when any is hidden."""
    if any(v is None for v in values):
        return None
    return sum(values)


def indicator_table(
    question: IndicatorQuestion, partnerships: Sequence[ProtectedCounts], base: int
) -> IndicatorTable:
    """``question`` across ``partnerships`` (each one's protected counts), and pooled.

    Every figure is a published count or a sum of published counts; shares
    are computed from them (:func:`analysis.disclosure.share_of`).
    """
    asking = [asks(c, question) for c in partnerships]
    totals = tuple(c.total if a else None for c, a in zip(partnerships, asking, strict=True))
    pooled_total = pooled_sum([t for t, a in zip(totals, asking, strict=True) if a])
    if not any(asking):
        pooled_total = None
    rows = []
    for choice in question.choices:
        figures, parts = [], []
        for counts, asked, total in zip(partnerships, asking, totals, strict=True):
            if not asked:
                figures.append(Figure(None, None, asked=False))
                continue
            value = counts.value(cell_of(question, choice))
            parts.append(value)
            figures.append(Figure(value, share_of(value, total, base)))
        pooled = pooled_sum(parts) if parts else None
        rows.append(
            IndicatorRow(
                choice, tuple(figures), Figure(pooled, share_of(pooled, pooled_total, base))
            )
        )
    return IndicatorTable(question, totals, pooled_total, tuple(rows))
