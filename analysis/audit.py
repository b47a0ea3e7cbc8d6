"""What an attacker can work out from published counts, found by exact integer programming.

The attacker of this module knows everything a reader knows: each
published count's interval (:func:`analysis.disclosure.published_interval`:
a rounded ``v`` is within ``base − 1`` of the truth, 0 is "fewer than the
base", a hidden count is anything), every constraint of the shape
(:meth:`analysis.disclosure.Shape.constraints`), that counts are
non-negative integers, and, when given several publications, how their
respondents overlap.

People are split into **atoms** (for two publications A and B: those in
both, those only in A, those only in B); each atom has its own full set of
counts, and a publication's count is the sum of its atoms' counts. An atom
whose size is known (the number of people who withdrew) can be pinned.

A count is **pinned** when only one integer value is feasible. To find
which counts are not, the model solves a few integer programs that push
many counts at once (every count a solution moves away from a known
feasible point has at least two values), then one program each for the
counts still unproven. scipy's ``milp`` (HiGHS) solves them exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.disclosure import (
    TOTAL,
    CellId,
    Constraint,
    Dimension,
    Earlier,
    ProtectedCounts,
    Shape,
    cell_id,
    mood_id,
    published_interval,
    theme_id,
)

RANDOM_PUSHES = 4
"""Integer programs with random objectives tried before one program per count."""


@dataclass(frozen=True)
class Observation:
    """A publication as an attacker has it: its counts, and which atoms of people it covers."""

    counts: ProtectedCounts
    atoms: tuple[int, ...] = (0,)


def union_shape(shapes: Sequence[Shape]) -> Shape:
    """One shape holding every theme, dimension and group of ``shapes``."""
    themes = tuple(dict.fromkeys(t for s in shapes for t in s.themes))
    dimensions: dict[str, Dimension] = {}
    for shape in shapes:
        for d in shape.dimensions:
            known = dimensions.get(d.name)
            groups = tuple(dict.fromkeys((*(known.groups if known else ()), *d.groups)))
            themed = d.themed or (known.themed if known else False)
            dimensions[d.name] = Dimension(d.name, groups, themed)
    moods = tuple(dict.fromkeys(m for s in shapes for m in s.moods))
    return Shape(themes, tuple(dimensions.values()), moods)


class AttackerModel:
    """What an attacker knows about the true counts of each atom, as linear constraints.

    Every count of every atom is a non-negative integer and at most
    :attr:`ceiling` (more than any count can be: the sum of every finite
    published bound), which keeps every program bounded.
    """

    def __init__(
        self,
        observations: Sequence[Observation],
        atoms: int = 1,
        atom_sizes: Mapping[int, int] | None = None,
        shape: Shape | None = None,
    ) -> None:
        self.shape = shape or union_shape([o.counts.shape for o in observations])
        self.ids = self.shape.ids()
        self.atoms = atoms
        self._column = {i: k for k, i in enumerate(self.ids)}
        self._rows: list[dict[int, float]] = []
        self._low: list[float] = []
        self._high: list[float] = []
        for atom in range(atoms):
            for constraint in self.shape.constraints():
                self._add_constraint(atom, constraint)
        for observation in observations:
            self._add_observation(observation)
        for atom, size in (atom_sizes or {}).items():
            self._add_row({self.variable(atom, TOTAL): 1.0}, size, size)
        self.ceiling = 1 + sum(h for h in self._high if np.isfinite(h))
        self._exact = None
        self._linear = None

    def variable(self, atom: int, cell: CellId) -> int:
        """The column of ``cell`` of ``atom``."""
        return atom * len(self.ids) + self._column[cell]

    @property
    def size(self) -> int:
        """The number of variables."""
        return self.atoms * len(self.ids)

    def _add_row(self, terms: dict[int, float], low: float, high: float) -> None:
        self._rows.append(terms)
        self._low.append(low)
        self._high.append(high)

    def _add_constraint(self, atom: int, constraint: Constraint) -> None:
        terms: dict[int, float] = {}
        for cell, k in constraint.terms:
            column = self.variable(atom, cell)
            terms[column] = terms.get(column, 0.0) + k
        self._add_row(terms, 0.0 if constraint.equal else -np.inf, 0.0)

    def _add_observation(self, observation: Observation) -> None:
        counts = observation.counts
        for cell in self.ids:
            if cell in counts.values:
                low, high = published_interval(counts.values[cell], counts.base)
            elif _absent(cell, counts.shape):
                low, high = 0, 0  # a group the publication does not list: nobody
            else:
                continue
            if low == 0 and high == np.inf:
                continue
            terms = {self.variable(a, cell): 1.0 for a in observation.atoms}
            self._add_row(terms, low, high)

    def _matrix(self):
        from scipy.sparse import coo_matrix

        rows, columns, data = [], [], []
        for r, terms in enumerate(self._rows):
            for column, k in terms.items():
                rows.append(r)
                columns.append(column)
                data.append(k)
        return coo_matrix((data, (rows, columns)), shape=(len(self._rows), self.size)).tocsr()

    def solve(self, objective: np.ndarray) -> np.ndarray:
        """An integer solution minimising ``objective`` (scipy's ``milp``, HiGHS)."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        if self._exact is None:
            self._exact = {
                "constraints": LinearConstraint(self._matrix(), self._low, self._high),
                "bounds": Bounds(np.zeros(self.size), np.full(self.size, self.ceiling)),
                "integrality": np.ones(self.size),
            }
        result = milp(objective, **self._exact)
        if result.status != 0:
            raise RuntimeError(f"disclosure audit failed: {result.message}")
        return np.round(result.x)

    def solve_linear(self, objective: np.ndarray) -> np.ndarray:
        """A solution of the linear relaxation minimising ``objective`` (``linprog``, HiGHS)."""
        from scipy.optimize import linprog
        from scipy.sparse import vstack

        if self._linear is None:
            matrix = self._matrix()
            low, high = np.array(self._low), np.array(self._high)
            equal = np.flatnonzero(low == high)
            upper = np.flatnonzero((low != high) & np.isfinite(high))
            lower = np.flatnonzero((low != high) & np.isfinite(low))
            self._linear = {
                "A_eq": matrix[equal],
                "b_eq": low[equal],
                "A_ub": vstack([matrix[upper], -matrix[lower]]).tocsr(),
                "b_ub": np.concatenate([high[upper], -low[lower]]),
                "bounds": (0, self.ceiling),
                "method": "highs",
            }
        result = linprog(objective, **self._linear)
        if result.status != 0:
            raise RuntimeError(f"disclosure audit failed: {result.message}")
        return result.x

    def feasible_range(self, columns: Sequence[int]) -> tuple[int, int]:
        """The smallest and largest integer value of a sum of variables (exact)."""
        objective = np.zeros(self.size)
        objective[list(columns)] = 1.0
        low = self.solve(objective) @ objective
        high = self.solve(-objective) @ objective
        return int(round(low)), int(round(high))

    def pinned(self, candidates: Sequence[int], witness: np.ndarray | None = None) -> list[int]:
        """The candidate variables that have a single feasible integer value, in the order given.

        Exact (integer programs): a few solutions pushing every open
        candidate at once, then one each for those still unproven.
        """
        if not candidates:
            return []
        if witness is None:
            witness = self.solve(np.zeros(self.size))
        open_ = list(candidates)
        rng = np.random.default_rng(0)
        for sign in [1.0, -1.0] + [None] * RANDOM_PUSHES:
            if not open_:
                return []
            objective = np.zeros(self.size)
            objective[open_] = sign if sign is not None else rng.choice([-1.0, 1.0], len(open_))
            open_ = _still(open_, self.solve(objective), witness)
        pinned = []
        for column in list(open_):
            if column not in open_:
                continue
            for sign in (1.0, -1.0):
                objective = np.zeros(self.size)
                objective[column] = sign
                open_ = _still(open_, self.solve(objective), witness)
                if column not in open_:
                    break
            else:
                pinned.append(column)
                open_.remove(column)
        return pinned

    def narrow(self, quantities: Sequence[Sequence[int]]) -> dict[int, float]:
        """Quantities (sums of variables) whose linear range is narrower than 1, with their value.

        Linear programs with targeted pushes: every solution widens the
        observed range of each quantity; each push minimises, then
        maximises, the sum of the quantities still narrower than 1, until
        none widens; the rest get one program each way.
        """
        from scipy.sparse import csr_matrix

        rows = [k for k, columns in enumerate(quantities) for _c in columns]
        columns = [c for cs in quantities for c in cs]
        weights = csr_matrix(
            (np.ones(len(columns)), (rows, columns)), shape=(len(quantities), self.size)
        )
        first = weights @ self.solve_linear(np.zeros(self.size))
        low, high = first.copy(), first.copy()

        def push(objective):
            values = weights @ self.solve_linear(np.asarray(objective).ravel())
            np.minimum(low, values, out=low)
            np.maximum(high, values, out=high)

        while True:
            open_ = np.flatnonzero(high - low < 1 - 1e-7)
            if not len(open_):
                return {}
            for sign in (1.0, -1.0):
                push(sign * weights[open_].sum(axis=0))
            if np.count_nonzero(high - low < 1 - 1e-7) == len(open_):
                break
        for k in np.flatnonzero(high - low < 1 - 1e-7):
            for sign in (1.0, -1.0):
                if high[k] - low[k] < 1 - 1e-7:
                    push(sign * weights[k].toarray())
        return {int(k): float(low[k]) for k in np.flatnonzero(high - low < 1 - 1e-7)}


def _still(open_: list[int], solution: np.ndarray, witness: np.ndarray) -> list[int]:
    """The candidates ``solution`` leaves where ``witness`` has them."""
    return [c for c in open_ if abs(solution[c] - witness[c]) < 0.5]


def _absent(cell: CellId, shape: Shape) -> bool:
    """True when ``cell`` is a group (or its cells) of a dimension ``shape`` has, but not listed."""
    if cell[0] == "group":
        dimension, group = cell[1], cell[2]
    elif cell[0] == "cell":
        dimension, group = cell[2], cell[3]
    else:
        return False
    try:
        return group not in shape.dimension(dimension).groups
    except KeyError:
        return False


def pinned_counts(counts: ProtectedCounts, truth: Mapping[CellId, int]) -> list[CellId]:
    """The counts with a true value from 1 to ``threshold − 1`` that ``counts`` pins down.

    Theme rows published as 0 throughout are left out of the program: all
    of them 0 is feasible whatever the rest is, so they constrain nothing
    and each of their small counts has at least two values (its own and 0).
    """
    silent = {t for t in counts.shape.themes if all(counts.values[i] == 0 for i in _row(counts, t))}
    shape = Shape(
        tuple(t for t in counts.shape.themes if t not in silent),
        counts.shape.dimensions,
        counts.shape.moods,
    )
    ids = set(shape.ids())
    kept = {i: v for i, v in counts.values.items() if i in ids}
    model = AttackerModel(
        [Observation(ProtectedCounts(shape, kept, counts.base, counts.threshold))], shape=shape
    )
    witness = np.array([truth[i] for i in model.ids], dtype=float)
    candidates = [model.variable(0, i) for i in model.ids if 0 < truth[i] < counts.threshold]
    return [model.ids[column] for column in model.pinned(candidates, witness)]


def _row(counts: ProtectedCounts, theme: str) -> list[CellId]:
    """Every count of one theme: its total, its cells and its moods."""
    cells = [theme_id(theme)]
    for dimension in counts.shape.dimensions:
        if dimension.themed:
            cells += [cell_id(theme, dimension.name, g) for g in dimension.groups]
    cells += [mood_id(theme, m) for m in counts.shape.moods]
    return cells


def exposures(
    counts: ProtectedCounts, truth: Mapping[CellId, int], earlier: Sequence[Earlier] = ()
) -> list[CellId]:
    """Counts of ``counts`` an attacker can pin down, alone or with an earlier publication.

    The pairs are checked first (cheap), then the publication alone
    (:func:`pinned_counts`, an integer program).
    """
    for before in earlier:
        found = pair_exposures(before, counts)
        if found:
            return found
    return pinned_counts(counts, truth)


def pair_exposures(before: Earlier, after: ProtectedCounts) -> list[CellId]:
    """Counts pinned by reading two publications of overlapping people together.

    People are split into three atoms: 0, those in both; 1, those only in
    ``before`` (``only_earlier`` of them); 2, those only in ``after``
    (``only_new``). Every constraint of the shape holds for each atom, each
    publication's intervals bound the sum of its atoms, and the atom sizes
    are known. The linear relaxation is solved (:meth:`AttackerModel.narrow`)
    for every count of either publication, of the people in both and of
    each atom of fewer than ``threshold`` people. Exposed: a count pinned at
    a value from 1 to ``threshold − 1``; or any count of such a small atom
    pinned at all (it points at them), except where the shape alone fixes
    it (their total, a dimension with one group).
    """
    model = AttackerModel(
        [Observation(before.counts, (0, 1)), Observation(after, (0, 2))],
        atoms=3,
        atom_sizes={1: before.only_earlier, 2: before.only_new},
    )
    threshold = after.threshold
    small = [a for a, n in ((1, before.only_earlier), (2, before.only_new)) if 0 < n < threshold]
    quantities, kinds = [], []
    for cell in after.shape.ids():
        for atoms, any_value in (((0, 2), False), ((0, 1), False), ((0,), False)):
            quantities.append([model.variable(a, cell) for a in atoms])
            kinds.append((cell, any_value))
        if cell != TOTAL and not _fixed_by_shape(after.shape, cell):
            for atom in small:
                quantities.append([model.variable(atom, cell)])
                kinds.append((cell, True))
    narrow = model.narrow(quantities)
    exposed = []
    for k, value in narrow.items():
        cell, any_value = kinds[k]
        if (any_value or 0 < round(value) < threshold) and cell not in exposed:
            exposed.append(cell)
    return exposed


def _pinned_small(bounds: tuple[float, float], threshold: int) -> bool:
    return bounds[0] == bounds[1] and 0 < bounds[0] < threshold


def _fixed_by_shape(shape: Shape, cell: CellId) -> bool:
    """A group that is its dimension's only group (everyone is in it)."""
    return cell[0] == "group" and len(shape.dimension(cell[1]).groups) == 1


__all__ = ["AttackerModel", "Observation", "exposures", "pair_exposures", "pinned_counts"]
