"""Property tests: for random small data sets, an exact attacker pins no count below the threshold.

The attacker here is written independently of :mod:`analysis.audit` and is
stronger than it: it knows that the counts come from *people*, each with
one group per dimension and, per theme, either nothing or the theme with a
mood (or unscored). Its unknowns are how many people there are of each
such type, so every published number is a sum of type counts, and every
joint consistency between tables is known too. It is solved exactly
(integer programming, scipy's ``milp``) for the feasible range of every
count whose true value is small, given everything published, including,
for the differencing tests, two publications whose respondents differ by
a few people (a withdrawal, or periods a day apart).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.disclosure import (
    MOODS,
    CannotProtect,
    Dimension,
    Earlier,
    Shape,
    cell_id,
    count_cube,
    group_id,
    mood_id,
    protect,
    theme_id,
)

UNRAISED, UNSCORED = "-", "?"
STATES = (UNRAISED, UNSCORED, *MOODS)


def person_strategy(dimensions, themes):
    groups = [st.sampled_from(range(n)) for n in dimensions.values()]
    return st.tuples(st.tuples(*groups), st.tuples(*[st.sampled_from(STATES)] * len(themes)))


@st.composite
def datasets(draw, max_people=24):
    themes = [f"t{i}" for i in range(draw(st.integers(1, 2)))]
    dimensions = {"source": draw(st.integers(1, 2))}
    for k in range(draw(st.integers(1, 2))):
        dimensions[f"d{k}"] = draw(st.integers(2, 3))
    people = draw(st.lists(person_strategy(dimensions, themes), min_size=1, max_size=max_people))
    threshold = draw(st.integers(3, 5))
    secret = draw(st.binary(min_size=4, max_size=8))
    return themes, dimensions, people, threshold, secret


def shape_of(themes, dimensions) -> Shape:
    """Every group of every dimension, whoever is in the data: shapes never depend on data."""
    listed = [Dimension(name, tuple(str(g) for g in range(n))) for name, n in dimensions.items()]
    return Shape(tuple(themes), tuple(listed))


def true_counts(themes, dimensions, people, shape):
    """Every count of ``shape`` for ``people`` (cells keyed as in the cube)."""
    counts = {}
    for cell in shape.ids():
        counts[cell] = sum(contributes(cell, p, themes, list(dimensions)) for p in people)
    return counts


def contributes(cell, person, themes, names) -> bool:
    """True when ``person`` (groups, states) is counted in ``cell``."""
    groups, states = person
    state = dict(zip(themes, states, strict=True))
    kind = cell[0]
    if kind == "total":
        return True
    if kind == "theme":
        return state[cell[1]] != UNRAISED
    if kind == "group":
        return str(groups[names.index(cell[1])]) == cell[2]
    if kind == "cell":
        raised = state[cell[1]] != UNRAISED
        return raised and str(groups[names.index(cell[2])]) == cell[3]
    return state[cell[1]] == cell[2]  # mood


def cube_of(themes, dimensions, people):
    shape = shape_of(themes, dimensions)
    counts = true_counts(themes, dimensions, people, shape)
    sizes = {d.name: {g: counts[group_id(d.name, g)] for g in d.groups} for d in shape.dimensions}
    cells = {
        d.name: {t: {g: counts[cell_id(t, d.name, g)] for g in d.groups} for t in themes}
        for d in shape.dimensions
    }
    moods = {t: {m: counts[mood_id(t, m)] for m in MOODS} for t in themes}
    totals = {t: counts[theme_id(t)] for t in themes}
    return count_cube(shape, len(people), totals, sizes, cells, moods)


def interval(cell, value, base):
    """What a reader learns from a published value (independent of analysis.disclosure)."""
    if value is None:
        return None
    return (max(0, value - base + 1), value + base - 1)


class TypeAttacker:
    """Unknowns: people of each type, per atom. Publications are sums over their atoms."""

    def __init__(self, themes, dimensions, atoms=1):
        self.themes, self.names = themes, list(dimensions)
        groups = [range(n) for n in dimensions.values()]
        self.types = list(
            itertools.product(
                itertools.product(*groups), itertools.product(STATES, repeat=len(themes))
            )
        )
        self.sizes = list(dimensions.values())
        self.atoms = atoms
        self.rows, self.low, self.high = [], [], []

    def column(self, atom, t):
        return atom * len(self.types) + t

    def indicator(self, cell, atom):
        row = np.zeros(self.atoms * len(self.types))
        for t, person in enumerate(self.types):
            if contributes(cell, person, self.themes, self.names):
                row[self.column(atom, t)] = 1
        return row

    def publish(self, shape, values, base, atoms):
        for cell in shape.ids():
            bounds = interval(cell, values[cell], base)
            if bounds is not None:
                self.rows.append(sum(self.indicator(cell, a) for a in atoms))
                self.low.append(bounds[0])
                self.high.append(bounds[1])
        for k, name in enumerate(self.names):  # a group not listed holds nobody
            listed = set(shape.dimension(name).groups)
            for g in range(self.sizes[k]):
                if str(g) not in listed:
                    cell = group_id(name, str(g))
                    self.rows.append(sum(self.indicator(cell, a) for a in atoms))
                    self.low.append(0)
                    self.high.append(0)

    def fix_size(self, atom, size):
        self.rows.append(self.indicator(("total",), atom))
        self.low.append(size)
        self.high.append(size)

    def pinned(self, cells, atom, witness):
        """The ``cells`` of ``atom`` that have one feasible value (the witness's)."""
        return self.pinned_sums(cells, (atom,), witness)

    def pinned_sums(self, cells, atoms, witness):
        """The ``cells``, summed over ``atoms``, that have one feasible value (the witness's).

        A solution that gives a cell another value than the witness proves
        it has two; a few solutions pushing all cells at once prove most.
        """
        if not cells:
            return []
        n = self.atoms * len(self.types)
        problem = {
            "constraints": LinearConstraint(np.array(self.rows), self.low, self.high),
            "bounds": Bounds(np.zeros(n), np.full(n, np.inf)),
            "integrality": np.ones(n),
        }
        rows = {cell: sum(self.indicator(cell, a) for a in atoms) for cell in cells}
        open_ = set(cells)
        rng = np.random.default_rng(1)
        pushes = [np.ones(len(cells)), -np.ones(len(cells))]
        pushes += [rng.choice([-1.0, 1.0], len(cells)) for _ in range(3)]
        singles = [(cell, sign) for cell in cells for sign in (1.0, -1.0)]
        for objective in [sum(w * rows[c] for w, c in zip(p, cells)) for p in pushes] + singles:
            if isinstance(objective, tuple):
                cell, sign = objective
                if cell not in open_:
                    continue
                objective = sign * rows[cell]
            result = milp(objective, **problem)
            assert result.status in (0, 3, 4), result.message
            if result.status != 0:  # unbounded: everything it pushes has many values
                open_ -= {c for c in open_ if (objective * rows[c]).any()}
                continue
            open_ -= {c for c in open_ if abs(rows[c] @ (result.x - witness)) > 0.5}
            if not open_:
                break
        return sorted(open_)


def type_counts(attacker, people, atom=0, into=None):
    counts = into if into is not None else np.zeros(attacker.atoms * len(attacker.types))
    index = {person: k for k, person in enumerate(attacker.types)}
    for person in people:
        counts[attacker.column(atom, index[person])] += 1
    return counts


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@SETTINGS
@given(datasets())
def test_no_small_count_of_one_publication_can_be_worked_out(data):
    themes, dimensions, people, threshold, secret = data
    cube = cube_of(themes, dimensions, people)
    if len(people) < threshold:
        with pytest.raises(CannotProtect):  # a publication is itself a group of people
            protect(cube, threshold, secret=secret)
        return
    published = protect(cube, threshold, secret=secret).counts
    assert all(v is None or v % threshold == 0 for v in published.values.values())
    attacker = TypeAttacker(themes, dimensions)
    attacker.publish(cube.shape, published.values, published.base, atoms=(0,))
    witness = type_counts(attacker, people)
    small = [cell for cell, value in cube.counts.items() if 0 < value < threshold]
    assert attacker.pinned(small, 0, witness) == [], f"worked out from {published.values}"


@SETTINGS
@given(datasets(max_people=16), st.data())
def test_two_publications_do_not_reveal_the_people_in_only_one(data, more):
    """Two versions or periods: A counts ``both + left``, B counts ``both + joined``.

    A withdrawal is ``joined = []``; two periods a day apart are ``left = []``
    or both non-empty. The attacker knows how many left and joined, and
    must not pin any count of either small group nor a small count of B.
    """
    themes, dimensions, people, threshold, secret = data
    left_n = more.draw(st.integers(0, min(len(people), threshold - 1)), label="left")
    joined_n = more.draw(st.integers(0, min(len(people) - left_n, threshold - 1)), label="joined")
    left, joined, both = (
        people[:left_n],
        people[left_n : left_n + joined_n],
        people[left_n + joined_n :],
    )
    a_people, b_people = both + left, both + joined
    if min(len(a_people), len(b_people)) < threshold or not both or not left_n + joined_n:
        return  # nothing is published about fewer than threshold people; no overlap: no audit
    a = protect(cube_of(themes, dimensions, a_people), threshold, secret=secret).counts
    earlier = [Earlier(a, only_earlier=left_n, only_new=joined_n)]
    b_cube = cube_of(themes, dimensions, b_people)
    b = protect(b_cube, threshold, secret=secret, earlier=earlier).counts
    attacker = TypeAttacker(themes, dimensions, atoms=3)  # both, left, joined
    attacker.publish(a.shape, a.values, a.base, atoms=(0, 1))
    attacker.publish(b.shape, b.values, b.base, atoms=(0, 2))
    attacker.fix_size(1, left_n)
    attacker.fix_size(2, joined_n)
    witness = type_counts(attacker, both, 0)
    type_counts(attacker, left, 1, into=witness)
    type_counts(attacker, joined, 2, into=witness)
    shape = b.shape
    theirs = [c for c in shape.ids() if c != ("total",) and not _single_group(shape, c)]
    for atom, n in ((1, left_n), (2, joined_n)):
        if n:
            assert attacker.pinned(theirs, atom, witness) == [], f"what the {n} in atom {atom} had"
    small = [c for c, v in b_cube.counts.items() if 0 < v < threshold]
    assert attacker.pinned_sums(small, (0, 2), witness) == []


def _single_group(shape, cell) -> bool:
    """Counts fixed by the dimension having one group only (everyone is in it)."""
    if cell[0] != "group":
        return False
    return len(shape.dimension(cell[1]).groups) == 1
