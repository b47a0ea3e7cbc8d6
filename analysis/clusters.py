"""Emerging themes: groups of uncoded units a researcher may want to name.

Among the units no codebook theme matched, we look for recurring topics with
TF-IDF + non-negative matrix factorisation (NMF), and show each group with
its top words and a few example units. These are *proposals*: a researcher
reads them and decides whether to add or widen a theme.

Why character n-grams (``char_wb``, 3-5 characters) for the grouping: the
text comes in a dozen languages, some written without spaces between words
(Chinese), many heavily inflected (French, Ukrainian, Arabic); character
n-grams within word boundaries match "logement"/"logements" and
"housing"/"house" and work for every script, without a tokenizer or stemmer
per language. Character fragments are unreadable as labels, though, so the
*top terms* shown for a cluster are whole words, ranked by how much more
weight they have inside the cluster than across all the units.

Deterministic: units are sorted by id, NMF uses ``nndsvda`` initialisation
and a fixed ``random_state``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.records import TextUnit

MINIMUM_UNITS = 10
WORD_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
_FRENCH_STOP_TEXT = (
    "alors aussi avec avoir bien cela ces cette comme dans des donc elle elles est être "
    "fait faire leur leurs mais même nous notre nos par pas peu plus pour quand que qui "
    "sans ses son sont sur tous tout toute très une vous votre vos était ont aux"
)
FRENCH_STOP_WORDS = frozenset(_FRENCH_STOP_TEXT.split())


@dataclass(frozen=True, slots=True)
class ProposedCluster:
    """A group of similar uncoded units: its words, size and examples (unit ids)."""

    top_terms: tuple[str, ...]
    size: int
    example_unit_ids: tuple[str, ...]
    unit_ids: tuple[str, ...]


def propose_clusters(
    units: Iterable[TextUnit],
    n_clusters: int | None = None,
    max_clusters: int = 8,
    top_terms: int = 8,
    examples: int = 3,
    random_state: int = 0,
) -> list[ProposedCluster]:
    """Group ``units`` (those no theme matched) into candidate themes.

    With ``n_clusters=None`` the number of clusters is chosen between 2 and
    ``max_clusters`` by the best cosine silhouette. Fewer than 10 units, or
    too little shared vocabulary, give an empty list. Clusters come largest
    first; examples are the units that load most on their cluster.
    """
    ordered = sorted({u.unit_id: u for u in units}.values(), key=lambda u: u.unit_id)
    if len(ordered) < MINIMUM_UNITS:
        return []
    texts = [u.text for u in ordered]
    matrix = _char_tfidf(texts)
    if matrix is None:
        return []
    k = n_clusters or _best_k(matrix, max_clusters, random_state)
    k = max(1, min(k, matrix.shape[0] - 1, matrix.shape[1]))
    weights = _nmf(matrix, k, random_state)
    labels = weights.argmax(axis=1)
    assigned = weights.max(axis=1) > 0
    words, vocabulary = _word_tfidf(texts)
    clusters = []
    for c in range(k):
        members = [i for i in range(len(ordered)) if labels[i] == c and assigned[i]]
        if not members:
            continue
        best = sorted(members, key=lambda i: (-weights[i, c], ordered[i].unit_id))
        clusters.append(
            ProposedCluster(
                top_terms=_top_words(words, vocabulary, members, top_terms),
                size=len(members),
                example_unit_ids=tuple(ordered[i].unit_id for i in best[:examples]),
                unit_ids=tuple(ordered[i].unit_id for i in members),
            )
        )
    return sorted(clusters, key=lambda c: (-c.size, c.top_terms))


def _char_tfidf(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), min_df=2, max_df=0.9, sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # empty vocabulary after pruning
        return None
    return matrix if matrix.nnz else None


def _nmf(matrix, k: int, random_state: int):
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=500)
    with warnings.catch_warnings():
        # An unconverged factorisation still gives usable proposals.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit_transform(matrix)


def _best_k(matrix, max_clusters: int, random_state: int) -> int:
    from sklearn.metrics import silhouette_score

    best_k, best_score = 2, -2.0
    upper = min(max_clusters, matrix.shape[0] - 1)
    for k in range(2, upper + 1):
        labels = _nmf(matrix, k, random_state).argmax(axis=1)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(
            matrix,
            labels,
            metric="cosine",
            sample_size=min(2000, matrix.shape[0]),
            random_state=random_state,
        )
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    return best_k


def _word_tfidf(texts: list[str]):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    vectorizer = TfidfVectorizer(
        token_pattern=WORD_PATTERN,
        stop_words=sorted(ENGLISH_STOP_WORDS | FRENCH_STOP_WORDS),
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:
        return None, []
    return matrix, vectorizer.get_feature_names_out().tolist()


def _top_words(words, vocabulary: list[str], members: list[int], count: int) -> tuple[str, ...]:
    if words is None:
        return ()
    inside = words[members].mean(axis=0).A1
    overall = words.mean(axis=0).A1
    lift = inside - overall
    ranked = sorted(range(len(vocabulary)), key=lambda j: (-lift[j], vocabulary[j]))
    return tuple(vocabulary[j] for j in ranked[:count] if inside[j] > 0 and lift[j] > 0)
