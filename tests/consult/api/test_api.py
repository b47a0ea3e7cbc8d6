"""The JSON API under /api/v1: the contract in PRODUCT.md, status code by status code."""

from __future__ import annotations

import json
import uuid

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from sqlalchemy import func, select

from consult import db
from consult.api.openapi import document
from consult.auth.services import find_partnership
from consult.demo import demo_form_bytes
from consult.extensions import limiter
from consult.models import Answer, Response, Survey, SurveyStatus, SurveyVersion
from consult.survey import services
from consult.survey.messages import MESSAGES

SLUG = "needs-assessment"
SUBMIT = f"/api/v1/surveys/{SLUG}/responses"
VALID = {"years_in_canada": "y1_3", "age_band": "a25_34", "area": "north"}


def submission(answers=None, **extra):
    return {"instance_id": str(uuid.uuid4()), "answers": dict(answers or VALID), **extra}


def rows(app, model=Response):
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def set_status(app, status: SurveyStatus, slug: str = SLUG) -> None:
    with app.app_context():
        survey = db.session().scalar(select(Survey).where(Survey.slug == slug))
        survey.status = status
        db.commit()


def definition(app):
    with app.app_context():
        return services.survey_by_slug(db.session(), SLUG).definition


def catalogue(app, code: str, language: str) -> str:
    """A problem message from the gettext catalogue, in ``language``."""
    with app.test_request_context(), force_locale(language):
        return str(MESSAGES[code])


def schema_validator(name: str) -> Draft202012Validator:
    """A validator for one schema of the OpenAPI document (its $refs resolved)."""
    spec = document()
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    )


def assert_matches(name: str, body) -> None:
    errors = list(schema_validator(name).iter_errors(body))
    assert not errors, [e.message for e in errors]


# --- listing and describing ------------------------------------------------------


def test_lists_open_surveys_with_slug_title_and_languages(client):
    reply = client.get("/api/v1/surveys")
    assert reply.status_code == 200
    assert reply.is_json
    assert [s["slug"] for s in reply.json] == [SLUG]
    listed = reply.json[0]
    assert listed["title"] == "Newcomer Needs Assessment"
    assert {"en", "fr", "ar", "zh-Hans", "pa", "ti"} <= set(listed["languages"])
    assert_matches("SurveyList", reply.json)
    french = client.get("/api/v1/surveys?lang=fr").json[0]
    assert french["title"] == "Évaluation des besoins des nouveaux arrivants"


def test_closed_and_draft_surveys_are_not_listed(app, client):
    set_status(app, SurveyStatus.CLOSED)
    assert client.get("/api/v1/surveys").json == []
    closed = client.get(f"/api/v1/surveys/{SLUG}")
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    set_status(app, SurveyStatus.DRAFT)
    assert client.get("/api/v1/surveys").json == []


def test_describes_a_survey_in_arabic_with_groups_choices_and_version(app, client):
    reply = client.get(f"/api/v1/surveys/{SLUG}?lang=ar")
    assert reply.status_code == 200
    body = reply.json
    assert_matches("SurveyDescription", body)
    with app.app_context():
        version = db.session().scalar(select(SurveyVersion))
        number, form_version = version.number, version.form_version
    assert body["version"] == number and isinstance(body["version"], int)
    assert body["form_version"] == form_version == "2026-11-1"
    assert body["slug"] == SLUG
    assert body["default_language"] == "en"
    assert body["language"] == "ar"
    assert "ar" in body["languages"]
    assert body["title"] == "تقييم احتياجات القادمين الجدد"
    about = body["questions"][0]
    assert about["name"] == "about_you" and about["type"] == "group"
    assert about["label"] == "معلومات عنك"
    years = next(q for q in about["children"] if q["name"] == "years_in_canada")
    assert years["type"] == "select_one"
    assert years["label"] == "كم مضى على إقامتك في كندا؟"
    assert years["required"] is True
    assert years["children"] == []
    assert {"name": "lt1", "label": "أقل من سنة"} in years["choices"]
    work = next(q for q in body["questions"] if q["name"] == "work")
    job = next(q for q in work["children"] if q["name"] == "job_related")
    assert job["relevant"] == "${employment_status} = 'employed'"
    assert job["required"] is False


