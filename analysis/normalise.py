"""Language-aware text normalisation that keeps offsets into the original text.

The coder never compares raw text: both the codebook patterns and the answers
go through the same :class:`Analyzer`, which

1. splits the *original* text into word tokens with a regular expression
   (letters, digits and combining marks; every Han or kana character is a
   token of its own, so Chinese phrases become character sequences),
2. normalises each token on its own: Unicode NFKC, ``casefold``, accents
   removed from Latin letters, Arabic-script diacritics and tatweel removed
   and letter variants unified (alef, yeh, kaf, heh, teh marbuta), digits
   in Arabic-Indic forms made ASCII,
3. strips inflections only (plural, feminine, possessive; see
   :data:`LIGHT_STEMMERS`): ``buses`` and ``bus``, ``logements`` and
   ``logement`` meet, but ``training`` never becomes ``train`` nor
   ``parking`` ``park``. A pattern matches whole words in this sense unless
   it says otherwise with a ``*`` wildcard (see :mod:`analysis.codebook`).

Because step 1 runs on the original text, every token keeps the character
offsets of the words it came from, and evidence can be highlighted exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CACHE_LIMIT = 200_000


def _mark_ranges() -> str:
    """A character-class body listing every combining mark in the BMP."""
    ranges: list[str] = []
    start = prev = -2
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code))[0] != "M":
            continue
        if code != prev + 1:
            if start >= 0:
                ranges.append(_range(start, prev))
            start = code
        prev = code
    ranges.append(_range(start, prev))
    return "".join(ranges) + "\u200d"


def _range(start: int, end: int) -> str:
    """``\\uXXXX-\\uYYYY`` for a regex character class."""
    return f"\\u{start:04x}-\\u{end:04x}" if end > start else f"\\u{start:04x}"


# U+02BC (the Ukrainian apostrophe) is a "letter" to Unicode; like ASCII ' it
# splits a word here, so ``кар'єра`` and ``карʼєра`` tokenise the same way.
_TOKEN_RE = re.compile(rf"[{_HAN}]|(?:[^\W_\u02bc{_HAN}]|[{_mark_ranges()}])+")
_HAN_RE = re.compile(rf"[{_HAN}]")

# Arabic-script folding shared by Arabic, Farsi and Urdu (and harmless for
# every other script, so it is applied whatever the declared language).
_ARABIC_DELETE = (
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640", "\u200d"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
)
_ARABIC_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ۍ": "ي",
    "ئ": "ي",
    "ے": "ي",
    "ۓ": "ي",
    "ؤ": "و",
    "ک": "ك",
    "ڪ": "ك",
    "ة": "ه",
    "ۃ": "ه",
    "ہ": "ه",
    "ۂ": "ه",
    "ھ": "ه",
    "ە": "ه",
    "ں": "ن",
}
_FOLD_TABLE = str.maketrans(
    {
        **{ch: None for ch in _ARABIC_DELETE},
        **_ARABIC_MAP,
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)


_AR_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "لل", "ال")
_AR_SUFFIXES = ("هما", "ات", "ون", "ين", "ان", "ها", "هم", "كم", "نا", "ه", "ي", "ا")


def strip_arabic_article(word: str) -> str:
    """Remove the article with its clitics: ``والسكن`` -> ``سكن``.

    Bare one-letter proclitics (``و``, ``ب``, ``ل``) are kept: stripping them
    would also cut root letters (``وظيفه``); patterns use a leading ``*``
    where they matter.
    """
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def arabic_light_stem(word: str) -> str:
    """Strip one plural or possessive suffix from an article-less folded word.

    Works on folded text (teh marbuta already written ``ه``).

    >>> arabic_light_stem(strip_arabic_article(fold("الشقة")))
    'شق'
    """
    for suffix in _AR_SUFFIXES:
        shortest = 3 if len(suffix) == 1 and suffix != "ه" else 2
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            return word[: -len(suffix)]
    return word


class Token(NamedTuple):
    """One word of a text: its normalised forms and where it sits in the text.

    ``folded`` is the token after NFKC, casefolding and script folding (and,
    in Arabic, without its article: wildcards compare against this form);
    ``stem`` is ``folded`` stemmed (equal to it when the language has no
    stemmer). ``text[start:end]`` is the original word.
    """

    folded: str
    stem: str
    start: int
    end: int


def fold(word: str) -> str:
    """Normalise one word without stemming: NFKC, casefold, script folding.

    >>> fold("Éducation")
    'education'
    >>> fold("السَّكَن") == fold("السكن")
    True
    """
    text = unicodedata.normalize("NFKC", word).casefold().translate(_FOLD_TABLE)
    if text and text.isascii():
        return text
    return _strip_latin_accents(text)


def _strip_latin_accents(text: str) -> str:
    """Remove combining accents that sit on Latin letters (é -> e, ñ -> n)."""
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    base = ""
    for ch in decomposed:
        if "\u0300" <= ch <= "\u036f" and base and base < "\u0250":
            continue
        if not unicodedata.combining(ch):
            base = ch
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` of every word token in ``text``."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


def is_han(ch: str) -> bool:
    """True for a Han (or kana) character, which is a token on its own."""
    return _HAN_RE.fullmatch(ch) is not None


def base_language(tag: str) -> str:
    """The codebook language for a BCP 47 tag: ``fr-CA`` -> ``fr``, ``zh-CN`` -> ``zh-Hans``."""
    parts = tag.replace("_", "-").split("-")
    primary = parts[0].lower()
    if primary == "zh":
        return (
            "zh-Hant" if any(p.lower() in {"hant", "tw", "hk", "mo"} for p in parts) else "zh-Hans"
        )
    if primary in {"pes", "prs"}:
        return "fa"
    return primary


def english_light_stem(word: str) -> str:
    """Plural ``-s``, ``-es`` (after s, x, z, ch, sh) and ``-ies`` only.

    >>> [english_light_stem(w) for w in ("classes", "cities", "rents", "care", "car")]
    ['class', 'city', 'rent', 'care', 'car']
    >>> [english_light_stem(w) for w in ("training", "parking", "bus", "status")]
    ['training', 'parking', 'bus', 'status']
    """
    if len(word) > 4 and word.endswith("ies") and not word.endswith(("aies", "eies")):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def french_light_stem(word: str) -> str:
    """Plural ``-s``/``-x`` then a final ``-e`` (feminine): ``chères`` -> ``cher``."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def spanish_light_stem(word: str) -> str:
    """Plural ``-s``/``-es`` then a final gender vowel: ``médicas`` -> ``medic``."""
    if len(word) > 4 and word.endswith("es") and word[-3] not in "aeiou":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and word[-2] in "aeo":
        word = word[:-1]
    if len(word) > 3 and word[-1] in "aeo":
        word = word[:-1]
    return word


