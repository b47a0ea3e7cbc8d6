"""Admins manage the users of their partnerships (services take the session, never commit).

Rules, each refused with a :class:`UserError` code that the page words:

- an admin sees and manages the accounts that hold a role in a partnership
  they administer, and changes roles only in those partnerships;
- a partnership always keeps an active admin (nobody removes or demotes the last);
- what acts on the whole account (deactivating it, a new one-time link or a
  temporary password) needs the admin to administer every partnership the
  account belongs to, and is never done to oneself;
- deactivating takes effect at once: the account's next request is refused
  (its sign-ins end: :func:`consult.auth.signins.end_all`).

Every change is written to the audit log with the data to say it in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from consult.auth import invitations, signins
from consult.auth.services import (
    AccountError,
    find_user,
    normalise_email,
    record,
    set_password,
    set_role,
)
from consult.models import Membership, Partnership, Role, User


class UserError(ValueError):
    """A change an admin may not make; ``code`` names which rule."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ManagedUser:
    """An account as an admin sees it: its roles in the admin's partnerships."""

    user: User
    roles: dict[int, Role]
    elsewhere: int  # partnerships it belongs to that this admin does not administer
    invited_until: datetime | None

    @property
    def whole_account(self) -> bool:
        """The admin may act on the whole account (deactivate, reset its password)."""
        return self.elsewhere == 0


def users_of(db: Session, partnership_ids: set[int]) -> list[ManagedUser]:
    """Every account with a role in these partnerships, by email."""
    members = select(Membership.user_id).where(Membership.partnership_id.in_(partnership_ids))
    users = db.scalars(
        select(User)
        .where(User.id.in_(members))
        .options(selectinload(User.memberships))
        .order_by(User.email)
    ).all()
    pending = invitations.pending(db, {u.id for u in users})
    return [_managed(u, partnership_ids, pending.get(u.id)) for u in users]


def managed_user(db: Session, user_id: int, partnership_ids: set[int]) -> ManagedUser | None:
    """The account if it has a role in one of these partnerships, else ``None``."""
    user = db.get(User, user_id)
    if user is None or not {m.partnership_id for m in user.memberships} & partnership_ids:
        return None
    return _managed(user, partnership_ids, invitations.pending(db, {user.id}).get(user.id))


def _managed(user: User, partnership_ids: set[int], invited_until) -> ManagedUser:
    roles = {m.partnership_id: m.role for m in user.memberships}
    mine = {pid: role for pid, role in roles.items() if pid in partnership_ids}
    return ManagedUser(user, mine, len(roles) - len(mine), invited_until)


@dataclass(frozen=True)
class Invited:
    user: User
    token: str | None  # the one-time link's token, when the account needs a password
    new_account: bool


def invite(
    db: Session,
    *,
    email: str,
    name: str,
    role: Role,
    partnership: Partnership,
    temporary_password: str | None,
    admin: User,
    days: int,
) -> Invited:
    """Give ``email`` a role in ``partnership``: a new account gets a one-time link
    (or ``temporary_password``, to be changed at first sign-in); an existing account
    keeps its password and just gains the role."""
    email = normalise_email(email)
    user = find_user(db, email)
    if user is not None:
        if any(m.partnership_id == partnership.id for m in user.memberships):
            raise UserError("already_member")
        set_role(db, user, partnership, role)
        _record(db, "invite_user", admin, partnership.id, user, role=role.value, method="role")
        return Invited(user, None, new_account=False)
    user = User(
        email=email,
        display_name=name.strip() or email.split("@")[0],
        password_hash=invitations.unusable_password(),
    )
    db.add(user)
    set_role(db, user, partnership, role)
    db.flush()
    token = _give_access(db, user, temporary_password, admin, days)
    method = "password" if temporary_password else "link"
    _record(db, "invite_user", admin, partnership.id, user, role=role.value, method=method)
    return Invited(user, token, new_account=True)


