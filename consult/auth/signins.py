"""Server-side sign-ins: started at sign-in, ended by sign-out, timeouts, or a change of
the account's password or roles (services take the session, never commit).

The cookie carries only a random token (32 bytes from :mod:`secrets`); the
``sign_in`` table holds its SHA-256. A sign-in ends

- when the browser signs out (its row is deleted),
- after ``idle`` without a request, or ``absolute`` after it started,
- when the account's password or roles change, or it is deactivated (every
  row of the account is deleted; a deactivated account is refused anyway).

``last_seen_at`` is written at most once a :data:`TOUCH_EVERY`, so a page view
rarely writes; the idle timeout is therefore exact to within that interval.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, joinedload

from consult.auth.models import SignIn
from consult.models import User, as_utc

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Timeouts:
    """How long a sign-in lasts without a request (``idle``) and at most (``absolute``)."""

    idle: timedelta
    absolute: timedelta


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(db: Session, user: User, timeouts: Timeouts, now: datetime) -> str:
    """A new sign-in of ``user``: the token for the cookie. Expired sign-ins of every
    account are deleted on the way."""
    end_expired(db, timeouts, now)
    token = secrets.token_urlsafe(32)
    db.add(SignIn(token_hash=_hash(token), user_id=user.id, started_at=now, last_seen_at=now))
    return token


def find(db: Session, token: str) -> SignIn | None:
    """The sign-in holding ``token``, with its user, or ``None``."""
    query = select(SignIn).options(joinedload(SignIn.user))
    return db.scalar(query.where(SignIn.token_hash == _hash(token)))


def is_live(sign_in: SignIn, timeouts: Timeouts, now: datetime) -> bool:
    """True while the sign-in has neither been idle nor lasted too long, and its
    account is active."""
    return (
        sign_in.user.is_active
        and now - as_utc(sign_in.last_seen_at) < timeouts.idle
        and now - as_utc(sign_in.started_at) < timeouts.absolute
    )


def needs_touch(sign_in: SignIn, now: datetime) -> bool:
    """True when ``last_seen_at`` is old enough to be written again."""
    return now - as_utc(sign_in.last_seen_at) >= TOUCH_EVERY


def end(db: Session, sign_in: SignIn) -> None:
    """End one sign-in (sign-out, or found expired)."""
    db.execute(delete(SignIn).where(SignIn.id == sign_in.id))


def end_all(db: Session, user_id: int) -> int:
    """End every sign-in of an account (its password or roles changed); how many."""
    return db.execute(delete(SignIn).where(SignIn.user_id == user_id)).rowcount


def end_expired(db: Session, timeouts: Timeouts, now: datetime) -> int:
    """Delete every sign-in past either timeout; how many."""
    expired = or_(
        SignIn.last_seen_at <= now - timeouts.idle,
        SignIn.started_at <= now - timeouts.absolute,
    )
    return db.execute(delete(SignIn).where(expired)).rowcount
