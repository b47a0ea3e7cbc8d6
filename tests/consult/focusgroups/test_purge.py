"""The retention rule: contacts of sessions held or cancelled long enough ago are deleted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult import db
from consult.focusgroups.models import (
    FocusGroupContact,
    FocusGroupSession,
    FocusGroupSignup,
    SessionStatus,
)
from consult.models import AuditEvent, utcnow
from tests.consult.focusgroups.helpers import make_session, sign_up


def _close(app, session_id: int, status: SessionStatus, days_ago: int) -> None:
    with app.app_context():
        found = db.session().get(FocusGroupSession, session_id)
        found.status = status
        found.closed_at = utcnow() - timedelta(days=days_ago)
        db.commit()


def _contacts(app) -> set[str]:
    with app.app_context():
        return {c.value for c in db.session().scalars(select(FocusGroupContact))}


def test_purge_deletes_only_contacts_past_the_retention_period(app, client, runner):
    held_long_ago = make_session(app, title="held long ago")
    cancelled_long_ago = make_session(app, title="cancelled long ago")
    held_recently = make_session(app, title="held recently")
    still_open = make_session(app, title="still open")
    for number, session_id in enumerate(
        (held_long_ago, cancelled_long_ago, held_recently, still_open)
    ):
        assert sign_up(client, session_id, contact_value=f"613 555 010{number}").status_code == 302
    _close(app, held_long_ago, SessionStatus.HELD, 31)
    _close(app, cancelled_long_ago, SessionStatus.CANCELLED, 45)
    _close(app, held_recently, SessionStatus.HELD, 3)
    result = runner.invoke(args=["focus-groups", "purge-contacts"])
    assert result.exit_code == 0, result.output
    assert "2 sign-ups" in result.output
    assert _contacts(app) == {"613 555 0102", "613 555 0103"}
    with app.app_context():
        signups = db.session().scalars(select(FocusGroupSignup).order_by(FocusGroupSignup.id))
        assert [s.contact_deleted_at is not None for s in signups] == [True, True, False, False]
        assert (
            db.session()
            .scalars(select(AuditEvent).where(AuditEvent.action == "purge_contacts"))
            .one()
        )


def test_retention_days_come_from_config(app, client, runner):
    session_id = make_session(app)
    sign_up(client, session_id)
    _close(app, session_id, SessionStatus.HELD, 10)
    assert runner.invoke(args=["focus-groups", "purge-contacts"]).exit_code == 0
    assert len(_contacts(app)) == 1
    app.config["CONTACT_RETENTION_DAYS"] = 7
    assert runner.invoke(args=["focus-groups", "purge-contacts"]).exit_code == 0
    assert _contacts(app) == set()


def test_days_option_overrides_config(app, client, runner):
    session_id = make_session(app)
    sign_up(client, session_id)
    _close(app, session_id, SessionStatus.CANCELLED, 2)
    result = runner.invoke(args=["focus-groups", "purge-contacts", "--days", "1"])
    assert result.exit_code == 0
    assert _contacts(app) == set()
