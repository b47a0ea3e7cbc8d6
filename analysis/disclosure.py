"""Disclosure control for publications: one protected set of counts, from which everything is made.

A committee publication shows many numbers about the same people: how many
raised each theme, in each group of each dimension (source, language, every
breakdown question), the size of each group, respondents per week, and how
many of those who raised a theme wrote about it negatively, neutrally or
positively. A reader knows how these numbers hang together, so they are
protected together, as one :class:`CountCube`:

- every count has a :data:`CellId`: ``("total",)``, ``("theme", t)``,
  ``("group", d, g)``, ``("cell", t, d, g)`` (people in group ``g`` of
  dimension ``d`` who raised theme ``t``) and ``("mood", t, m)``;
- the :class:`Shape` states what an attacker knows of them
  (:meth:`Shape.constraints`): the groups of each dimension add up to the
  total (a person is counted once per dimension), each theme's cells add up
  to the theme's total, a cell is never above its group, a theme never
  above the total, the mood counts of a theme never above the theme; and
  every count is a non-negative integer.

:func:`protect` publishes the cube:

1. **Random rounding** (Statistics Canada's method for census counts).
   Every count, totals included, is rounded to a multiple of the base
   ``b`` (the threshold): a count ``c = q·b + r`` becomes ``(q + 1)·b``
   with probability ``r / b`` and ``q·b`` otherwise, so rounding is
   unbiased and a published ``v`` says only that the count lies within
   ``b − 1`` of ``v``. A published 0 means "fewer than ``b``" (possibly
   none); nothing between 1 and ``b − 1`` is ever shown.
2. **Keyed draws** (as in the ABS cell-key method). The random number for a
   count is a keyed hash (HMAC-SHA-256) of the partnership's secret, every
   true count of the cube and the count's id. The same data always rounds
   the same way, so publishing it again gains an attacker nothing; any
   change of the data (a withdrawal, a new response, a recoded answer)
   draws afresh for *every* count, so two versions differ everywhere by
   independent noise and the counts that changed do not point at the
   people who changed them.
3. **Audit** (:mod:`analysis.audit`). An exact integer program holds
   everything published with every constraint of the shape; each count
   whose true value is between 1 and ``threshold − 1`` must have at least
   two feasible values. A count that is pinned is hidden, and the
   published counts it shares a constraint with are hidden one at a time
   until none is pinned. Hidden counts are published as ``None`` and
   labelled "hidden to protect a small group".

Every share, interval, chart and sentiment figure of a report is computed
from the published counts only (:meth:`ProtectedCounts.share`), so none of
them can tell more than the counts do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from analysis.stats import wilson_interval

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3

CellId = tuple[str, ...]
TOTAL: CellId = ("total",)

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
MOODS = (NEGATIVE, NEUTRAL, POSITIVE)
"""How a respondent's texts on a theme read, on the whole (only where sentiment is scored)."""


def theme_id(theme: str) -> CellId:
    """The id of the count of respondents who raised ``theme``."""
    return ("theme", theme)


def group_id(dimension: str, group: str) -> CellId:
    """The id of the count of respondents in ``group`` of ``dimension``."""
    return ("group", dimension, group)


def cell_id(theme: str, dimension: str, group: str) -> CellId:
    """The id of the count of respondents in ``group`` of ``dimension`` who raised ``theme``."""
    return ("cell", theme, dimension, group)


def mood_id(theme: str, mood: str) -> CellId:
    """The id of the count of respondents whose texts on ``theme`` read as ``mood``."""
    return ("mood", theme, mood)


@dataclass(frozen=True, slots=True)
class Dimension:
    """A way of splitting respondents into groups; every respondent is in exactly one group.

    ``themed``: the publication shows theme x group counts (a breakdown
    table); otherwise only the group sizes (respondents per week).
    """

    name: str
    groups: tuple[str, ...]
    themed: bool = True


@dataclass(frozen=True, slots=True)
class Constraint:
    """``sum(coefficient * count) == 0`` (``equal``) or ``<= 0``: what a reader knows holds."""

    terms: tuple[tuple[CellId, int], ...]
    equal: bool


