"""Small-cell suppression against adversarial tables and an exhaustive attacker."""

import itertools
import random

import pytest

from analysis.suppression import (
    COMPLEMENTARY,
    PRIMARY,
    CountTable,
    Suppressed,
    is_suppressed,
    suppress_small_cells,
    suppress_small_counts,
)


def table(cells):
    """A fully additive table with its margins computed."""
    return CountTable(
        cells=cells,
        row_totals=[sum(row) for row in cells],
        column_totals=[sum(col) for col in zip(*cells, strict=True)],
        grand_total=sum(map(sum, cells)),
    )


def hidden_cells(result):
    return {
        (i, j): value.reason
        for i, row in enumerate(result.cells)
        for j, value in enumerate(row)
        if is_suppressed(value)
    }


def recoverable(original, result):
    """Hidden counts that the published numbers pin to one value (exhaustive search).

    The attacker knows every published number, that each row and column adds
    up to its margin and the margins to the grand total, that counts are
    non-negative, and (conservatively) which hidden counts are non-zero.

    A hidden count admits another value iff some integer change ``d`` to the
    hidden cells keeps every published line sum, keeps every count within its
    bounds, and moves that count. The constraint matrix is totally unimodular,
    so any such change splits into conformal steps with entries in
    {-1, 0, 1}, each feasible on its own: trying every ``d`` in
    {-1, 0, 1}^hidden is therefore exhaustive.
    """
    cells = original.cells
    n_rows, n_cols = len(cells), len(cells[0])
    hidden = sorted(hidden_cells(result))
    position = {cell: k for k, cell in enumerate(hidden)}
    rows = [[position[c] for c in hidden if c[0] == i] for i in range(n_rows)]
    columns = [[position[c] for c in hidden if c[1] == j] for j in range(n_cols)]
    fixed = [rows[i] for i in range(n_rows) if not is_suppressed(result.row_totals[i])]
    fixed += [columns[j] for j in range(n_cols) if not is_suppressed(result.column_totals[j])]
    if not is_suppressed(result.grand_total):
        fixed.append(list(range(len(hidden))))
    members = {("cell", *c): [position[c]] for c in hidden}
    members |= {("row", i): rows[i] for i in range(n_rows) if is_suppressed(result.row_totals[i])}
    members |= {
        ("column", j): columns[j] for j in range(n_cols) if is_suppressed(result.column_totals[j])
    }
    if is_suppressed(result.grand_total):
        members[("grand",)] = list(range(len(hidden)))
    room_down = [cells[i][j] - min(cells[i][j], 1) for i, j in hidden]
    moved = set()
    for d in itertools.product((-1, 0, 1), repeat=len(hidden)):
        if any(step < 0 and room == 0 for step, room in zip(d, room_down, strict=True)):
            continue
        if any(sum(d[k] for k in line) for line in fixed):
            continue
        moved |= {key for key, line in members.items() if sum(d[k] for k in line)}
    return sorted(set(members) - moved)


def assert_protected(cells, threshold=5):
    original = table(cells)
    result = suppress_small_cells(original, threshold)
    assert recoverable(original, result) == [], f"recoverable in {cells}: {result}"
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            if 0 < value < threshold:
                assert result.cells[i][j] == Suppressed(PRIMARY)
            elif not is_suppressed(result.cells[i][j]):
                assert result.cells[i][j] == value
    return result


def test_nothing_small_nothing_hidden():
    result = suppress_small_cells(table([[10, 20], [30, 40]]))
    assert result.cells == ((10, 20), (30, 40))
    assert result.row_totals == (30, 70) and result.column_totals == (40, 60)
    assert result.grand_total == 100


def test_single_small_cell_in_a_row_gets_smallest_complements():
    result = assert_protected([[2, 30, 12], [40, 50, 60], [25, 35, 45]])
    assert hidden_cells(result) == {
        (0, 0): PRIMARY,
        (0, 2): COMPLEMENTARY,  # 12 is the smallest other cell in row 0
        (2, 0): COMPLEMENTARY,  # 25 is the smallest other cell in column 0
        (2, 2): COMPLEMENTARY,  # closes row 2 and column 2 at once
    }
    assert result.row_totals == (44, 150, 105)  # margins stay published


def test_complement_whose_row_then_needs_its_own_complement():
    result = assert_protected([[3, 8, 50], [9, 60, 70], [80, 90, 7]])
    hidden = hidden_cells(result)
    assert hidden[(0, 0)] == PRIMARY
    assert hidden[(0, 1)] == COMPLEMENTARY and hidden[(1, 0)] == COMPLEMENTARY
    for line in [
        *([(i, j) for j in range(3)] for i in range(3)),
        *([(i, j) for i in range(3)] for j in range(3)),
    ]:
        assert sum(cell in hidden for cell in line) != 1


