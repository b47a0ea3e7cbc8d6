"""Sentiment in English and French, through a translation, or not at all."""

import nltk
import pytest

from analysis.sentiment import (
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    SentimentResult,
    base_language,
    sentiment_label,
    sentiment_of,
)


@pytest.fixture(autouse=True)
def no_nltk_data(monkeypatch):
    """Fail loudly if anything reaches for an NLTK corpus (there is none offline)."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"NLTK data requested: {args}")

    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)


def test_english_positive_and_negative():
    good = sentiment_of("The teachers were wonderful and very helpful.", "en")
    bad = sentiment_of("The rent is terrible and the landlord is awful.", "en")
    assert good.polarity > 0.3 and good.label == POSITIVE
    assert bad.polarity < -0.3 and bad.label == NEGATIVE
    assert good.language == "en" and not good.from_translation


def test_french_uses_the_french_lexicon():
    good = sentiment_of("Les services sont excellents, je suis très content.", "fr")
    bad = sentiment_of("Le logement est mauvais et horrible.", "fr")
    assert good.polarity > 0.3 and good.label == POSITIVE
    assert bad.polarity < -0.3 and bad.label == NEGATIVE
    assert good.language == "fr"
    # The English lexicon knows none of these words: French scoring is really French.
    assert sentiment_of("Le logement est mauvais.", "fr").polarity < -0.3
    assert sentiment_of("Le logement est mauvais.", "en").polarity == 0.0


def test_regional_tags_are_reduced():
    assert sentiment_of("C'est excellent", "fr-CA").language == "fr"
    assert sentiment_of("It is excellent", "en_CA").language == "en"
    assert base_language("ZH-Hans") == "zh"
    assert base_language(None) == ""


def test_other_language_uses_the_human_translation():
    result = sentiment_of("المواصلات سيئة", "ar", "The transport is terrible", "en")
    assert result == SentimentResult(-1.0, 1.0, "en", from_translation=True)
    french = sentiment_of("Huduma ni nzuri", "sw", "Le service est excellent", "fr-CA")
    assert french.language == "fr" and french.from_translation and french.polarity > 0


def test_not_available_is_none_never_a_guess():
    assert sentiment_of("المواصلات سيئة", "ar") is None
    assert sentiment_of("المواصلات سيئة", "ar", "El transporte es malo", "es") is None
    assert sentiment_of("المواصلات سيئة", "ar", "", "en") is None
    assert sentiment_of("   ", "en") is None


def test_english_text_ignores_translation():
    result = sentiment_of("It is excellent", "en", "C'est horrible", "fr")
    assert result.polarity > 0 and not result.from_translation


@pytest.mark.parametrize(
    "polarity, label",
    [
        (-1.0, NEGATIVE),
        (-0.11, NEGATIVE),
        (-0.1, NEUTRAL),
        (0.0, NEUTRAL),
        (0.1, NEUTRAL),
        (0.11, POSITIVE),
        (1.0, POSITIVE),
    ],
)
def test_label_thresholds(polarity, label):
    assert sentiment_label(polarity) == label


def test_label_band_is_configurable():
    assert sentiment_label(0.2, neutral_band=0.25) == NEUTRAL


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Finding a family doctor and paying rent are hard.", "en"),
        ("I love the library but the bus is terrible!", "en"),
        ("Le loyer est trop cher et les gens sont très gentils.", "fr"),
        ("C'est magnifique et très agréable.", "fr"),
    ],
)
def test_scores_equal_textblobs_own_sentiment(text, language):
    from textblob import TextBlob

    if language == "fr":
        from textblob_fr import PatternAnalyzer, PatternTagger

        expected = TextBlob(text, pos_tagger=PatternTagger(), analyzer=PatternAnalyzer()).sentiment
    else:
        expected = TextBlob(text).sentiment
    result = sentiment_of(text, language)
    assert (result.polarity, result.subjectivity) == tuple(expected[:2])
    assert result.subjectivity > 0.0  # a text the lexicon scored, not an empty default
