"""Ranks with ties: the "1, 2, 2, 4" of standard competition ranking.

Used by the gap map (largest gaps first) and by priority rounds (highest
score first). Equal scores share a rank and are marked tied, never broken
by an order the reader cannot see.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Ranked(Generic[T]):
    """One item with its place: ``rank`` is 1 for the first, shared by equal scores."""

    rank: int
    tied: bool
    item: T


def competition_ranks(scores: Sequence[Hashable]) -> list[tuple[int, bool]]:
    """``(rank, tied)`` for each of ``scores``, which must already be sorted best first.

    Standard competition ranking: equal scores share the rank of the first
    of them and the next score skips as many places (1, 2, 2, 4).
    """
    ranks: list[tuple[int, bool]] = []
    for index, score in enumerate(scores):
        if index and score == scores[index - 1]:
            ranks.append((ranks[-1][0], True))
        else:
            ranks.append((index + 1, False))
    for index in range(len(ranks) - 1):
        if ranks[index + 1][1]:
            ranks[index] = (ranks[index][0], True)
    return ranks


def rank_by(items: Sequence[T], score, *, tie_order=None) -> list[Ranked[T]]:
    """``items`` best first by ``score(item)`` (higher is better), with shared ranks.

    ``tie_order(item)`` orders items with equal scores for display only (for
    example alphabetically); it never changes their shared rank.
    """
    order = sorted(
        items, key=lambda i: (_negated(score(i)), tie_order(i) if tie_order is not None else 0)
    )
    ranks = competition_ranks([score(i) for i in order])
    return [Ranked(rank, tied, item) for (rank, tied), item in zip(ranks, order, strict=True)]


def _negated(value):
    return -value
