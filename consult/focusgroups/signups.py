"""A newcomer signs up for a focus group (services take the session, never commit).

The same answer whether or not the contact had signed up before; contacts kept apart
from answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.focusgroups.models import (
    ContactMethod,
    FocusGroupContact,
    FocusGroupSession,
    FocusGroupSignup,
    SignupStatus,
)
from consult.focusgroups.services import (
    SIGNUP_STATUSES,
    SignupRefused,
    aware,
    next_place_is_waitlisted,
    refresh_fullness,
)
from consult.focusgroups.text import contact_match_key
from consult.models import Partnership, Response, utcnow

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
