"""A question that does not apply reads as empty in every expression (the ODK rule).

A stale answer (given, then left behind when an earlier answer changed, or sent
by an API client) must neither open nor close another question, nor feed a
calculation, on the web and through the API alike.
"""

import pytest

from forms.flow import applicable_answers, validate_submission, visible_pages
from forms.xlsform import read_xlsform
from tests.forms.inline import md_form

FORM = read_xlsform(
    md_form(
        """
        | survey |
        |        | type              | name        | label::English (en)          | required | relevant                     | calculation                | appearance |
        |        | select_one yn     | employed    | Do you have a paid job?      | yes      |                              |                            |            |
        |        | select_one yn     | job_related | Is it related to your work?  |          | ${employed} = 'yes'          |                            |            |
        |        | integer           | job_hours   | Hours a week in that job?    | yes      | ${job_related} = 'yes'       |                            |            |
        |        | text              | why_not     | What keeps you from it?      | yes      | ${job_related} != 'yes'      |                            |            |
        |        | calculate         | matched     |                              |          |                              | if(${job_related} = 'yes', 'matched', 'other') |            |
        |        | begin_group       | same        | One page                     |          |                              |                            | field-list |
        |        | select_one yn     | renting     | Do you rent?                 |          | ${employed} = 'yes'          |                            |            |
        |        | integer           | rent        | How much rent?               | yes      | ${renting} = 'yes'           |                            |            |
        |        | end_group         | same        |                              |          |                              |                            |            |
        | choices |
        |         | list_name | name | label::English (en) |
        |         | yn        | yes  | Yes                 |
        |         | yn        | no   | No                  |
        | settings |
        |          | form_title | form_id | default_language |
        |          | Stale      | stale   | English (en)     |
        """
    )
)


def test_a_stale_answer_does_not_open_the_questions_that_depend_on_it():
    clean, problems = validate_submission(
        FORM, {"employed": "no", "job_related": "yes", "why_not": "Childcare"}
    )
    # job_related does not apply, so job_hours (required when it is "yes") is not asked.
    assert [(p.question, p.code) for p in problems] == []
    assert clean == {"employed": "no", "why_not": "Childcare", "matched": "other"}


def test_a_stale_answer_does_not_close_the_questions_that_depend_on_it():
    # why_not applies when job_related is not "yes": read as empty, it is not "yes".
    _clean, problems = validate_submission(FORM, {"employed": "no", "job_related": "yes"})
    assert [(p.question, p.code) for p in problems] == [("why_not", "required")]


def test_answers_that_hang_on_a_stale_answer_are_discarded_or_refused():
    answers = {"employed": "no", "job_related": "yes", "job_hours": 30, "why_not": "Visa"}
    clean, problems = validate_submission(FORM, answers)
    assert problems == [] and "job_hours" not in clean and "job_related" not in clean
    _clean, problems = validate_submission(FORM, answers, strict_relevance=True)
    assert sorted((p.question, p.code) for p in problems) == [
        ("job_hours", "not_relevant"),
        ("job_related", "not_relevant"),
    ]


def test_a_calculation_reads_a_stale_answer_as_empty():
    values = applicable_answers(FORM, {"employed": "no", "job_related": "yes"})
    assert "job_related" not in values
    assert values["matched"] == "other"
    kept = applicable_answers(FORM, {"employed": "yes", "job_related": "yes"})
    assert kept["job_related"] == "yes" and kept["matched"] == "matched"


def test_a_stale_answer_on_the_same_page_is_read_as_empty_too():
    # renting does not apply (not employed); rent, on the same page, hangs on it.
    _clean, problems = validate_submission(
        FORM, {"employed": "no", "why_not": "x", "renting": "yes"}
    )
    assert problems == []
    names = [
        q.name
        for page in visible_pages(FORM, {"employed": "no", "renting": "yes"})
        for q in page.elements
    ]
    assert "same" not in names


def test_the_pages_a_respondent_sees_ignore_answers_left_on_skipped_pages():
    pages = visible_pages(FORM, {"employed": "no", "job_related": "yes"})
    shown = [page.elements[0].name for page in pages]
    assert "job_hours" not in shown and "why_not" in shown
    pages = visible_pages(FORM, {"employed": "yes", "job_related": "yes"})
    shown = [page.elements[0].name for page in pages]
    assert "job_hours" in shown and "why_not" not in shown


def test_a_name_two_questions_share_is_never_removed():
    form = read_xlsform(
        md_form(
            """
            | survey |
            |        | type          | name  | label::English (en) | required | relevant          |
            |        | select_one yn | a     | A?                  | yes      |                   |
            |        | begin_group   | g1    | One                 |          | ${a} = 'yes'      |
            |        | integer       | price | Price?              |          |                   |
            |        | end_group     | g1    |                     |          |                   |
            |        | begin_group   | g2    | Two                 |          | ${a} = 'no'       |
            |        | integer       | price | Price?              |          |                   |
            |        | end_group     | g2    |                     |          |                   |
            | choices |
            |         | list_name | name | label::English (en) |
            |         | yn        | yes  | Yes                 |
            |         | yn        | no   | No                  |
            | settings |
            |          | form_title | form_id | default_language |
            |          | Shared     | shared  | English (en)     |
            """
        )
    )
    clean, problems = validate_submission(form, {"a": "no", "price": 5})
    assert problems == [] and clean == {"a": "no", "price": 5}


def test_a_page_with_no_condition_of_its_own_asks_the_same_questions_whatever_the_answers():
    from forms.flow import page_questions, survey_pages

    pages = {p.elements[0].name: p for p in survey_pages(FORM)}
    employed, job_related, same = pages["employed"], pages["job_related"], pages["same"]
    assert [q.name for q in employed.fixed_questions] == ["employed"]
    assert job_related.fixed_questions is None and same.fixed_questions is None
    # the pages judged answer by answer still follow the answers
    assert page_questions(job_related, {"employed": "no"}) == []
    assert [q.name for q in page_questions(same, {"employed": "yes", "renting": "yes"})] == [
        "renting",
        "rent",
    ]
    assert [q.name for q in page_questions(same, {"employed": "yes"})] == ["renting"]
    fields = FORM.top_level_fields()
    assert fields is FORM.top_level_fields() and "matched" in fields
    with pytest.raises(TypeError):
        fields["extra"] = None  # shared by every caller: read-only


def test_what_a_submission_reads_of_the_definition_is_worked_out_once_and_in_order():
    positions = FORM.question_positions()
    assert positions is FORM.question_positions()
    assert list(positions) == [q.name for q in FORM.iter_questions()]
    assert positions["employed"] < positions["rent"]
    assert FORM.free_text_names() == frozenset({"why_not"})
