"""Small-cell suppression: disclosure control for published tables of counts.

A committee report must never let a reader work out that "the one Tigrinya
speaker aged 65+ mentioned discrimination". The rule, applied by
:func:`suppress_small_cells` (2-D, with margins) and
:func:`suppress_small_counts` (1-D, with a total):

1. **Primary suppression.** Every count ``c`` with ``0 < c < threshold``
   is hidden, margins (row totals, column totals, grand total) included: a
   small subgroup is itself disclosive. ``threshold`` defaults to 5 and may
   not be below 3.
2. **Zeros.** A zero is never hidden for being small: "nobody in this group
   raised it" points at no one. (A zero can still reveal that *everyone* in
   a group shares a trait; that is attribute disclosure, which this module
   does not try to prevent.) Zeros are used as complementary cells only
   when a line offers nothing else, because a hidden zero can only move up.
3. **Complementary suppression.** Each additive line (a row with its total,
   a column with its total, the row of column totals with the grand total,
   ...) that hides one of its members hides at least one more, so the
   member cannot be recovered by subtraction. The complement is the
   smallest non-zero published member of that line (a total counts as a
   member); a member that also completes another line with one hidden
   member is preferred, since it hides fewer numbers in all. Repeated
   until stable.
4. **Audit.** Line rules alone miss some patterns (two blocks of hidden
   cells joined by a single cell; a cycle of ones). So each hidden count is
   bounded by linear programming over what is published: every additive
   line must add up, every count is ≥ 0, and a non-zero hidden count is
   ≥ 1 (we assume the reader can tell a hidden count is not zero). If a
   hidden count has a single possible value, the smallest non-zero
   published member of one of its lines is hidden too, and steps 3-4
   repeat. The constraint matrix of a table with margins is totally
   unimodular, so an LP range wider than zero holds at least two integers:
   every hidden number admits more than one value.

Tables whose margins are respondent counts for multi-response questions
(one respondent can raise several themes) are not additive in that
direction; say so with ``rows_add_up`` / ``columns_add_up`` and the lines
that do not add up are not used (nothing can be recovered from them).

The reason on each :class:`Suppressed` marker is for the researcher's
view; a published table should render both kinds the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PRIMARY = "primary"
COMPLEMENTARY = "complementary"
DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A hidden count and why it was hidden (``"primary"`` or ``"complementary"``)."""

    reason: str

    def __str__(self) -> str:
        return "x"


Count = int | Suppressed


@dataclass(frozen=True, slots=True)
class CountTable:
    """A 2-D table of respondent counts with its margins.

    ``rows_add_up``: each row of ``cells`` sums to its row total, and the
    column totals sum to ``grand_total`` (the columns split people into
    exclusive groups). ``columns_add_up`` likewise for columns.
    """

    cells: Sequence[Sequence[int]]
    row_totals: Sequence[int]
    column_totals: Sequence[int]
    grand_total: int
    rows_add_up: bool = True
    columns_add_up: bool = True


@dataclass(frozen=True, slots=True)
class SuppressedTable:
    """A :class:`CountTable` after suppression: each count is an ``int`` or ``Suppressed``."""

    cells: tuple[tuple[Count, ...], ...]
    row_totals: tuple[Count, ...]
    column_totals: tuple[Count, ...]
    grand_total: Count


@dataclass(frozen=True, slots=True)
class SuppressedCounts:
    """A list of counts and its total after suppression."""

    counts: tuple[Count, ...]
    total: Count


def is_suppressed(value: object) -> bool:
    """True when ``value`` is a :class:`Suppressed` marker."""
    return isinstance(value, Suppressed)


