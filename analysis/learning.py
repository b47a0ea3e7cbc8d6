"""Learning from reviewed answers: keyword hits plus a sentence encoder, one model per theme.

Day 0, a partnership has only its codebook's keywords (:class:`analysis.coding.Coder`).
Every reviewed answer (a researcher's confirm, reject, added theme or span) and
every imported hand-coded example becomes an :class:`Example`; from them
:func:`train` fits, per theme, a :class:`ThemeClassifier` in two steps:

- a text model, a logistic regression (scikit-learn) over the text's
  multilingual sentence vector (:mod:`analysis.encoders`), which is what
  lets a review in English improve coding in Somali; or, when no encoder is
  installed, over character 2-4-grams of the text (these learn within a
  language but do not cross languages);
- a combiner, a logistic regression over the theme's keyword hit (the day-0
  coder's finding, negation included) and the text model's out-of-fold
  log-odds, which learns how far to trust each.

Keeping the keyword hit out of the text model matters: fitted together, the
keywords explain the reviewed English answers and the sentence vector learns
little, so nothing carries over to a language whose keywords did not fire.

A theme with fewer than :data:`MIN_POSITIVES` examples that have it (or
fewer than :data:`MIN_NEGATIVES` that do not) keeps its keywords alone.

:class:`LearnedCoder` codes units with the day-0 coder and the model
together. Evidence stays honest: a theme the keywords found keeps the matched
words as evidence; a theme only the model found carries no word evidence but
its probability and the nearest reviewed examples that have the theme
("similar to reviewed answers"). A keyword hit the model overrules is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from analysis.coding import Coder
from analysis.encoders import Encoder
from analysis.evaluation import Scores
from analysis.records import Coding, SimilarExample, TextUnit, ThemeMatch

if TYPE_CHECKING:  # scikit-learn is imported where a model is fitted or used, not before:
    # a web process that never learns is spared its import time and memory (~50 MB)
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression

EMBEDDING_SCALE = 4.0  # e5 vectors are unit-length with compressed cosines: spread them
REGULARISATION_C = 2.0  # of the text model; 32 on unscaled e5 vectors
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 19))  # 0.05 ... 0.9
FOLDS = 3
MIN_POSITIVES = 5
MIN_NEGATIVES = 3
NEAREST = 3
CHAR_FEATURES = 2**18


@dataclass(frozen=True, slots=True)
class Example:
    """A unit with the themes a person decided it has (``frozenset()``: none applies)."""

    text: str
    language: str | None
    themes: frozenset[str]
    example_id: str = ""


@dataclass(frozen=True)
class Features:
    """The model's view of some texts: the matrix, the keyword matches and similarity rows."""

    matrix: np.ndarray | sparse.csr_matrix
    matches: tuple[tuple[ThemeMatch, ...], ...]
    similarity: np.ndarray | sparse.csr_matrix
    keywords: np.ndarray  # 0/1 keyword hits, row per text, column per theme

    def rows(self, indices: Sequence[int]) -> Features:
        """The features of some rows only, in the order given."""
        index = np.asarray(indices, dtype=int)
        return Features(
            self.matrix[index],
            tuple(self.matches[i] for i in index),
            self.similarity[index],
            self.keywords[index],
        )


