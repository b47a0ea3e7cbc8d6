"""Focus-group sessions and their prompts (services take the session, never commit).

Sign-ups are in :mod:`signups`, rosters and contacts in :mod:`rosters`, notes and
transcripts in :mod:`transcripts`.

Every lookup a researcher makes is scoped to the partnerships they research
(``partnership_ids``); an object of another partnership is simply not found.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.focusgroups.models import (
    FocusGroupPrompt,
    FocusGroupSession,
    FocusGroupSignup,
    SessionStatus,
    SignupStatus,
)
from consult.models import Partnership, utcnow

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


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
