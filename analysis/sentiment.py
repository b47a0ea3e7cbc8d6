"""Sentiment of a text unit, in English or French only.

English is scored with the lexicon behind TextBlob's default
``PatternAnalyzer``, French with the one behind textblob-fr's. Both are
lexicon look-ups shipped inside the packages, so they work offline: neither
needs an NLTK corpus. We only ever read ``.sentiment`` and never touch
``.tags``, ``.noun_phrases`` or ``.words`` (those would need NLTK data).

Any other language has no lexicon here. If a human translation into English
or French exists we score the translation and say so
(``from_translation=True``); otherwise the result is ``None``, meaning "not
available". We never guess sentiment from a language we cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

NEGATIVE = "negative"
NEUTRAL = "neutral"
POSITIVE = "positive"

NEUTRAL_BAND = 0.1
"""Polarities within ±0.1 of zero are labelled neutral.

Pattern lexicon scores are averages over a handful of adjectives, so small
values are mostly noise ("not bad", "a bit expensive"). 0.1 is the cut-off
used by most TextBlob-based studies; change it in one place here.
"""

SUPPORTED_LANGUAGES = ("en", "fr")


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """Polarity in [−1, 1], subjectivity in [0, 1], and where they came from.

    ``language`` is the language actually scored ("en" or "fr");
    ``from_translation`` is true when the human translation was scored
    instead of the original text.
    """

    polarity: float
    subjectivity: float
    language: str
    from_translation: bool = False

    @property
    def label(self) -> str:
        """``negative``, ``neutral`` or ``positive`` (see :func:`sentiment_label`)."""
        return sentiment_label(self.polarity)


def sentiment_label(polarity: float, neutral_band: float = NEUTRAL_BAND) -> str:
    """Label a polarity: below ``-neutral_band`` is negative, above ``+neutral_band`` positive.

    Values in the closed band ``[-neutral_band, +neutral_band]`` are neutral.
    """
    if polarity < -neutral_band:
        return NEGATIVE
    if polarity > neutral_band:
        return POSITIVE
    return NEUTRAL


def base_language(code: str | None) -> str:
    """Reduce a language tag to its lower-case primary subtag: ``"fr-CA"`` -> ``"fr"``."""
    if not code:
        return ""
    return code.replace("_", "-").split("-", 1)[0].strip().lower()


def sentiment_of(
    text: str,
    language: str,
    translation: str | None = None,
    translation_language: str | None = None,
) -> SentimentResult | None:
    """Score ``text`` in ``language``, or its human translation, or return ``None``.

    English and French text is scored directly. For any other language the
    ``translation`` is scored when it is non-empty and its language is English
    or French (``from_translation=True``). Empty text, or a language with no
    usable translation, gives ``None``: sentiment not available.
    """
    lang = base_language(language)
    if lang in SUPPORTED_LANGUAGES:
        return _score(text, lang, from_translation=False)
    translated_lang = base_language(translation_language)
    if translation and translated_lang in SUPPORTED_LANGUAGES:
        return _score(translation, translated_lang, from_translation=True)
    return None


def _score(text: str, language: str, from_translation: bool) -> SentimentResult | None:
    if not text or not text.strip():
        return None
    polarity, subjectivity = _lexicon(language)(text)[:2]
    return SentimentResult(float(polarity), float(subjectivity), language, from_translation)


@cache
def _lexicon(language: str) -> Any:
    """The language's pattern lexicon: what TextBlob's ``PatternAnalyzer.analyze`` (and
    textblob-fr's) scores a text with, called directly. Each ``analyze`` call also defines
    a new namedtuple class, which costs twice the scoring itself."""
    if language == "fr":
        from textblob_fr.fr import sentiment  # imported late: keeps `import analysis` light
    else:
        from textblob.en import sentiment
    return sentiment
