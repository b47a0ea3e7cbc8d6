"""The shared question bank: which questions of a form are core indicators, and refusals."""

from __future__ import annotations

import pytest

from forms.bank import CORE, UNMARKED, core_indicators, load_bank, match_bank
from forms.problems import FormError
from forms.xlsform import read_xlsform
from tests.forms.inline import md_form

LANGUAGES = {"en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so"}


def _form(row: str, choices: str = "| | yes_no | yes | Yes |\n| | yes_no | no | No |") -> bytes:
    return md_form(
        f"""
        | survey |
        | | type | name | label | core |
        {row}
        | | text | comment | Anything else? | |
        | choices |
        | | list_name | name | label |
        {choices}
        """
    )


def test_the_bank_has_choice_questions_worded_in_every_language():
    bank = load_bank()
    assert list(bank.questions) == [
        "years_in_canada",
        "age_band",
        "info_sources",
        "employment_status",
        "family_doctor",
        "feel_welcome",
    ]
    for question in bank.questions.values():
        assert question.type in {"select_one", "select_multiple"}
        assert set(question.label) == LANGUAGES, question.name
        for choice in question.choices:
            assert set(choice.label) == LANGUAGES, (question.name, choice.name)


def test_the_demo_survey_asks_every_bank_question_in_the_banks_words():
    with open("forms/demo/needs_assessment.md", "rb") as demo:
        survey = read_xlsform(demo.read())
    found = match_bank(survey)
    assert [(m.name, m.status, m.reworded, m.missing) for m in found] == [
        (name, CORE, (), ()) for name in load_bank().questions
    ]
    assert list(core_indicators(survey)) == list(load_bank().questions)


def test_a_core_question_keeps_its_name_type_and_choices_and_may_be_reworded():
    survey = read_xlsform(
        _form("| | select_one yes_no | family_doctor | Got a family doctor? | yes |")
    )
    (found,) = match_bank(survey)
    assert found.status == CORE
    assert found.reworded == ("en",)  # the English label differs from the bank's
    assert "fr" in found.missing
    assert list(core_indicators(survey)) == ["family_doctor"]


@pytest.mark.parametrize(
    ("row", "choices", "code", "column"),
    [
        (
            "| | select_multiple yes_no | family_doctor | Doctor? | yes |",
            "| | yes_no | yes | Yes |\n| | yes_no | no | No |",
            "core_type",
            "type",
        ),
        (
            "| | select_one yes_no | family_doctor | Doctor? | yes |",
            "| | yes_no | yes | Yes |\n| | yes_no | no | No |\n| | yes_no | maybe | Maybe |",
            "core_choices",
            "name",
        ),
        (
            "| | select_one yes_no | family_doctor | Doctor? | yes |",
            "| | yes_no | oui | Yes |\n| | yes_no | no | No |",
            "core_choices",
            "name",
        ),
        (
            "| | select_one yes_no | has_doctor | Doctor? | yes |",
            "| | yes_no | yes | Yes |\n| | yes_no | no | No |",
            "core_unknown",
            "core",
        ),
    ],
)
def test_a_question_claiming_a_bank_name_with_other_type_or_choices_is_refused(
    row, choices, code, column
):
    with pytest.raises(FormError) as refused:
        read_xlsform(_form(row, choices))
    (problem,) = refused.value.problems
    assert (problem.code, problem.sheet, problem.row, problem.column) == (code, "survey", 2, column)
    assert "core" in str(problem)


def test_a_bank_name_not_marked_core_is_reported_but_neither_refused_nor_counted():
    survey = read_xlsform(
        _form(
            "| | select_multiple yes_no | family_doctor | Doctor? | |",
            "| | yes_no | oui | Yes |\n| | yes_no | no | No |",
        )
    )
    assert [(m.name, m.status) for m in match_bank(survey)] == [("family_doctor", UNMARKED)]
    assert core_indicators(survey) == {}
