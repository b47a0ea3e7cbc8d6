"""The newcomer's focus-group sign-up, and the ``consult focus-groups`` commands.

The researcher pages live in ``research_routes`` as a blueprint nested in
this one, so the app registers focus groups with one line.
"""

from __future__ import annotations

import os

import click
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask import session as web_session
from flask_babel import gettext as _

from consult import db
from consult.auth.services import record
from consult.extensions import limiter
from consult.focusgroups import (
    display,
    rosters,
    services,
    signups,
    transcript_routes,  # noqa: F401  (its views join research_bp)
)
from consult.focusgroups.forms import SignupForm
from consult.focusgroups.models import FocusGroupSession
from consult.focusgroups.research_routes import bp as research_bp
from consult.focusgroups.units import sync_units
from consult.i18n import current_language
from consult.models import utcnow
from consult.survey.respondent import finished_reference

bp = Blueprint("focusgroups", __name__, cli_group="focus-groups")
bp.register_blueprint(research_bp)

NEXT_PREFIX = "next:"


@bp.app_context_processor
def _display_helpers():
    return {
        "fg_when": display.session_when,
        "fg_choice": display.choice_label,
        "fg_language": display.language_name,
    }


@bp.route("/focus-groups", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SIGNUP"], methods=["POST"])
def signup_index():
    return _signup_page(None)


@bp.route("/focus-groups/<int:session_id>/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_SIGNUP"], methods=["POST"])
def signup(session_id: int):
    chosen = db.session().get(FocusGroupSession, session_id)
    if chosen is None:
        abort(404)
    return _signup_page(chosen)


def _signup_page(chosen: FocusGroupSession | None):
    sessions = signups.sessions_open_for_signup(db.session())
    partnerships = signups.all_partnerships(db.session())
    form = SignupForm(session_choices=_session_choices(sessions, partnerships))
    notice = None
    if chosen is not None and chosen not in sessions:
        notice = _("This focus group is no longer taking sign-ups. You can choose another one.")
    elif chosen is not None and request.method == "GET":
        form.session_choice.data = str(chosen.id)
    linkable = finished_reference()
    if form.validate_on_submit():
        refused = _store_signup(form, sessions, linkable)
        if refused is None:
            return redirect(url_for("focusgroups.thanks"))
        form.session_choice.errors = [*form.session_choice.errors, _refusal_message(refused.code)]
    return render_template(
        "focusgroups/signup.html",
        form=form,
        sessions={str(s.id): s for s in sessions},
        partnerships=partnerships,
        notice=notice,
        linkable=bool(linkable),
    )


def _session_choices(sessions, partnerships) -> list[tuple[str, str]]:
    pairs = [(str(s.id), s.title) for s in sessions]
    pairs += [(f"{NEXT_PREFIX}{p.id}", p.name) for p in partnerships]
    return pairs


def _store_signup(form: SignupForm, sessions, linkable: str | None):
    """Store the sign-up and remember the outcome; the refusal if it was refused."""
    choice = form.session_choice.data
    if choice.startswith(NEXT_PREFIX):
        chosen, partnership_id = None, int(choice.removeprefix(NEXT_PREFIX))
    else:
        chosen = next(s for s in sessions if str(s.id) == choice)
        partnership_id = chosen.partnership_id
    # Decided before the contact is looked at, so that it cannot tell whether
    # that contact had signed up already (a repeat is merged into the first).
    waitlisted = services.next_place_is_waitlisted(db.session(), chosen)
    try:
        signups.sign_up(
            db.session(),
            partnership_id,
            chosen,
            _answers(form),
            response_reference=linkable if (linkable and form.link_survey.data) else None,
        )
    except services.SignupRefused as refusal:
        return refusal
    db.commit()
    web_session["focus_group_signup"] = {
        "session_id": chosen.id if chosen else None,
        "waitlisted": waitlisted,
    }
    return None


def _answers(form: SignupForm) -> signups.SignupAnswers:
    return signups.SignupAnswers(
        interface_language=current_language().code,
        preferred_language=form.preferred_language.data,
        needs_interpretation=form.needs_interpretation.data,
        needs_childcare=form.needs_childcare.data,
        availability=list(form.availability.data or []),
        years_in_canada=form.years_in_canada.data,
        age_band=form.age_band.data,
        gender=form.gender.data,
        consent_contact=form.consent_contact.data,
        consent_purpose=form.consent_purpose.data,
        name=form.name.data or "",
        contact_method=form.contact_method.data,
        contact_value=form.contact_value.data or "",
        availability_notes=form.availability_notes.data or "",
        accessibility_needs=form.accessibility_needs.data or "",
    )


def _refusal_message(code: str) -> str:
    return {
        "closed": _("This focus group is no longer taking sign-ups. Please choose another one."),
        "past": _("This focus group has already started. Please choose another one."),
    }.get(code, _("We could not take this sign-up. Please try again."))


@bp.route("/focus-groups/thanks")
def thanks():
    outcome = web_session.get("focus_group_signup")
    if not outcome:
        return redirect(url_for("focusgroups.signup_index"))
    chosen = None
    if outcome.get("session_id"):
        chosen = db.session().get(FocusGroupSession, outcome["session_id"])
    return render_template(
        "focusgroups/thanks.html", chosen=chosen, waitlisted=outcome.get("waitlisted")
    )


@bp.cli.command("purge-contacts")
@click.option(
    "--days",
    type=int,
    default=None,
    help="Keep contacts this many days after a session (default: CONTACT_RETENTION_DAYS, 30).",
)
def purge_contacts_command(days: int | None) -> None:
    """Delete contact details of sessions held or cancelled more than N days ago."""
    retention = days if days is not None else _retention_days()
    if retention < 0:
        raise click.ClickException("--days must be 0 or more.")
    removed = rosters.purge_contacts(db.session(), retention, now=utcnow())
    record(db.session(), "purge_contacts", detail=f"{removed} contacts, {retention} days")
    db.commit()
    click.echo(f"Deleted the contact details of {removed} sign-ups ({retention}-day rule).")


@bp.cli.command("sync-units")
def sync_units_command() -> None:
    """Code every focus-group segment as a text unit (after upgrading from a version
    that made them only when a report was built or the review queue shown)."""
    changed = sum(
        sync_units(db.session(), partnership.id)
        for partnership in signups.all_partnerships(db.session())
    )
    db.commit()
    click.echo(f"{changed} focus-group text units added, recoded or removed.")


def _retention_days() -> int:
    value = current_app.config.get("CONTACT_RETENTION_DAYS")
    if value is None:
        raw = os.environ.get("CONSULT_CONTACT_RETENTION_DAYS", "")
        value = int(raw) if raw.strip().isdigit() else 30
    return int(value)
