"""Active review: what a researcher should look at first, and how good each theme's coding is.

:func:`review_priority` scores a coded unit for the review queue: the least
certain answers come first (a learned probability near its theme's
threshold, or a keyword hit on a theme whose keyword hits reviews have
neither mostly confirmed nor mostly rejected), weighted up for the themes
with the fewest reviewed examples, so every theme gets examples early.

:func:`theme_quality` turns the cross-validated counts that
:func:`analysis.learning.train` keeps for every theme into precision and
recall with 95% Wilson intervals, and :func:`describe_quality` into a code
a committee can read ("finds most of them, rarely wrong", "too few reviewed
to tell"); ``consult/`` turns codes into words in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.learning import LearnedModel, ThemeQuality
from analysis.records import Coding, ThemeMatch
from analysis.stats import Proportion, proportion_with_interval

ENOUGH_REVIEWED = 10  # below this many reviewed examples with a theme, say "too few to tell"


def uncertainty(probability: float, threshold: float) -> float:
    """1 at the threshold, falling to 0 at certainty (0 or 1)."""
    span = threshold if probability < threshold else 1 - threshold
    return max(0.0, 1 - abs(probability - threshold) / span) if span > 0 else 0.0


def keyword_uncertainty(confirmed: int, rejected: int) -> float:
    """How unsure a theme's keyword hit is, from how reviews judged its keyword hits so far.

    1 when none was reviewed (or as many confirmed as rejected), falling towards
    0 as reviews agree: ``1 - |2p - 1|`` with ``p = (confirmed + 1) / (confirmed +
    rejected + 2)``, the share confirmed with one of each added, so that a few
    reviews do not make it certain.
    """
    share = (confirmed + 1) / (confirmed + rejected + 2)
    return 1 - abs(2 * share - 1)


def review_priority(
    matches: tuple[ThemeMatch, ...],
    probabilities: Mapping[str, float],
    thresholds: Mapping[str, float],
    reviewed_positives: Mapping[str, int],
    keyword_reviews: Mapping[str, tuple[int, int]] | None = None,
) -> float:
    """How much reviewing this unit would teach (higher first).

    ``probabilities`` are the learned model's for this unit (themes with a
    classifier only), ``thresholds`` their decision thresholds, and
    ``reviewed_positives`` how many reviewed examples have each theme. A
    keyword hit on a theme without a classifier weighs
    :func:`keyword_uncertainty` of ``keyword_reviews[theme]``, how many of that
    theme's keyword hits reviews confirmed and rejected (fully uncertain when
    none was reviewed): a theme whose keywords reviewers keep rejecting does
    not stay at the top of the queue.
    """
    reviews = keyword_reviews or {}
    scores = [0.0]
    for theme, p in probabilities.items():
        scores.append(
            uncertainty(p, thresholds.get(theme, 0.5)) * _coverage(theme, reviewed_positives)
        )
    for match in matches:
        if match.probability is None:
            unsure = keyword_uncertainty(*reviews.get(match.theme, (0, 0)))
            scores.append(unsure * _coverage(match.theme, reviewed_positives))
    return max(scores)


def model_priorities(
    model: LearnedModel | None, scored: list[tuple[Coding, dict[str, float]]]
) -> list[float]:
    """:func:`review_priority` of each ``(coding, probabilities)`` of
    :meth:`analysis.learning.LearnedCoder.code_scored`, with the model's thresholds, how
    many of its examples have each theme, and, for themes its keywords still decide,
    how many of their keyword hits the examples confirmed and rejected."""
    if model is None:
        return [review_priority(c.matches, {}, {}, {}) for c, _p in scored]
    thresholds = {
        key: float(t) for key, t in zip(model.keys, model.thresholds(), strict=True) if t == t
    }
    having = model.labels.sum(axis=0) if model.labels.size else [0] * len(model.keys)
    positives = {key: int(n) for key, n in zip(model.keys, having, strict=True)}
    keyword_reviews = {
        key: (quality.scores.tp, quality.scores.fp)
        for key, quality in model.quality.items()
        if key not in model.classifiers
    }
    return [
        review_priority(c.matches, p, thresholds, positives, keyword_reviews) for c, p in scored
    ]


def _coverage(theme: str, reviewed_positives: Mapping[str, int]) -> float:
    """1 for a theme nobody reviewed, falling towards 1/2 as examples accumulate."""
    return 0.5 + 0.5 / (1 + reviewed_positives.get(theme, 0))


@dataclass(frozen=True)
class QualityEstimate:
    """Cross-validated precision and recall of one theme's coding, with intervals."""

    theme: str
    rule: str  # "model" or "keywords"
    precision: Proportion
    recall: Proportion

    @property
    def reviewed(self) -> int:
        """Reviewed examples that have the theme."""
        return self.recall.n


def theme_quality(model: LearnedModel) -> dict[str, QualityEstimate]:
    """Per theme: precision = right among coded, recall = found among those that have it."""
    return {key: _estimate(key, q) for key, q in model.quality.items()}


def _estimate(theme: str, quality: ThemeQuality) -> QualityEstimate:
    s = quality.scores
    return QualityEstimate(
        theme,
        quality.rule,
        proportion_with_interval(s.tp, s.tp + s.fp),
        proportion_with_interval(s.tp, s.tp + s.fn),
    )


def describe_quality(estimate: QualityEstimate) -> str:
    """A code for words: ``too_few``, or ``finds_<most|many|few>_<rarely|sometimes|often>_wrong``.

    Finding is recall's lower bound (most ≥ 0.7, many ≥ 0.4); being wrong is
    precision's lower bound (rarely ≥ 0.8, sometimes ≥ 0.5): the cautious
    end of each interval, so small samples never sound better than they are.
    """
    if estimate.reviewed < ENOUGH_REVIEWED:
        return "too_few"
    recall, precision = estimate.recall.low, estimate.precision.low
    finds = "most" if recall >= 0.7 else "many" if recall >= 0.4 else "few"
    wrong = "rarely" if precision >= 0.8 else "sometimes" if precision >= 0.5 else "often"
    return f"finds_{finds}_{wrong}_wrong"
