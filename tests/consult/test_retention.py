"""`consult retention apply`: responses past the partnership's retention, expired drafts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from consult import db
from consult.focusgroups.models import (
    ContactMethod,
    FocusGroupContact,
    FocusGroupSession,
    FocusGroupSignup,
    SessionStatus,
)
from consult.models import Answer, AuditEvent, Draft, Partnership, Response, utcnow
from consult.survey import records
from consult.survey.drafts import start_draft
from tests.consult.walker import complete


def _count(model):
    return db.session().scalar(select(func.count()).select_from(model))


def _age_responses(app, days_by_index):
    with app.app_context():
        session = db.session()
        for response, days in zip(
            session.scalars(select(Response).order_by(Response.id)), days_by_index, strict=True
        ):
            response.submitted_at = utcnow() - timedelta(days=days)
        db.commit()


def _contact(session, partnership, closed_days_ago):
    meeting = FocusGroupSession(
        partnership_id=partnership.id,
        title="Housing",
        starts_at=utcnow() - timedelta(days=closed_days_ago + 1),
        timezone="America/Toronto",
        capacity=10,
        status=SessionStatus.HELD,
        closed_at=utcnow() - timedelta(days=closed_days_ago),
    )
    session.add(meeting)
    session.flush()
    signup = FocusGroupSignup(
        partnership_id=partnership.id,
        session_id=meeting.id,
        interface_language="en",
        preferred_language="en",
    )
    session.add(signup)
    session.flush()
    session.add(
        FocusGroupContact(
            partnership_id=partnership.id,
            signup_id=signup.id,
            method=ContactMethod.EMAIL,
            value=f"p{closed_days_ago}@example.org",
            match_key=f"p{closed_days_ago}@example.org",
        )
    )


def test_retention_apply_deletes_what_is_past_retention(app, client, runner):
    for _ in range(3):
        complete(client, "needs-assessment")
    _age_responses(app, [400, 10, 0])
    with app.app_context():
        session = db.session()
        connection = session.connection()
        survey = records.survey_by_slug(connection, "needs-assessment")
        expired = start_draft(connection, survey, "en", days=1)
        session.execute(
            update(Draft)
            .where(Draft.token == expired)
            .values(expires_at=utcnow() - timedelta(hours=1))
        )
        start_draft(connection, survey, "en", days=30)
        partnership = session.scalar(select(Partnership))
        _contact(session, partnership, closed_days_ago=40)
        _contact(session, partnership, closed_days_ago=5)
        db.commit()

    # No response retention set: responses are kept; drafts and old contacts go.
    dry = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would delete 0 responses, 1 contacts and 1 expired drafts." in dry.output
    with app.app_context():
        assert _count(Draft) == 2
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "Deleted 0 responses, 1 contacts and 1 expired drafts." in result.output
    with app.app_context():
        assert _count(Response) == 3
        assert _count(Draft) == 1
        assert _count(FocusGroupContact) == 1
        assert (
            db.session().scalar(
                select(func.count()).where(FocusGroupSignup.contact_deleted_at.is_not(None))
            )
            == 1
        )
        partnership = db.session().scalar(select(Partnership))
        partnership.response_retention_days = 30
        db.commit()

    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 responses of demo-lip past its retention period." in result.output
    with app.app_context():
        session = db.session()
        assert _count(Response) == 2
        ages = [r.submitted_at for r in session.scalars(select(Response))]
        assert all(
            (utcnow() - (a if a.tzinfo else a.replace(tzinfo=utcnow().tzinfo))).days < 30
            for a in ages
        )
        assert (
            session.scalar(
                select(func.count())
                .select_from(Answer)
                .where(Answer.response_id.not_in(select(Response.id)))
            )
            == 0
        )
        actions = set(session.scalars(select(AuditEvent.action)))
        assert {
            "retention_delete_responses",
            "retention_delete_contacts",
            "retention_delete_drafts",
        } <= actions

    again = runner.invoke(args=["retention", "apply"])
    assert "Deleted 0 responses, 0 contacts and 0 expired drafts." in again.output
