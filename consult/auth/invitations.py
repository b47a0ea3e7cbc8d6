"""One-time links that let an account choose its password (services; never commit).

An admin invites a new user, or resets an account's password, with a link:
``/invitation/<token>``. The token is 32 random bytes (:mod:`secrets`); only
its SHA-256 is stored, so a copy of the database opens no account. A link
works once, until it expires (``INVITATION_DAYS``, default 7), and a newer
link for the same account replaces every older one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consult.auth.passwords import hash_password
from consult.auth.services import set_password
from consult.models import Invitation, User, as_utc, utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def unusable_password() -> str:
    """A hash no password matches (the account signs in only once a password is chosen)."""
    return hash_password(secrets.token_urlsafe(48))


def create(db: Session, user: User, created_by: int | None, days: int) -> str:
    """A new one-time link token for ``user`` (older links of the account stop working)."""
    db.flush()
    db.execute(delete(Invitation).where(Invitation.user_id == user.id))
    token = secrets.token_urlsafe(32)
    db.add(
        Invitation(
            user_id=user.id,
            token_hash=_hash(token),
            created_by=created_by,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    return token


def find(db: Session, token: str, now: datetime | None = None) -> Invitation | None:
    """The unused, unexpired invitation holding ``token`` whose account is active."""
    if not token or len(token) > 200:
        return None
    found = db.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    now = now or utcnow()
    if found is None or found.used_at is not None or as_utc(found.expires_at) <= now:
        return None
    if not found.user.is_active:
        return None
    return found


def pending(db: Session, user_ids: set[int]) -> dict[int, datetime]:
    """user id -> when its unused invitation expires, for those that have one."""
    if not user_ids:
        return {}
    rows = db.execute(
        select(Invitation.user_id, Invitation.expires_at).where(
            Invitation.user_id.in_(user_ids), Invitation.used_at.is_(None)
        )
    )
    return {user_id: as_utc(expires) for user_id, expires in rows}


def accept(invitation: Invitation, password: str) -> User:
    """Use the link: the account gets ``password`` (``AccountError`` when too short)."""
    user = invitation.user
    set_password(user, password)
    invitation.used_at = utcnow()
    user.must_change_password = False
    return user