def test_wording_falls_back_to_the_default_language(client):
    body = client.get(f"/api/v1/surveys/{SLUG}?lang=de").json
    assert body["language"] == "en"
    assert body["questions"][0]["label"] == "About you"
    by_header = client.get(f"/api/v1/surveys/{SLUG}", headers={"Accept-Language": "fr-CA"})
    assert by_header.json["language"] == "fr"
    assert by_header.json["questions"][0]["label"] == "À propos de vous"


def test_unknown_and_draft_surveys_are_404_json(app, client):
    reply = client.get("/api/v1/surveys/no-such-survey")
    assert reply.status_code == 404
    assert reply.json["error"] == "unknown_survey"
    set_status(app, SurveyStatus.DRAFT)
    assert client.get(f"/api/v1/surveys/{SLUG}").status_code == 404
    posted = client.post(SUBMIT, json=submission())
    assert posted.status_code == 404
    assert posted.json["error"] == "unknown_survey"
    assert rows(app) == 0


# --- submitting -------------------------------------------------------------------


def test_submission_is_stored_once_201_then_200_with_the_same_reference(app, client):
    body = submission(
        {**VALID, "employment_status": "employed", "job_related": "partly", "children": 2},
        language="ar",
    )
    first = client.post(SUBMIT, json=body)
    assert first.status_code == 201
    assert first.json["status"] == "created"
    assert first.json["instance_id"] == body["instance_id"]
    assert_matches("SubmissionResult", first.json)
    again = client.post(SUBMIT, json=body)
    assert again.status_code == 200
    assert again.json["reference"] == first.json["reference"]
    assert again.json["status"] == "duplicate"
    assert rows(app) == 1
    with app.app_context():
        stored = db.session().scalar(select(Response))
        assert stored.reference == first.json["reference"]
        assert stored.instance_id == body["instance_id"]
        assert stored.language == "ar"
        assert stored.channel == "api"
        assert {a.question: a.value for a in stored.answers} == {
            **VALID,
            "employment_status": "employed",
            "job_related": "partly",
            "children": 2,
        }


def test_a_retry_with_other_answers_stores_nothing_new(app, client):
    body = submission()
    reference = client.post(SUBMIT, json=body).json["reference"]
    retry = client.post(SUBMIT, json={**body, "answers": {"nope": "x"}})
    assert retry.status_code == 200
    assert retry.json["reference"] == reference
    assert rows(app) == 1
    assert rows(app, Answer) == len(VALID)


def test_instance_ids_are_compared_in_canonical_form(app, client):
    instance = uuid.uuid4()
    first = client.post(SUBMIT, json={"instance_id": f"uuid:{instance}".upper(), "answers": VALID})
    assert first.status_code == 201
    assert first.json["instance_id"] == str(instance)
    again = client.post(SUBMIT, json={"instance_id": str(instance), "answers": VALID})
    assert again.status_code == 200
    assert again.json["reference"] == first.json["reference"]
    assert rows(app) == 1


def test_missing_answers_get_the_forms_own_arabic_messages(app, client):
    reply = client.post(SUBMIT, json=submission({"gender": "woman"}, language="ar"))
    assert reply.status_code == 422
    assert_matches("ValidationErrors", reply.json)
    form = definition(app)
    for name in ("years_in_canada", "age_band", "area"):
        own = form.question(name).required_message["ar"]
        assert reply.json["errors"][name] == own
        assert reply.json["codes"][name] == "required"
    assert "gender" not in reply.json["errors"]
    assert rows(app) == 0


