"""Wilson intervals and proportions."""

import math
import random

import pytest

from analysis.stats import Z_95, proportion, proportion_with_interval, wilson_interval


def test_known_values():
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4)
    assert high == pytest.approx(0.7634, abs=1e-4)
    assert wilson_interval(0, 10) == (0.0, pytest.approx(0.2775, abs=1e-4))
    assert wilson_interval(10, 10) == (pytest.approx(0.7225, abs=1e-4), 1.0)


def test_bounds_solve_the_score_equation():
    """The Wilson bounds are the p with |p̂ − p| = z·sqrt(p(1 − p)/n)."""
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 500)
        k = rng.randint(1, n - 1) if n > 1 else 1
        if k == n:
            continue
        p_hat = k / n
        for bound in wilson_interval(k, n):
            assert abs(p_hat - bound) == pytest.approx(
                Z_95 * math.sqrt(bound * (1 - bound) / n), rel=1e-9
            )


def test_interval_contains_estimate_and_narrows_with_n():
    small = wilson_interval(3, 10)
    large = wilson_interval(300, 1000)
    assert small[0] < 0.3 < small[1]
    assert large[0] < 0.3 < large[1]
    assert large[1] - large[0] < small[1] - small[0]


def test_wider_for_larger_z():
    assert wilson_interval(3, 10, z=2.58)[0] < wilson_interval(3, 10)[0]


def test_zero_n_is_the_whole_interval():
    assert wilson_interval(0, 0) == (0.0, 1.0)
    result = proportion_with_interval(0, 0)
    assert result.share is None
    assert (result.low, result.high) == (0.0, 1.0)


def test_proportion():
    assert proportion(1, 4) == 0.25
    assert proportion(0, 0) is None
    result = proportion_with_interval(1, 4)
    assert (result.successes, result.n, result.share) == (1, 4, 0.25)
    assert (result.low, result.high) == wilson_interval(1, 4)


@pytest.mark.parametrize("successes, n", [(-1, 5), (6, 5), (0, -1)])
def test_invalid_counts(successes, n):
    with pytest.raises(ValueError):
        wilson_interval(successes, n)
    with pytest.raises(ValueError):
        proportion(successes, n)


def test_invalid_z():
    with pytest.raises(ValueError):
        wilson_interval(1, 2, z=0)
