"""Priority rounds: committee ballots counted into a ranked list of priorities.

A round offers options (themes of a publication and gaps of its gap map)
and counts secret ballots by one of two documented methods:

- **Ranking, Borda count** (``rank``). Each member ranks as many options as
  they like, 1 being the most important. With ``n`` options, an option in
  place ``r`` earns ``n - r + 1`` points (the first of 10 earns 10, the
  tenth 1) and an option left unranked earns 0. An option's score is the
  sum over ballots.
- **Points** (``points``). Each member spreads up to ``budget`` points
  (whole numbers, 0 or more) over the options; an option's score is the
  sum of the points it received.

Options are listed by score, highest first, with standard competition
ranks: equal scores share a rank and are shown as tied, never broken.
The spread of views is given per option: the mean, standard deviation,
lowest and highest of what each ballot gave it (Borda points or points,
0 when a ballot gave it nothing), and its support (ballots giving it
anything). Turnout is ballots cast over members entitled to vote.

Ballots are validated here and refused with codes, never repaired:
``unknown_option``, ``duplicate_rank``, ``bad_rank``, ``empty_ballot``,
``negative_points``, ``over_budget``.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace

from analysis.ranking import rank_by

RANK = "rank"
POINTS = "points"
METHODS = (RANK, POINTS)
DEFAULT_BUDGET = 100


@dataclass(frozen=True, slots=True)
class BallotProblem:
    """Why a ballot was refused (``code``), about which option if any."""

    code: str
    option: str | None = None


@dataclass(frozen=True, slots=True)
class OptionResult:
    """One option's place and the spread of the ballots about it."""

    option: str
    rank: int
    tied: bool
    score: int
    mean: float
    spread: float
    """Population standard deviation of what each ballot gave the option."""
    low: int
    high: int
    support: int
    """Ballots that gave the option anything (ranked it, or gave it points)."""


@dataclass(frozen=True, slots=True)
class RoundResult:
    """A counted round: options best first, turnout and the method used."""

    method: str
    budget: int | None
    ballots: int
    eligible: int
    options: tuple[OptionResult, ...]

    @property
    def turnout(self) -> float | None:
        """Ballots over eligible members (None when no one was entitled to vote)."""
        return self.ballots / self.eligible if self.eligible else None


def check_ranking(ranking: Sequence[str], options: Sequence[str]) -> list[BallotProblem]:
    """Problems with a ranking (options, most important first): empty, unknown, repeated."""
    if not ranking:
        return [BallotProblem("empty_ballot")]
    known, seen, problems = set(options), set(), []
    for option in ranking:
        if option not in known:
            problems.append(BallotProblem("unknown_option", option))
        elif option in seen:
            problems.append(BallotProblem("duplicate_rank", option))
        seen.add(option)
    return problems


def ranking_from_places(
    places: Mapping[str, int | None], options: Sequence[str]
) -> tuple[list[str], list[BallotProblem]]:
    """A ranking from the place a member gave each option (``None``: not ranked).

    Places must be distinct whole numbers from 1 to the number of options
    (every option sharing a place is named in the problems); gaps are
    closed up (places 1, 2, 5 become 1, 2, 3) since only the order counts.
    """
    problems: list[BallotProblem] = []
    given = {o: p for o, p in places.items() if p is not None}
    for option, place in given.items():
        if option not in options:
            problems.append(BallotProblem("unknown_option", option))
        elif place < 1 or place > len(options):
            problems.append(BallotProblem("bad_rank", option))
    by_place: dict[int, list[str]] = {}
    for option in options:
        if given.get(option) is not None:
            by_place.setdefault(given[option], []).append(option)
    for shared in by_place.values():
        if len(shared) > 1:
            problems += [BallotProblem("duplicate_rank", option) for option in shared]
    if not given:
        problems.append(BallotProblem("empty_ballot"))
    return [by_place[p][0] for p in sorted(by_place)], problems


def check_points(
    allocation: Mapping[str, int], options: Sequence[str], budget: int
) -> list[BallotProblem]:
    """Problems with a points ballot: unknown options, negative points, over the budget, none."""
    problems = [BallotProblem("unknown_option", o) for o in allocation if o not in options]
    problems += [BallotProblem("negative_points", o) for o, n in allocation.items() if n < 0]
    if sum(n for n in allocation.values() if n > 0) > budget:
        problems.append(BallotProblem("over_budget"))
    if not any(n > 0 for n in allocation.values()):
        problems.append(BallotProblem("empty_ballot"))
    return problems


def borda_points(ranking: Sequence[str], options: Sequence[str]) -> dict[str, int]:
    """What one ranking gives each option: ``n - place + 1`` if ranked, else 0."""
    n = len(options)
    given = {option: n - index for index, option in enumerate(ranking)}
    return {option: given.get(option, 0) for option in options}


def allocated_points(allocation: Mapping[str, int], options: Sequence[str]) -> dict[str, int]:
    """What one points ballot gives each option (0 when it gave none)."""
    return {option: int(allocation.get(option, 0)) for option in options}


def tally(
    method: str,
    ballots: Sequence,
    options: Sequence[str],
    *,
    eligible: int,
    budget: int | None = None,
) -> RoundResult:
    """Count ``ballots`` (rankings for ``rank``, allocations for ``points``) into a result.

    Ballots are assumed valid (checked when cast with :func:`check_ranking`
    or :func:`check_points`); options a ballot names that are not offered
    count for nothing.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    given = [
        borda_points(b, options) if method == RANK else allocated_points(b, options)
        for b in ballots
    ]
    results = [_option_result(option, [g[option] for g in given]) for option in options]
    ranked = rank_by(results, lambda r: r.score, tie_order=lambda r: options.index(r.option))
    return RoundResult(
        method=method,
        budget=budget if method == POINTS else None,
        ballots=len(ballots),
        eligible=eligible,
        options=tuple(replace(e.item, rank=e.rank, tied=e.tied) for e in ranked),
    )


def _option_result(option: str, values: list[int]) -> OptionResult:
    return OptionResult(
        option=option,
        rank=0,
        tied=False,
        score=sum(values),
        mean=statistics.fmean(values) if values else 0.0,
        spread=statistics.pstdev(values) if values else 0.0,
        low=min(values, default=0),
        high=max(values, default=0),
        support=sum(1 for v in values if v > 0),
    )


def result_to_dict(result: RoundResult) -> dict:
    """The result as JSON-ready data (frozen when a round closes)."""
    return {
        "method": result.method,
        "budget": result.budget,
        "ballots": result.ballots,
        "eligible": result.eligible,
        "options": [asdict(o) for o in result.options],
    }


def result_from_dict(data: Mapping) -> RoundResult:
    """Rebuild a result from :func:`result_to_dict` output."""
    return RoundResult(
        method=data["method"],
        budget=data.get("budget"),
        ballots=data["ballots"],
        eligible=data["eligible"],
        options=tuple(OptionResult(**o) for o in data["options"]),
    )
