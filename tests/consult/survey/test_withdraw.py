"""Withdrawing a response with its reference code: on the web and through the API."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from consult import db
from consult.coding.models import AutoCode, TextUnitRow
from consult.extensions import limiter
from consult.models import Answer, Response
from consult.survey.services import response_counts_by_language
from tests.conftest import csrf_from
from tests.consult.walker import complete

SLUG = "needs-assessment"
SUBMIT = f"/api/v1/surveys/{SLUG}/responses"
VALID = {"years_in_canada": "y1_3", "age_band": "a25_34", "area": "north"}


def submit(client, language="ar", **answers):
    body = {
        "instance_id": str(uuid.uuid4()),
        "language": language,
        "answers": {
            **VALID,
            "hardest_part": "I cannot find a job and the rent is too expensive",
            **answers,
        },
    }
    reply = client.post(SUBMIT, json=body)
    assert reply.status_code == 201
    return reply.json["reference"]


def counts(app):
    with app.app_context():
        session = db.session()
        survey_id = session.scalar(select(Response.survey_id).limit(1))
        partnership_id = session.scalar(select(Response.partnership_id).limit(1))
        return response_counts_by_language(session, {partnership_id}).get(survey_id, {})


def derived_of(app, reference):
    """The response's breakdown attributes, text units and automatic codes."""
    with app.app_context():
        session = db.session()
        response = session.scalar(select(Response).where(Response.reference == reference))
        unit_ids = list(
            session.scalars(select(TextUnitRow.id).where(TextUnitRow.response_id == response.id))
        )
        codes = session.scalar(
            select(func.count()).select_from(AutoCode).where(AutoCode.unit_id.in_(unit_ids))
        )
        return dict(response.attributes or {}), len(unit_ids), codes


def answers_of(app, reference):
    with app.app_context():
        session = db.session()
        response = session.scalar(select(Response).where(Response.reference == reference))
        count = session.scalar(
            select(func.count()).select_from(Answer).where(Answer.response_id == response.id)
        )
        return response.withdrawn_at, count


def post_withdraw(client, code, lang="en"):
    page = client.get(f"/withdraw?lang={lang}")
    return client.post("/withdraw", data={"code": code, "csrf_token": csrf_from(page.text)})


def test_withdraw_page_is_accessible_and_in_the_users_language(client):
    page = client.get("/withdraw?lang=ar")
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert '<label for="code">' in page.text
    assert 'aria-describedby="hint-code"' in page.text
    assert 'name="csrf_token"' in page.text
    assert "<script" not in page.text and "style=" not in page.text


def test_web_withdrawal_deletes_answers_and_the_response_counts_nowhere(app, client):
    kept = submit(client, "ar")
    gone = submit(client, "ar")
    submit(client, "fr")
    assert counts(app) == {"ar": 2, "fr": 1}
    with app.app_context():  # a theme on its text unit, as the coder or a researcher gives
        session = db.session()
        unit = session.scalar(select(TextUnitRow).join(Response).where(Response.reference == gone))
        session.add(AutoCode(unit_id=unit.id, theme="housing", codebook_version=1, evidence=[]))
        db.commit()
    attributes, units, codes = derived_of(app, gone)
    assert attributes["age_band"] == "a25_34" and units == 1 and codes >= 1
    typed = gone.lower().replace("-", " ")  # as someone might type it
    reply = post_withdraw(client, f"  {typed} ")
    assert reply.status_code == 200
    assert "Your answers have been withdrawn." in reply.text
    assert gone in reply.text
    withdrawn_at, answer_count = answers_of(app, gone)
    assert withdrawn_at is not None
    assert answer_count == 0
    assert derived_of(app, gone) == ({}, 0, 0)
    assert answers_of(app, kept)[1] == len(VALID) + 1
    assert derived_of(app, kept)[1] == 1
    assert counts(app) == {"ar": 1, "fr": 1}


def test_completing_the_web_survey_then_withdrawing_it(app, client):
    done = complete(client, SLUG, "fr", text="Le logement coûte cher")
    reference = re.search(r"<strong>([A-Z0-9-]+)</strong>", done.text).group(1)
    assert counts(app) == {"fr": 1}
    assert "Your answers have been withdrawn." in post_withdraw(client, reference).text
    assert counts(app) == {}
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Answer)) == 0


