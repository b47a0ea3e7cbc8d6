"""The umbrella analyst: only protected core indicators of partnerships that share them."""

from __future__ import annotations

import random
import re
import uuid

import pytest
from sqlalchemy import select

from consult import db
from consult.auth.services import add_user, find_partnership, set_role
from consult.demo import demo_form_bytes
from consult.models import AuditEvent, Partnership, Response, Role, SurveyStatus
from consult.survey.services import import_survey, store_response, survey_by_slug
from consult.umbrella import services
from tests.conftest import csrf_from, sign_in

ANALYST = ("analyst@umbrella.example", "analyst-password-1")
MARK = "SECRET-ANSWER-4242"


def _responses(session, slug: str, count: int, seed: int) -> None:
    """``count`` responses to the core questions (with small groups) and a free-text answer."""
    draw = random.Random(seed)
    survey = survey_by_slug(session, slug)
    for _ in range(count):
        answers = {
            "years_in_canada": draw.choice(["lt1", "lt1", "lt1", "y1_3", "gt10"]),
            "family_doctor": draw.choice(["yes", "yes", "no"]),
            "info_sources": draw.sample(["library", "faith", "websites"], draw.randint(0, 2)),
            "hardest_part": f"The rent is too high {MARK}",
        }
        store_response(session, survey, survey.current_version_id, str(uuid.uuid4()), "en", answers)


@pytest.fixture
def world(app):
    """Riverside (the demo, shares), Lakeside (shares), Hillside (does not share); an
    analyst with the umbrella role in all three."""
    with app.app_context():
        session = db.session()
        demo = find_partnership(session, "demo-lip")
        made = {"demo-lip": demo}
        for slug, name in (("lakeside", "Lakeside LIP"), ("hillside", "Hillside LIP HIDDEN")):
            row = Partnership(slug=slug, name=name)
            session.add(row)
            session.flush()
            survey = import_survey(session, row, demo_form_bytes(), "x.md", slug=f"{slug}-needs")
            survey.survey.status = SurveyStatus.OPEN
            made[slug] = row
        session.flush()
        for seed, (slug, survey) in enumerate(
            (
                ("demo-lip", "needs-assessment"),
                ("lakeside", "lakeside-needs"),
                ("hillside", "hillside-needs"),
            )
        ):
            _responses(session, survey, 23 + 7 * seed, seed)
        analyst = add_user(session, ANALYST[0], ANALYST[1], Role.UMBRELLA, demo)
        for slug in ("lakeside", "hillside"):
            set_role(session, analyst, made[slug], Role.UMBRELLA)
        for slug in ("demo-lip", "lakeside"):
            services.share(session, made[slug])
        db.commit()
    return app


def _cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", html, re.S)]


def test_the_analyst_sees_sharing_partnerships_side_by_side_and_pooled(world):
    client = world.test_client()
    sign_in(client, *ANALYST)
    page = client.get("/umbrella/")
    assert page.status_code == 200
    assert "Riverside" in page.text and "Lakeside LIP" in page.text
    assert "Hillside" not in page.text  # did not opt in: never appears
    assert MARK not in page.text and "rent" not in page.text.lower()
    cells = _cells(page.text)
    assert cells
    for cell in cells:
        number = re.match(r"(\d+)", cell)
        assert cell in {"—", "hidden", "fewer than 5"} or number, cell
        if number:
            assert int(number.group(1)) % 5 == 0 and int(number.group(1)) >= 5, cell


def test_no_count_below_the_threshold_and_pooled_is_the_sum_shown(world):
    with world.app_context():
        view, _ = services.umbrella_view(
            db.session(), {p.id for p in db.session().scalars(select(Partnership))}
        )
        assert [c.partnership.slug for c in view.columns] == ["lakeside", "demo-lip"]
        for table in view.tables:
            for row in table.rows:
                parts = [f.count for f in row.figures]
                for value in [*parts, row.pooled.count, *table.totals, table.pooled_total]:
                    assert value is None or value % view.base == 0
                if None not in parts:
                    assert row.pooled.count == sum(parts)


