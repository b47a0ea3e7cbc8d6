"""Issue #14 item 5: expression work is bounded per request; running out is a clear 422."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from consult import db
from consult.auth.services import find_partnership
from consult.models import Response, SurveyStatus
from consult.survey import services
from tests.consult.walker import fields_of, fill, start
from tests.forms.inline import md_form

QUESTIONS = 200


def _many_checks_form() -> bytes:
    """One page of 200 required questions, each checked with regex()."""
    rows = "\n".join(
        f"| | text | q{n} | Question {n} | regex(., '^[a-z ]+$') | yes | |"
        for n in range(QUESTIONS)
    )
    return md_form(
        "| survey |\n| | type | name | label | constraint | required | appearance |\n"
        "| | begin_group | all | All | | | field-list |\n" + rows + "\n| | end_group | | | | | |\n"
        "| settings |\n| | form_id |\n| | many-checks |\n"
    )


def _open_form(app) -> None:
    with app.app_context():
        session = db.session()
        partnership = find_partnership(session, "demo-lip")
        imported = services.import_survey(session, partnership, _many_checks_form(), "many.md")
        imported.survey.status = SurveyStatus.OPEN
        db.commit()


def _body() -> dict:
    answers = {f"q{n}": "plain words" for n in range(QUESTIONS)}
    return {"instance_id": str(uuid.uuid4()), "language": "en", "answers": answers}


def _stored(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Response))


def test_an_api_submission_over_the_budget_is_422_and_stores_nothing(app, client):
    _open_form(app)
    before = _stored(app)
    app.config["EXPRESSION_BUDGET_STEPS"] = 2_000
    reply = client.post("/api/v1/surveys/many-checks/responses", json=_body())
    assert reply.status_code == 422
    assert reply.json["error"] == "too_complex"
    assert "more work than the server allows" in reply.json["message"]
    assert _stored(app) == before
    app.config["EXPRESSION_BUDGET_STEPS"] = 2_000_000
    assert client.post("/api/v1/surveys/many-checks/responses", json=_body()).status_code == 201


def test_a_page_over_the_budget_is_a_422_page(app, client):
    _open_form(app)
    page = start(client, "many-checks")
    app.config["EXPRESSION_BUDGET_STEPS"] = 2_000
    action = "/s/many-checks/p/1"
    reply = client.post(action, data=fill(fields_of(page.text), "plain words"))
    assert reply.status_code == 422
    assert "too complex to check" in reply.text
    assert '<html lang="en"' in reply.text
