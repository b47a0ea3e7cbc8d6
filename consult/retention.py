"""Retention: delete what a partnership has said it keeps no longer.

Each partnership sets ``response_retention_days`` (responses older than that
are deleted; unset keeps them) and ``contact_retention_days`` (focus-group
contact details are deleted that many days after their session was held or
cancelled). Expired drafts are deleted too. Every deletion is written to the
audit log of its partnership. Services take the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consult.auth.services import record
from consult.models import Partnership, Response, utcnow
from consult.survey.drafts import purge_expired_drafts

MAX_RETENTION_DAYS = 36500


@dataclass
class RetentionReport:
    responses: int = 0
    drafts: int = 0
    contacts: int = 0
    responses_by_partnership: dict[str, int] = field(default_factory=dict)
    contacts_by_partnership: dict[str, int] = field(default_factory=dict)


def apply_retention(db: Session, now: datetime | None = None) -> RetentionReport:
    """Delete responses and contact details past retention, and expired drafts."""
    now = now or utcnow()
    report = RetentionReport()
    for partnership in db.scalars(select(Partnership).order_by(Partnership.id)):
        if partnership.response_retention_days is not None:
            removed = delete_old_responses(db, partnership, now)
            if removed:
                report.responses += removed
                report.responses_by_partnership[partnership.slug] = removed
        removed = delete_old_contacts(db, partnership, now)
        if removed:
            report.contacts += removed
            report.contacts_by_partnership[partnership.slug] = removed
    report.drafts = purge_expired_drafts(db)
    if report.drafts:
        record(db, "retention_delete_drafts", target="drafts", detail=f"{report.drafts} drafts")
    return report


def delete_old_responses(db: Session, partnership: Partnership, now: datetime) -> int:
    """Delete the partnership's responses submitted before its retention cutoff."""
    cutoff = now - timedelta(days=partnership.response_retention_days or 0)
    ids = list(
        db.scalars(
            select(Response.id).where(
                Response.partnership_id == partnership.id, Response.submitted_at < cutoff
            )
        )
    )
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.execute(
            delete(Response).where(Response.id.in_(chunk)),
            execution_options={"synchronize_session": False},
        )
    if ids:
        record(
            db,
            "retention_delete_responses",
            partnership_id=partnership.id,
            target=partnership.slug,
            detail=f"{len(ids)} responses submitted before {cutoff:%Y-%m-%d %H:%M} UTC "
            f"({partnership.response_retention_days} days)",
        )
    return len(ids)


def delete_old_contacts(db: Session, partnership: Partnership, now: datetime) -> int:
    """Delete focus-group contacts of sessions closed before the partnership's cutoff."""
    from consult.focusgroups.models import (
        FocusGroupContact,
        FocusGroupSession,
        FocusGroupSignup,
    )
    from consult.focusgroups.services import CLOSED_STATUSES

    cutoff = now - timedelta(days=partnership.contact_retention_days)
    contacts = list(
        db.scalars(
            select(FocusGroupContact)
            .join(FocusGroupSignup, FocusGroupContact.signup_id == FocusGroupSignup.id)
            .join(FocusGroupSession, FocusGroupSignup.session_id == FocusGroupSession.id)
            .where(
                FocusGroupContact.partnership_id == partnership.id,
                FocusGroupSession.status.in_(CLOSED_STATUSES),
                FocusGroupSession.closed_at < cutoff,
            )
        )
    )
    for contact in contacts:
        contact.signup.contact_deleted_at = now
        db.delete(contact)
    if contacts:
        db.flush()
        record(
            db,
            "retention_delete_contacts",
            partnership_id=partnership.id,
            target=partnership.slug,
            detail=f"{len(contacts)} contacts ({partnership.contact_retention_days} days)",
        )
    return len(contacts)
