"""The coder: phrases, scripts, evidence offsets, translations."""

import pytest

from analysis.codebook import Codebook, Theme, default_codebook
from analysis.coding import Coder, code_units
from analysis.records import TextUnit


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(default_codebook())


def unit(text: str, language: str, **kw) -> TextUnit:
    return TextUnit("u1", text, language, "r1", **kw)


def evidence_words(coding, theme):
    match = next(m for m in coding.matches if m.theme == theme)
    return [e.matched for e in match.evidence]


def test_english_housing_and_employment(coder):
    coding = coder.code(unit("My landlord raised the rent and I still can't find a job.", "en"))
    assert coding.themes == ("employment", "housing")
    assert coding.unit_id == "u1" and coding.codebook_version == default_codebook().version
    assert evidence_words(coding, "housing") == ["landlord", "rent"]


def test_evidence_offsets_slice_the_original_text(coder):
    text = "Nous cherchons un LOGEMENT; les médecins de famille manquent."
    coding = coder.code(unit(text, "fr"))
    for match in coding.matches:
        for ev in match.evidence:
            assert text[ev.start : ev.end] == ev.matched
    assert "médecins de famille" in evidence_words(coding, "health")


def test_phrase_spanning_two_words_matches_only_together():
    book = Codebook(1, (Theme("health", patterns={"en": ("family doctor",)}),))
    phrase_coder = Coder(book)
    assert phrase_coder.code(unit("We have no family doctor.", "en")).themes == ("health",)
    assert phrase_coder.code(unit("My family and my doctor.", "en")).themes == ()
    found = phrase_coder.code(unit("No family   doctors here", "en")).matches[0].evidence[0]
    assert found.matched == "family   doctors"


def test_arabic_with_diacritics_and_article_matches(coder):
    coding = coder.code(unit("أبحثُ عن شُقَّةٍ للإيجارِ", "ar"))
    assert "housing" in coding.themes
    assert evidence_words(coding, "housing") == ["شُقَّةٍ", "للإيجارِ"]


def test_chinese_matches_without_spaces(coder):
    text = "房租太贵了，找工作很难"
    coding = coder.code(unit(text, "zh-Hans"))
    assert {"housing", "employment", "income"} <= set(coding.themes)
    assert evidence_words(coding, "housing") == ["房租"]


def test_stems_match_inflections_in_french_and_spanish(coder):
    assert "housing" in coder.code(unit("Les logements sont rares", "fr")).themes
    assert "employment" in coder.code(unit("Estoy trabajando de noche", "es")).themes


def test_wildcards_for_unstemmed_languages(coder):
    assert "employment" in coder.code(unit("Nagtatrabaho ako sa pabrika", "tl")).themes
    assert "employment" in coder.code(unit("Не можу знайти роботу", "uk")).themes
    assert "housing" in coder.code(unit("ਬੇਸਮੈਂਟ ਦਾ ਕਿਰਾਇਆ ਬਹੁਤ ਹੈ", "pa")).themes
    assert "employment" in coder.code(unit("ንስራሕ ኣብ ፋብሪካ", "ti")).themes
    assert "employment" in coder.code(unit("Shaqooyin ma jiraan", "so")).themes


def test_region_tags_use_the_base_language(coder):
    assert coder.code(unit("Le loyer est trop élevé", "fr-CA")).themes == ("housing",)


def test_unknown_language_uses_every_pattern_unstemmed(coder):
    assert "housing" in coder.code(unit("rent landlord", "de")).themes


def test_translation_adds_themes_marked_in_translation(coder):
    coding = coder.code(
        unit("ገዛ ክራይ ክቡር እዩ", "ti", translation="Rent is expensive and I need a job.")
    )
    by_theme = {m.theme: m for m in coding.matches}
    assert by_theme["housing"].in_translation is False
    assert by_theme["employment"].in_translation is True
    ev = by_theme["employment"].evidence[0]
    assert "Rent is expensive and I need a job."[ev.start : ev.end] == "job"
    assert list(coding.themes) == [k for k in default_codebook().keys if k in by_theme]


def test_empty_and_unrelated_text(coder):
    assert coder.code(unit("", "en")).matches == ()
    assert coder.code(unit("Thank you!", "en")).themes == ()


def test_code_units_is_lazy_and_ordered():
    units = (TextUnit(str(i), "bus", "en", "r") for i in range(3))
    codings = code_units(units, default_codebook())
    assert next(codings).unit_id == "0"
    assert [c.unit_id for c in codings] == ["1", "2"]


def test_whole_words_no_prefix_or_stem_collisions(coder):
    """``training`` is not ``train`` and ``parking`` a car is not a ``park``."""
    assert "transportation" not in themes_of(coder, "The job training was useful.", "en")
    assert "transportation" not in themes_of(coder, "The kids play in the park.", "en")
    assert "transportation" in themes_of(coder, "The buses never come on Sunday.", "en")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "We have no problem with housing, but the bus is always late."),
        ("en", "Housing has never been an issue for us; the bus is always late."),
        ("fr", "Nous n'avons aucun problème de logement, mais l'autobus est toujours en retard."),
        ("es", "No tenemos problema con la vivienda, pero el autobús siempre llega tarde."),
        ("fa", "با مسکن مشکلی نداریم، اما اتوبوس همیشه دیر می‌آید."),
        ("ur", "ہمیں رہائش کا کوئی مسئلہ نہیں، لیکن بس ہمیشہ دیر سے آتی ہے۔"),
    ],
)
def test_a_denied_problem_does_not_code_its_clause(coder, language, text):
    assert themes_of(coder, text, language) == {"transportation"}


def test_a_need_written_as_a_lack_still_codes(coder):
    assert themes_of(coder, "There is no bus on Sunday.", "en") == {"transportation"}
    assert "health" in themes_of(coder, "We still don't have a family doctor.", "en")
    assert themes_of(coder, "The housing problem is not solved.", "en") == {"housing"}


def themes_of(coder, text, language):
    return {m.theme for m in coder.match_text(text, language)}