def _give_access(
    db: Session, user: User, temporary_password: str | None, admin: User, days: int
) -> str | None:
    """A temporary password (changed at first sign-in) or a one-time link's token."""
    if temporary_password:
        try:
            set_password(user, temporary_password)
        except AccountError as error:
            raise UserError("short_password") from error
        user.must_change_password = True
        return None
    return invitations.create(db, user, admin.id, days)


def change_role(
    db: Session, managed: ManagedUser, partnership: Partnership, role: Role | None, admin: User
) -> None:
    """Set the account's role in one of the admin's partnerships (``None`` removes it)."""
    user, old = managed.user, managed.roles.get(partnership.id)
    if old == role:
        return
    if old == Role.ADMIN and _active_admins(db, partnership.id) <= 1 and user.is_active:
        raise UserError("last_admin")
    if role is None:
        membership = next(m for m in user.memberships if m.partnership_id == partnership.id)
        user.memberships.remove(membership)
        db.delete(membership)
        signins.end_all(db, user.id)
        _record(db, "remove_member", admin, partnership.id, user, old=old.value)
        return
    set_role(db, user, partnership, role)
    _record(db, "role_change", admin, partnership.id, user, role=role.value, old=old and old.value)


def _active_admins(db: Session, partnership_id: int) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.partnership_id == partnership_id,
                Membership.role == Role.ADMIN,
                User.is_active.is_(True),
            )
        )
        or 0
    )


def _check_whole_account(managed: ManagedUser, admin: User) -> None:
    if managed.user.id == admin.id:
        raise UserError("yourself")
    if not managed.whole_account:
        raise UserError("elsewhere")


def set_active(db: Session, managed: ManagedUser, active: bool, admin: User) -> None:
    """Deactivate the account (at once: its sign-ins end) or let it sign in again."""
    _check_whole_account(managed, admin)
    user = managed.user
    if user.is_active == active:
        return
    if not active:
        for pid, role in managed.roles.items():
            if role == Role.ADMIN and _active_admins(db, pid) <= 1:
                raise UserError("last_admin")
    user.is_active = active
    if not active:
        signins.end_all(db, user.id)
    for pid in managed.roles:
        _record(db, "reactivate_user" if active else "deactivate_user", admin, pid, user)


def reset_access(
    db: Session, managed: ManagedUser, temporary_password: str | None, admin: User, days: int
) -> str | None:
    """A new one-time link (its token) or a temporary password for the account; every
    sign-in of the account ends."""
    _check_whole_account(managed, admin)
    user = managed.user
    token = _give_access(db, user, temporary_password, admin, days)
    if token is not None:
        user.password_hash = invitations.unusable_password()
    signins.end_all(db, user.id)
    method = "password" if temporary_password else "link"
    for pid in managed.roles:
        _record(db, "reset_password", admin, pid, user, method=method)
    return token


def _record(db: Session, action: str, admin: User, pid: int, user: User, **data) -> None:
    record(
        db,
        action,
        user_id=admin.id,
        partnership_id=pid,
        target=user.email,
        detail=" ".join(f"{k}={v}" for k, v in data.items() if v),
        data={"email": user.email, **{k: v for k, v in data.items() if v}},
    )


def message(code: str) -> str:
    """A :class:`UserError` code in words, in the interface language."""
    from flask_babel import gettext as _

    from consult.auth.passwords import MIN_LENGTH

    return {
        "already_member": _(
            "That person already has a role in this partnership: change it on their page."
        ),
        "short_password": _(
            "A temporary password needs at least %(count)s characters.", count=MIN_LENGTH
        ),
        "last_admin": _(
            "This is the partnership's last active admin: make someone else admin first."
        ),
        "yourself": _("You cannot do this to your own account."),
        "elsewhere": _(
            "This account also belongs to a partnership you do not administer: "
            "remove it from yours instead, or ask that partnership's admin."
        ),
    }.get(code, code)
