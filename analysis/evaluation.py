"""Compare automatic codings with hand labels: precision, recall and F1.

Each unit contributes one decision per theme: a theme in both the gold and the
predicted set is a true positive, only predicted a false positive, only gold a
false negative. Micro scores pool the counts over units (and themes); per-theme
scores pool them over units for one theme.

When nothing was expected and nothing predicted (``tp + fp + fn == 0``) the
scores are 1.0: there was nothing to find and nothing was wrongly found.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True, slots=True)
class Scores:
    """Counts of true positives, false positives and false negatives, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """Share of predicted themes that were right."""
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Share of expected themes that were found."""
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    @property
    def support(self) -> int:
        """How many themes the gold labels expected."""
        return self.tp + self.fn


@dataclass(frozen=True, slots=True)
class LabelledUnit:
    """One hand-labelled unit of an evaluation set."""

    unit_id: str
    language: str
    text: str
    themes: frozenset[str]


def compare(gold: Iterable[str], predicted: Iterable[str]) -> Scores:
    """The counts for one unit's gold and predicted theme sets."""
    g, p = set(gold), set(predicted)
    return Scores(len(g & p), len(p - g), len(g - p))


def micro_scores(pairs: Iterable[tuple[Iterable[str], Iterable[str]]]) -> Scores:
    """Pooled counts over ``(gold, predicted)`` pairs."""
    total = Scores()
    for gold, predicted in pairs:
        total = total + compare(gold, predicted)
    return total


def scores_by_theme(
    pairs: Iterable[tuple[Iterable[str], Iterable[str]]], themes: Iterable[str] = ()
) -> dict[str, Scores]:
    """Per-theme counts over ``(gold, predicted)`` pairs; ``themes`` are always listed."""
    result: dict[str, Scores] = {t: Scores() for t in themes}
    for gold, predicted in pairs:
        g, p = set(gold), set(predicted)
        for theme in g | p:
            hit = Scores(int(theme in g and theme in p), int(theme not in g), int(theme not in p))
            result[theme] = result.get(theme, Scores()) + hit
    return result


def scores_by_group(
    units: Iterable[LabelledUnit],
    predicted: Mapping[str, Iterable[str]],
    group: Callable[[LabelledUnit], Hashable],
) -> dict[Hashable, Scores]:
    """Micro counts per group of units (e.g. ``group=lambda u: u.language``)."""
    result: dict[Hashable, Scores] = {}
    for unit in units:
        key = group(unit)
        result[key] = result.get(key, Scores()) + compare(unit.themes, predicted[unit.unit_id])
    return result


def scores_by_language(
    units: Iterable[LabelledUnit], predicted: Mapping[str, Iterable[str]]
) -> dict[str, Scores]:
    """Micro precision/recall/F1 per language of the units."""
    return scores_by_group(units, predicted, lambda u: u.language)  # type: ignore[return-value]


def theme_scores_by_language(
    units: Iterable[LabelledUnit], predicted: Mapping[str, Iterable[str]]
) -> dict[str, dict[str, Scores]]:
    """Per-theme counts within each language."""
    pairs: dict[str, list[tuple[frozenset[str], Iterable[str]]]] = {}
    for unit in units:
        pairs.setdefault(unit.language, []).append((unit.themes, predicted[unit.unit_id]))
    return {lang: scores_by_theme(items) for lang, items in pairs.items()}


def parse_themes(value: str) -> frozenset[str]:
    """``"housing; employment"`` -> ``{"housing", "employment"}``."""
    return frozenset(t.strip() for t in value.split(";") if t.strip())


def read_labelled_csv(file: IO[str]) -> list[LabelledUnit]:
    """Read ``unit_id,language,text,themes`` rows (themes ``;``-separated)."""
    return [
        LabelledUnit(row["unit_id"], row["language"], row["text"], parse_themes(row["themes"]))
        for row in csv.DictReader(file)
    ]
