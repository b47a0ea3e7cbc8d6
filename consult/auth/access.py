"""Who is signed in, and which roles they hold where."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from consult import db
from consult.auth.services import roles_of
from consult.models import Role, User

RESEARCH_ROLES = frozenset({Role.ADMIN, Role.RESEARCHER})


def current_user() -> User | None:
    """The signed-in user of this request, or ``None``."""
    if "current_user" not in g:
        user_id = session.get("user_id")
        user = db.session().get(User, user_id) if user_id else None
        if user is not None and (not user.is_active or session.get("auth") != _stamp(user)):
            user = None
        g.current_user = user
    return g.current_user


def _stamp(user: User) -> str:
    """Changes when the password changes, ending other sessions of that account."""
    return user.password_hash[-16:]


def sign_in(user: User) -> None:
    """Start a fresh session for ``user``."""
    lang = session.get("lang")
    session.clear()
    session["user_id"] = user.id
    session["auth"] = _stamp(user)
    if lang:
        session["lang"] = lang
    g.pop("current_user", None)


def sign_out() -> None:
    """End the session, keeping only the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    g.pop("current_user", None)


def partnership_roles() -> dict[int, Role]:
    """The signed-in user's role per partnership, read fresh each request."""
    user = current_user()
    if user is None:
        return {}
    if "roles" not in g:
        g.roles = roles_of(db.session(), user.id)
    return g.roles


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