def suppress_small_cells(table: CountTable, threshold: int = DEFAULT_THRESHOLD) -> SuppressedTable:
    """Hide small counts of ``table`` and enough others that none can be recovered.

    See the module docstring for the rule. Raises ``ValueError`` for a
    threshold below 3, a ragged or negative table, or a line declared
    additive that does not add up.
    """
    _check_threshold(threshold)
    n_rows, n_cols = _check_shape(table)
    # Members: cells row by row, then row totals, column totals, grand total.
    values = [v for row in table.cells for v in row]
    values += list(table.row_totals) + list(table.column_totals) + [table.grand_total]
    row_total_at = n_rows * n_cols
    column_total_at = row_total_at + n_rows
    grand_at = column_total_at + n_cols
    lines: list[tuple[tuple[int, ...], int]] = []
    if table.rows_add_up:
        for i in range(n_rows):
            lines.append((tuple(i * n_cols + j for j in range(n_cols)), row_total_at + i))
        lines.append((tuple(column_total_at + j for j in range(n_cols)), grand_at))
    if table.columns_add_up:
        for j in range(n_cols):
            lines.append((tuple(i * n_cols + j for i in range(n_rows)), column_total_at + j))
        lines.append((tuple(row_total_at + i for i in range(n_rows)), grand_at))
    _check_lines(values, lines)
    shown = _publish(values, _protect(values, lines, threshold))
    return SuppressedTable(
        cells=tuple(tuple(shown[i * n_cols : (i + 1) * n_cols]) for i in range(n_rows)),
        row_totals=tuple(shown[row_total_at:column_total_at]),
        column_totals=tuple(shown[column_total_at:grand_at]),
        grand_total=shown[grand_at],
    )


def suppress_small_counts(
    counts: Sequence[int],
    total: int,
    threshold: int = DEFAULT_THRESHOLD,
    adds_up: bool = True,
) -> SuppressedCounts:
    """Hide small ``counts`` (and ``total``) and enough others that none can be recovered.

    ``adds_up`` says the counts sum to ``total``; pass ``False`` for
    multi-response counts (then only primary suppression applies).
    """
    _check_threshold(threshold)
    values = [*counts, total]
    if any(v < 0 for v in values):
        raise ValueError("counts cannot be negative")
    lines = [(tuple(range(len(counts))), len(counts))] if adds_up else []
    _check_lines(values, lines)
    shown = _publish(values, _protect(values, lines, threshold))
    return SuppressedCounts(counts=tuple(shown[:-1]), total=shown[-1])


def _check_threshold(threshold: int) -> None:
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(f"threshold must be at least {MINIMUM_THRESHOLD}, got {threshold}")


def _check_shape(table: CountTable) -> tuple[int, int]:
    n_rows, n_cols = len(table.cells), len(table.column_totals)
    if len(table.row_totals) != n_rows or any(len(row) != n_cols for row in table.cells):
        raise ValueError("cells, row totals and column totals do not have matching shapes")
    every = [v for row in table.cells for v in row]
    every += [*table.row_totals, *table.column_totals, table.grand_total]
    if any(v < 0 for v in every):
        raise ValueError("counts cannot be negative")
    return n_rows, n_cols


def _check_lines(values: list[int], lines: list[tuple[tuple[int, ...], int]]) -> None:
    for parts, total in lines:
        if sum(values[p] for p in parts) != values[total]:
            raise ValueError(
                f"a line declared additive sums to {sum(values[p] for p in parts)}, "
                f"not to its total {values[total]}"
            )


def _publish(values: list[int], hidden: dict[int, str]) -> list[Count]:
    return [Suppressed(hidden[m]) if m in hidden else v for m, v in enumerate(values)]


Lines = list[tuple[tuple[int, ...], int]]


def _protect(values: list[int], lines: Lines, threshold: int) -> dict[int, str]:
    """Return ``{member index: reason}`` for every member to hide."""
    hidden = {m: PRIMARY for m, v in enumerate(values) if 0 < v < threshold}
    while hidden:
        _complete_lines(values, lines, hidden)
        exposed = _first_exposed(values, lines, hidden)
        if exposed is None:
            break
        extra = _smallest_published(values, _lines_of(exposed, lines), hidden)
        if extra is None:
            extra = _smallest_published(values, [(tuple(range(len(values))), -1)], hidden)
        if extra is None:  # pragma: no cover - everything hidden cannot be exposed
            break
        hidden[extra] = COMPLEMENTARY
    return hidden


