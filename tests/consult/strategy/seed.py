"""A known dataset for the strategy tests: responses in three languages and areas, a
publication of it, a service inventory, and committee members."""

from __future__ import annotations

import csv
import io
import uuid

from consult import db
from consult.auth.services import add_user, find_partnership
from consult.models import Role
from consult.survey.services import store_response, survey_by_slug
from tests.conftest import csrf_from, sign_in

# (count, language, area, text): housing among Arabic speakers downtown, employment in
# French in the north, housing in English in the south.
GROUPS = (
    (24, "ar", "downtown", "الإيجار مرتفع جدا ولا أجد سكنا"),
    (12, "fr", "north", "Je cherche un emploi"),
    (10, "en", "south", "The rent is too high"),
    (8, "en", "downtown", "I cannot find a job"),
)
RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = (
    ("committee@demo.consult.local", "demo-committee-password"),
    ("member2@demo.consult.local", "member-two-password"),
    ("member3@demo.consult.local", "member-three-password"),
)

INVENTORY_HEADER = ["organisation", "service", "themes", "languages", "areas", "description"]
INVENTORY = [
    ["Riverside Welcome Centre", "Housing help desk", "housing", "en; fr", "all", ""],
    ["Riverside Welcome Centre", "Job club", "employment", "en", "south", ""],
    ["Arab Community Association", "Tenant rights", "housing", "ar", "north", ""],
    ["Library", "Conversation circles", "", "en", "", "Conversation circles for English learners"],
]


def seed_responses(app, slug: str = "needs-assessment") -> None:
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, slug)
        for count, language, area, text in GROUPS:
            for _ in range(count):
                answers = {
                    "years_in_canada": "lt1",
                    "age_band": "a25_34",
                    "area": area,
                    "hardest_part": text,
                }
                store_response(
                    session, survey, survey.current_version_id, str(uuid.uuid4()), language, answers
                )
        db.commit()


def add_committee_members(app) -> None:
    with app.app_context():
        session = db.session()
        partnership = find_partnership(session, "demo-lip")
        for email, password in COMMITTEE[1:]:
            add_user(session, email, password, Role.COMMITTEE, partnership)
        db.commit()


def inventory_csv(rows=INVENTORY, header=INVENTORY_HEADER) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode()


def signed_in(app, email: str, password: str):
    client = app.test_client()
    assert sign_in(client, email, password).status_code == 302
    client.csrf = csrf_from(client.get("/login").text)
    return client


def publish(client, survey_id: int, breakdowns=("area",)) -> int:
    answer = client.post(
        "/research/publications",
        data={
            "csrf_token": client.csrf,
            "title": "Needs 2026",
            "surveys": [str(survey_id)],
            "breakdowns": list(breakdowns),
            "focus_groups": "yes",
        },
    )
    assert answer.status_code == 302, answer.text[:500]
    return int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def survey_id(app, slug: str = "needs-assessment") -> int:
    with app.app_context():
        return survey_by_slug(db.session(), slug).id
