"""The employer survey and the service-provider scan parse cleanly with pyxform, in English and
French, every label, hint and choice in both."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyxform import xls2json, xls2json_backends

from forms.xlsform import read_xlsform

DEMO = Path(__file__).resolve().parents[2] / "forms" / "demo"
FORMS = {
    "employer_survey.md": ("employer-survey", {"sector", "org_size", "area"}),
    "provider_survey.md": ("provider-scan", {"provider_type", "area"}),
}
LANGUAGES = ("English (en)", "French (fr)")


def _walk(element):
    for child in element.get("children", []):
        if child.get("control", {}).get("bodyless"):
            continue
        yield child
        yield from _walk(child)


def _in_both(text, where):
    assert isinstance(text, dict), f"{where}: not translated ({text!r})"
    assert set(text) == set(LANGUAGES), f"{where}: {sorted(text)}"
    assert all(str(text[lang]).strip() for lang in LANGUAGES), where


@pytest.mark.parametrize("name", sorted(FORMS))
def test_parses_without_warnings_in_english_and_french(name):
    warnings: list[str] = []
    form = xls2json.workbook_to_json(
        xls2json_backends.get_xlsform(str(DEMO / name)), warnings=warnings
    )
    assert warnings == []
    assert form["id_string"] == FORMS[name][0]
    for element in _walk(form):
        _in_both(element.get("label"), element["name"])
        if "hint" in element:
            _in_both(element["hint"], f"{element['name']} hint")
    for list_name, choices in form["choices"].items():
        for choice in choices:
            _in_both(choice.get("label"), f"{list_name}/{choice['name']}")


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_projects_reader_takes_it_with_its_breakdowns(name):
    survey = read_xlsform(DEMO / name)
    assert survey.languages == ("en", "fr")
    assert survey.draft_languages == frozenset({"fr"})
    assert {q.name for q in survey.breakdown_questions()} == FORMS[name][1]
    texts = [q for q in survey.iter_questions() if q.type == "text"]
    assert len(texts) == 2  # free text, coded like the newcomers'
