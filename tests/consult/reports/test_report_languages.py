"""Reports in every language whose catalogue is complete: scripts, fonts, direction."""

import io
import logging
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from flask_babel import gettext
from pypdf import PdfReader

from analysis import fonts
from analysis.report import report_from_dict
from consult import db
from consult.i18n import UI_LANGUAGES, force_language
from consult.reports.build import report_languages
from consult.reports.models import Publication
from consult.reports.pdf import render_pdf
from consult.reports.pdf_text import registered_name
from consult.reports.render import charts_of
from tests.conftest import sign_in
from tests.consult.reports.test_reports import COMMITTEE, publish
from tests.consult.seed import seed
from tests.fonts import require_script_fonts

TRANSLATIONS = Path(__file__).resolve().parents[3] / "translations"


def _catalogue(root: Path, code: str) -> Path:
    folder = root / code.replace("-", "_") / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = TRANSLATIONS / code.replace("-", "_") / "LC_MESSAGES" / "messages.po"
    shutil.copy(source, folder / "messages.po")
    return folder / "messages.po"


def test_report_languages_are_english_french_and_every_complete_catalogue(tmp_path):
    _catalogue(tmp_path, "ar")  # complete, as shipped
    untranslated = _catalogue(tmp_path, "pa")
    untranslated.write_text(
        re.sub(
            r'(msgid "Key findings"\n)msgstr ".*"',
            r'\1msgstr ""',
            untranslated.read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    fuzzy = _catalogue(tmp_path, "ti")
    fuzzy.write_text(
        fuzzy.read_text(encoding="utf-8").replace(
            '\nmsgid "Key findings"', '\n#, fuzzy\nmsgid "Key findings"', 1
        ),
        encoding="utf-8",
    )
    assert report_languages(tmp_path) == ("en", "fr", "ar")
    assert report_languages(TRANSLATIONS) == UI_LANGUAGES  # every shipped catalogue is complete


def _published(app, client):
    seed(app)
    publication_id = publish(client)
    with app.app_context():
        snapshot = db.session().get(Publication, publication_id).snapshot
    return publication_id, snapshot


def test_a_publication_is_frozen_in_every_report_language_from_one_aggregation(app, client):
    publication_id, snapshot = _published(app, client)
    assert tuple(snapshot) == UI_LANGUAGES
    housing = {
        code: next(f for f in report_from_dict(snapshot[code]).findings if f.key == "housing")
        for code in snapshot
    }
    assert {h.respondents for h in housing.values()} == {20}
    assert housing["zh-Hans"].label == "住房" and housing["ar"].label == "السكن"
    assert not any(h.label_fallback for h in housing.values())


def test_committee_reads_in_their_own_language_with_links_to_the_others(app, client):
    require_script_fonts()  # its charts are drawn in every report language
    publication_id, _snapshot = _published(app, client)
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    page = committee.get(f"/committee/{publication_id}", headers={"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "السكن" in page.text
    for code in ("en", "fr", "zh-Hans", "pa", "ti", "so"):
        assert f'hreflang="{code}"' in page.text
    assert 'aria-current="page" lang="ar"' in page.text
    chinese = committee.get(f"/committee/{publication_id}?lang=zh-Hans")
    assert '<html lang="zh-Hans" dir="ltr">' in chinese.text and "住房" in chinese.text
    unknown = committee.get(f"/committee/{publication_id}?lang=xx")
    assert unknown.status_code == 200 and 'lang="zh-Hans"' in unknown.text  # the session's
    for kind in ("pdf", "html", "csv"):
        download = committee.get(f"/committee/{publication_id}/report.{kind}?lang=xx")
        assert download.status_code == 200


def test_an_older_publication_in_english_and_french_only_still_reads(app, client):
    publication_id, snapshot = _published(app, client)
    with app.app_context():
        publication = db.session().get(Publication, publication_id)
        publication.snapshot = {"en": snapshot["en"], "fr": snapshot["fr"]}
        db.commit()
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    page = committee.get(f"/committee/{publication_id}?lang=ar")
    assert page.status_code == 200 and '<html lang="en" dir="ltr">' in page.text
    assert 'hreflang="ar"' not in page.text


@pytest.mark.parametrize("language", ["zh-Hans", "pa", "ti", "ar", "uk"])
def test_report_command_writes_the_report_in_the_language_with_its_headings(
    app, runner, tmp_path, language
):
    require_script_fonts((language,))
    seed(app)
    out = tmp_path / language
    result = runner.invoke(
        args=["report", "needs-assessment", "--lang", language, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    with app.test_request_context("/"), force_language(language):
        headings = [gettext("Key findings"), gettext("How this summary was made")]
    assert headings[0] != "Key findings"
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    for heading in headings:
        assert heading in html
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")


def test_report_command_refuses_a_language_that_is_not_a_report_language(app, runner, tmp_path):
    result = runner.invoke(
        args=["report", "needs-assessment", "--lang", "xx", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0 and "xx" in result.output


def _pdf(app, snapshot, language) -> tuple[set[str], str]:
    report = report_from_dict(snapshot[language])
    with app.test_request_context("/"):
        data = render_pdf(report)
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names, _comparable(" ".join(p.extract_text() for p in reader.pages))


def _comparable(text: str) -> str:
    """Presentation forms to letters (NFKC); a zero-width non-joiner as the space it extracts as."""
    return unicodedata.normalize("NFKC", text).replace("\u200c", " ")


@pytest.mark.parametrize("language", ["ar", "fa", "ur", "zh-Hans", "pa", "ti", "uk"])
def test_the_pdf_embeds_a_font_that_draws_the_language_and_holds_its_findings(
    app, client, language
):
    require_script_fonts()
    _id, snapshot = _published(app, client)
    names, text = _pdf(app, snapshot, language)
    font = fonts.font_for_language(language, truetype_only=True)
    with app.app_context():
        expected = registered_name(font)
    embedded = {name.replace("-", "") for name in names}
    assert any(
        expected.replace("-", "") in n or n in font.family.replace(" ", "") for n in embedded
    )
    assert fonts.covers(font, report_from_dict(snapshot[language]).findings[0].label)
    housing = next(f for f in report_from_dict(snapshot[language]).findings if f.key == "housing")
    if "\u0a3f" not in housing.label:  # Gurmukhi's i-sign is drawn before its consonant
        assert _comparable(housing.label).split()[0] in text
    with app.test_request_context("/"), force_language(language):
        heading = gettext("Key findings")
    if "\u0a3f" not in heading:
        assert _comparable(heading).split()[0] in text


def test_charts_are_drawn_with_the_fonts_of_the_report_language(app, client):
    require_script_fonts()
    _id, snapshot = _published(app, client)
    with app.test_request_context("/"):
        charts = charts_of(report_from_dict(snapshot["pa"]))
    assert charts and all(c.fonts == fonts.chart_families("pa") for c in charts)
    assert charts[0].fonts[0] == fonts.font_for_language("pa").family


def test_a_report_is_made_even_when_no_font_draws_its_script(app, client, monkeypatch, caplog):
    _id, snapshot = _published(app, client)
    monkeypatch.setattr(fonts, "font_for_script", lambda script, truetype_only=False: None)
    for cached in (fonts._warn_missing, fonts.chart_families):
        getattr(cached, "cache_clear", lambda: None)()
    from consult.reports import pdf_text

    pdf_text.font_chain.cache_clear()
    with (
        caplog.at_level(logging.WARNING, logger="analysis.fonts"),
        pytest.warns(UserWarning, match="missing from font"),  # matplotlib says so too
    ):
        names, _text = _pdf(app, snapshot, "ti")
    pdf_text.font_chain.cache_clear()
    fonts._warn_missing.cache_clear()
    assert "DejaVuSans" in names
    assert "ethiopic" in caplog.text


def test_a_theme_without_a_label_in_the_language_is_shown_in_english_and_says_so(app, client):
    import copy

    from consult.coding.services import current_codebook_row

    with app.app_context():
        row = current_codebook_row(db.session(), 1)
        data = copy.deepcopy(row.data)
        housing = next(t for t in data["themes"] if t["key"] == "housing")
        del housing["labels"]["ar"]
        row.data = data
        db.commit()
    publication_id, snapshot = _published(app, client)
    finding = next(f for f in report_from_dict(snapshot["ar"]).findings if f.key == "housing")
    assert finding.label == "Housing" and finding.label_fallback
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    page = committee.get(f"/committee/{publication_id}?lang=ar")
    assert '<th scope="row" lang="en" dir="ltr">Housing</th>' in page.text
    with app.test_request_context("/"), force_language("ar"):
        note = gettext(
            "These theme names have no translation in this language yet and are shown in "
            "English: %(themes)s.",
            themes="Housing",
        )
    assert note in page.text.replace("&#34;", '"')
    names, text = _pdf(app, snapshot, "ar")
    assert "Housing" in text
