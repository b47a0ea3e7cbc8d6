"""Answers to questions that do not apply: discarded on the web, refused by the API."""

from forms.flow import validate_submission
from forms.xlsform import read_xlsform
from tests.forms.inline import md_form

FORM = read_xlsform(
    md_form(
        """
        | survey |
        |        | type              | name         | label::English (en)         | required | relevant                  |
        |        | select_one yn     | employed     | Do you have a paid job?     | yes      |                           |
        |        | select_one yn     | job_related  | Is it related to your work? |          | ${employed} = 'yes'       |
        |        | begin_group       | kids         | Children                    |          | ${employed} = 'yes'       |
        |        | integer           | children     | How many children?          |          |                           |
        |        | end_group         | kids         |                             |          |                           |
        |        | text              | comment      | Anything else?              |          |                           |
        | choices |
        |         | list_name | name | label::English (en) |
        |         | yn        | yes  | Yes                 |
        |         | yn        | no   | No                  |
        | settings |
        |          | form_title | form_id | default_language |
        |          | Relevance  | rel     | English (en)     |
        """
    )
)


def test_stale_answers_are_discarded_by_default():
    clean, problems = validate_submission(FORM, {"employed": "no", "job_related": "yes"})
    assert problems == []
    assert clean == {"employed": "no"}


def test_strict_relevance_refuses_answers_that_do_not_apply():
    clean, problems = validate_submission(
        FORM,
        {"employed": "no", "job_related": "yes", "children": 2, "comment": "hi"},
        strict_relevance=True,
    )
    assert sorted((p.question, p.code) for p in problems) == [
        ("children", "not_relevant"),
        ("job_related", "not_relevant"),
    ]
    assert "job_related" not in clean and "children" not in clean


def test_strict_relevance_accepts_relevant_and_empty_answers():
    answers = {"employed": "yes", "job_related": "no", "children": 2}
    clean, problems = validate_submission(FORM, answers, strict_relevance=True)
    assert problems == []
    assert clean == answers
    # An empty answer to a question that does not apply is no answer at all.
    _clean, problems = validate_submission(
        FORM, {"employed": "no", "job_related": None}, strict_relevance=True
    )
    assert problems == []


def test_strict_relevance_keeps_other_problem_codes_first():
    _clean, problems = validate_submission(
        FORM, {"employed": "no", "job_related": "maybe", "nope": 1}, strict_relevance=True
    )
    codes = {p.question: p.code for p in problems}
    assert codes == {"job_related": "invalid_choice", "nope": "unknown_question"}