def test_small_margin_is_hidden():
    # Row 1 has only 4 people: its total is disclosive even though each cell is.
    result = assert_protected([[20, 30], [0, 4], [15, 25]])
    assert result.row_totals[1] == Suppressed(PRIMARY)
    assert result.cells[1][1] == Suppressed(PRIMARY)
    assert result.cells[1][0] == 0  # a zero stays published when something else protects


def test_small_grand_total_and_all_small_cells():
    result = assert_protected([[1, 2], [1, 0]])
    assert result.grand_total == Suppressed(PRIMARY)
    assert all(is_suppressed(v) for row in result.cells for v in row if v)
    assert result.cells[1][1] == 0


def test_zeros_are_not_disclosive_on_their_own():
    result = suppress_small_cells(table([[0, 20], [0, 30]]))
    assert hidden_cells(result) == {}
    assert result.column_totals == (0, 50)


def test_zero_used_only_when_a_line_offers_nothing_else():
    result = assert_protected([[2, 0, 0], [30, 40, 50], [20, 60, 70]])
    hidden = hidden_cells(result)
    assert (0, 1) not in hidden and (0, 2) not in hidden
    assert result.row_totals[0] == Suppressed(PRIMARY)


def test_cycle_of_ones_is_caught_by_the_audit():
    # Line rules are satisfied by hiding the four ones, but knowing each is ≥ 1
    # and each row/column pair adds up to 2 pins all of them to 1.
    result = assert_protected([[1, 1, 20], [1, 1, 20], [20, 20, 20]])
    assert len(hidden_cells(result)) > 4


def test_two_blocks_joined_by_one_cell():
    cells = [
        [2, 9, 50, 60],
        [9, 2, 50, 60],
        [50, 60, 2, 9],
        [60, 50, 9, 2],
    ]
    result = suppress_small_cells(table(cells))
    assert recoverable(table(cells), result) == []


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 2), (3, 3)])
def test_random_tiny_tables_admit_more_than_one_value(shape):
    rng = random.Random(hash(shape) % 1000)
    n_rows, n_cols = shape
    high = 9 if n_rows * n_cols <= 6 else 6
    for _ in range(40):
        cells = [
            [rng.choice([0, rng.randint(1, high)]) for _ in range(n_cols)] for _ in range(n_rows)
        ]
        assert_protected(cells, threshold=rng.choice([3, 5]))


def test_threshold_is_configurable_but_not_below_three():
    cells = table([[6, 30], [30, 30]])
    assert is_suppressed(suppress_small_cells(cells, threshold=10).cells[0][0])
    assert suppress_small_cells(cells, threshold=5).cells[0][0] == 6
    with pytest.raises(ValueError):
        suppress_small_cells(cells, threshold=2)
    with pytest.raises(ValueError):
        suppress_small_counts([1, 2], 3, threshold=1)


def test_inconsistent_tables_are_refused():
    with pytest.raises(ValueError):
        suppress_small_cells(CountTable([[1, 2]], [4], [1, 2], 3))
    with pytest.raises(ValueError):
        suppress_small_cells(CountTable([[1, 2]], [3], [1], 3))
    with pytest.raises(ValueError):
        suppress_small_cells(CountTable([[-1, 4]], [3], [-1, 4], 3))


def test_multi_response_columns_use_only_row_lines():
    # Themes x groups: a respondent counts once per theme, so columns do not add up.
    themes_by_group = CountTable(
        cells=[[2, 40], [30, 35]],
        row_totals=[42, 65],
        column_totals=[31, 60],
        grand_total=91,
        rows_add_up=True,
        columns_add_up=False,
    )
    result = suppress_small_cells(themes_by_group)
    assert hidden_cells(result) == {(0, 0): PRIMARY, (0, 1): COMPLEMENTARY}
    assert result.column_totals == (31, 60)


def test_one_dimensional_counts():
    result = suppress_small_counts([2, 30, 12, 40], total=84)
    assert result.counts == (Suppressed(PRIMARY), 30, Suppressed(COMPLEMENTARY), 40)
    assert result.total == 84
    assert suppress_small_counts([10, 20], 30) == suppress_small_counts([10, 20], 30, adds_up=False)


def test_one_dimensional_pair_of_ones_needs_a_third():
    result = suppress_small_counts([1, 1, 12], total=14)
    assert all(is_suppressed(v) for v in result.counts)


def test_one_dimensional_small_total():
    result = suppress_small_counts([3, 0], total=3)
    assert result.counts[0] == Suppressed(PRIMARY) and result.total == Suppressed(PRIMARY)
    assert result.counts[1] == 0


def test_one_dimensional_multi_response_has_primary_only():
    result = suppress_small_counts([2, 30, 12], total=35, adds_up=False)
    assert result.counts == (Suppressed(PRIMARY), 30, 12)


def test_marker_prints_the_same_for_both_reasons():
    assert str(Suppressed(PRIMARY)) == str(Suppressed(COMPLEMENTARY)) == "x"
