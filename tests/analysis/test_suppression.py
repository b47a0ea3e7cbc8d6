"""Small-cell suppression against adversarial tables and an exhaustive attacker."""

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


def recoverable(original, result, cap=60):
    """Hidden counts that the published numbers pin to one value (exhaustive search).

    The attacker knows every published number, that each row and column adds
    up to its margin and the margins to the grand total, that counts are
    non-negative, and (conservatively) which hidden counts are non-zero. For
    each hidden count we search for a table consistent with all that in
    which the count differs from its true value.
    """
    cells = original.cells
    n_rows, n_cols = len(cells), len(cells[0])
    published = lambda v: None if is_suppressed(v) else v  # noqa: E731
    row_totals = [published(v) for v in result.row_totals]
    column_totals = [published(v) for v in result.column_totals]
    grand = published(result.grand_total)
    hidden = sorted(hidden_cells(result))
    true_rows = [sum(row) for row in cells]
    true_columns = [sum(col) for col in zip(*cells, strict=True)]

    def solutions(order, avoid_true_first):
        row_sums = [
            sum(cells[i][j] for j in range(n_cols) if (i, j) not in hidden) for i in range(n_rows)
        ]
        column_sums = [
            sum(cells[i][j] for i in range(n_rows) if (i, j) not in hidden) for j in range(n_cols)
        ]
        grid = [list(row) for row in cells]

        def fill(k):
            if k == len(order):
                if (
                    all(t is None or s == t for s, t in zip(row_sums, row_totals, strict=True))
                    and all(
                        t is None or s == t for s, t in zip(column_sums, column_totals, strict=True)
                    )
                    and (grand is None or sum(row_sums) == grand)
                ):
                    yield grid
                return
            i, j = order[k]
            rest = order[k + 1 :]
            low = min(cells[i][j], 1)
            if row_totals[i] is not None and not any(r == i for r, _ in rest):
                choices = [row_totals[i] - row_sums[i]]
            elif column_totals[j] is not None and not any(c == j for _, c in rest):
                choices = [column_totals[j] - column_sums[j]]
            else:
                caps = [cap if grand is None else grand - sum(row_sums)]
                if row_totals[i] is not None:
                    caps.append(row_totals[i] - row_sums[i])
                if column_totals[j] is not None:
                    caps.append(column_totals[j] - column_sums[j])
                # Nearest the true value first: alternatives are usually close by.
                choices = sorted(range(low, min(caps) + 1), key=lambda v: abs(v - cells[i][j]))
            for value in choices:
                if k == 0 and avoid_true_first and value == cells[i][j]:
                    continue
                if value < low:
                    continue
                if row_totals[i] is not None and row_sums[i] + value > row_totals[i]:
                    continue
                if column_totals[j] is not None and column_sums[j] + value > column_totals[j]:
                    continue
                grid[i][j] = value
                row_sums[i] += value
                column_sums[j] += value
                yield from fill(k + 1)
                row_sums[i] -= value
                column_sums[j] -= value

        yield from fill(0)

    def has_alternative(first, differs, is_cell=False):
        order = [c for c in hidden if c in first] + [c for c in hidden if c not in first]
        return any(differs(grid) for grid in solutions(order, avoid_true_first=is_cell))

    stuck = []
    for i, j in hidden:
        if not has_alternative({(i, j)}, lambda g, i=i, j=j: g[i][j] != cells[i][j], True):
            stuck.append(("cell", i, j))
    for i in range(n_rows):
        if row_totals[i] is None:
            line = {c for c in hidden if c[0] == i}
            if not has_alternative(line, lambda g, i=i: sum(g[i]) != true_rows[i]):
                stuck.append(("row", i))
    for j in range(n_cols):
        if column_totals[j] is None:
            line = {c for c in hidden if c[1] == j}
            if not has_alternative(line, lambda g, j=j: sum(r[j] for r in g) != true_columns[j]):
                stuck.append(("column", j))
    if grand is None and not has_alternative(
        set(hidden), lambda g: sum(map(sum, g)) != sum(true_rows)
    ):
        stuck.append(("grand",))
    return stuck


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
