"""Core indicators across partnerships: nothing small is shown, and pooling tells nothing new."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.audit import pinned_counts
from analysis.disclosure import CannotProtect, protect
from analysis.indicators import (
    MULTIPLE,
    SINGLE,
    IndicatorQuestion,
    indicator_cube,
    indicator_shape,
    indicator_table,
)

BASE = 5
QUESTIONS = (
    IndicatorQuestion("doctor", SINGLE, ("yes", "no")),
    IndicatorQuestion("sources", MULTIPLE, ("agency", "friends", "library")),
)


@st.composite
def partnership(draw):
    """The true counts of one partnership: respondents, and their answers."""
    people = draw(st.integers(min_value=5, max_value=40))
    yes = draw(st.integers(min_value=0, max_value=people))
    no = draw(st.integers(min_value=0, max_value=people - yes))
    ticked = {c: draw(st.integers(min_value=0, max_value=people)) for c in QUESTIONS[1].choices}
    return people, {"doctor": {"yes": yes, "no": no}, "sources": ticked}


def _protected(truth, secret: bytes):
    cube = indicator_cube(indicator_shape(QUESTIONS), *truth)
    return cube, protect(cube, BASE, secret=secret).counts


@settings(max_examples=40, deadline=None)
@given(st.lists(partnership(), min_size=1, max_size=4))
def test_no_figure_is_small_and_pooled_figures_are_the_sums_of_those_shown(truths):
    protected = []
    for index, truth in enumerate(truths):
        try:
            cube, counts = _protected(truth, f"partnership {index}".encode())
        except CannotProtect:
            continue
        assert pinned_counts(counts, cube.counts) == []  # nothing small worked out, alone
        protected.append(counts)
    for question in QUESTIONS:
        table = indicator_table(question, protected, BASE)
        shown = [*table.totals, table.pooled_total]
        for row in table.rows:
            shown += [f.count for f in row.figures] + [row.pooled.count]
            parts = [f.count for f in row.figures]
            if None not in parts and parts:
                # pooling only adds up what the columns show: no differencing gains anything
                assert row.pooled.count == sum(parts)
        for value in shown:
            assert value is None or value % BASE == 0, value


def test_a_partnership_that_does_not_ask_a_question_has_no_figure_for_it():
    cube = indicator_cube(indicator_shape(QUESTIONS[:1]), 20, {"doctor": {"yes": 12, "no": 8}})
    other = indicator_cube(indicator_shape(QUESTIONS), 30, {"sources": {"agency": 11}})
    counts = [protect(c, BASE, secret=b"k").counts for c in (cube, other)]
    table = indicator_table(QUESTIONS[1], counts, BASE)
    assert table.totals[0] is None and table.totals[1] == counts[1].total
    assert table.pooled_total == counts[1].total
    assert all(not row.figures[0].asked for row in table.rows)