def test_codes_typed_with_other_digits_or_full_width_letters_are_found(app, client):
    reference = submit(client)
    arabic_digits = "".join("٠١٢٣٤٥٦٧٨٩"[int(c)] if c.isdigit() else c.lower() for c in reference)
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else " " for c in reference)
    assert "Your answers have been withdrawn." in post_withdraw(client, arabic_digits).text
    assert "Your answers have been withdrawn." in post_withdraw(client, full_width).text
    assert counts(app) == {}


def test_unknown_code_gets_a_clear_message_and_changes_nothing(app, client):
    submit(client)
    reply = post_withdraw(client, "ZZZZ-ZZZZ")
    assert reply.status_code == 200
    assert "We could not find a response with that reference code." in reply.text
    assert 'aria-describedby="hint-code error-code"' in reply.text
    assert 'aria-invalid="true"' in reply.text
    assert counts(app) == {"ar": 1}
    empty = post_withdraw(client, "")
    assert "Please enter your reference code." in empty.text
    too_long = post_withdraw(client, "X" * 200)
    assert "That code is too long." in too_long.text
    odd = post_withdraw(client, "ⅫⅫ-٣٣٣٣-<script>")
    assert odd.status_code == 200
    assert "<script>" not in odd.text


def test_withdraw_form_needs_its_csrf_token(client):
    reply = client.post("/withdraw", data={"code": "ABCD-EFGH"})
    assert reply.status_code == 400


def test_api_withdrawal_then_retry_and_unknown_code(app, client):
    reference = submit(client, "ar")
    reply = client.post("/api/v1/responses/withdraw", json={"reference": reference.lower()})
    assert reply.status_code == 200
    assert reply.json == {"reference": reference, "status": "withdrawn"}
    assert answers_of(app, reference)[1] == 0
    assert counts(app) == {}
    again = client.post("/api/v1/responses/withdraw", json={"reference": reference})
    assert again.status_code == 200
    unknown = client.post(
        "/api/v1/responses/withdraw",
        json={"reference": "ZZZZ-ZZZZ"},
        headers={"Accept-Language": "fr"},
    )
    assert unknown.status_code == 404
    assert unknown.json["error"] == "unknown_reference"
    assert "reference" in unknown.json["errors"]
    for bad in ({}, {"reference": 5}, {"reference": "  "}, []):
        refused = client.post("/api/v1/responses/withdraw", json=bad)
        assert refused.status_code == 400
        assert refused.json["error"] == "invalid_request"
    malformed = client.post(
        "/api/v1/responses/withdraw", data=b"{", content_type="application/json"
    )
    assert malformed.status_code == 400


def test_a_withdrawn_response_resubmitted_stores_nothing_new(app, client):
    body = {"instance_id": str(uuid.uuid4()), "answers": VALID}
    reference = client.post(SUBMIT, json=body).json["reference"]
    client.post("/api/v1/responses/withdraw", json={"reference": reference})
    retry = client.post(SUBMIT, json=body)
    assert retry.status_code == 200
    assert retry.json["reference"] == reference
    assert answers_of(app, reference)[1] == 0
    assert counts(app) == {}


def test_withdrawal_attempts_share_one_rate_limit(app, client):
    app.config["RATELIMIT_WITHDRAW"] = "4 per minute"
    limiter.enabled = True
    limiter.reset()
    try:
        token = csrf_from(client.get("/withdraw").text)
        web = [
            client.post("/withdraw", data={"code": f"AAAA-BB{i:02d}", "csrf_token": token})
            for i in range(3)
        ]
        api = [
            client.post("/api/v1/responses/withdraw", json={"reference": f"CCCC-DD{i:02d}"})
            for i in range(2)
        ]
        page = client.get("/withdraw")
    finally:
        limiter.reset()
        limiter.enabled = False
    assert [r.status_code for r in web] == [200, 200, 200]
    assert [r.status_code for r in api] == [404, 429]
    assert api[1].json["error"] == "rate_limited"
    assert page.status_code == 200