@pytest.mark.parametrize(
    ("answers", "question", "code"),
    [
        ({"age_band": ["a25_34"]}, "age_band", "invalid_choice"),
        ({"info_sources": "telepathy carrier_pigeon"}, "info_sources", "invalid_choice"),
        ({"info_sources": {"a": 1}}, "info_sources", "not_list"),
        ({"children": "3"}, "children", "not_integer"),
        ({"children": 2.5}, "children", "not_integer"),
        ({"children": True}, "children", "not_integer"),
        ({"children": 40}, "children", "constraint"),
        ({"hardest_part": 12}, "hardest_part", "not_text"),
        ({"hardest_part": "x" * 5001}, "hardest_part", "too_long"),
        ({"favourite_colour": "blue"}, "favourite_colour", "unknown_question"),
        ({"employment_status": "looking", "job_related": "yes"}, "job_related", "not_relevant"),
        ({"children": 0, "school_support": "yes"}, "school_support", "not_relevant"),
    ],
)
def test_invalid_answers_are_refused_with_422_in_arabic(app, client, answers, question, code):
    reply = client.post(SUBMIT, json=submission({**VALID, **answers}, language="ar"))
    assert reply.status_code == 422
    assert reply.json["error"] == "invalid_answers"
    assert reply.json["codes"] == {question: code}
    form = definition(app)
    own = form.questions_by_name().get(question)
    expected = catalogue(app, code, "ar")
    if own is not None and code == "constraint" and own.constraint_message.get("ar"):
        expected = own.constraint_message["ar"]
    assert reply.json["errors"] == {question: expected}
    assert expected != catalogue(app, code, "en") or code == "constraint"
    assert rows(app) == 0


def test_relevant_follow_up_answers_are_accepted(app, client):
    answers = {**VALID, "employment_status": "employed", "job_related": "yes"}
    assert client.post(SUBMIT, json=submission(answers)).status_code == 201
    listed = {**VALID, "info_sources": ["library", "friends_family"], "children": 1}
    listed["school_support"] = "partly"
    assert client.post(SUBMIT, json=submission(listed)).status_code == 201
    spaced = {**VALID, "info_sources": "library websites"}
    assert client.post(SUBMIT, json=submission(spaced)).status_code == 201
    assert rows(app) == 3


def test_message_language_comes_from_body_then_query_then_accept_language(app, client):
    required_ar = definition(app).question("area").required_message["ar"]
    required_fr = definition(app).question("area").required_message["fr"]
    incomplete = {"years_in_canada": "y1_3", "age_band": "a25_34"}
    by_header = client.post(
        SUBMIT, json=submission(incomplete), headers={"Accept-Language": "ar-SY,ar;q=0.9"}
    )
    assert by_header.json["errors"]["area"] == required_ar
    by_query = client.post(
        SUBMIT + "?lang=fr", json=submission(incomplete), headers={"Accept-Language": "ar"}
    )
    assert by_query.json["errors"]["area"] == required_fr
    by_body = client.post(SUBMIT + "?lang=fr", json=submission(incomplete, language="ar"))
    assert by_body.json["errors"]["area"] == required_ar
    stored = client.post(SUBMIT, json=submission(), headers={"Accept-Language": "ar"})
    assert stored.status_code == 201
    with app.app_context():
        assert db.session().scalar(select(Response.language)) == "ar"


def test_unknown_language_is_400(app, client):
    reply = client.post(SUBMIT, json=submission(language="xx"))
    assert reply.status_code == 400
    assert reply.json["error"] == "unknown_language"
    assert "language" in reply.json["errors"]
    assert "ar" in reply.json["message"]
    assert client.post(SUBMIT, json=submission(language=5)).status_code == 400
    assert rows(app) == 0


def test_closed_survey_is_409_but_a_retry_of_a_stored_response_is_200(app, client):
    stored = submission()
    reference = client.post(SUBMIT, json=stored).json["reference"]
    set_status(app, SurveyStatus.CLOSED)
    reply = client.post(SUBMIT, json=submission())
    assert reply.status_code == 409
    assert reply.json["error"] == "survey_closed"
    retry = client.post(SUBMIT, json=stored)
    assert retry.status_code == 200
    assert retry.json["reference"] == reference
    assert rows(app) == 1