@dataclass(frozen=True, slots=True)
class Shape:
    """Which counts a publication has and how they hang together."""

    themes: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    moods: tuple[str, ...] = MOODS

    def ids(self) -> tuple[CellId, ...]:
        """Every count's id, in a fixed order: total, themes, groups, cells, moods."""
        ids = [TOTAL, *(theme_id(t) for t in self.themes)]
        for dimension in self.dimensions:
            ids += [group_id(dimension.name, g) for g in dimension.groups]
        for dimension in self.dimensions:
            if dimension.themed:
                ids += [
                    cell_id(t, dimension.name, g) for t in self.themes for g in dimension.groups
                ]
        ids += [mood_id(t, m) for t in self.themes for m in self.moods]
        return tuple(ids)

    def dimension(self, name: str) -> Dimension:
        """The dimension called ``name``."""
        for dimension in self.dimensions:
            if dimension.name == name:
                return dimension
        raise KeyError(name)

    def constraints(self) -> list[Constraint]:
        """Everything a reader knows about the true counts, besides their being integers >= 0."""
        found = []
        for dimension in self.dimensions:
            groups = [group_id(dimension.name, g) for g in dimension.groups]
            found.append(_adds_up(groups, TOTAL))
            if not dimension.themed:
                continue
            for theme in self.themes:
                cells = [cell_id(theme, dimension.name, g) for g in dimension.groups]
                found.append(_adds_up(cells, theme_id(theme)))
                found += [_at_most([c], g) for c, g in zip(cells, groups, strict=True)]
        for theme in self.themes:
            found.append(_at_most([theme_id(theme)], TOTAL))
            if self.moods:
                found.append(_at_most([mood_id(theme, m) for m in self.moods], theme_id(theme)))
        return found

    def to_dict(self) -> dict:
        """JSON-ready data."""
        return {
            "themes": list(self.themes),
            "dimensions": [
                {"name": d.name, "groups": list(d.groups), "themed": d.themed}
                for d in self.dimensions
            ],
            "moods": list(self.moods),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Shape:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            themes=tuple(data["themes"]),
            dimensions=tuple(
                Dimension(d["name"], tuple(d["groups"]), d["themed"]) for d in data["dimensions"]
            ),
            moods=tuple(data.get("moods", MOODS)),
        )


def _adds_up(parts: Sequence[CellId], whole: CellId) -> Constraint:
    return Constraint(tuple((p, 1) for p in parts) + ((whole, -1),), equal=True)


def _at_most(parts: Sequence[CellId], whole: CellId) -> Constraint:
    return Constraint(tuple((p, 1) for p in parts) + ((whole, -1),), equal=False)


@dataclass(frozen=True)
class CountCube:
    """The true counts of a publication (researcher-level data: never shown to a committee)."""

    shape: Shape
    counts: Mapping[CellId, int]

    def __post_init__(self) -> None:
        missing = [i for i in self.shape.ids() if i not in self.counts]
        if missing:
            raise ValueError(f"no count for {missing[0]!r}")
        if any(v < 0 for v in self.counts.values()):
            raise ValueError("counts cannot be negative")
        for constraint in self.shape.constraints():
            value = sum(self.counts[i] * k for i, k in constraint.terms)
            if value > 0 or (constraint.equal and value != 0):
                raise ValueError(f"the counts break {constraint.terms!r}")


def count_cube(
    shape: Shape,
    total: int,
    theme_totals: Mapping[str, int],
    group_sizes: Mapping[str, Mapping[str, int]],
    cells: Mapping[str, Mapping[str, Mapping[str, int]]],
    moods: Mapping[str, Mapping[str, int]],
) -> CountCube:
    """A cube from plain counts (``cells[dimension][theme][group]``); absent counts are 0."""
    counts: dict[CellId, int] = {TOTAL: total}
    for theme in shape.themes:
        counts[theme_id(theme)] = theme_totals.get(theme, 0)
        for mood in shape.moods:
            counts[mood_id(theme, mood)] = moods.get(theme, {}).get(mood, 0)
    for dimension in shape.dimensions:
        sizes = group_sizes.get(dimension.name, {})
        for group in dimension.groups:
            counts[group_id(dimension.name, group)] = sizes.get(group, 0)
        if dimension.themed:
            table = cells.get(dimension.name, {})
            for theme in shape.themes:
                row = table.get(theme, {})
                for group in dimension.groups:
                    counts[cell_id(theme, dimension.name, group)] = row.get(group, 0)
    return CountCube(shape, counts)


def check_threshold(threshold: int) -> None:
    """Raise ``ValueError`` for a threshold below :data:`MINIMUM_THRESHOLD`."""
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(f"threshold must be at least {MINIMUM_THRESHOLD}, got {threshold}")


