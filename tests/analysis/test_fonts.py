"""Fonts that draw every report script, found on this machine; charts use them."""

import logging
from dataclasses import replace

import pytest
from matplotlib import font_manager
from matplotlib.text import Text

from analysis import fonts
from analysis.charts import drawn_with, prevalence_chart, to_svg
from tests.analysis.test_report import TEXTS, report
from tests.fonts import require_script_fonts

LABELS = {
    "ar": "العمل والتوظيف",
    "ur": "ٹرانسپورٹ اور رہائش",
    "zh-Hans": "就业",
    "pa": "ਸਿਹਤ ਅਤੇ ਰੁਜ਼ਗਾਰ",
    "ti": "ስራሕ",
    "uk": "Працевлаштування",
}


@pytest.mark.parametrize("language", sorted(LABELS))
def test_a_truetype_font_covers_each_report_script(language):
    require_script_fonts()
    font = fonts.font_for_language(language, truetype_only=True)
    assert font.truetype
    assert fonts.covers(font, fonts.SCRIPT_SAMPLES[fonts.script_of(language)])
    assert fonts.covers(font, LABELS[language])


def test_chinese_for_the_pdf_is_truetype_not_cff():
    require_script_fonts(("zh-Hans",))
    assert fonts.font_for_script("han", truetype_only=True).truetype


def _glyph_source(character: str, families: list[str]) -> str | None:
    """The file matplotlib takes ``character`` from: the first family that has it."""
    for family in families:
        path = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
        if ord(character) in fonts.character_map(fonts.FontFile(family, path)):
            return path
    return None


@pytest.mark.parametrize("language", sorted(LABELS))
def test_chart_labels_are_drawn_from_fonts_that_have_their_glyphs(language):
    require_script_fonts()
    base = report()
    findings = tuple(
        replace(f, label=f"{LABELS[language]} {i}") for i, f in enumerate(base.findings)
    )
    localized = replace(base, language=language, findings=findings)
    families = fonts.chart_families(language)
    with drawn_with(families):
        chart = prevalence_chart(localized, TEXTS)
    svg = to_svg(replace(chart, fonts=families))
    assert svg.startswith(b"<?xml")
    labels = [t for t in chart.figure.findobj(Text) if LABELS[language] in t.get_text()]
    assert labels, "the theme labels are drawn"
    for text in labels:
        used = list(text.get_fontfamily())
        assert used[: len(families)] == list(families)
        for character in text.get_text().replace(" ", ""):
            assert _glyph_source(character, used) is not None, (language, character)


def test_a_missing_script_font_falls_back_to_dejavu_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(fonts, "font_for_script", lambda script, truetype_only=False: None)
    fonts._warn_missing.cache_clear()
    with caplog.at_level(logging.WARNING, logger="analysis.fonts"):
        chosen = fonts.font_for_language("pa", truetype_only=True)
    assert chosen == fonts.base_font()
    assert "gurmukhi" in caplog.text and "falling back" in caplog.text
    fonts._warn_missing.cache_clear()
