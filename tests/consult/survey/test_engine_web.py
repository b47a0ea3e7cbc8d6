"""Survey engine features through the web pages, with forms written inline."""

import re

from sqlalchemy import select

from consult import db
from consult.auth.services import find_partnership
from consult.models import Response, SurveyStatus
from consult.survey.services import import_survey
from tests.consult.walker import fields_of
from tests.forms.inline import md_form

ROSTER = md_form(
    """
    | survey |
    |        | type              | name      | label                 | required | constraint        | relevant          |
    |        | integer           | household | People in your home   | yes      | . >= 1 and . <= 9 |                   |
    |        | begin_repeat      | people    | Each person           |          |                   |                   |
    |        | text              | pname     | First name            | yes      |                   |                   |
    |        | integer           | page      | Age                   | yes      | . >= 0            |                   |
    |        | select_one yn     | school    | In school?            |          |                   | ${page} < 19      |
    |        | end_repeat        |           |                       |          |                   |                   |
    |        | rank prio         | ranking   | Rank these            | yes      |                   |                   |
    |        | select_one c      | colour    | Colour                |          |                   |                   |
    |        | select_one c      | shade     | Shade                 |          |                   |                   |
    | choices |
    |         | list_name | name  | label  | family |
    |         | yn        | yes   | Yes    |        |
    |         | yn        | no    | No     |        |
    |         | prio      | jobs  | Jobs   |        |
    |         | prio      | homes | Homes  |        |
    |         | prio      | care  | Care   |        |
    |         | c         | red   | Red    | warm   |
    |         | c         | blue  | Blue   | cold   |
    | settings |
    |          | form_id | version |
    |          | roster  | 1       |
    """
)


def open_form(app, source, slug, new_version_of=None):
    with app.app_context():
        partnership = find_partnership(db.session(), "demo-lip")
        imported = import_survey(
            db.session(), partnership, source, f"{slug}.md", new_version_of=new_version_of
        )
        imported.survey.status = SurveyStatus.OPEN
        db.commit()


def consent(client, slug):
    page = client.get(f"/s/{slug}/")
    client.post(
        f"/s/{slug}/consent", data={"csrf_token": fields_of(page.text).csrf, "consent": "yes"}
    )
    return client.get(f"/s/{slug}/p/1")


def post(client, slug, number, data, page):
    fields = fields_of(page.text)
    return client.post(
        f"/s/{slug}/p/{number}", data={"csrf_token": fields.csrf, **fields.hidden, **data}
    )


def test_roster_add_remove_and_submit_as_list_of_objects(app, client):
    open_form(app, ROSTER, "roster")
    page = consent(client, "roster")
    assert "Page 1 of" in page.text
    response = post(client, "roster", 1, {"household": "2", "action": "next"}, page)
    page = client.get(response.headers["Location"])
    assert 'name="people.0.pname"' in page.text and 'name="people.1.pname"' not in page.text
    response = post(
        client,
        "roster",
        2,
        {"people.0.pname": "Amal", "people.0.page": "34", "action": "add:people"},
        page,
    )
    page = client.get(response.headers["Location"])
    assert 'value="Amal"' in page.text and 'name="people.1.pname"' in page.text
    data = {
        "people.0.pname": "Amal",
        "people.0.page": "34",
        "people.1.pname": "Omar",
        "people.1.page": "abc",
    }
    page = post(client, "roster", 2, {**data, "action": "next"}, page)
    assert page.status_code == 200
    assert 'id="error-people.1.page"' in page.text and 'value="Omar"' in page.text
    data["people.1.page"] = "12"
    page = post(client, "roster", 2, {**data, "action": "next"}, page)
    assert page.status_code == 200  # school question revealed for the child
    assert 'name="people.1.school"' in page.text and 'name="people.0.school"' not in page.text
    data["people.1.school"] = "yes"
    response = post(client, "roster", 2, {**data, "action": "next"}, page)
    page = client.get(response.headers["Location"])
    assert page.text.count('name="ranking"') == 3
    page = post(client, "roster", 3, {"ranking": ["homes", "homes", ""], "action": "next"}, page)
    assert "Please give every option a different place." in page.text
    response = post(
        client, "roster", 3, {"ranking": ["homes", "care", "jobs"], "action": "next"}, page
    )
    page = client.get(response.headers["Location"])
    response = post(client, "roster", 4, {"colour": "red", "action": "next"}, page)
    page = client.get(response.headers["Location"])
    response = post(client, "roster", 5, {"shade": "blue", "action": "next"}, page)
    assert response.headers["Location"].endswith("/done")
    with app.app_context():
        answers = {a.question: a.value for a in db.session().scalar(select(Response)).answers}
    assert answers["people"] == [
        {"pname": "Amal", "page": 34},
        {"pname": "Omar", "page": 12, "school": "yes"},
    ]
    assert answers["ranking"] == ["homes", "care", "jobs"]