def test_outdated_version_is_409_and_the_current_one_is_accepted(app, client):
    current = client.get(f"/api/v1/surveys/{SLUG}").json["version"]
    old = client.post(SUBMIT, json=submission(version=current + 5))
    assert old.status_code == 409
    assert old.json["error"] == "outdated_version"
    assert old.json["current_version"] == current
    assert str(current) in old.json["message"]
    assert client.post(SUBMIT, json=submission(version=current)).status_code == 201
    assert client.post(SUBMIT, json=submission(version="1")).status_code == 400
    assert client.post(SUBMIT, json=submission(version=True)).status_code == 400
    assert rows(app) == 1


def test_a_new_version_makes_the_old_number_outdated(app, client):
    with app.app_context():
        session = db.session()
        imported = services.import_survey(
            session,
            find_partnership(session, "demo-lip"),
            demo_form_bytes(),
            "v2.md",
            new_version_of=SLUG,
        )
        db.commit()
        new_number = imported.version.number
    assert client.get(f"/api/v1/surveys/{SLUG}").json["version"] == new_number == 2
    assert client.post(SUBMIT, json=submission(version=1)).status_code == 409
    assert client.post(SUBMIT, json=submission(version=2)).status_code == 201


def test_instance_id_of_another_surveys_response_is_409(app, client):
    with app.app_context():
        session = db.session()
        other = services.import_survey(
            session,
            find_partnership(session, "demo-lip"),
            demo_form_bytes(),
            "other.md",
            slug="other-survey",
        )
        other.survey.status = SurveyStatus.OPEN
        db.commit()
    body = submission()
    assert client.post(SUBMIT, json=body).status_code == 201
    reply = client.post("/api/v1/surveys/other-survey/responses", json=body)
    assert reply.status_code == 409
    assert reply.json["error"] == "instance_id_conflict"
    assert rows(app) == 1


def test_body_over_the_size_limit_is_413_json(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    reply = client.post(SUBMIT, json=submission({**VALID, "hardest_part": "x" * 4000}))
    assert reply.status_code == 413
    assert reply.is_json
    assert reply.json["error"] == "too_large"
    assert rows(app) == 0
    assert client.post(SUBMIT, json=submission()).status_code == 201


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{not json", "malformed_json"),
        (b"", "malformed_json"),
        (b'{"instance_id": NaN}', "malformed_json"),
        (b"\xff\xfe\xfa", "malformed_json"),
        (b"[" * 100_000, "malformed_json"),
        (b"[1, 2]", "invalid_request"),
        (b'"text"', "invalid_request"),
        (b"null", "invalid_request"),
    ],
)
def test_malformed_bodies_are_400_json(app, client, data, code):
    reply = client.post(SUBMIT, data=data, content_type="application/json")
    assert reply.status_code == 400
    assert reply.json["error"] == code
    assert reply.json["message"]
    assert_matches("Error", reply.json)
    assert rows(app) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": VALID}, "instance_id"),
        ({"instance_id": "not-a-uuid", "answers": VALID}, "instance_id"),
        ({"instance_id": "../../etc/passwd", "answers": VALID}, "instance_id"),
        ({"instance_id": str(uuid.uuid4()) + "x" * 80, "answers": VALID}, "instance_id"),
        ({"instance_id": 12345, "answers": VALID}, "instance_id"),
        ({"instance_id": str(uuid.uuid4())}, "answers"),
        ({"instance_id": str(uuid.uuid4()), "answers": [["age_band", "a25_34"]]}, "answers"),
        ({"instance_id": str(uuid.uuid4()), "answers": "age_band=a25_34"}, "answers"),
    ],
)
def test_wrong_envelopes_are_400_naming_the_field(app, client, body, field):
    reply = client.post(SUBMIT, json=body)
    assert reply.status_code == 400
    assert reply.json["error"] == "invalid_request"
    assert field in reply.json["errors"]
    assert rows(app) == 0


def test_posting_needs_no_csrf_token_and_sets_no_cookie(client):
    reply = client.post(SUBMIT + "?lang=ar", json=submission())
    assert reply.status_code == 201
    assert "Set-Cookie" not in reply.headers
    assert "Set-Cookie" not in client.get("/api/v1/surveys?lang=fr").headers