def test_the_analyst_is_refused_every_response_quote_and_research_page(world):
    client = world.test_client()
    sign_in(client, *ANALYST)
    with world.app_context():
        response_id = db.session().scalars(select(Response.id)).first()
    for url in (
        "/research/",
        f"/research/responses/{response_id}",
        "/research/surveys/needs-assessment/responses",
        "/research/quotes",
        "/research/coding/",
        "/research/bank",
        "/research/publications",
        "/admin/settings",
        "/admin/audit",
    ):
        answer = client.get(url)
        assert answer.status_code in {403, 404}, url
    assert MARK not in client.get("/committee/").text


def test_only_umbrella_analysts_open_the_umbrella_page(world, client):
    assert client.get("/umbrella/").status_code == 302
    sign_in(client, "researcher@demo.consult.local", "demo-researcher-password")
    assert client.get("/umbrella/").status_code == 403


def test_the_admin_shares_and_stops_sharing_and_the_audit_log_says_so(world):
    admin = world.test_client()
    sign_in(admin, "admin@demo.consult.local", "demo-admin-password")
    csrf = csrf_from(admin.get("/admin/settings").text)
    with world.app_context():
        pid = find_partnership(db.session(), "demo-lip").id
    for action in ("stop", "share", "update", "stop"):
        answer = admin.post(
            "/admin/settings/umbrella",
            data={"csrf_token": csrf, "partnership_id": pid, "action": action},
        )
        assert answer.status_code == 302
    analyst = world.test_client()
    sign_in(analyst, *ANALYST)
    assert "Riverside" not in analyst.get("/umbrella/").text
    log = admin.get("/admin/audit").text
    assert "stopped sharing the core indicators of demo-lip with umbrella analysts" in log
    assert "shared the core indicators of demo-lip with umbrella analysts" in log
    assert "updated the core indicators of demo-lip shared with umbrella analysts" in log
    with world.app_context():
        actions = db.session().scalars(
            select(AuditEvent.action).where(AuditEvent.partnership_id == pid)
        )
        assert list(actions).count("umbrella_stop") == 2


def test_a_withdrawal_re_derives_the_release_before_the_analyst_reads_it(world):
    with world.app_context():
        session = db.session()
        demo = find_partnership(session, "demo-lip")
        before = services.latest_release(session, demo.id)
        response = session.scalars(
            select(Response).where(Response.partnership_id == demo.id)
        ).first()
        from consult.models import utcnow

        response.withdrawn_at = utcnow()
        db.commit()
    analyst = world.test_client()
    sign_in(analyst, *ANALYST)
    assert analyst.get("/umbrella/").status_code == 200
    with world.app_context():
        after = services.latest_release(db.session(), before.partnership_id)
        assert after.id != before.id and after.reason == services.WITHDRAWAL


def test_an_admin_invites_an_umbrella_analyst_who_reads_only_the_umbrella_page(world):
    from tests.consult.admin.test_users import _invite, _link

    admin = world.test_client()
    sign_in(admin, "admin@demo.consult.local", "demo-admin-password")
    assert "Umbrella analyst" in admin.get("/admin/users/").text  # offered as a role
    invited = _invite(admin, "province@example.org", role="umbrella")
    assert "now has an account as Umbrella analyst" in invited.text
    analyst = world.test_client()
    page = analyst.get(_link(invited.text))
    answer = analyst.post(
        page.request.path,
        data={"csrf_token": csrf_from(page.text), "new_password": "x" * 14, "again": "x" * 14},
    )
    assert answer.status_code == 302
    assert analyst.get("/umbrella/").status_code == 200
    assert "Riverside" in analyst.get("/umbrella/").text
    assert "Lakeside" not in analyst.get("/umbrella/").text  # a role only in Riverside
    assert analyst.get("/research/").status_code == 403
