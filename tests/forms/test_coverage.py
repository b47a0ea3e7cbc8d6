from importlib import resources

import pytest

from forms.coverage import KINDS, Missing, translation_coverage
from forms.xlsform import read_xlsform
from tests.forms.inline import md_form

PARTIAL = md_form(
    """
    | survey |
    |        | type          | name     | label::English (en) | label::French (fr) | hint::English (en) | hint::French (fr) | required | required_message::English (en) | required_message::French (fr) |
    |        | select_one ab | age_band | How old are you?    | Quel âge avez-vous? | In years          |                   | yes      | Please answer.                 | Veuillez répondre.            |
    |        | text          | comment  | Comment             | Commentaire        |                    |                   |          |                                |                               |
    | choices |
    |         | list_name | name   | label::English (en) | label::French (fr) |
    |         | ab        | a18_24 | 18 to 24            | 18 à 24            |
    |         | ab        | a25_34 | 25 to 34            |                    |
    | settings |
    |          | form_title | form_id | default_language | draft_languages | title_translations |
    |          | Ages       | ages    | English (en)     | French (fr)     | fr=Âges            |
    """
)


def test_missing_french_hint_and_choice_are_exactly_the_missing_items():
    coverage = translation_coverage(read_xlsform(PARTIAL))
    assert list(coverage) == ["en", "fr"]
    french = coverage["fr"]
    assert french.missing == (("age_band", "hint"), ("age_band", "choice:a25_34"))
    assert french.source_text[Missing("age_band", "hint")] == "In years"
    assert french.source_text[("age_band", "choice:a25_34")] == "25 to 34"
    # the title and 2 question labels
    assert (french.kinds["labels"].total, french.kinds["labels"].translated) == (3, 3)
    assert (french.kinds["hints"].total, french.kinds["hints"].translated) == (1, 0)
    assert (french.kinds["choices"].total, french.kinds["choices"].translated) == (2, 1)
    assert (french.kinds["messages"].total, french.kinds["messages"].translated) == (1, 1)
    assert french.kinds["choices"].percent == 50.0
    assert french.kinds["hints"].percent == 0.0
    assert (french.total, french.translated) == (7, 5)
    assert french.percent == pytest.approx(100 * 5 / 7)
    assert french.is_draft and not french.is_default


def test_default_language_is_complete_and_never_a_draft():
    english = translation_coverage(read_xlsform(PARTIAL))["en"]
    assert english.is_default and not english.is_draft
    assert english.missing == ()
    assert english.percent == 100.0
    assert english.meets(100)


def test_strings_absent_in_the_default_language_are_not_counted():
    form = md_form(
        """
        | survey |
        |        | type | name | label::English (en) | label::French (fr) | hint::English (en) | hint::French (fr) |
        |        | text | t    | Text                | Texte              |                    | Un indice en trop |
        | settings |
        |          | form_title | form_id | title_translations |
        |          | T          | t       | fr=T fr            |
        """
    )
    french = translation_coverage(read_xlsform(form))["fr"]
    assert french.kinds["hints"].total == 0
    assert french.total == 2 and french.translated == 2
    assert french.missing == ()


def test_shared_choice_lists_count_once_under_the_first_question():
    form = md_form(
        """
        | survey |
        |        | type          | name   | label::English (en) | label::French (fr) |
        |        | select_one yn | first  | First?              | Premier?           |
        |        | select_one yn | second | Second?             | Deuxième?          |
        | choices |
        |         | list_name | name | label::English (en) | label::French (fr) |
        |         | yn        | yes  | Yes                 |                    |
        |         | yn        | no   | No                  | Non                |
        | settings |
        |          | form_title | form_id | title_translations |
        |          | T          | t       | fr=T               |
        """
    )
    french = translation_coverage(read_xlsform(form))["fr"]
    assert french.kinds["choices"].total == 2
    assert french.missing == (("first", "choice:yes"),)


def test_group_labels_and_constraint_messages_count():
    form = md_form(
        """
        | survey |
        |        | type        | name | label::English (en) | label::Spanish (es) | constraint | constraint_message::English (en) | constraint_message::Spanish (es) |
        |        | begin_group | g    | Group               |                     |            |                                  |                                  |
        |        | integer     | n    | Number              | Número              | . > 0      | More than zero                   |                                  |
        |        | end_group   | g    |                     |                     |            |                                  |                                  |
        | settings |
        |          | form_title | form_id | title_translations |
        |          | T          | t       | es=T               |
        """
    )
    spanish = translation_coverage(read_xlsform(form))["es"]
    assert spanish.missing == (("g", "label"), ("n", "constraint_message"))
    assert spanish.kinds["messages"].total == 1
    assert not spanish.is_draft


def test_threshold_comparison_is_exact():
    french = translation_coverage(read_xlsform(PARTIAL))["fr"]  # 5 of 7 = 71.43%
    assert french.meets(71) and not french.meets(72)
    assert french.meets(0)


def test_demo_survey_is_fully_translated_with_drafts_marked():
    demo = resources.files("forms").joinpath("demo", "needs_assessment.md").read_bytes()
    coverage = translation_coverage(read_xlsform(demo, drop_unsupported=True))
    assert len(coverage) == 12
    assert set(KINDS) <= set(coverage["fr"].kinds)
    assert [code for code, c in coverage.items() if c.is_draft] == [
        code for code in coverage if code != "en"
    ]
    assert all(c.total == coverage["en"].total for c in coverage.values())


def test_a_missing_title_is_a_missing_label():
    form = md_form(
        """
        | survey |
        |        | type | name | label::English (en) | label::French (fr) |
        |        | text | t    | Text                | Texte              |
        | settings |
        |          | form_title | form_id |
        |          | Title      | titled  |
        """
    )
    french = translation_coverage(read_xlsform(form))["fr"]
    assert french.missing == (("titled", "title"),)
    assert french.source_text[("titled", "title")] == "Title"
