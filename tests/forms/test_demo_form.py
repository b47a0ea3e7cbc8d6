"""The demo needs-assessment survey parses cleanly with pyxform and is complete.

Only pyxform is used here, so the file is checked against the reference
XLSForm implementation independently of the project's own reader.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyxform import xls2json, xls2json_backends
from pyxform.builder import create_survey_element_from_dict

FORM = Path(__file__).resolve().parents[2] / "forms" / "demo" / "needs_assessment.md"

LANGUAGES = (
    "English (en)",
    "French (fr)",
    "Arabic (ar)",
    "Chinese (zh-Hans)",
    "Punjabi (pa)",
    "Tagalog (tl)",
    "Spanish (es)",
    "Farsi (fa)",
    "Urdu (ur)",
    "Ukrainian (uk)",
    "Tigrinya (ti)",
    "Somali (so)",
)
BREAKDOWN = {
    "years_in_canada",
    "immigration_category",
    "age_band",
    "gender",
    "first_language",
    "area",
}
STRUCTURAL = {"group", "note"}


@pytest.fixture(scope="module")
def parsed():
    warnings: list[str] = []
    form = xls2json.workbook_to_json(xls2json_backends.get_xlsform(str(FORM)), warnings=warnings)
    xml = create_survey_element_from_dict(form).to_xml(validate=False)
    return form, warnings, xml


def _walk(element):
    """Every element the form's author wrote (pyxform's generated meta group left out)."""
    for child in element.get("children", []):
        if child.get("control", {}).get("bodyless"):
            continue
        yield child
        yield from _walk(child)


def _questions(form):
    return [e for e in _walk(form) if e["type"] not in STRUCTURAL]


def _assert_all_languages(text, where):
    assert isinstance(text, dict), f"{where}: not translated ({text!r})"
    missing = [lang for lang in LANGUAGES if not str(text.get(lang) or "").strip()]
    assert not missing, f"{where}: missing {missing}"
    extra = set(text) - set(LANGUAGES)
    assert not extra, f"{where}: unexpected languages {extra}"


def test_parses_without_warnings(parsed):
    form, warnings, xml = parsed
    assert warnings == []
    assert "<h:html" in xml
    assert form["title"] == "Newcomer Needs Assessment"
    assert form["id_string"] == "needs-assessment"
    assert form["version"] == "2026-11-1"
    assert form["default_language"] == "English (en)"


def test_every_label_in_all_languages(parsed):
    form, _, _ = parsed
    elements = list(_walk(form))
    groups = [e for e in elements if e["type"] == "group"]
    assert 8 <= len(groups) <= 12
    for element in elements:
        _assert_all_languages(element.get("label"), element["name"])
        if "hint" in element:
            _assert_all_languages(element["hint"], f"{element['name']} hint")
        bind = element.get("bind", {})
        for key in ("jr:requiredMsg", "jr:constraintMsg"):
            if key in bind:
                _assert_all_languages(bind[key], f"{element['name']} {key}")
    for list_name, choices in form["choices"].items():
        assert choices, list_name
        for choice in choices:
            _assert_all_languages(choice.get("label"), f"{list_name}/{choice['name']}")


def test_pages_are_field_lists(parsed):
    form, _, _ = parsed
    pages = [p for p in form["children"] if not p.get("control", {}).get("bodyless")]
    assert all(p["type"] == "group" for p in pages)
    for page in pages:
        assert page.get("control", {}).get("appearance") == "field-list", page["name"]
        assert page.get("children"), page["name"]


def test_question_count_and_types(parsed):
    form, _, _ = parsed
    questions = _questions(form)
    assert 22 <= len(questions) <= 32
    names = [q["name"] for q in questions]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in names)
    allowed = {"text", "integer", "select one", "select all that apply"}
    assert {q["type"] for q in questions} <= allowed
    texts = [q for q in questions if q["type"] == "text"]
    assert len(texts) >= 3
    assert {"hardest_part", "more_welcoming", "anything_else"} <= {q["name"] for q in texts}
    for q in texts:
        assert q.get("bind", {}).get("required") in (None, "", "no", False)
        assert "hint" in q


def test_breakdown_questions(parsed):
    form, _, _ = parsed
    marked = {q["name"] for q in _questions(form) if q.get("breakdown") == "yes"}
    assert marked == BREAKDOWN
    required = {q["name"] for q in _questions(form) if q.get("bind", {}).get("required") == "yes"}
    assert {"years_in_canada", "age_band", "area"} <= required
    for q in _questions(form):
        if q["name"] in required:
            assert "jr:requiredMsg" in q["bind"], q["name"]


def test_skip_logic_and_constraint_refer_to_real_questions(parsed):
    form, _, _ = parsed
    names = {q["name"] for q in _questions(form)}
    expressions = []
    for q in _questions(form):
        bind = q.get("bind", {})
        for key in ("relevant", "constraint"):
            if bind.get(key):
                expressions.append(bind[key])
                assert set(re.findall(r"\$\{(\w+)\}", bind[key])) <= names
    assert "${used_settlement} = 'yes'" in expressions
    assert "${children} > 0" in expressions
    assert ". >= 0 and . <= 15" in expressions
    children = next(q for q in _questions(form) if q["name"] == "children")
    assert children["type"] == "integer"
    assert "jr:constraintMsg" in children["bind"]


def test_draft_languages_lists_every_non_english_language(parsed):
    form, _, _ = parsed
    draft = [n.strip() for n in form["draft_languages"].split(";") if n.strip()]
    assert sorted(draft) == sorted(lang for lang in LANGUAGES if lang != "English (en)")


def test_title_translations_cover_all_languages(parsed):
    form, _, _ = parsed
    pairs = dict(
        (code.strip(), title.strip())
        for code, _, title in (p.partition("=") for p in form["title_translations"].split("|"))
    )
    codes = [re.search(r"\(([^)]+)\)$", lang).group(1) for lang in LANGUAGES]
    assert sorted(pairs) == sorted(codes)
    assert all(pairs.values())