@cache
def _char_vectorizer() -> HashingVectorizer:
    """Character 2-4-grams of a text, hashed (the features without an encoder)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 4),
        n_features=CHAR_FEATURES,
        alternate_sign=False,
        norm="l2",
    )


class Featurizer:
    """Builds :class:`Features` for texts: keyword hits plus sentence vectors or characters."""

    def __init__(self, coder: Coder, encoder: Encoder | None = None) -> None:
        self.coder = coder
        self.encoder = encoder
        self.keys = coder.codebook.keys
        self._index = {k: i for i, k in enumerate(self.keys)}

    @property
    def kind(self) -> str:
        """``"embedding"`` with an encoder, ``"characters"`` without."""
        return "embedding" if self.encoder is not None else "characters"

    def keyword_block(self, units: Sequence[TextUnit]) -> tuple[np.ndarray, tuple]:
        """A 0/1 matrix of keyword hits per theme, and the matches behind it."""
        block = np.zeros((len(units), len(self.keys)), dtype=np.float32)
        matches = []
        for row, unit in enumerate(units):
            found = self.coder.code(unit).matches
            matches.append(found)
            for match in found:
                block[row, self._index[match.theme]] = 1.0
        return block, tuple(matches)

    def transform(self, units: Sequence[TextUnit]) -> Features:
        """Features for ``units`` (the encoder, if any, is called once for all of them)."""
        keywords, matches = self.keyword_block(units)
        texts = [u.text for u in units]
        if self.encoder is not None:
            vectors = self.encoder.encode(texts)
            return Features(vectors * EMBEDDING_SCALE, matches, vectors, keywords)
        chars = _char_vectorizer().transform(texts).tocsr()
        return Features(chars, matches, chars, keywords)


def example_units(examples: Sequence[Example]) -> list[TextUnit]:
    """Examples as text units (ids ``ex-0``, ``ex-1``... where an example has none)."""
    return [
        TextUnit(e.example_id or f"ex-{i}", e.text, e.language or "und", e.example_id)
        for i, e in enumerate(examples)
    ]


def label_matrix(examples: Sequence[Example], keys: Sequence[str]) -> np.ndarray:
    """A 0/1 matrix: row per example, column per theme key."""
    labels = np.zeros((len(examples), len(keys)), dtype=np.int8)
    index = {k: i for i, k in enumerate(keys)}
    for row, example in enumerate(examples):
        for theme in example.themes:
            if theme in index:
                labels[row, index[theme]] = 1
    return labels


@dataclass
class LearnedModel:
    """Per-theme classifiers plus what is needed to name the nearest reviewed examples."""

    keys: tuple[str, ...]
    kind: str
    classifiers: dict[str, ThemeClassifier]
    quality: dict[str, ThemeQuality] = field(default_factory=dict)
    example_ids: tuple[str, ...] = ()
    example_texts: tuple[str, ...] = ()
    labels: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int8))
    similarity: np.ndarray | sparse.csr_matrix | None = None

    @property
    def learned_themes(self) -> tuple[str, ...]:
        """Themes decided by a classifier (the others keep their keywords)."""
        return tuple(k for k in self.keys if k in self.classifiers)

    def probabilities(self, features: Features) -> np.ndarray:
        """``(n, themes)`` probabilities; ``nan`` where a theme has no classifier."""
        rows = features.matrix.shape[0]
        out = np.full((rows, len(self.keys)), np.nan)
        for col, key in enumerate(self.keys):
            classifier = self.classifiers.get(key)
            if classifier is not None and rows:
                out[:, col] = classifier.predict_proba(features.matrix, features.keywords[:, col])
        return out

    def thresholds(self) -> np.ndarray:
        """Each theme's decision threshold (``nan`` where keywords decide)."""
        out = np.full(len(self.keys), np.nan)
        for col, key in enumerate(self.keys):
            quality = self.quality.get(key)
            if key in self.classifiers and quality is not None and quality.threshold is not None:
                out[col] = quality.threshold
        return out

    def nearest(self, row, theme: str, count: int = NEAREST) -> tuple[SimilarExample, ...]:
        """The reviewed examples with ``theme`` most similar to one similarity row."""
        if self.similarity is None or not len(self.example_ids):
            return ()
        col = self.keys.index(theme)
        having = np.flatnonzero(self.labels[:, col])
        if not len(having):
            return ()
        product = self.similarity[having] @ _column(row)
        scores = np.asarray(product.toarray() if sparse.issparse(product) else product).ravel()
        best = np.argsort(-scores)[:count]
        return tuple(
            SimilarExample(
                self.example_ids[having[i]], self.example_texts[having[i]], float(scores[i])
            )
            for i in best
        )


def _column(row):
    """A similarity row as a column for a matrix product."""
    return row.T if sparse.issparse(row) else np.asarray(row).reshape(-1)


@dataclass(frozen=True)
class ThemeQuality:
    """Cross-validated counts for one theme's decision rule on the reviewed examples.

    ``rule`` is ``"model"`` when the classifier decides the theme, ``"keywords"``
    when the keywords did better (or there were too few examples to learn from).
    """

    rule: str
    scores: Scores
    threshold: float | None = None


def _f1(labels: np.ndarray, predicted: np.ndarray) -> tuple[float, Scores]:
    tp = int(np.sum((labels == 1) & (predicted == 1)))
    fp = int(np.sum((labels == 0) & (predicted == 1)))
    fn = int(np.sum((labels == 1) & (predicted == 0)))
    scores = Scores(tp, fp, fn)
    return scores.f1, scores


