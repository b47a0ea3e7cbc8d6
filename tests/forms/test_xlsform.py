from pathlib import Path

import pytest

from forms.flow import is_relevant, validate_answer, with_calculations
from forms.problems import FormError
from forms.xlsform import read_xlsform
from tests.forms.inline import md_form

FOUR_WAYS = md_form(
    """
    | survey |
    |        | type          | name | label::Arabic (ar) | label::english | label::Français | label::Dari |
    |        | select_one yn | ok   | حسنا؟               | OK?            | D'accord ?      | خوب؟        |
    | choices |
    |         | list_name | name | label::Arabic (ar) | label::english | label::Français | label::Dari |
    |         | yn        | yes  | نعم                 | Yes            | Oui             | بله         |
    |         | yn        | no   | لا                  | No             | Non             | نه          |
    | settings |
    |          | form_title | form_id | version | default_language |
    |          | Demo       | demo    | 7       | english          |
    """
)


def test_four_ways_of_naming_languages():
    survey = read_xlsform(FOUR_WAYS)
    assert survey.default_language == "en"
    assert set(survey.languages) == {"ar", "en", "fr", "fa-AF"}
    question = survey.question("ok")
    assert question.label == {"ar": "حسنا؟", "en": "OK?", "fr": "D'accord ?", "fa-AF": "خوب؟"}
    assert [c.name for c in question.choices] == ["yes", "no"]
    assert question.choices[0].label["fa-AF"] == "بله"
    assert survey.version == "7"
    assert survey.form_id == "demo"


def test_unknown_language_column_is_named_in_the_error():
    form = md_form(
        """
        | survey |
        |        | type | name | label::English (en) | label::Elvish |
        |        | text | t    | Text                | Quenya        |
        """
    )
    with pytest.raises(FormError) as error:
        read_xlsform(form)
    problem = error.value.problems[0]
    assert problem.code == "unknown_language"
    assert problem.column == "label::Elvish"
    assert "label::Elvish" in str(problem)


def test_malformed_form_gets_pyxforms_reason():
    form = md_form(
        """
        | survey |
        |        | type           | name | label |
        |        | select_one nope | q   | Q     |
        """
    )
    with pytest.raises(FormError) as error:
        read_xlsform(form)
    assert error.value.problems[0].code == "pyxform"
    assert "choices sheet" in str(error.value)


def test_unreadable_bytes_are_a_clear_error():
    with pytest.raises(FormError) as error:
        read_xlsform(b"\x00\x01 not a form")
    assert error.value.problems[0].code in {"unreadable", "pyxform"}


def test_bindings_hints_and_messages_are_read():
    form = md_form(
        """
        | survey |
        |        | type    | name | label::English (en) | hint::English (en) | required | required_message::English (en) | constraint      | constraint_message::English (en) | relevant   | breakdown |
        |        | integer | age  | Age                 | In years           | yes      | Tell us your age               | . >= 18         | Adults only                      |            | yes       |
        |        | text    | why  | Why?                |                    |          |                                |                 |                                  | ${age} > 30 |          |
        """
    )
    survey = read_xlsform(form)
    age = survey.question("age")
    assert age.hint == {"en": "In years"}
    assert age.required == "true()"
    assert age.required_message == {"en": "Tell us your age"}
    assert age.constraint == ". >= 18"
    assert age.constraint_message == {"en": "Adults only"}
    assert age.breakdown is True
    assert survey.question("why").relevant == "${age} > 30"
    assert survey.breakdown_questions() == (age,)


def test_unsupported_types_are_refused_with_sheet_row_and_column():
    form = md_form(
        """
        | survey |
        |        | type     | name  | label |
        |        | text     | name  | Name  |
        |        | geopoint | where | Where |
        |        | photo    | pic   | Photo |
        """
    )
    with pytest.raises(FormError) as error:
        read_xlsform(form)
    problems = error.value.problems
    assert [(p.code, p.sheet, p.row, p.column, p.detail) for p in problems] == [
        ("unsupported_type", "survey", 3, "type", "geopoint"),
        ("unsupported_type", "survey", 4, "type", "photo"),
    ]
    survey = read_xlsform(form, drop_unsupported=True)
    assert [q.name for q in survey.iter_questions()] == ["name"]
    assert survey.dropped == ("geopoint (where)", "photo (pic)")


def test_draft_languages_and_title_translations_come_from_settings():
    form = md_form(
        """
        | survey |
        |        | type | name | label::English (en) | label::French (fr) | label::Arabic (ar) |
        |        | text | t    | Text                | Texte              | نص                 |
        | settings |
        |          | form_title | form_id | default_language | draft_languages          | title_translations               |
        |          | Needs      | needs   | English (en)     | French (fr); Arabic (ar) | fr=Besoins \\| ar=الاحتياجات |
        """
    )
    survey = read_xlsform(form)
    assert survey.draft_languages == {"fr", "ar"}
    assert survey.title["en"] == "Needs"
    assert survey.title["fr"] == "Besoins"


