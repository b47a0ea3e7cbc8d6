"""The protected set of counts: random rounding, keyed draws, the audit, redraws and hiding."""

from fractions import Fraction

import pytest

import analysis.disclosure as disclosure
from analysis.audit import pair_exposures, pinned_counts
from analysis.disclosure import (
    TOTAL,
    CannotProtect,
    Dimension,
    Earlier,
    ProtectedCounts,
    Shape,
    cell_id,
    count_cube,
    group_id,
    protect,
    round_at_random,
    share_of,
    theme_id,
)

SHAPE = Shape(("t",), (Dimension("area", ("a", "b")),), moods=())


def small_cube():
    """Five people: four in area a (two raised t), one in area b."""
    return count_cube(
        SHAPE,
        5,
        {"t": 2},
        {"area": {"a": 4, "b": 1}},
        {"area": {"t": {"a": 2, "b": 0}}},
        {},
    )


# Threshold 3: total 5 -> 3, t 2 -> 3, a 4 -> 6, b 1 -> 3, (t, a) 2 -> 0, (t, b) 0 -> 0.
# Then a + b = total <= 5 with a >= 4 pins a = 4 and b = 1: the one person in area b.
PINNING_DRAWS = {
    TOTAL: 0.9,
    theme_id("t"): 0.1,
    group_id("area", "a"): 0.1,
    group_id("area", "b"): 0.1,
    cell_id("t", "area", "a"): 0.9,
    cell_id("t", "area", "b"): 0.5,
}


def test_random_rounding_is_unbiased_and_keeps_multiples():
    for value in range(0, 23):
        outcomes = {round_at_random(value, 5, (k + 0.5) / 100) for k in range(100)}
        assert outcomes <= {5 * (value // 5), 5 * (value // 5 + 1)}
        mean = Fraction(sum(round_at_random(value, 5, k / 1000) for k in range(1000)), 1000)
        assert mean == value  # the chance of rounding up is exactly remainder / 5
    assert round_at_random(0, 5, 0.0) == 0 and round_at_random(20, 5, 0.0) == 20


def test_the_same_data_rounds_the_same_way_and_changed_data_draws_afresh():
    cube = small_cube()
    assert protect(cube, 3, secret=b"k") == protect(cube, 3, secret=b"k")
    changed = count_cube(
        SHAPE, 5, {"t": 3}, {"area": {"a": 4, "b": 1}}, {"area": {"t": {"a": 3, "b": 0}}}, {}
    )
    key, other = disclosure.content_key(b"k", cube), disclosure.content_key(b"k", changed)
    assert all(disclosure.draw(key, c) != disclosure.draw(other, c) for c in SHAPE.ids())
    assert disclosure.content_key(b"other secret", cube) != key


def test_the_audit_finds_a_count_pinned_by_the_bounds_of_its_group():
    cube = small_cube()
    counts = disclosure._rounded(cube, 3, b"", PINNING_DRAWS)
    assert counts.values[group_id("area", "b")] == 3
    assert pinned_counts(counts, cube.counts) == [group_id("area", "b")]


def test_a_pinning_draw_is_replaced_by_a_fresh_one():
    protection = protect(small_cube(), 3, secret=b"k", draws=PINNING_DRAWS)
    assert protection.draws > 1 and protection.hidden == ()
    assert pinned_counts(protection.counts, small_cube().counts) == []


def test_after_every_draw_fails_counts_are_hidden_and_say_what_they_protect(monkeypatch):
    monkeypatch.setattr(disclosure, "MAX_DRAWS", 1)
    protection = protect(small_cube(), 3, secret=b"k", draws=PINNING_DRAWS)
    assert protection.hidden[0].protects == group_id("area", "b")
    assert protection.hidden[0].pinned_at == 1
    assert protection.counts.values[protection.hidden[0].cell] is None
    assert pinned_counts(protection.counts, small_cube().counts) == []


def test_two_publications_whose_intervals_touch_pin_the_people_in_both():
    """Two people left; the count fell from a published 10 to a published 0: 6 - 2 = 4."""
    shape = Shape(("t",), (), moods=())
    before = ProtectedCounts(shape, {TOTAL: 10, theme_id("t"): 10}, 5, 5)
    after = ProtectedCounts(shape, {TOTAL: 10, theme_id("t"): 0}, 5, 5)
    assert pair_exposures(Earlier(before, only_earlier=2, only_new=0), after) == [theme_id("t")]
    redrawn = ProtectedCounts(shape, {TOTAL: 10, theme_id("t"): 5}, 5, 5)  # 4 rounded up
    assert pair_exposures(Earlier(before, only_earlier=2, only_new=0), redrawn) == []


def test_the_people_who_left_are_exposed_when_the_shape_pins_their_group():
    """Everyone was in area a before; now b holds someone: the one who joined is in b."""
    before = ProtectedCounts(
        SHAPE,
        {TOTAL: 10, theme_id("t"): 0, **_area(10, 0), **_cells(0, 0)},
        5,
        5,
    )
    after = ProtectedCounts(
        SHAPE, {TOTAL: 10, theme_id("t"): 0, **_area(5, 5), **_cells(0, 0)}, 5, 5
    )
    exposed = pair_exposures(Earlier(before, only_earlier=0, only_new=1), after)
    assert exposed == []  # boxes [6, 14] and [1, 9] overlap enough
    tight = ProtectedCounts(
        SHAPE, {TOTAL: 15, theme_id("t"): 0, **_area(15, 0), **_cells(0, 0)}, 5, 5
    )
    assert pair_exposures(Earlier(tight, only_earlier=0, only_new=0), tight) == []


def _area(a, b):
    return {group_id("area", "a"): a, group_id("area", "b"): b}


def _cells(a, b):
    return {cell_id("t", "area", "a"): a, cell_id("t", "area", "b"): b}


def test_shares_need_a_shown_part_and_a_shown_whole():
    assert share_of(20, 40, 5).value == 0.5
    assert share_of(0, 40, 5) is None  # fewer than 5: no share can be told
    assert share_of(None, 40, 5) is None and share_of(20, None, 5) is None
    assert share_of(45, 40, 5).value == 1.0  # rounding can put a part above its whole


def test_cubes_that_break_what_a_reader_knows_are_refused():
    with pytest.raises(ValueError, match="break"):
        count_cube(SHAPE, 5, {"t": 2}, {"area": {"a": 4, "b": 2}}, {}, {})
    with pytest.raises(ValueError, match="threshold"):
        protect(small_cube(), 2, secret=b"k")
    with pytest.raises(CannotProtect, match="too_few"):
        protect(small_cube(), 6, secret=b"k")  # five people: fewer than the threshold


def test_protected_counts_survive_json():
    counts = protect(small_cube(), 3, secret=b"k").counts
    assert ProtectedCounts.from_dict(counts.to_dict()) == counts
