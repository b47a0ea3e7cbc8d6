"""Proportions and their confidence intervals.

Prevalence in a committee report is a share of respondents, shown with a 95%
interval so a reader can tell a real difference from noise in a small group.
We use the Wilson score interval: unlike the textbook "p ± 1.96·SE" (Wald)
interval it never leaves [0, 1] and stays honest when the count is 0 or n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054
"""The two-sided 95% quantile of the standard normal distribution."""


@dataclass(frozen=True, slots=True)
class Proportion:
    """``successes`` out of ``n`` with its share and Wilson interval.

    ``share`` is ``None`` when ``n`` is 0: there is nothing to divide by.
    """

    successes: int
    n: int
    share: float | None
    low: float
    high: float


def proportion(successes: int, n: int) -> float | None:
    """Return ``successes / n``, or ``None`` when ``n`` is 0.

    Raises ``ValueError`` unless ``0 <= successes <= n``.
    """
    _check_counts(successes, n)
    return successes / n if n else None


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval ``(low, high)`` for ``successes`` out of ``n``.

    With ``p = successes / n``::

        centre     = (p + z² / 2n) / (1 + z² / n)
        half_width = z / (1 + z² / n) · sqrt(p(1 − p) / n + z² / 4n²)
        interval   = (centre − half_width, centre + half_width)

    ``z`` is the normal quantile (1.96 for 95%). With ``n == 0`` nothing is
    known and the interval is the whole ``(0.0, 1.0)``. The bounds are exact
    at the edges: ``low`` is 0.0 when ``successes == 0`` and ``high`` is 1.0
    when ``successes == n``. Raises ``ValueError`` unless
    ``0 <= successes <= n`` and ``z > 0``.
    """
    _check_counts(successes, n)
    if z <= 0:
        raise ValueError(f"z must be positive, got {z}")
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half_width = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half_width)
    high = 1.0 if successes == n else min(1.0, centre + half_width)
    return (low, high)


def proportion_with_interval(successes: int, n: int, z: float = Z_95) -> Proportion:
    """Return ``successes`` out of ``n`` as a :class:`Proportion` with its Wilson interval."""
    low, high = wilson_interval(successes, n, z)
    return Proportion(successes, n, proportion(successes, n), low, high)


def _check_counts(successes: int, n: int) -> None:
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