def round_at_random(value: int, base: int, draw: float) -> int:
    """``value`` rounded to a multiple of ``base``: up with probability ``remainder / base``.

    ``draw`` is uniform in [0, 1). Multiples of ``base`` (0 included) are kept.
    """
    quotient, remainder = divmod(value, base)
    return base * (quotient + (1 if draw < remainder / base else 0))


def content_key(secret: bytes, cube: CountCube) -> bytes:
    """The key of a cube's draws: the secret hashed with the shape and every true count."""
    content = json.dumps(
        [cube.shape.to_dict(), [[list(i), cube.counts[i]] for i in cube.shape.ids()]],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(secret, content.encode(), hashlib.sha256).digest()


def draw(key: bytes, cell: CellId) -> float:
    """The uniform random number in [0, 1) of ``cell`` under ``key``."""
    digest = hmac.new(key, json.dumps(list(cell)).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def published_interval(value: int | None, base: int) -> tuple[int, float]:
    """What a published ``value`` tells a reader about the true count: ``(low, high)``.

    A rounded ``v`` is within ``base − 1`` of the count, and never below 0
    (a published 0 is "fewer than ``base``", possibly none); a hidden
    count (``None``) is anything.
    """
    if value is None:
        return (0, float("inf"))
    return (max(0, value - base + 1), value + base - 1)


HIDDEN = None
"""How a hidden count is published (labelled "hidden to protect a small group")."""


@dataclass(frozen=True)
class ProtectedCounts:
    """The published counts of a publication: multiples of ``base``, or ``None`` where hidden.

    The only numbers a report may show or compute from.
    """

    shape: Shape
    values: Mapping[CellId, int | None]
    base: int
    threshold: int

    def value(self, cell: CellId) -> int | None:
        """The published value of ``cell``: a multiple of ``base`` (0: fewer than ``base``)."""
        return self.values[cell]

    @property
    def total(self) -> int | None:
        """Respondents in the publication, as published."""
        return self.values[TOTAL]

    def theme(self, theme: str) -> int | None:
        """Respondents who raised ``theme``, as published."""
        return self.values[theme_id(theme)]

    def group(self, dimension: str, group: str) -> int | None:
        """Respondents in ``group`` of ``dimension``, as published."""
        return self.values[group_id(dimension, group)]

    def cell(self, theme: str, dimension: str, group: str) -> int | None:
        """Respondents in ``group`` of ``dimension`` who raised ``theme``, as published."""
        return self.values[cell_id(theme, dimension, group)]

    def mood(self, theme: str, mood: str) -> int | None:
        """Respondents whose texts on ``theme`` read as ``mood``, as published."""
        return self.values[mood_id(theme, mood)]

    def shown(self, cell: CellId) -> bool:
        """True when ``cell`` is published as a number of at least ``base``."""
        value = self.values[cell]
        return value is not None and value >= self.base

    def share(self, part: CellId, whole: CellId) -> Share | None:
        """``part / whole`` with its 95% Wilson interval, from the published counts only.

        ``None`` when either is hidden or ``part`` is published as 0 (fewer
        than ``base``). Rounded counts can put a part above its whole; the
        share is then capped at 1.
        """
        return share_of(self.values[part], self.values[whole], self.base)

    def to_dict(self) -> dict:
        """JSON-ready data."""
        return {
            "shape": self.shape.to_dict(),
            "values": [[list(i), self.values[i]] for i in self.shape.ids()],
            "base": self.base,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> ProtectedCounts:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            shape=Shape.from_dict(data["shape"]),
            values={tuple(i): v for i, v in data["values"]},
            base=data["base"],
            threshold=data["threshold"],
        )


@dataclass(frozen=True, slots=True)
class Share:
    """A share computed from published counts, with its 95% Wilson interval."""

    value: float
    low: float
    high: float


def share_of(part: int | None, whole: int | None, base: int) -> Share | None:
    """The share ``part / whole`` of two published counts (see :meth:`ProtectedCounts.share`)."""
    if part is None or whole is None or part < base or whole <= 0:
        return None
    capped = min(part, whole)
    low, high = wilson_interval(capped, whole)
    return Share(capped / whole, low, high)


@dataclass(frozen=True, slots=True)
class HiddenCount:
    """For the researcher: a count hidden by the audit, and the count it protects."""

    cell: CellId
    protects: CellId
    pinned_at: int


@dataclass(frozen=True)
class Earlier:
    """An earlier publication (or version) of the same people, as the auditor sees it.

    ``only_earlier`` people were counted in it but are not now (they
    withdrew, or fell outside the new period); ``only_new`` people are
    counted now but were not then. The attacker is assumed to know both.
    """

    counts: ProtectedCounts
    only_earlier: int
    only_new: int


@dataclass(frozen=True)
class Protection:
    """The result of :func:`protect`: what is published, how many draws it took, what is hidden."""

    counts: ProtectedCounts
    draws: int = 1
    hidden: tuple[HiddenCount, ...] = field(default=())


MAX_DRAWS = 12
"""Fresh draws tried before hiding counts instead (see :func:`protect`)."""


class CannotProtect(ValueError):
    """Raised when no publication of the counts can keep every small group from being worked out.

    ``reason`` is ``"too_few"`` (the publication itself would describe
    fewer than ``threshold`` people) or ``"pinned"`` (every count hidden,
    and a small group can still be worked out with earlier publications).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def protect(
    cube: CountCube,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    secret: bytes,
    earlier: Sequence[Earlier] = (),
    draws: Mapping[CellId, float] | None = None,
) -> Protection:
    """Publish ``cube``: every count rounded at random, audited, redrawn until nothing is pinned.

    The audit (:func:`analysis.audit.exposures`) reads the rounded counts
    alone and with each of ``earlier``. When it finds a count pinned, the
    whole cube is drawn again with the next keyed draw. Whether a draw is
    kept depends only on what it publishes (and on the overlap sizes the
    attacker is assumed to know), so keeping one tells an attacker nothing
    more than the counts themselves. After :data:`MAX_DRAWS` draws the
    last one is kept and its pinned counts are hidden one at a time
    (labelled "hidden to protect a small group"). ``secret`` keys the draws
    (same secret and data: same result); ``draws`` replaces the first draw,
    for tests. Raises ``ValueError`` for a threshold below 3, and
    :class:`CannotProtect` for a cube of fewer than ``threshold`` people or
    one no hiding can protect.
    """
    from analysis.audit import exposures

    check_threshold(threshold)
    if cube.counts[TOTAL] < threshold:
        raise CannotProtect("too_few")
    key = content_key(secret, cube)
    for attempt in range(MAX_DRAWS):
        counts = _rounded(
            cube, threshold, _attempt_key(key, attempt), draws if not attempt else None
        )
        if not exposures(counts, cube.counts, earlier):
            return Protection(counts, attempt + 1)
    return _hide_until_safe(cube, counts, earlier)


def _attempt_key(key: bytes, attempt: int) -> bytes:
    return key if attempt == 0 else hmac.new(key, f"draw {attempt}".encode(), "sha256").digest()


def _rounded(cube: CountCube, threshold: int, key: bytes, draws) -> ProtectedCounts:
    base = threshold
    values: dict[CellId, int | None] = {}
    for cell in cube.shape.ids():
        u = draws[cell] if draws is not None else draw(key, cell)
        values[cell] = round_at_random(cube.counts[cell], base, u)
    return ProtectedCounts(cube.shape, values, base, threshold)


def _hide_until_safe(cube: CountCube, counts: ProtectedCounts, earlier) -> Protection:
    from analysis.audit import exposures

    values = dict(counts.values)
    hidden: list[HiddenCount] = []
    while exposed := exposures(counts, cube.counts, earlier):
        chosen = _to_hide(cube.shape, values, exposed[0])
        values[chosen] = HIDDEN
        hidden.append(HiddenCount(chosen, exposed[0], cube.counts[exposed[0]]))
        counts = ProtectedCounts(cube.shape, dict(values), counts.base, counts.threshold)
    return Protection(counts, MAX_DRAWS, tuple(hidden))


def _to_hide(shape: Shape, values: Mapping[CellId, int | None], exposed: CellId) -> CellId:
    """The count to hide next: the pinned one itself, else the smallest count it is linked to."""
    if exposed in values and values[exposed] is not None:
        return exposed
    linked = [
        i
        for constraint in shape.constraints()
        if any(i == exposed for i, _k in constraint.terms)
        for i, _k in constraint.terms
        if values[i] is not None
    ]
    if not linked:  # a count pinned only across publications: hide the total, linked to all
        linked = [i for i in shape.ids() if values[i] is not None]
    if not linked:
        raise CannotProtect("pinned")
    return min(linked, key=lambda i: (values[i] == 0, values[i], shape.ids().index(i)))


def cells_of(counts: ProtectedCounts, kinds: Iterable[str]) -> list[CellId]:
    """The ids of the published counts of the given kinds (``"theme"``, ``"cell"``, ...)."""
    wanted = set(kinds)
    return [i for i in counts.shape.ids() if i[0] in wanted]
