"""Cohen's kappa per theme, by hand and against scikit-learn."""

import math
import random
import warnings

import pytest
from sklearn.metrics import cohen_kappa_score

from analysis.agreement import auto_vs_human, cohen_kappa, kappa_per_theme
from analysis.records import Coding, Evidence, ThemeMatch


def test_hand_computed_table():
    # n=50: p_o = 35/50 = 0.7; p_e = (25·30 + 25·20)/2500 = 0.5; kappa = 0.2/0.5 = 0.4
    observed, expected, kappa = cohen_kappa(both=20, only_a=5, only_b=10, neither=15)
    assert observed == pytest.approx(0.7)
    assert expected == pytest.approx(0.5)
    assert kappa == pytest.approx(0.4)


def test_per_theme_from_mappings():
    units = ["u1", "u2", "u3", "u4", "u5"]
    coder_a = {"u1": {"housing"}, "u2": {"housing", "health"}, "u3": set()}
    coder_b = {"u1": {"housing"}, "u2": {"health"}, "u4": {"health"}}
    result = kappa_per_theme(coder_a, coder_b, units, ["housing", "health"])
    housing = result["housing"]
    # housing: A = yes,yes,no,no,no; B = yes,no,no,no,no (u5 uncoded by both = agree "absent")
    assert (housing.both, housing.only_a, housing.only_b, housing.neither) == (1, 1, 0, 3)
    assert housing.n == 5
    assert housing.observed == pytest.approx(0.8)
    assert housing.expected == pytest.approx((2 * 1 + 3 * 4) / 25)
    assert housing.kappa == pytest.approx((0.8 - 0.56) / 0.44)
    health = result["health"]
    assert (health.both, health.only_a, health.only_b, health.neither) == (1, 0, 1, 3)
    assert list(result) == ["housing", "health"]


def test_perfect_agreement_is_one_and_opposite_is_negative():
    units = [f"u{i}" for i in range(6)]
    coded = {f"u{i}": {"t"} for i in range(3)}
    assert kappa_per_theme(coded, coded, units, ["t"])["t"].kappa == pytest.approx(1.0)
    flipped = {f"u{i}": {"t"} for i in range(3, 6)}
    assert kappa_per_theme(coded, flipped, units, ["t"])["t"].kappa == pytest.approx(-1.0)


def test_degenerate_case_is_undefined_with_full_observed_agreement():
    units = ["u1", "u2", "u3"]
    result = kappa_per_theme({}, {}, units, ["housing"])["housing"]
    assert result.kappa is None and result.observed == 1.0 and result.expected == 1.0
    everyone = {u: {"housing"} for u in units}
    assert kappa_per_theme(everyone, everyone, units, ["housing"])["housing"].kappa is None
    assert cohen_kappa(0, 0, 0, 0) == (None, None, None)


def test_duplicate_units_count_once_and_only_listed_units_count():
    coder_a = {"u1": {"t"}, "u9": {"t"}}
    coder_b = {"u1": {"t"}}
    result = kappa_per_theme(coder_a, coder_b, ["u1", "u1", "u2"], ["t"])["t"]
    assert result.n == 2
    assert result.kappa == pytest.approx(1.0)


def test_matches_scikit_learn_on_random_codings():
    rng = random.Random(42)
    themes = ["housing", "employment", "health", "transportation"]
    for _ in range(30):
        units = [f"u{i}" for i in range(rng.randint(5, 80))]
        rates = {t: rng.random() for t in themes}
        coder_a = {u: {t for t in themes if rng.random() < rates[t]} for u in units}
        coder_b = {
            u: {t for t in themes if (t in coder_a[u]) != (rng.random() < 0.25)} for u in units
        }
        result = kappa_per_theme(coder_a, coder_b, units, themes)
        for theme in themes:
            labels_a = [theme in coder_a[u] for u in units]
            labels_b = [theme in coder_b[u] for u in units]
            with warnings.catch_warnings():
                # scikit-learn warns (0/0) in the degenerate case we report as None.
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = cohen_kappa_score(labels_a, labels_b)
            if math.isnan(expected):
                assert result[theme].kappa is None
            else:
                assert result[theme].kappa == pytest.approx(expected, abs=1e-12)


def test_auto_vs_human_reuses_the_same_measure():
    def coding(unit_id, *themes):
        matches = tuple(ThemeMatch(t, (Evidence(0, 1, "x", "x"),)) for t in themes)
        return Coding(unit_id, 1, matches)

    codings = [coding("u1", "housing"), coding("u2", "housing", "health"), coding("u3")]
    human = {"u1": {"housing"}, "u2": {"health"}, "u4": {"health"}}
    units = ["u1", "u2", "u3", "u4", "u5"]
    auto = auto_vs_human(codings, human, units, ["housing", "health"])
    automatic = {"u1": {"housing"}, "u2": {"housing", "health"}}
    assert auto == kappa_per_theme(automatic, human, units, ["housing", "health"])
