"""Waves: each wave's counts protected, and the trend computed from the protected counts only."""

from __future__ import annotations

import random

import pytest
from scipy.stats import norm

from analysis.aggregate import NOT_STATED
from analysis.disclosure import protect
from analysis.waves import (
    CHI_SQUARE,
    MULTIPLE,
    SINGLE,
    THEME,
    Z_TEST,
    Indicator,
    choice_key,
    compare,
    homogeneity_test,
    two_proportion_test,
    wave_cube,
    wave_shape,
)

SECRET = b"waves test secret"
EMPLOYED = Indicator("employment_status", SINGLE, ("employed", "looking", "not_looking"))
SOURCES = Indicator("info_sources", MULTIPLE, ("friends", "online", "agency"))
THEMES = ("housing", "transportation")


def _wave(seed: int, n: int, housing: float, transport: float, employed: float):
    """A generated wave: ``n`` respondents with the given chances of each answer."""
    rng = random.Random(seed)
    themes = {"housing": 0, "transportation": 0}
    answers = {"employment_status": {}, "info_sources": {}}
    for _ in range(n):
        themes["housing"] += rng.random() < housing
        themes["transportation"] += rng.random() < transport
        status = "employed" if rng.random() < employed else rng.choice(["looking", "not_looking"])
        if rng.random() < 0.95:  # a few do not answer
            answers["employment_status"][status] = answers["employment_status"].get(status, 0) + 1
        for source in SOURCES.choices:
            if rng.random() < 0.4:
                answers["info_sources"][source] = answers["info_sources"].get(source, 0) + 1
    shape = wave_shape(THEMES, (EMPLOYED, SOURCES))
    return wave_cube(shape, n, themes, answers)


def _protected(cube):
    return protect(cube, 5, secret=SECRET).counts


def test_a_wave_cube_counts_every_indicator_and_not_stated():
    shape = wave_shape(THEMES, (EMPLOYED, SOURCES))
    cube = wave_cube(
        shape,
        10,
        {"housing": 4},
        {
            "employment_status": {"employed": 5, "looking": 2, "retired": 1},
            "info_sources": {"online": 3},
        },
    )
    assert cube.counts[("theme", "housing")] == 4
    assert cube.counts[("theme", "transportation")] == 0
    assert cube.counts[("theme", choice_key("info_sources", "online"))] == 3
    assert cube.counts[("group", "employment_status", "employed")] == 5
    # the unlisted answer and the two who did not answer are "not stated"
    assert cube.counts[("group", "employment_status", NOT_STATED)] == 3
    assert shape.moods == ()


def test_two_waves_show_a_significant_change_and_a_non_significant_one():
    first = _protected(_wave(1, 400, housing=0.30, transport=0.20, employed=0.40))
    second = _protected(_wave(2, 400, housing=0.55, transport=0.21, employed=0.41))
    trend = compare([first, second], THEMES, (EMPLOYED, SOURCES))
    rows = {(r.kind, r.question, r.choice): r for r in trend.rows}
    housing = rows[(THEME, "", "housing")].points[1].change
    transport = rows[(THEME, "", "transportation")].points[1].change
    assert housing.test == Z_TEST and housing.significant and housing.statistic > 0
    assert transport is not None and not transport.significant
    assert rows[(THEME, "", "housing")].points[0].change is None  # nothing before wave 1
    # every figure is made of published counts: multiples of 5
    for row in trend.rows:
        for point in row.points:
            assert point.count is None or point.count % 5 == 0
            assert point.whole is None or point.whole % 5 == 0
    assert trend.respondents == (first.total, second.total)


def test_shares_and_tests_come_from_the_published_counts():
    first = _protected(_wave(3, 200, 0.3, 0.2, 0.4))
    second = _protected(_wave(4, 250, 0.5, 0.2, 0.4))
    trend = compare([first, second], THEMES, (EMPLOYED,))
    row = next(r for r in trend.rows if r.choice == "housing")
    x1, n1 = first.theme("housing"), first.total
    x2, n2 = second.theme("housing"), second.total
    assert row.points[0].share.value == pytest.approx(x1 / n1)
    assert row.points[1].share.value == pytest.approx(x2 / n2)
    pooled = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / (pooled * (1 - pooled) * (1 / n1 + 1 / n2)) ** 0.5
    assert row.points[1].change.statistic == pytest.approx(z)
    assert row.points[1].change.p_value == pytest.approx(2 * norm.sf(abs(z)))


def test_a_question_not_asked_in_a_wave_has_no_point_there():
    first = _protected(_wave(5, 100, 0.3, 0.2, 0.4))
    second = _protected(_wave(6, 100, 0.3, 0.2, 0.4))
    asked = [frozenset({"employment_status"}), frozenset()]
    trend = compare([first, second], (), (EMPLOYED,), asked)
    for row in trend.rows:
        assert row.points[1].count is None and row.points[1].change is None
    assert trend.questions[0].change is None


def test_a_wave_too_small_to_publish_has_no_points():
    first = _protected(_wave(7, 100, 0.3, 0.2, 0.4))
    trend = compare([first, None], THEMES, ())
    assert trend.respondents == (first.total, None)
    assert all(r.points[1].share is None and r.overall is None for r in trend.rows)


def test_a_select_one_question_is_tested_as_a_whole_over_three_waves():
    waves = [
        _protected(_wave(8, 300, 0.3, 0.2, 0.30)),
        _protected(_wave(9, 300, 0.3, 0.2, 0.50)),
        _protected(_wave(10, 300, 0.3, 0.2, 0.70)),
    ]
    trend = compare(waves, THEMES, (EMPLOYED,))
    (question,) = trend.questions
    assert question.change.test == CHI_SQUARE and question.change.significant
    assert question.change.degrees_of_freedom == 4  # 3 waves x 3 choices
    employed = next(r for r in trend.rows if r.choice == "employed")
    assert employed.overall.test == CHI_SQUARE and employed.overall.degrees_of_freedom == 2


def test_a_hidden_count_is_never_tested():
    first = _protected(_wave(11, 100, 0.3, 0.2, 0.4))
    values = dict(first.values)
    values[("theme", "housing")] = None
    hidden = type(first)(first.shape, values, first.base, first.threshold)
    second = _protected(_wave(12, 100, 0.6, 0.2, 0.4))
    row = next(r for r in compare([hidden, second], THEMES, ()).rows if r.choice == "housing")
    assert row.points[0].share is None and row.points[1].change is None and row.overall is None


def test_nothing_to_test_when_every_share_is_zero():
    assert two_proportion_test(0, 50, 0, 60) is None
    assert homogeneity_test([[5, 0], [10, 0]]) is None
    assert (
        two_proportion_test(12, 10, 5, 10).statistic < 0
    )  # a rounded part above its whole is capped