_FA_SUFFIXES = ("هایی", "های", "ها", "ات", "ان", "ی")


def persian_light_stem(word: str) -> str:
    """One plural or indefinite suffix: ``کلاسها`` -> ``کلاس`` (folded text)."""
    for suffix in _FA_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# Inflection-only stemmers. Ukrainian, Urdu, Punjabi, Tagalog, Somali, Tigrinya
# and Chinese have none: their patterns use ``*`` wildcards where words inflect.
# Arabic's also removes the article with its clitics (:func:`strip_arabic_article`).
LIGHT_STEMMERS: dict[str, Callable[[str], str]] = {
    "en": english_light_stem,
    "fr": french_light_stem,
    "es": spanish_light_stem,
    "fa": persian_light_stem,
    "ar": arabic_light_stem,
}


class Analyzer:
    """Tokenises and normalises text for one language, caching word forms.

    Keeps a cache of word forms: use one analyzer per thread (see :func:`analyzer_for`).
    """

    def __init__(self, language: str, *, stem: bool = True) -> None:
        self.language = language
        code = base_language(language)
        self._stem = LIGHT_STEMMERS.get(code) if stem else None
        self._arabic = code == "ar" and stem
        self._cache: dict[str, tuple[str, str]] = {}

    @property
    def stems(self) -> bool:
        """True when this analyzer applies a stemmer."""
        return self._stem is not None

    def forms(self, word: str) -> tuple[str, str]:
        """``(folded, stem)`` for one raw word."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        folded = fold(word)
        if self._arabic:
            folded = strip_arabic_article(folded)
        stem = self._stem(folded) if self._stem is not None and folded else folded
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = (folded, stem)
        return folded, stem

    def tokens(self, text: str) -> list[Token]:
        """Every word token of ``text`` with its normalised forms and offsets."""
        forms = self.forms
        out: list[Token] = []
        for match in _TOKEN_RE.finditer(text):
            folded, stem = forms(match.group())
            if folded:
                out.append(Token(folded, stem, match.start(), match.end()))
        return out


@lru_cache(maxsize=64)
def analyzer_for(language: str, stem: bool = True) -> Analyzer:
    """A shared analyzer for ``language`` (one per process; not thread-safe)."""
    return Analyzer(language, stem=stem)
