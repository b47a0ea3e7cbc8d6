"""/admin/users: admins invite people, change their roles, reset their access and
deactivate accounts, in the partnerships they administer (rules in consult/admin/users.py)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from consult import db, mail
from consult.admin import users
from consult.admin.forms import ActiveForm, InviteForm, ResetForm, RoleForm
from consult.admin.routes import admin_partnerships, require_admin
from consult.admin.services import administered
from consult.auth.access import current_user
from consult.models import Partnership, Role
from consult.security import bounded_int

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _invite_form(partnerships: list[Partnership]) -> InviteForm:
    form = InviteForm()
    form.partnership_id.choices = [SelectChoice(p.id, p.name) for p in partnerships]
    return form


def _list_page(form: InviteForm, status: int = 200, **shown):
    partnership_ids = admin_partnerships()
    partnerships = administered(db.session(), partnership_ids)
    return (
        render_template(
            "admin/users.html",
            form=form,
            people=users.users_of(db.session(), partnership_ids),
            partnerships={p.id: p for p in partnerships},
            can_mail=mail.can_send(),
            **shown,
        ),
        status,
    )


@bp.route("/")
@require_admin
def index():
    form = _invite_form(administered(db.session(), admin_partnerships()))
    return _list_page(form, changed=request.args.get("changed", "")[:20])


@bp.route("/invite", methods=["POST"])
@require_admin
def invite():
    if request.form.get("partnership_id", type=bounded_int) not in admin_partnerships():
        abort(403)
    partnerships = administered(db.session(), admin_partnerships())
    form = _invite_form(partnerships)
    if not form.validate_on_submit():
        return _list_page(form, 400)
    partnership = db.session().get(Partnership, form.partnership_id.data)
    try:
        invited = users.invite(
            db.session(),
            email=form.email.data,
            name=form.display_name.data or "",
            role=Role(form.role.data),
            partnership=partnership,
            temporary_password=form.temporary_password.data
            if form.method.data == "password"
            else None,
            admin=current_user(),
            days=current_app.config["INVITATION_DAYS"],
        )
    except users.UserError as error:
        form.email.errors.append(users.message(error.code))
        return _list_page(form, 400)
    db.commit()
    link, mailed = _send_link(invited.user, invited.token, partnership)
    return _list_page(
        _invite_form(partnerships),
        invited=invited,
        link=link,
        mailed=mailed,
        partnership=partnership,
    )


def _send_link(user, token: str | None, partnership: Partnership) -> tuple[str | None, bool]:
    """The one-time link, emailed when a mail server is set; (link, whether it was sent)."""
    if token is None:
        return None, False
    link = url_for("auth.invitation", token=token, _external=True)
    days = current_app.config["INVITATION_DAYS"]
    body = _(
        "%(partnership)s invites you to Consult. Open this link to choose your password "
        "(it works once, for %(days)s days):\n\n%(link)s\n",
        partnership=partnership.name,
        days=days,
        link=link,
    )
    mailed = mail.send(user.email, _("Your Consult account"), body)
    return link, mailed


def _managed(user_id: int) -> users.ManagedUser:
    found = users.managed_user(db.session(), user_id, admin_partnerships())
    if found is None:
        abort(404)
    return found


def _user_page(managed: users.ManagedUser, status: int = 200, **shown):
    partnerships = administered(db.session(), admin_partnerships())
    return (
        render_template(
            "admin/user.html",
            managed=managed,
            partnerships=partnerships,
            role_forms={
                p.id: RoleForm(
                    formdata=None,
                    partnership_id=p.id,
                    role=(managed.roles[p.id].value if p.id in managed.roles else "none"),
                )
                for p in partnerships
            },
            reset_form=shown.pop("reset_form", None) or ResetForm(formdata=None),
            active_form=ActiveForm(formdata=None),
            is_self=managed.user.id == current_user().id,
            can_mail=mail.can_send(),
            **shown,
        ),
        status,
    )


@bp.route("/<int:user_id>")
@require_admin
def user(user_id: int):
    return _user_page(_managed(user_id), changed=request.args.get("changed", "")[:20])


@bp.route("/<int:user_id>/role", methods=["POST"])
@require_admin
def role(user_id: int):
    managed = _managed(user_id)
    form = RoleForm()
    pid = request.form.get("partnership_id", type=bounded_int)
    if not form.validate_on_submit() or pid not in admin_partnerships():
        abort(400)
    wanted = None if form.role.data == "none" else Role(form.role.data)
    try:
        users.change_role(
            db.session(), managed, db.session().get(Partnership, pid), wanted, current_user()
        )
    except users.UserError as error:
        return _user_page(managed, 400, error=users.message(error.code))
    db.commit()
    if users.managed_user(db.session(), user_id, admin_partnerships()) is None:
        return redirect(url_for("users.index", changed="removed"))
    return redirect(url_for("users.user", user_id=user_id, changed="role"))


@bp.route("/<int:user_id>/reset", methods=["POST"])
@require_admin
def reset(user_id: int):
    managed = _managed(user_id)
    form = ResetForm()
    if not form.validate_on_submit():
        return _user_page(managed, 400, reset_form=form)
    try:
        token = users.reset_access(
            db.session(),
            managed,
            form.temporary_password.data if form.method.data == "password" else None,
            current_user(),
            current_app.config["INVITATION_DAYS"],
        )
    except users.UserError as error:
        return _user_page(managed, 400, error=users.message(error.code))
    db.commit()
    partnership = db.session().get(Partnership, min(managed.roles))
    link, mailed = _send_link(managed.user, token, partnership)
    return _user_page(managed, changed="reset", link=link, mailed=mailed)


@bp.route("/<int:user_id>/active", methods=["POST"])
@require_admin
def active(user_id: int):
    managed = _managed(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = form.active.data == "1"
    try:
        users.set_active(db.session(), managed, wanted, current_user())
    except users.UserError as error:
        return _user_page(managed, 400, error=users.message(error.code))
    db.commit()
    changed = "reactivated" if wanted else "deactivated"
    return redirect(url_for("users.user", user_id=user_id, changed=changed))