def gain(scores: Scores, level: float) -> float:
    """How much a theme's counts add to micro-F1 around ``level`` (its linearisation).

    Micro-F1 pools every theme's counts, so a rule that raises one theme's
    own F1 by coding many more answers (a rare, loosely labelled theme going
    from 0.14 to 0.15) can still lower the whole coder's: ``2 tp (1 - F) -
    F (fp + fn)`` grows exactly when a change of this theme's counts raises
    micro-F1 ``F``.
    """
    return 2 * scores.tp * (1 - level) - level * (scores.fp + scores.fn)


def micro_level(labels: np.ndarray, keywords: np.ndarray) -> float:
    """The keywords' micro-F1 on the examples, over the themes they use (at least one
    example has the theme), kept within [0.2, 0.8]."""
    used = labels.sum(axis=0) > 0
    score, _scores = _f1(labels[:, used], keywords[:, used].astype(np.int8))
    return min(max(score, 0.2), 0.8)


def _classifier() -> LogisticRegression:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=REGULARISATION_C, max_iter=2000)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _combined(keyword_hits: np.ndarray, text_probability: np.ndarray) -> np.ndarray:
    """The combiner's two inputs: the theme's keyword hit and the text model's log-odds."""
    return np.column_stack([np.asarray(keyword_hits, dtype=float), _logit(text_probability)])


@dataclass
class ThemeClassifier:
    """One theme's learned rule: a text model, then a combiner with the keyword hit.

    The text model (logistic regression over the sentence vector, or character
    n-grams) learns what the reviewed answers with the theme are like, from
    every one of them, whether or not a keyword fired; the combiner (a
    logistic regression over two numbers, fitted on the text model's
    out-of-fold estimates) learns how far to trust the keyword hit and the
    text model together. Kept apart, a reviewed English answer teaches the
    text model as much when an English keyword fired as when none did, which
    is what carries it to languages whose keywords differ.
    """

    text_model: LogisticRegression
    combiner: LogisticRegression

    def predict_proba(self, matrix, keyword_hits: np.ndarray) -> np.ndarray:
        """The probability of the theme per row."""
        text = self.text_model.predict_proba(matrix)[:, 1]
        return self.combiner.predict_proba(_combined(keyword_hits, text))[:, 1]


def fit_theme(matrix, labels: np.ndarray, keywords: np.ndarray, level: float = 0.5, seed: int = 0):
    """``(ThemeClassifier or None, ThemeQuality)`` for one theme.

    Out-of-fold estimates (stratified, up to :data:`FOLDS` folds) of the text
    model feed the combiner; the combiner's own out-of-fold probabilities pick
    the threshold in :data:`THRESHOLDS` with the best :func:`gain` to micro-F1
    at ``level``. The classifier is kept only when that gain is at least the
    keywords' on the same examples, so learning never makes the coder worse
    than its keywords were on what was reviewed.
    """
    keyword_scores = _f1(labels, keywords.astype(np.int8))[1]
    keyword_gain = gain(keyword_scores, level)
    positives = int(labels.sum())
    if positives < MIN_POSITIVES or len(labels) - positives < MIN_NEGATIVES:
        return None, ThemeQuality("keywords", keyword_scores)
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(
        min(FOLDS, positives, len(labels) - positives), shuffle=True, random_state=seed
    )
    text_oof = cross_val_predict(_classifier(), matrix, labels, cv=folds, method="predict_proba")
    combined = _combined(keywords, text_oof[:, 1])
    combiner = LogisticRegression(max_iter=1000)
    oof = cross_val_predict(combiner, combined, labels, cv=folds, method="predict_proba")[:, 1]
    candidates = [(_f1(labels, (oof >= t).astype(np.int8))[1], t) for t in THRESHOLDS]
    scores, threshold = max(candidates, key=lambda item: gain(item[0], level))
    if gain(scores, level) < keyword_gain:
        return None, ThemeQuality("keywords", keyword_scores)
    classifier = ThemeClassifier(_classifier().fit(matrix, labels), combiner.fit(combined, labels))
    return classifier, ThemeQuality("model", scores, threshold)


def fit_classifiers(matrix, labels: np.ndarray, keys: Sequence[str], keywords: np.ndarray):
    """Per theme key: ``(classifier or None, ThemeQuality)``."""
    level = micro_level(labels, keywords)
    return {
        key: fit_theme(matrix, labels[:, col], keywords[:, col], level)
        for col, key in enumerate(keys)
    }