def test_field_list_groups_are_groups_with_children():
    form = md_form(
        """
        | survey |
        |        | type        | name  | label | appearance |
        |        | begin_group | about | About | field-list |
        |        | text        | a     | A     |            |
        |        | text        | b     | B     |            |
        |        | end_group   |       |       |            |
        """
    )
    survey = read_xlsform(form)
    group = survey.children[0]
    assert group.is_field_list
    assert [q.name for q in group.children] == ["a", "b"]


def test_unsupported_functions_and_bad_references_are_import_errors():
    form = md_form(
        """
        | survey |
        |        | type    | name | label | relevant             | constraint          |
        |        | integer | a    | A     |                      | pulldata('x', 1)    |
        |        | text    | c    | C     | ${a} > 1 and ${a} <  |                     |
        |        | text    | d    | D     | wobble() > 0.5       |                     |
        """
    )
    with pytest.raises(FormError) as error:
        read_xlsform(form)
    found = {(p.row, p.column) for p in error.value.problems}
    assert found == {(2, "constraint"), (3, "relevant"), (4, "relevant")}
    assert all(p.code == "expression" for p in error.value.problems)
    assert "pulldata" in str(error.value) and "wobble" in str(error.value)


def test_references_to_missing_questions_get_pyxforms_reason():
    form = md_form(
        """
        | survey |
        |        | type | name | label | relevant      |
        |        | text | b    | B     | ${nope} = 'x' |
        """
    )
    with pytest.raises(FormError) as error:
        read_xlsform(form)
    assert "nope" in str(error.value)


def test_a_broken_xlsx_is_a_clear_error():
    with pytest.raises(FormError) as error:
        read_xlsform(b"PK\x03\x04 this is not really a zip file")
    assert error.value.problems[0].code in {"unreadable", "pyxform"}


def test_a_dropped_question_reads_as_never_answered_and_each_read_is_listed():
    form = md_form(
        """
        | survey |
        |        | type     | name      | label               | relevant               | calculation         |
        |        | geopoint | community | Where?              |                        |                     |
        |        | text     | plot_id   | Plot                |                        |                     |
        |        | text     | note_for  | About ${community}  | ${community} != ''     |                     |
        |        | calculate| has_place |                     |                        | if(${community} = '', 'no', 'yes') |
        """
    )
    with pytest.raises(FormError):
        read_xlsform(form)
    survey = read_xlsform(form, drop_unsupported=True)
    assert survey.dropped == ("geopoint (community)",)
    assert [line.split(":")[0] for line in survey.empty_reads] == [
        "survey row 4, label",
        "survey row 4, relevant",
        "survey row 5, calculation",
    ]
    assert survey.question("note_for").label == {"en": "About"}
    answers = with_calculations(survey, {"plot_id": "P1"})
    assert answers["has_place"] == "no"
    assert not is_relevant(survey.question("note_for"), answers)


@pytest.mark.parametrize(
    ("detail", "sheet", "row", "column"),
    [
        ("[row : 2] On the 'survey' sheet, the 'name' value is invalid.", "survey", 2, "name"),
        ("[row : 2] List name not in choices sheet: likert", "survey", 2, ""),
        ("There should be a choices sheet in this xlsform.", "choices", None, ""),
    ],
)
def test_pyxform_messages_become_problems_with_their_place(detail, sheet, row, column):
    from forms.xlsform import pyxform_problem

    problem = pyxform_problem(detail)
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, column)


def test_an_unknown_question_type_is_placed_on_its_row_and_column():
    form = md_form(
        """
        | survey |
        |        | type                   | name   | label  |
        |        | text                   | a      | A      |
        |        | Select one from source | source | Source |
        """
    )
    with pytest.raises(FormError) as error:
        read_xlsform(form)
    [problem] = error.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "type")
    assert str(problem).startswith("Sheet 'survey', row 3, column 'type': ")
    assert "Unknown question type 'Select one from source'" in str(problem)


def test_a_repeated_column_header_is_placed_on_its_sheet_and_header_row():
    # kobocat's enumerator_weekly.xls has two 'label' columns on its survey sheet
    source = Path(__file__).parents[1] / "corpus" / "forms" / "kobocat-enumerator-weekly.xls"
    with pytest.raises(FormError) as error:
        read_xlsform(source.read_bytes())
    [problem] = error.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("survey", 1, "label")
    assert "Duplicate column header: label" in str(problem)


def test_a_choice_filter_on_a_question_without_choices_does_nothing():
    # as pyxform and ODK do: only a select's choices are filtered (onadata's
    # subdistrict profiling tool has one on a text question)
    form = md_form(
        """
        | survey |
        |        | type              | name  | label | choice_filter |
        |        | select_one places | place | Place |               |
        |        | text              | other | Other | ${place}='x'  |
        | choices |
        |         | list_name | name | label |
        |         | places    | x    | X     |
        |         | places    | y    | Y     |
        """
    )
    survey = read_xlsform(form)
    assert survey.question("other").choice_filter == ""
    assert validate_answer(survey.question("other"), "Elsewhere", {"place": "y"}) is None
