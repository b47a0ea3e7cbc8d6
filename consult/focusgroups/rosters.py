"""A session's roster: places, waitlist, attendance, make-up sessions, its CSV, and
contacts purged after retention (services take the session, never commit)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.spreadsheet import csv_writer
from consult.focusgroups.models import (
    FocusGroupContact,
    FocusGroupSession,
    FocusGroupSignup,
    SignupStatus,
)
from consult.focusgroups.services import CLOSED_STATUSES, aware, confirmed_count, refresh_fullness
from consult.focusgroups.units import sync_units
from consult.models import utcnow

# --- roster ---------------------------------------------------------------------------


def roster(session: FocusGroupSession) -> tuple[list[FocusGroupSignup], list[FocusGroupSignup]]:
    """Confirmed sign-ups and the waitlist, each in sign-up order."""
    confirmed = [s for s in session.signups if s.status == SignupStatus.CONFIRMED]
    waitlist = [s for s in session.signups if s.status == SignupStatus.WAITLISTED]
    return confirmed, waitlist


def signup_for(session: FocusGroupSession, signup_id: int) -> FocusGroupSignup | None:
    """One of the session's sign-ups."""
    return next((s for s in session.signups if s.id == signup_id), None)


def promote(db: Session, signup: FocusGroupSignup) -> None:
    """Move a waitlisted person into the group (a researcher's decision, may exceed capacity)."""
    signup.status = SignupStatus.CONFIRMED
    db.flush()
    if signup.session is not None:
        refresh_fullness(db, signup.session)


def set_attendance(db: Session, session: FocusGroupSession, attended_ids: set[int]) -> None:
    """Mark who came; each person who came gets the next free participant code."""
    used = {s.participant_code for s in session.signups if s.participant_code}
    number = 1
    for signup in session.signups:
        signup.attended = signup.id in attended_ids
        if signup.attended and not signup.participant_code:
            while f"P{number}" in used:
                number += 1
            signup.participant_code = f"P{number}"
            used.add(signup.participant_code)
    db.flush()
    sync_units(db, session.partnership_id)  # a code gives its units the person's make-up


def delete_contact(db: Session, signup: FocusGroupSignup) -> bool:
    """Delete a person's contact details; False if there were none left."""
    if signup.contact is None:
        return False
    db.delete(signup.contact)
    signup.contact = None
    signup.contact_deleted_at = utcnow()
    db.flush()
    return True


def interested_in_next(db: Session, partnership_ids: set[int]) -> list[FocusGroupSignup]:
    """People waiting to hear about the next session, oldest first."""
    query = (
        select(FocusGroupSignup)
        .where(
            FocusGroupSignup.partnership_id.in_(partnership_ids),
            FocusGroupSignup.session_id.is_(None),
        )
        .order_by(FocusGroupSignup.id)
    )
    return list(db.scalars(query))


def interested_signup_for(db: Session, signup_id: int, partnership_ids: set[int]):
    """A "next session" sign-up of one of these partnerships."""
    signup = db.get(FocusGroupSignup, signup_id)
    if signup is None or signup.partnership_id not in partnership_ids or signup.session_id:
        return None
    return signup


def assign_to_session(db: Session, signup: FocusGroupSignup, session: FocusGroupSession) -> None:
    """Put a "next session" sign-up on a session's roster (waitlisted if it is full)."""
    full = confirmed_count(db, session) >= session.capacity
    signup.session = session
    signup.status = SignupStatus.WAITLISTED if full else SignupStatus.CONFIRMED
    db.flush()
    refresh_fullness(db, session)


@dataclass(frozen=True)
class MakeUpRow:
    value: str
    count: int
    suppressed: bool


def make_up(
    session: FocusGroupSession, threshold: int = 5
) -> tuple[str, dict[str, list[MakeUpRow]]]:
    """The group's make-up as counts per answer, never names.

    Counts those who attended once attendance is recorded, else those
    holding a place. Counts under ``threshold`` are marked suppressed.
    Returns ``("attended" | "confirmed", {question: rows})``.
    """
    confirmed, _waitlist = roster(session)
    attended = [s for s in confirmed if s.attended]
    basis, people = ("attended", attended) if attended else ("confirmed", confirmed)
    table: dict[str, list[MakeUpRow]] = {}
    for question in ("preferred_language", "years_in_canada", "age_band", "gender"):
        counts = Counter(getattr(s, question) or "" for s in people)
        table[question] = [
            MakeUpRow(value, count, 0 < count < threshold)
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
    return basis, table


# --- export and retention -------------------------------------------------------------

ROSTER_COLUMNS = (
    "status",
    "participant_code",
    "attended",
    "name",
    "contact_method",
    "contact",
    "preferred_language",
    "needs_interpretation",
    "needs_childcare",
    "accessibility_needs",
    "availability",
    "availability_notes",
    "signed_up_at",
)


def roster_csv(session: FocusGroupSession) -> str:
    """The roster with contact details, as CSV (export only through a logged action)."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(ROSTER_COLUMNS)
    confirmed, waitlist = roster(session)
    for signup in confirmed + waitlist:
        contact = signup.contact
        writer.writerow(
            [
                signup.status.value,
                signup.participant_code or "",
                "yes" if signup.attended else "no",
                contact.name if contact else "",
                contact.method.value if contact else "",
                contact.value if contact else "",
                signup.preferred_language,
                "yes" if signup.needs_interpretation else "no",
                "yes" if signup.needs_childcare else "no",
                contact.accessibility_needs if contact else "",
                " ".join(signup.availability or []),
                contact.availability_notes if contact else "",
                aware(signup.created_at).isoformat(timespec="minutes"),
            ]
        )
    return out.getvalue()


def purge_contacts(db: Session, retention_days: int, now: datetime | None = None) -> int:
    """Delete contacts of sessions held or cancelled more than ``retention_days`` ago."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    query = (
        select(FocusGroupContact)
        .join(FocusGroupSignup, FocusGroupContact.signup_id == FocusGroupSignup.id)
        .join(FocusGroupSession, FocusGroupSignup.session_id == FocusGroupSession.id)
        .where(
            FocusGroupSession.status.in_(CLOSED_STATUSES),
            FocusGroupSession.closed_at < cutoff,
        )
    )
    contacts = list(db.scalars(query))
    for contact in contacts:
        contact.signup.contact_deleted_at = now or utcnow()
        db.delete(contact)
    db.flush()
    return len(contacts)