def train(examples: Sequence[Example], featurizer: Featurizer) -> LearnedModel:
    """Fit a :class:`LearnedModel` on reviewed ``examples``."""
    features = featurizer.transform(example_units(examples))
    return train_on_features(examples, features, featurizer)


def train_on_features(
    examples: Sequence[Example], features: Features, featurizer: Featurizer
) -> LearnedModel:
    """Fit on features already computed for ``examples`` (row ``i`` is example ``i``)."""
    keys = featurizer.keys
    labels = label_matrix(examples, keys)
    fitted = fit_classifiers(features.matrix, labels, keys, features.keywords)
    return LearnedModel(
        keys=keys,
        kind=featurizer.kind,
        classifiers={k: c for k, (c, _q) in fitted.items() if c is not None},
        quality={k: q for k, (_c, q) in fitted.items()},
        example_ids=tuple(e.example_id or f"ex-{i}" for i, e in enumerate(examples)),
        example_texts=tuple(e.text for e in examples),
        labels=labels,
        similarity=features.similarity,
    )


def decide(
    model: LearnedModel | None, features: Features, probabilities: np.ndarray | None = None
) -> list[tuple[ThemeMatch, ...]]:
    """Theme matches per row: the model where it has a classifier, keywords elsewhere
    (``probabilities``: the model's, when the caller computed them already)."""
    if model is None:
        return [tuple(m) for m in features.matches]
    if probabilities is None:
        probabilities = model.probabilities(features)
    thresholds = model.thresholds()
    decided = []
    for row, found in enumerate(features.matches):
        by_theme = {m.theme: m for m in found}
        out = []
        for col, key in enumerate(model.keys):
            p = probabilities[row, col]
            if np.isnan(p):
                if key in by_theme:
                    out.append(by_theme[key])
                continue
            if p < thresholds[col]:
                continue
            if key in by_theme:
                out.append(replace(by_theme[key], probability=float(p)))
            else:
                similar = model.nearest(features.similarity[row], key)
                out.append(ThemeMatch(key, (), probability=float(p), similar=similar))
        decided.append(tuple(out))
    return decided


class LearnedCoder:
    """Codes units with the day-0 coder and, when trained, the learned model.

    Like :class:`~analysis.coding.Coder` it is not thread-safe. :meth:`code_many`
    embeds a batch at once; prefer it to :meth:`code` when coding many units.
    """

    def __init__(self, featurizer: Featurizer, model: LearnedModel | None = None) -> None:
        self.featurizer = featurizer
        self.model = model
        self.codebook = featurizer.coder.codebook

    def code_many(self, units: Sequence[TextUnit]) -> list[Coding]:
        """One :class:`Coding` per unit, in order."""
        if not units:
            return []
        features = self.featurizer.transform(units)
        decided = decide(self.model, features)
        return [
            Coding(u.unit_id, self.codebook.version, matches)
            for u, matches in zip(units, decided, strict=True)
        ]

    def code_scored(self, units: Sequence[TextUnit]) -> list[tuple[Coding, dict[str, float]]]:
        """Like :meth:`code_many`, with each unit's probability per learned theme (what
        :func:`analysis.review.review_priority` weighs; empty before any learning)."""
        if not units:
            return []
        features = self.featurizer.transform(units)
        if self.model is None:
            return [(c, {}) for c in self.code_many(units)]
        probabilities = self.model.probabilities(features)
        decided = decide(self.model, features, probabilities)
        learned = [
            (col, key) for col, key in enumerate(self.model.keys) if key in self.model.classifiers
        ]
        return [
            (
                Coding(u.unit_id, self.codebook.version, matches),
                {key: float(probabilities[row, col]) for col, key in learned},
            )
            for row, (u, matches) in enumerate(zip(units, decided, strict=True))
        ]

    def code(self, unit: TextUnit) -> Coding:
        """Code one unit."""
        return self.code_many([unit])[0]

    def themes(self, units: Sequence[TextUnit]) -> list[frozenset[str]]:
        """Just the theme keys found for each unit."""
        return [frozenset(c.themes) for c in self.code_many(units)]


def learn(
    coder: Coder, examples: Iterable[Example], encoder: Encoder | None = None
) -> LearnedCoder:
    """A :class:`LearnedCoder` trained on ``examples`` (keywords only when there are none)."""
    featurizer = Featurizer(coder, encoder)
    examples = list(examples)
    model = train(examples, featurizer) if examples else None
    return LearnedCoder(featurizer, model)