def test_removing_an_entry_keeps_the_others(app, client):
    open_form(app, ROSTER, "roster")
    page = consent(client, "roster")
    response = post(client, "roster", 1, {"household": "3", "action": "next"}, page)
    page = client.get(response.headers["Location"])
    for _ in range(2):
        fields = fields_of(page.text)
        response = post(client, "roster", 2, {"action": "add:people"}, page)
        page = client.get(response.headers["Location"])
    data = {f"people.{i}.pname": name for i, name in enumerate(["A", "B", "C"])}
    response = post(client, "roster", 2, {**data, "action": "remove:people:1"}, page)
    page = client.get(response.headers["Location"])
    assert re.findall(r'name="people\.\d\.pname"[^>]*value="(\w)"', page.text) == ["A", "C"]
    assert fields is not None


def test_forged_repeat_action_changes_nothing(app, client):
    open_form(app, ROSTER, "roster")
    page = consent(client, "roster")
    response = post(client, "roster", 1, {"household": "2", "action": "add:household"}, page)
    assert response.status_code == 302
    page = client.get("/s/roster/p/1")
    assert 'value="2"' in page.text


FIXED = md_form(
    """
    | survey |
    |        | type         | name   | label        | repeat_count |
    |        | integer      | kids   | Children     |              |
    |        | begin_repeat | child  | Each child   | ${kids}      |
    |        | text         | cname  | Name         |              |
    |        | end_repeat   |        |              |              |
    | settings |
    |          | form_id |
    |          | fixed   |
    """
)


def test_repeat_count_fixes_the_number_of_entries(app, client):
    open_form(app, FIXED, "fixed")
    page = consent(client, "fixed")
    response = post(client, "fixed", 1, {"kids": "3", "action": "next"}, page)
    page = client.get(response.headers["Location"])
    assert len(re.findall(r'name="child\.\d\.cname"', page.text)) == 3
    assert "add:child" not in page.text and "remove:child" not in page.text


def test_choice_filter_limits_the_options_shown_and_accepted(app, client):
    form = md_form(
        """
        | survey |
        |        | type         | name   | label  | choice_filter     |
        |        | select_one f | fam    | Family |                   |
        |        | select_one c | colour | Colour | family = ${fam}   |
        | choices |
        |         | list_name | name | label | family |
        |         | f         | warm | Warm   |       |
        |         | f         | cold | Cold   |       |
        |         | c         | red  | Red    | warm  |
        |         | c         | blue | Blue   | cold  |
        | settings |
        |          | form_id |
        |          | filtered |
        """
    )
    open_form(app, form, "filtered")
    page = consent(client, "filtered")
    response = post(client, "filtered", 1, {"fam": "warm", "action": "next"}, page)
    page = client.get(response.headers["Location"])
    assert 'value="red"' in page.text and 'value="blue"' not in page.text
    page = post(client, "filtered", 2, {"colour": "blue", "action": "next"}, page)
    assert "Please choose one of the options shown." in page.text