def test_every_api_error_is_json(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json["error"] == "not_found"
    wrong_method = client.delete(SUBMIT)
    assert wrong_method.status_code == 405 and wrong_method.json["error"] == "method_not_allowed"
    assert "POST" in wrong_method.headers["Allow"]
    french = client.get("/api/v1/nothing-here", headers={"Accept-Language": "fr"})
    assert french.is_json


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    answers=st.dictionaries(
        st.sampled_from(
            ["years_in_canada", "age_band", "area", "info_sources", "children", "job_related"]
            + ["employment_status", "school_support", "hardest_part", "zz", ""]
        ),
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats()
            | st.text(max_size=20)
            | st.sampled_from(["y1_3", "a25_34", "north", "employed", "friends_family", "yes"]),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner),
            max_leaves=8,
        ),
    ),
    language=st.sampled_from([None, "ar", "fr", "zh-Hans", "ti", "EN", "zz", 7]),
)
def test_no_answers_ever_give_a_server_error(client, answers, language):
    body = {"instance_id": str(uuid.uuid4()), "answers": answers}
    if language is not None:
        body["language"] = language
    reply = client.post(SUBMIT, data=json.dumps(body), content_type="application/json")
    assert reply.status_code in {201, 400, 422}
    assert reply.is_json


def test_submissions_are_rate_limited_with_a_json_429(app, client):
    app.config["RATELIMIT_SUBMISSIONS"] = "3 per minute"
    limiter.enabled = True
    limiter.reset()
    try:
        statuses = [client.post(SUBMIT, json=submission()).status_code for _ in range(5)]
        limited = client.post(SUBMIT, json=submission())
        listing = client.get("/api/v1/surveys")
    finally:
        limiter.reset()
        limiter.enabled = False
    assert statuses[:3] == [201, 201, 201]
    assert statuses[3:] == [429, 429]
    assert limited.json["error"] == "rate_limited"
    assert listing.status_code == 200
    assert rows(app) == 3


# --- the OpenAPI document ---------------------------------------------------------


def test_openapi_document_is_valid_and_covers_every_api_route(app, client):
    reply = client.get("/api/v1/openapi.json")
    assert reply.status_code == 200
    spec = reply.json
    validate_openapi(spec)
    assert spec["openapi"].startswith("3.1")
    routes = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert len(routes) >= 5
    for rule in routes:
        path = rule.rule.replace("<", "{").replace(">", "}")
        assert path in spec["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in spec["paths"][path], (path, method)
    for path in spec["paths"]:
        assert path.startswith("/api/v1/")


def test_documented_error_bodies_match_their_schemas(app, client):
    assert_matches("Error", client.get("/api/v1/surveys/nope").json)
    set_status(app, SurveyStatus.CLOSED)
    assert_matches("Error", client.post(SUBMIT, json=submission()).json)


def test_a_submission_is_coded_with_the_codebook_saved_just_before(app, client):
    from analysis.codebook import set_patterns
    from consult.coding.models import CodebookVersion, TextUnitRow
    from consult.coding.services import current_codebook, save_codebook

    answers = {**VALID, "hardest_part": "We walk by the river every evening."}
    client.post(SUBMIT, json=submission(answers, language="en"))  # the coder is cached now
    with app.app_context():
        edited = set_patterns(
            current_codebook(db.session(), 1), "social_inclusion", "en", ["river"]
        )
        save_codebook(db.session(), 1, edited, None, "the river walk is belonging")
        db.commit()
        latest = db.session().scalar(select(func.max(CodebookVersion.version)))
    assert client.post(SUBMIT, json=submission(answers, language="en")).status_code == 201
    with app.app_context():
        first, second = db.session().scalars(select(TextUnitRow).order_by(TextUnitRow.id)).all()
        assert first.coded_version < latest and "social_inclusion" not in first.theme_keys
        assert second.coded_version == latest
        assert "social_inclusion" in second.theme_keys.split(",")
