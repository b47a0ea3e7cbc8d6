"""Sign in and sign out; one-time links; changing one's password."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult import db
from consult.auth import access, invitations, services
from consult.auth.forms import ChangePasswordForm, LoginForm, NewPasswordForm
from consult.auth.passwords import verify_password
from consult.extensions import limiter
from consult.models import utcnow
from consult.security import local_path

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if local_path(target):
        return target
    if access.research_partnerships():
        return url_for("research.dashboard")
    if access.umbrella_partnerships() and not access.partnership_roles():
        return url_for("umbrella.index")
    return url_for("reports.committee_index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(db.session(), form.email.data, form.password.data)
        if user is not None:
            access.sign_in(user)
            user.last_sign_in_at = utcnow()
            services.record(db.session(), "sign_in", user_id=user.id, target=user.email)
            db.commit()
            return redirect(_safe_next(request.args.get("next")))
        known = services.find_user(db.session(), form.email.data)
        services.record(
            db.session(),
            "sign_in_failed",
            user_id=known.id if known is not None else None,
            target=services.normalise_email(form.email.data),
        )
        db.commit()
        error = _("That email and password do not match an account.")
    return render_template("auth/login.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout():
    user = access.current_user()
    if user is not None:
        services.record(db.session(), "sign_out", user_id=user.id, target=user.email)
    access.sign_out()
    db.commit()
    return redirect(url_for("survey.index"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def invitation(token: str):
    """A one-time link from an admin: choose a password, then be signed in."""
    found = invitations.find(db.session(), token)
    if found is None:
        return render_template("auth/invitation_gone.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = invitations.accept(found, form.new_password.data)
        services.record(db.session(), "accept_invitation", user_id=user.id, target=user.email)
        access.sign_in(user)
        user.last_sign_in_at = utcnow()
        db.commit()
        return redirect(_safe_next(None))
    return render_template("auth/invitation.html", form=form, user=found.user)


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def change_password():
    """Change one's password; every page leads here while a temporary one is in use."""
    user = access.current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.full_path))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        else:
            services.set_password(user, form.new_password.data)
            user.must_change_password = False
            services.record(db.session(), "change_password", user_id=user.id, target=user.email)
            access.sign_in(user)  # the old sign-ins ended with the old password
            db.commit()
            return redirect(_safe_next(None))
    return render_template("auth/change_password.html", form=form, forced=user.must_change_password)


_OPEN_WHILE_TEMPORARY = {"auth.change_password", "auth.logout", "static"}


@bp.before_app_request
def _ask_for_a_new_password():
    """With a temporary password, every page leads to choosing one's own."""
    if request.endpoint in _OPEN_WHILE_TEMPORARY or request.endpoint is None:
        return None
    if request.blueprint in {"survey", "api", "withdraw"}:
        return None  # newcomers' pages never look at staff sign-ins
    user = access.current_user()
    if user is not None and user.must_change_password:
        if request.method != "GET":
            abort(403)
        return redirect(url_for("auth.change_password"))
    return None
