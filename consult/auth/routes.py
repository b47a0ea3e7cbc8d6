"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult import db
from consult.auth import access, services
from consult.auth.forms import LoginForm
from consult.extensions import limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not urlsplit(target).netloc and "\\" not in target:
        return target
    if access.research_partnerships():
        return url_for("research.dashboard")
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