def test_metadata_fields_are_recorded_and_not_asked(app, client):
    form = md_form(
        """
        | survey |
        |        | type     | name  | label |
        |        | start    | start |       |
        |        | end      | end   |       |
        |        | today    | today |       |
        |        | deviceid | dev   |       |
        |        | text     | t     | T     |
        | settings |
        |          | form_id |
        |          | meta    |
        """
    )
    open_form(app, form, "meta")
    page = consent(client, "meta")
    assert "Page 1 of 1" in page.text and 'name="start"' not in page.text
    response = post(client, "meta", 1, {"t": "hello", "action": "next"}, page)
    assert response.headers["Location"].endswith("/done")
    with app.app_context():
        answers = {a.question: a.value for a in db.session().scalar(select(Response)).answers}
    assert answers["t"] == "hello"
    assert answers["start"] <= answers["end"] and answers["today"] == answers["end"][:10]
    assert "dev" not in answers


def test_reimport_makes_a_new_version_and_responses_keep_theirs(app, client):
    form_v1 = md_form(
        """
        | survey |
        |        | type | name | label |
        |        | text | a    | A     |
        | settings |
        |          | form_id | version |
        |          | versioned | 1     |
        """
    )
    open_form(app, form_v1, "versioned")
    page = consent(client, "versioned")
    other = app.test_client()
    in_progress = consent(other, "versioned")
    post(client, "versioned", 1, {"a": "first", "action": "next"}, page)
    open_form(
        app,
        form_v1.replace(b"| a    | A     |", b"| b    | B     |").replace(
            b"| 1     |", b"| 2     |"
        ),
        "versioned",
        new_version_of="versioned",
    )
    response = post(
        other, "versioned", 1, {"a": "begun on version 1", "action": "next"}, in_progress
    )
    assert response.headers["Location"].endswith("/done")
    with app.app_context():
        rows = db.session().scalars(select(Response).order_by(Response.id)).all()
        assert [r.survey_version.number for r in rows] == [1, 1]
        assert [r.survey_version.form_version for r in rows] == ["1", "1"]
        assert rows[0].survey.current_version.number == 2
    fresh = consent(app.test_client(), "versioned")
    assert 'name="b"' in fresh.text and 'name="a"' not in fresh.text


STALE = md_form(
    """
    | survey |
    |        | type          | name        | label                      | required | relevant                |
    |        | select_one yn | employed    | Do you have a paid job?    | yes      |                         |
    |        | select_one yn | job_related | Is it related to your work?| yes      | ${employed} = 'yes'     |
    |        | integer       | job_hours   | Hours a week in that job?  | yes      | ${job_related} = 'yes'  |
    |        | text          | why_not     | What keeps you from it?    | yes      | ${job_related} != 'yes' |
    | choices |
    |         | list_name | name | label |
    |         | yn        | yes  | Yes   |
    |         | yn        | no   | No    |
    | settings |
    |          | form_id | version |
    |          | stale   | 1       |
    """
)


def test_an_answer_left_on_a_page_that_no_longer_applies_reads_as_empty(app, client):
    """Yes, yes, 40 hours; then back to page 1 and "no": job_related no longer applies,
    so its stale "yes" neither keeps the hours page nor hides why_not."""
    open_form(app, STALE, "stale")
    page = consent(client, "stale")
    for number, answer in ((1, {"employed": "yes"}), (2, {"job_related": "yes"})):
        response = post(client, "stale", number, {**answer, "action": "next"}, page)
        page = client.get(response.headers["Location"])
    assert "Hours a week" in page.text and "Page 3 of 3" in page.text
    post(client, "stale", 3, {"job_hours": "40", "action": "back"}, page)
    page = client.get("/s/stale/p/1")
    response = post(client, "stale", 1, {"employed": "no", "action": "next"}, page)
    page = client.get(response.headers["Location"])
    assert "What keeps you from it?" in page.text and "Page 2 of 2" in page.text
    response = post(client, "stale", 2, {"why_not": "Childcare", "action": "next"}, page)
    assert response.headers["Location"].endswith("/done")
    with app.app_context():
        saved = db.session().scalars(select(Response)).one()
        assert {a.question: a.value for a in saved.answers} == {
            "employed": "no",
            "why_not": "Childcare",
        }
