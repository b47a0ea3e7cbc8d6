"""Accounts, memberships and the audit log (services take the session, never commit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from consult.auth import signins
from consult.auth.passwords import (
    DUMMY_HASH,
    MIN_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from consult.models import AuditEvent, Membership, Partnership, Role, User


class AccountError(ValueError):
    """A problem with account data given on the command line or in a form."""


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def find_user(db: Session, email: str) -> User | None:
    """The user with this email, or ``None``."""
    return db.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user whose password matches, or ``None`` (same cost either way)."""
    user = find_user(db, email)
    if user is None or not user.is_active:
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    """Give ``user`` a new password, refusing short ones; every sign-in of the
    account ends (a browser signed in with the old password is signed out)."""
    if len(password) < MIN_LENGTH:
        raise AccountError(f"Passwords must have at least {MIN_LENGTH} characters.")
    user.password_hash = hash_password(password)
    db = object_session(user)
    if db is not None and user.id is not None:
        signins.end_all(db, user.id)


def add_user(
    db: Session, email: str, password: str, role: Role, partnership: Partnership, name: str = ""
) -> User:
    """Create a user (or find it) and give it ``role`` in ``partnership``."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"Not an email address: {email!r}")
    user = find_user(db, email)
    if user is None:
        user = User(email=email, display_name=name or email.split("@")[0])
        db.add(user)
    set_password(user, password)
    set_role(db, user, partnership, role)
    return user


def set_role(db: Session, user: User, partnership: Partnership, role: Role) -> Membership:
    """Give ``user`` exactly ``role`` in ``partnership`` (takes effect at once); when
    that changes the account's roles, every sign-in of the account ends."""
    membership = (
        db.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.partnership_id == partnership.id
            )
        )
        if user.id
        else None
    )
    if membership is not None and membership.role == role:
        return membership
    if membership is None:
        membership = Membership(user=user, partnership=partnership, role=role)
        db.add(membership)
    membership.role = role
    if user.id is not None:
        signins.end_all(db, user.id)
    return membership


def roles_of(db: Session, user_id: int) -> dict[int, Role]:
    """partnership id -> role, read fresh so a role change applies to the next request."""
    rows = db.execute(
        select(Membership.partnership_id, Membership.role).where(Membership.user_id == user_id)
    )
    return {partnership_id: role for partnership_id, role in rows}


def find_partnership(db: Session, slug: str) -> Partnership | None:
    """The partnership with this slug, or ``None``."""
    return db.scalar(select(Partnership).where(Partnership.slug == slug))


def partnership_names(db: Session, ids: set[int]) -> dict[int, str]:
    """partnership id -> name, for these ids."""
    if not ids:
        return {}
    rows = db.execute(select(Partnership.id, Partnership.name).where(Partnership.id.in_(ids)))
    return {pid: name for pid, name in rows}


def record(
    db: Session,
    action: str,
    *,
    user_id: int | None = None,
    partnership_id: int | None = None,
    target: str = "",
    detail: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Add an entry to the audit log and return it (``data``: what it takes to say it in
    words, see :mod:`consult.admin.audit_words`)."""
    event = AuditEvent(
        action=action,
        user_id=user_id,
        partnership_id=partnership_id,
        target=target[:200],
        detail=detail,
        data=data,
    )
    db.add(event)
    return event
