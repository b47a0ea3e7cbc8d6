"""Inter-coder agreement per theme: Cohen's kappa.

Each theme is a yes/no judgement per unit: did the coder apply it? Over the
``n`` units both coders were asked to code, with ``a`` = both applied it,
``b`` = only coder A, ``c`` = only coder B, ``d`` = neither (a unit both
left uncoded counts as agreement on "absent")::

    p_o   = (a + d) / n                                    observed agreement
    p_e   = ((a+b)(a+c) + (c+d)(b+d)) / n²                 agreement by chance
    kappa = (p_o − p_e) / (1 − p_e)

**Degenerate case.** When ``p_e == 1`` both coders put every unit in the
same single category (both always applied the theme, or both never did).
They agree perfectly, but kappa is 0/0: there is no variation to agree
*beyond chance* on. We report ``kappa = None`` ("undefined"), as
scikit-learn reports NaN, with ``observed = 1.0`` so the reader still sees
the agreement. With ``n == 0`` every figure is ``None``.

The same function compares the automatic coder with a human one
(:func:`auto_vs_human`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from analysis.records import Coding


@dataclass(frozen=True, slots=True)
class ThemeAgreement:
    """Agreement between two coders on one theme over ``n`` units.

    ``both``, ``only_a``, ``only_b``, ``neither`` are the cells of the 2×2 table.
    """

    theme: str
    n: int
    both: int
    only_a: int
    only_b: int
    neither: int
    observed: float | None
    expected: float | None
    kappa: float | None


def cohen_kappa(
    both: int, only_a: int, only_b: int, neither: int
) -> tuple[float | None, float | None, float | None]:
    """Return ``(p_o, p_e, kappa)`` for a 2×2 agreement table (see module docstring)."""
    n = both + only_a + only_b + neither
    if n == 0:
        return (None, None, None)
    observed = (both + neither) / n
    a_yes, b_yes = both + only_a, both + only_b
    expected = (a_yes * b_yes + (n - a_yes) * (n - b_yes)) / (n * n)
    if expected >= 1.0:
        return (observed, expected, None)
    return (observed, expected, (observed - expected) / (1.0 - expected))


def kappa_per_theme(
    coder_a: Mapping[str, Set[str]],
    coder_b: Mapping[str, Set[str]],
    units: Iterable[str],
    themes: Iterable[str],
) -> dict[str, ThemeAgreement]:
    """Cohen's kappa for each theme over ``units`` both coders were asked to code.

    ``coder_a`` and ``coder_b`` map unit ids to the theme keys each applied; a
    unit missing from a mapping was coded with no theme. Duplicate unit ids
    count once. Returns ``{theme: ThemeAgreement}`` in the order of ``themes``.
    """
    unit_ids = list(dict.fromkeys(units))
    empty: frozenset[str] = frozenset()
    pairs = [(coder_a.get(u, empty), coder_b.get(u, empty)) for u in unit_ids]
    result: dict[str, ThemeAgreement] = {}
    for theme in dict.fromkeys(themes):
        both = only_a = only_b = 0
        for applied_a, applied_b in pairs:
            in_a, in_b = theme in applied_a, theme in applied_b
            both += in_a and in_b
            only_a += in_a and not in_b
            only_b += in_b and not in_a
        neither = len(pairs) - both - only_a - only_b
        observed, expected, kappa = cohen_kappa(both, only_a, only_b, neither)
        result[theme] = ThemeAgreement(
            theme, len(pairs), both, only_a, only_b, neither, observed, expected, kappa
        )
    return result


def auto_vs_human(
    codings: Iterable[Coding],
    human: Mapping[str, Set[str]],
    units: Iterable[str],
    themes: Iterable[str],
) -> dict[str, ThemeAgreement]:
    """Kappa per theme between automatic ``codings`` (coder A) and a ``human`` coder (B)."""
    automatic = {coding.unit_id: frozenset(coding.themes) for coding in codings}
    return kappa_per_theme(automatic, human, units, themes)
