"""The staff workspace: who is signed in, in which partnership they are working.

A researcher or admin of several partnerships picks one with the switcher in
the staff header (:func:`choose_partnership`, kept in the browser session);
every research page that shows one partnership's data (codebook, review
queue, quotes, emerging themes, agreement, publications, the dashboard) reads
it through :func:`current_partnership_id`. A ``partnership`` value in the
request (a form's hidden field, or ``?partnership=``) wins for that request,
so a form posted from one partnership's page acts on that partnership even if
another tab switched meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g, request, session
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from consult import db
from consult.auth.access import current_user, partnership_roles, research_partnerships
from consult.auth.services import partnership_names
from consult.models import Role, User
from consult.security import bounded_int

SESSION_KEY = "partnership"


def current_partnership_id(allowed: set[int] | None = None) -> int | None:
    """The partnership the signed-in researcher works in, among ``allowed`` (by default
    the partnerships where they may see research data); ``None`` when there is none."""
    allowed = research_partnerships() if allowed is None else allowed
    if not allowed:
        return None
    asked = _asked()
    if asked in allowed:
        return asked
    stored = session.get(SESSION_KEY)
    if stored in allowed:
        return stored
    return min(allowed)


def _asked() -> int | None:
    """The ``partnership`` the request names, if any (none when its body is refused,
    e.g. too large: the page that says so still shows the header)."""
    try:
        return request.values.get("partnership", type=bounded_int)
    except HTTPException:
        return None


def choose_partnership(partnership_id: int) -> bool:
    """Work in ``partnership_id`` from now on (False when the user may not)."""
    if partnership_id not in research_partnerships():
        return False
    session[SESSION_KEY] = partnership_id
    return True


@dataclass(frozen=True)
class Membership:
    id: int
    name: str
    role: Role


@dataclass(frozen=True)
class Workspace:
    """What the staff header shows."""

    user: User
    memberships: tuple[Membership, ...]
    current: Membership | None

    @property
    def switchable(self) -> tuple[Membership, ...]:
        """Partnerships the switcher offers (where the user does research), when several."""
        research = tuple(m for m in self.memberships if m.role != Role.COMMITTEE)
        return research if len(research) > 1 else ()


def workspace() -> Workspace | None:
    """The signed-in user, their partnerships and the one they work in (once a request)."""
    if "workspace" not in g:
        g.workspace = _build()
    return g.workspace


def _build() -> Workspace | None:
    user = current_user()
    if user is None:
        return None
    roles = partnership_roles()
    names = partnership_names(db.session(), set(roles))
    memberships = tuple(
        sorted(
            (Membership(pid, names.get(pid, ""), role) for pid, role in roles.items()),
            key=lambda m: (m.name.casefold(), m.id),
        )
    )
    chosen = current_partnership_id() if research_partnerships() else min(roles, default=None)
    current = next((m for m in memberships if m.id == chosen), None)
    return Workspace(user, memberships, current)


def role_label(role: Role | str) -> str:
    """A role in words, in the interface language."""
    words = {
        Role.ADMIN: _("Admin"),
        Role.RESEARCHER: _("Researcher"),
        Role.COMMITTEE: _("Committee member"),
        Role.UMBRELLA: _("Umbrella analyst"),
    }
    return words.get(Role(role), str(role))


def init_app(app: Flask) -> None:
    """Templates call ``workspace()`` for the staff header, and ``role_label(role)``."""
    app.context_processor(lambda: {"workspace": workspace, "role_label": role_label})
