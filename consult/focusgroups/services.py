"""Focus-group sessions, sign-ups, rosters and notes (services take the session, never commit).

Every lookup a researcher makes is scoped to the partnerships they research
(``partnership_ids``); an object of another partnership is simply not found.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.spreadsheet import csv_writer
from consult.focusgroups.models import (
    ContactMethod,
    FocusGroupContact,
    FocusGroupPrompt,
    FocusGroupSegment,
    FocusGroupSession,
    FocusGroupSignup,
    SessionStatus,
    SignupStatus,
)
from consult.focusgroups.text import Turn, contact_match_key
from consult.focusgroups.units import sync_units
from consult.models import Partnership, Response, utcnow

SIGNUP_STATUSES = (SessionStatus.OPEN, SessionStatus.FULL)
CLOSED_STATUSES = (SessionStatus.HELD, SessionStatus.CANCELLED)


class SignupRefused(ValueError):
    """A sign-up that cannot be taken; ``code`` says why (``closed``, ``past``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- sessions -------------------------------------------------------------------------


def sessions_of(db: Session, partnership_ids: set[int]) -> list[FocusGroupSession]:
    """Sessions of these partnerships, soonest first."""
    query = (
        select(FocusGroupSession)
        .where(FocusGroupSession.partnership_id.in_(partnership_ids))
        .order_by(FocusGroupSession.starts_at.desc(), FocusGroupSession.id.desc())
    )
    return list(db.scalars(query))


def session_for(
    db: Session, session_id: int, partnership_ids: set[int]
) -> FocusGroupSession | None:
    """The session if it belongs to one of these partnerships."""
    found = db.get(FocusGroupSession, session_id)
    if found is None or found.partnership_id not in partnership_ids:
        return None
    return found


def partnerships_by_id(db: Session, partnership_ids: set[int]) -> list[Partnership]:
    """These partnerships, by name."""
    query = (
        select(Partnership).where(Partnership.id.in_(partnership_ids)).order_by(Partnership.name)
    )
    return list(db.scalars(query))


SESSION_FIELDS = (
    "title",
    "purpose",
    "starts_at",
    "timezone",
    "duration_minutes",
    "mode",
    "place",
    "languages",
    "interpretation_offered",
    "capacity",
    "childcare_notes",
    "accessibility_notes",
)


def create_session(db: Session, partnership_id: int, values: dict) -> FocusGroupSession:
    """A new session open for sign-up (``values`` holds ``SESSION_FIELDS`` and ``status``)."""
    session = FocusGroupSession(partnership_id=partnership_id, status=SessionStatus.OPEN)
    db.add(session)
    update_session(db, session, values)
    return session


def update_session(db: Session, session: FocusGroupSession, values: dict) -> None:
    """Change a session; a new status of held or cancelled starts the retention clock."""
    for name in SESSION_FIELDS:
        setattr(session, name, values[name])
    session.starts_at = aware(values["starts_at"]).astimezone(UTC)  # SQLite drops offsets
    status = SessionStatus(values.get("status") or session.status)
    if status in CLOSED_STATUSES and session.status not in CLOSED_STATUSES:
        session.closed_at = utcnow()
    elif status not in CLOSED_STATUSES:
        session.closed_at = None
    session.status = status
    db.flush()
    refresh_fullness(db, session)


def confirmed_count(db: Session, session: FocusGroupSession) -> int:
    """How many sign-ups hold a place (not on the waitlist)."""
    query = select(func.count(FocusGroupSignup.id)).where(
        FocusGroupSignup.session_id == session.id,
        FocusGroupSignup.status == SignupStatus.CONFIRMED,
    )
    return db.scalar(query) or 0


def next_place_is_waitlisted(db: Session, session: FocusGroupSession | None) -> bool:
    """True when a new sign-up for ``session`` would go on its waitlist (every place
    taken); never for "tell me about the next one" (``None``)."""
    return session is not None and confirmed_count(db, session) >= session.capacity


def refresh_fullness(db: Session, session: FocusGroupSession) -> None:
    """An open session with every place taken becomes full, and back again."""
    if session.status not in SIGNUP_STATUSES:
        return
    taken = confirmed_count(db, session)
    session.status = SessionStatus.FULL if taken >= session.capacity else SessionStatus.OPEN


def add_prompt(db: Session, session: FocusGroupSession, texts: dict[str, str]) -> FocusGroupPrompt:
    """A new prompt at the end of the session's list."""
    position = max((p.position for p in session.prompts), default=0) + 1
    prompt = FocusGroupPrompt(
        partnership_id=session.partnership_id, position=position, text=dict(texts)
    )
    session.prompts.append(prompt)
    db.flush()
    return prompt


def prompt_for(session: FocusGroupSession, prompt_id: int) -> FocusGroupPrompt | None:
    """One of the session's prompts."""
    return next((p for p in session.prompts if p.id == prompt_id), None)


def delete_prompt(session: FocusGroupSession, prompt: FocusGroupPrompt) -> None:
    """Remove a prompt; segments recorded under it keep their text, without a prompt."""
    session.prompts.remove(prompt)


def prompt_text(prompt: FocusGroupPrompt, code: str) -> str:
    """The prompt in ``code``, else English, else French, else any language."""
    texts = prompt.text or {}
    for candidate in (code, "en", "fr", *texts):
        if texts.get(candidate):
            return texts[candidate]
    return ""


# --- public sign-up -------------------------------------------------------------------


def sessions_open_for_signup(db: Session, now: datetime | None = None) -> list[FocusGroupSession]:
    """Sessions people can still sign up for (open or full, not started), soonest first."""
    query = (
        select(FocusGroupSession)
        .where(
            FocusGroupSession.status.in_(SIGNUP_STATUSES),
            FocusGroupSession.starts_at > (now or utcnow()),
        )
        .order_by(FocusGroupSession.starts_at, FocusGroupSession.id)
    )
    return list(db.scalars(query))


def all_partnerships(db: Session) -> list[Partnership]:
    """Every partnership, by name (for "tell me about the next one")."""
    return list(db.scalars(select(Partnership).order_by(Partnership.name)))


@dataclass(frozen=True)
class SignupAnswers:
    """What a person gave on the sign-up form, already validated."""

    interface_language: str
    preferred_language: str
    needs_interpretation: bool
    needs_childcare: bool
    availability: list[str]
    years_in_canada: str | None
    age_band: str | None
    gender: str | None
    consent_contact: bool
    consent_purpose: bool
    name: str
    contact_method: str
    contact_value: str
    availability_notes: str
    accessibility_needs: str


def sign_up(
    db: Session,
    partnership_id: int,
    session: FocusGroupSession | None,
    answers: SignupAnswers,
    *,
    response_reference: str | None = None,
    now: datetime | None = None,
) -> FocusGroupSignup:
    """Record a sign-up: confirmed while places remain, then waitlisted.

    ``session`` is ``None`` for "tell me about the next one". A response is
    linked only when ``response_reference`` is given (the person ticked the
    box). Raises ``SignupRefused`` for a closed or past session.

    The same contact (email, or a phone's digits) signing up again for the
    same session, or again for "the next one", is merged silently into the
    first sign-up, which stays exactly as it was: nothing is stored, changed
    or linked, and the caller cannot tell (the first sign-up is returned, and
    what the person is told comes from :func:`next_place_is_waitlisted`, asked
    before). So typing someone's email or phone into the form neither reveals
    whether they signed up nor alters their sign-up.
    """
    if session is not None:
        if session.status not in SIGNUP_STATUSES:
            raise SignupRefused("closed")
        if aware(session.starts_at) <= (now or utcnow()):
            raise SignupRefused("past")
    key = contact_match_key(answers.contact_method, answers.contact_value)
    first = _earlier_signup(db, partnership_id, session, key)
    if first is not None:
        return first
    status = SignupStatus.CONFIRMED
    if next_place_is_waitlisted(db, session):
        status = SignupStatus.WAITLISTED
    signup = FocusGroupSignup(
        partnership_id=partnership_id,
        status=status,
        interface_language=answers.interface_language,
        preferred_language=answers.preferred_language,
        needs_interpretation=answers.needs_interpretation,
        needs_childcare=answers.needs_childcare,
        availability=list(answers.availability),
        years_in_canada=answers.years_in_canada or None,
        age_band=answers.age_band or None,
        gender=answers.gender or None,
        consent_contact=answers.consent_contact,
        consent_purpose=answers.consent_purpose,
        response_id=_response_id(db, partnership_id, response_reference),
    )
    signup.contact = FocusGroupContact(
        partnership_id=partnership_id,
        name=answers.name.strip(),
        method=ContactMethod(answers.contact_method),
        value=answers.contact_value.strip(),
        match_key=key,
        availability_notes=answers.availability_notes.strip(),
        accessibility_needs=answers.accessibility_needs.strip(),
    )
    db.add(signup)
    if session is not None:
        signup.session = session
    db.flush()
    if session is not None:
        refresh_fullness(db, session)
    return signup


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _earlier_signup(db: Session, partnership_id: int, session, key: str):
    query = (
        select(FocusGroupSignup)
        .join(FocusGroupContact, FocusGroupContact.signup_id == FocusGroupSignup.id)
        .where(
            FocusGroupSignup.partnership_id == partnership_id, FocusGroupContact.match_key == key
        )
    )
    if session is None:
        query = query.where(FocusGroupSignup.session_id.is_(None))
    else:
        query = query.where(FocusGroupSignup.session_id == session.id)
    return db.scalar(query.order_by(FocusGroupSignup.id).limit(1))


def _response_id(db: Session, partnership_id: int, reference: str | None) -> int | None:
    if not reference:
        return None
    return db.scalar(
        select(Response.id).where(
            Response.reference == reference, Response.partnership_id == partnership_id
        )
    )


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


# --- notes and transcripts ------------------------------------------------------------


def segments_of(db: Session, session: FocusGroupSession) -> list[FocusGroupSegment]:
    """The session's segments in order."""
    query = (
        select(FocusGroupSegment)
        .where(FocusGroupSegment.session_id == session.id)
        .order_by(FocusGroupSegment.position, FocusGroupSegment.id)
    )
    return list(db.scalars(query))


def segment_for(db: Session, session: FocusGroupSession, segment_id: int):
    """One of the session's segments."""
    segment = db.get(FocusGroupSegment, segment_id)
    if segment is None or segment.session_id != session.id:
        return None
    return segment


def _next_position(db: Session, session: FocusGroupSession) -> int:
    query = select(func.max(FocusGroupSegment.position)).where(
        FocusGroupSegment.session_id == session.id
    )
    return (db.scalar(query) or 0) + 1


@dataclass(frozen=True)
class SegmentValues:
    prompt_id: int | None
    participant_code: str
    language: str
    text: str
    translation: str | None
    translation_language: str | None


def add_segment(
    db: Session, session: FocusGroupSession, values: SegmentValues, source: str = "notes"
) -> FocusGroupSegment:
    """A new segment at the end of the session's notes, coded as a text unit."""
    segment = _new_segment(db, session, values, source)
    sync_units(db, session.partnership_id)
    return segment


def _new_segment(
    db: Session, session: FocusGroupSession, values: SegmentValues, source: str
) -> FocusGroupSegment:
    segment = FocusGroupSegment(
        partnership_id=session.partnership_id,
        session_id=session.id,
        position=_next_position(db, session),
        source=source,
    )
    _set_values(segment, values)
    db.add(segment)
    db.flush()
    return segment


def update_segment(db: Session, segment: FocusGroupSegment, values: SegmentValues) -> None:
    """Correct a segment (its text unit is recoded)."""
    _set_values(segment, values)
    sync_units(db, segment.partnership_id)


def _set_values(segment: FocusGroupSegment, values: SegmentValues) -> None:
    segment.prompt_id = values.prompt_id
    segment.participant_code = values.participant_code
    segment.language = values.language
    segment.text = values.text.strip()
    translation = (values.translation or "").strip()
    segment.translation = translation or None
    segment.translation_language = values.translation_language if translation else None


def delete_segment(db: Session, segment: FocusGroupSegment) -> None:
    """Remove a segment (a facilitator's correction), and its text unit."""
    db.delete(segment)
    db.flush()
    sync_units(db, segment.partnership_id)


def add_transcript(
    db: Session,
    session: FocusGroupSession,
    turns: list[Turn],
    prompt_id: int | None,
    language: str,
) -> list[FocusGroupSegment]:
    """One segment per transcript turn, for the facilitator to correct."""
    segments = [
        _new_segment(
            db,
            session,
            SegmentValues(prompt_id, turn.participant_code, language, turn.text, None, None),
            "transcript",
        )
        for turn in turns
    ]
    sync_units(db, session.partnership_id)
    return segments


def held_session_counts(db: Session, partnership_id: int) -> dict[str, int]:
    """Counts a committee may see: sessions held and people who attended."""
    held = db.scalar(
        select(func.count(FocusGroupSession.id)).where(
            FocusGroupSession.partnership_id == partnership_id,
            FocusGroupSession.status == SessionStatus.HELD,
        )
    )
    attended = db.scalar(
        select(func.count(FocusGroupSignup.id))
        .join(FocusGroupSession, FocusGroupSignup.session_id == FocusGroupSession.id)
        .where(
            FocusGroupSession.partnership_id == partnership_id,
            FocusGroupSession.status == SessionStatus.HELD,
            FocusGroupSignup.attended.is_(True),
        )
    )
    return {"sessions_held": held or 0, "participants": attended or 0}
