"""Who is signed in, and which roles they hold where.

A signed-in browser's cookie holds only a random token naming a row of
``sign_in`` (:mod:`consult.auth.signins`); nothing in it comes from the
password. Each request finds that row before any view runs: a missing,
idle, too old or deactivated one signs the browser out.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, session, url_for

from consult import db
from consult.auth import signins
from consult.auth.services import roles_of
from consult.models import Role, User, utcnow

RESEARCH_ROLES = frozenset({Role.ADMIN, Role.RESEARCHER})
SIGN_IN_KEY = "sign_in"
"""The cookie session's key for the sign-in token."""


def timeouts() -> signins.Timeouts:
    """The configured idle and absolute timeouts of a sign-in."""
    config = current_app.config
    return signins.Timeouts(
        idle=timedelta(minutes=config["SIGN_IN_IDLE_MINUTES"]),
        absolute=timedelta(hours=config["SIGN_IN_MAX_HOURS"]),
    )


def current_user() -> User | None:
    """The signed-in user of this request, or ``None``."""
    if "current_user" not in g:
        g.current_user = _resume_sign_in()
    return g.current_user


def _resume_sign_in() -> User | None:
    """The user of the browser's sign-in, if it is still live; it is marked seen
    (at most once a minute), or ended and forgotten when it is not live."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return None  # no cookie, no sign-in (and the session is left untouched)
    token = session.get(SIGN_IN_KEY)
    if not token:
        return None
    now = utcnow()
    found = signins.find(db.session(), token)
    if found is not None and signins.is_live(found, timeouts(), now):
        if signins.needs_touch(found, now):
            with db.writing():
                found.last_seen_at = now
                db.commit()
        return found.user
    if found is not None:
        with db.writing():
            signins.end(db.session(), found)
            db.commit()
    _forget_sign_in()
    return None


def _forget_sign_in() -> None:
    """Clear the cookie session, keeping only the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def sign_in(user: User) -> None:
    """Start a fresh sign-in for ``user`` (the caller commits)."""
    _forget_sign_in()
    session[SIGN_IN_KEY] = signins.start(db.session(), user, timeouts(), utcnow())
    g.current_user = user
    g.pop("roles", None)


def sign_out() -> None:
    """End this browser's sign-in (the caller commits), keeping only the language."""
    token = session.get(SIGN_IN_KEY)
    found = signins.find(db.session(), token) if token else None
    if found is not None:
        signins.end(db.session(), found)
    _forget_sign_in()
    g.current_user = None
    g.pop("roles", None)


def _find_sign_in() -> None:
    current_user()


def init_app(app: Flask) -> None:
    """Find the request's sign-in before any view runs, so that marking it seen
    (a write of its own) never happens inside a view's transaction."""
    app.before_request(_find_sign_in)


def _all_roles() -> dict[int, Role]:
    """Every role of the signed-in user per partnership, read fresh each request."""
    user = current_user()
    if user is None:
        return {}
    if "roles" not in g:
        g.roles = roles_of(db.session(), user.id)
    return g.roles


def partnership_roles() -> dict[int, Role]:
    """The signed-in user's member role per partnership (admin, researcher, committee).

    An umbrella analyst is no member: their role opens only the umbrella
    pages (:func:`umbrella_partnerships`), never a committee's or a researcher's.
    """
    return {pid: role for pid, role in _all_roles().items() if role != Role.UMBRELLA}


def umbrella_partnerships() -> set[int]:
    """Partnerships whose shared core indicators the user may read as an umbrella analyst."""
    return {pid for pid, role in _all_roles().items() if role == Role.UMBRELLA}


def research_partnerships() -> set[int]:
    """Partnerships where the user may see raw responses (admin or researcher)."""
    return {pid for pid, role in partnership_roles().items() if role in RESEARCH_ROLES}


def require_research(view):
    """Let through admins and researchers of at least one partnership."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path))
        if not research_partnerships():
            abort(403)
        return view(*args, **kwargs)

    return wrapped
