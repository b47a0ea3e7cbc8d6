"""Admin pages: the audit log and retention settings; who may see them."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import escape
from sqlalchemy import select

from consult import db
from consult.auth.services import add_user, record
from consult.models import AuditEvent, Partnership, Role, utcnow
from tests.conftest import csrf_from, sign_in

ADMIN = ("admin@demo.consult.local", "demo-admin-password")
RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")


def _events(app, action):
    with app.app_context():
        events = db.session().scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        db.session().expunge_all()
        return events


def test_anonymous_is_sent_to_sign_in_and_non_admins_get_403(client):
    for path in ("/admin/audit", "/admin/settings", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    for account in (RESEARCHER, COMMITTEE):
        client.get("/login")
        assert sign_in(client, *account).status_code == 302
        for path in ("/admin/audit", "/admin/settings"):
            assert client.get(path).status_code == 403, (account, path)
        page = client.get("/research/" if account == RESEARCHER else "/")
        assert "/admin/audit" not in page.text
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/login").text)})


def test_sign_in_failures_and_sign_outs_are_logged(app, client):
    sign_in(client, "researcher@demo.consult.local", "wrong password, twelve")
    sign_in(client, "Nobody@Example.org", "whatever-password")
    failed = _events(app, "sign_in_failed")
    assert sorted(e.target for e in failed) == ["nobody@example.org", RESEARCHER[0]]
    assert sign_in(client, *RESEARCHER).status_code == 302
    dashboard = client.get("/research/")
    client.post("/logout", data={"csrf_token": csrf_from(dashboard.text)})
    outs = _events(app, "sign_out")
    assert [e.target for e in outs] == [RESEARCHER[0]]
    assert outs[0].user_id is not None


def test_audit_log_lists_the_partnerships_events_newest_first(app, client):
    sign_in(client, "researcher@demo.consult.local", "not the password!")
    with app.app_context():
        session = db.session()
        demo = session.scalar(select(Partnership))
        other = Partnership(slug="other-lip", name="Other LIP")
        session.add(other)
        session.flush()
        add_user(session, "stranger@other.example", "another-password-1", Role.ADMIN, other)
        base = utcnow() - timedelta(days=1)
        record(session, "export", partnership_id=demo.id, target="needs-assessment", detail="csv")
        record(session, "publish", partnership_id=demo.id, target="<b>summary</b>")
        record(session, "export", partnership_id=other.id, target="SECRET-OTHER-EXPORT")
        session.flush()
        for offset, event in enumerate(session.scalars(select(AuditEvent).order_by(AuditEvent.id))):
            event.created_at = base + timedelta(minutes=offset)
        # Many events so that there is a second page.
        for index in range(60):
            record(session, "view_response", partnership_id=demo.id, target=f"REF{index:03}")
        db.commit()
    assert sign_in(client, *ADMIN).status_code == 302
    page = client.get("/admin/audit")
    assert page.status_code == 200
    text = page.text
    assert "SECRET-OTHER-EXPORT" not in text
    assert "Page 1 of 2" in text
    second = client.get("/admin/audit?page=2")
    assert second.status_code == 200
    body = second.text
    assert "SECRET-OTHER-EXPORT" not in body
    # Oldest events on the last page, newest first within it.
    assert body.index("publish") < body.index("needs-assessment")
    assert str(escape("<b>summary</b>")) in body and "<b>summary</b>" not in body
    assert "sign_in_failed" in body + text
    filtered = client.get("/admin/audit?action=export")
    assert "needs-assessment" in filtered.text and "REF0" not in filtered.text
    assert client.get("/admin/audit?page=99999").status_code == 200
    assert client.get("/admin/audit?page=-3&action=%3Cscript%3E").status_code == 200


def test_retention_settings_are_saved_and_audited(app, client):
    assert sign_in(client, *ADMIN).status_code == 302
    page = client.get("/admin/settings")
    assert page.status_code == 200
    assert 'name="response_retention_days"' in page.text
    with app.app_context():
        pid = db.session().scalar(select(Partnership.id))
    data = {
        "csrf_token": csrf_from(page.text),
        "partnership_id": str(pid),
        "response_retention_days": "365",
        "contact_retention_days": "14",
    }
    saved = client.post("/admin/settings", data=data)
    assert saved.status_code == 302
    with app.app_context():
        partnership = db.session().get(Partnership, pid)
        assert (partnership.response_retention_days, partnership.contact_retention_days) == (
            365,
            14,
        )
    changes = _events(app, "retention_change")
    assert len(changes) == 1 and "365" in changes[0].detail and "30 -> 14" in changes[0].detail

    bad = client.post("/admin/settings", data={**data, "response_retention_days": "-5"})
    assert bad.status_code == 400
    assert "from 1 to" in bad.text
    cleared = client.post("/admin/settings", data={**data, "response_retention_days": ""})
    assert cleared.status_code == 302
    with app.app_context():
        assert db.session().get(Partnership, pid).response_retention_days is None
    other = client.post("/admin/settings", data={**data, "partnership_id": str(pid + 999)})
    assert other.status_code == 403
    assert client.post("/admin/settings", data={**data, "partnership_id": "x"}).status_code == 400