def _complete_lines(values: list[int], lines: Lines, hidden: dict[int, str]) -> None:
    """Give every line with exactly one hidden member a second one, until stable."""
    while True:
        lonely = [line for line in lines if _hidden_in(line, hidden) == 1]
        if not lonely:
            return
        line, others = lonely[0], lonely[1:]
        helps = {m for other in others for m in _members(other)}
        hidden[_smallest_published(values, [line], hidden, helps)] = COMPLEMENTARY


def _members(line: tuple[tuple[int, ...], int]) -> tuple[int, ...]:
    parts, total = line
    return (*parts, total) if total >= 0 else parts


def _hidden_in(line: tuple[tuple[int, ...], int], hidden: dict[int, str]) -> int:
    return sum(1 for m in _members(line) if m in hidden)


def _lines_of(member: int, lines: Lines) -> Lines:
    return [line for line in lines if member in _members(line)]


def _smallest_published(
    values: list[int], lines: Lines, hidden: dict[int, str], helps: set[int] = frozenset()
) -> int | None:
    """The published member of ``lines`` to hide next: non-zero, helpful, then smallest."""
    candidates = {m for line in lines for m in _members(line) if m not in hidden}
    if not candidates:
        return None
    return min(candidates, key=lambda m: (values[m] == 0, m not in helps, values[m], m))


def _first_exposed(values: list[int], lines: Lines, hidden: dict[int, str]) -> int | None:
    """The first hidden member whose value the published numbers pin down, if any.

    A member is safe once some feasible table gives it another value. Each
    LP solution proves every member it moves, so after pushing all hidden
    counts up and down together only the few not yet moved need an LP of
    their own (maximise, then minimise, that member).
    """
    variables = sorted(hidden)
    a_eq, b_eq = _published_equations(values, lines, variables)
    if not a_eq:
        return None
    truth = [values[m] for m in variables]
    bounds = [(min(v, 1), None) for v in truth]
    everything = [1.0] * len(variables)
    proven: set[int] = set()
    for objective in (everything, [-c for c in everything]):
        proven |= _moved(_solve(objective, a_eq, b_eq, bounds), truth)
    for k in range(len(variables)):
        for sign in (-1.0, 1.0):  # maximise, then minimise
            if k in proven:
                break
            objective = [0.0] * len(variables)
            objective[k] = sign
            solution = _solve(objective, a_eq, b_eq, bounds)
            proven |= {k} if solution is None else _moved(solution, truth)
        if k not in proven:
            return variables[k]
    return None


def _published_equations(
    values: list[int], lines: Lines, variables: list[int]
) -> tuple[list[list[float]], list[float]]:
    """Each line with a hidden member as ``A·hidden = b``, published members moved to ``b``."""
    column = {m: k for k, m in enumerate(variables)}
    a_eq, b_eq = [], []
    for parts, total in lines:
        if not any(m in column for m in _members((parts, total))):
            continue
        row = [0.0] * len(variables)
        rhs = 0.0
        for member, sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
            if member in column:
                row[column[member]] += sign
            else:
                rhs -= sign * values[member]
        a_eq.append(row)
        b_eq.append(rhs)
    return a_eq, b_eq


def _solve(objective, a_eq, b_eq, bounds) -> list[float] | None:
    """A vertex minimising ``objective``, or ``None`` when unbounded (many values)."""
    from scipy.optimize import linprog  # imported late: only needed when something is hidden

    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if result.status == 3:
        return None
    if result.status != 0:  # pragma: no cover - the true table is always feasible
        raise RuntimeError(f"suppression audit failed: {result.message}")
    return list(result.x)


def _moved(solution: list[float] | None, truth: list[int]) -> set[int]:
    """Indices where ``solution`` differs from the true counts (vertices are integral)."""
    if solution is None:
        return set()
    return {k for k, (x, v) in enumerate(zip(solution, truth, strict=True)) if abs(x - v) > 0.5}
