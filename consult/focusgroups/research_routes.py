"""Researcher pages: sessions, prompts, roster and attendance (notes and transcripts:
:mod:`consult.focusgroups.transcript_routes`, on the same blueprint).

Only admins and researchers get in (``require_research``), and every object
is looked up within ``research_partnerships()``: another partnership's
session is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.auth.services import record
from consult.focusgroups import rosters, services
from consult.focusgroups.forms import (
    ActionForm,
    AssignForm,
    SessionForm,
    prompt_form_class,
)
from consult.focusgroups.models import FocusGroupSession, SessionMode
from consult.focusgroups.services import aware

bp = Blueprint("research", __name__, url_prefix="/research/focus-groups")


def session_or_404(session_id: int) -> FocusGroupSession:
    """The researcher's focus-group session, else 404."""
    found = services.session_for(db.session(), session_id, research_partnerships())
    if found is None:
        abort(404)
    return found


def audit(action: str, session: FocusGroupSession, detail: str = "") -> None:
    """Write a change to a session in the audit log."""
    record(
        db.session(),
        action,
        user_id=current_user().id,
        partnership_id=session.partnership_id,
        target=f"focus_group_session:{session.id}",
        detail=detail,
    )


def checked(form) -> None:
    """Refuse a button press without a valid CSRF token."""
    if not form.validate_on_submit():
        abort(400)


# --- sessions -------------------------------------------------------------------------


@bp.route("/")
@require_research
def index():
    partnerships = research_partnerships()
    sessions = services.sessions_of(db.session(), partnerships)
    open_sessions = [s for s in sessions if s.status in services.SIGNUP_STATUSES]
    return render_template(
        "focusgroups/research_index.html",
        sessions=sessions,
        interested=rosters.interested_in_next(db.session(), partnerships),
        assign_form=AssignForm(sessions=open_sessions),
        action_form=ActionForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@require_research
def new_session():
    partnerships = services.partnerships_by_id(db.session(), research_partnerships())
    form = SessionForm(partnerships=partnerships)
    if form.validate_on_submit():
        created = services.create_session(db.session(), form.partnership_id.data, _values(form))
        audit("focus_group_create", created, created.title)
        db.commit()
        return redirect(url_for("focusgroups.research.session", session_id=created.id))
    return render_template("focusgroups/session_form.html", form=form, editing=None)


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@require_research
def edit_session(session_id: int):
    found = session_or_404(session_id)
    partnerships = services.partnerships_by_id(db.session(), {found.partnership_id})
    original = aware(found.starts_at)
    form = SessionForm(partnerships=partnerships, original_starts_at=original)
    if request.method == "GET":
        _fill(form, found)
    if form.validate_on_submit():
        services.update_session(db.session(), found, _values(form))
        audit("focus_group_update", found, found.status.value)
        db.commit()
        return redirect(url_for("focusgroups.research.session", session_id=found.id))
    return render_template("focusgroups/session_form.html", form=form, editing=found)


def _values(form: SessionForm) -> dict:
    return {
        "title": _clean(form.title),
        "purpose": _clean(form.purpose),
        "starts_at": form.starts_at(),
        "timezone": form.timezone.data,
        "duration_minutes": int(form.duration_minutes.data),
        "mode": SessionMode(form.mode.data),
        "place": _clean(form.place),
        "languages": list(form.languages.data),
        "interpretation_offered": form.interpretation_offered.data,
        "capacity": int(form.capacity.data),
        "childcare_notes": _clean(form.childcare_notes),
        "accessibility_notes": _clean(form.accessibility_notes),
        "status": form.status.data,
    }


def _clean(field) -> str:
    return (field.data or "").strip()


def _fill(form: SessionForm, found: FocusGroupSession) -> None:
    from consult.focusgroups.display import local_start

    local = local_start(found)
    form.partnership_id.data = found.partnership_id
    form.title.data, form.purpose.data = found.title, found.purpose
    form.date.data, form.time.data = local.date(), local.time().replace(tzinfo=None)
    form.timezone.data = found.timezone
    form.duration_minutes.data = str(found.duration_minutes)
    form.mode.data, form.place.data = found.mode.value, found.place
    form.languages.data = list(found.languages)
    form.interpretation_offered.data = found.interpretation_offered
    form.capacity.data = str(found.capacity)
    form.childcare_notes.data = found.childcare_notes
    form.accessibility_notes.data = found.accessibility_notes
    form.status.data = found.status.value


@bp.route("/<int:session_id>")
@require_research
def session(session_id: int):
    found = session_or_404(session_id)
    return render_template(
        "focusgroups/session.html",
        session=found,
        prompt_form=prompt_form_class(found.languages)(),
        action_form=ActionForm(),
        prompt_text=services.prompt_text,
        counts=rosters.roster(found),
    )


# --- prompts --------------------------------------------------------------------------


@bp.route("/<int:session_id>/prompts", methods=["POST"])
@require_research
def add_prompt(session_id: int):
    found = session_or_404(session_id)
    form = prompt_form_class(found.languages)()
    if form.validate_on_submit():
        services.add_prompt(db.session(), found, form.texts())
        db.commit()
        return redirect(url_for("focusgroups.research.session", session_id=found.id) + "#prompts")
    return render_template(
        "focusgroups/session.html",
        session=found,
        prompt_form=form,
        action_form=ActionForm(),
        prompt_text=services.prompt_text,
        counts=rosters.roster(found),
    )


@bp.route("/<int:session_id>/prompts/<int:prompt_id>", methods=["GET", "POST"])
@require_research
def edit_prompt(session_id: int, prompt_id: int):
    found = session_or_404(session_id)
    prompt = services.prompt_for(found, prompt_id) or abort(404)
    form_class = prompt_form_class(found.languages + list(prompt.text))
    form = form_class()
    if request.method == "GET":
        for code in form.codes:
            getattr(form, "text_" + code.replace("-", "_")).data = prompt.text.get(code, "")
    if form.validate_on_submit():
        prompt.text = form.texts()
        db.commit()
        return redirect(url_for("focusgroups.research.session", session_id=found.id) + "#prompts")
    return render_template("focusgroups/prompt_form.html", session=found, prompt=prompt, form=form)


@bp.route("/<int:session_id>/prompts/<int:prompt_id>/delete", methods=["POST"])
@require_research
def delete_prompt(session_id: int, prompt_id: int):
    found = session_or_404(session_id)
    prompt = services.prompt_for(found, prompt_id) or abort(404)
    checked(ActionForm())
    services.delete_prompt(found, prompt)
    db.commit()
    return redirect(url_for("focusgroups.research.session", session_id=found.id) + "#prompts")


# --- roster ---------------------------------------------------------------------------


@bp.route("/<int:session_id>/roster")
@require_research
def roster(session_id: int):
    found = session_or_404(session_id)
    confirmed, waitlist = rosters.roster(found)
    threshold = current_app.config.get("SUPPRESSION_THRESHOLD", 5)
    basis, make_up = rosters.make_up(found, threshold)
    return render_template(
        "focusgroups/roster.html",
        session=found,
        confirmed=confirmed,
        waitlist=waitlist,
        make_up_basis=basis,
        make_up=make_up,
        threshold=threshold,
        action_form=ActionForm(),
    )


@bp.route("/<int:session_id>/attendance", methods=["POST"])
@require_research
def attendance(session_id: int):
    found = session_or_404(session_id)
    checked(ActionForm())
    attended = {int(v) for v in request.form.getlist("attended") if v.isdigit()}
    rosters.set_attendance(db.session(), found, attended)
    db.commit()
    flash(_("Attendance saved."))
    return redirect(url_for("focusgroups.research.roster", session_id=found.id))


@bp.route("/<int:session_id>/signups/<int:signup_id>/promote", methods=["POST"])
@require_research
def promote(session_id: int, signup_id: int):
    found = session_or_404(session_id)
    signup = rosters.signup_for(found, signup_id) or abort(404)
    checked(ActionForm())
    rosters.promote(db.session(), signup)
    db.commit()
    return redirect(url_for("focusgroups.research.roster", session_id=found.id))


@bp.route("/<int:session_id>/signups/<int:signup_id>/delete-contact", methods=["POST"])
@require_research
def delete_contact(session_id: int, signup_id: int):
    found = session_or_404(session_id)
    signup = rosters.signup_for(found, signup_id) or abort(404)
    checked(ActionForm())
    if rosters.delete_contact(db.session(), signup):
        audit("delete_contact", found, f"signup:{signup.id}")
    db.commit()
    flash(_("Contact details deleted."))
    return redirect(url_for("focusgroups.research.roster", session_id=found.id))


@bp.route("/<int:session_id>/roster.csv", methods=["POST"])
@require_research
def export_roster(session_id: int):
    found = session_or_404(session_id)
    checked(ActionForm())
    body = rosters.roster_csv(found)
    audit("export_contacts", found, f"{len(found.signups)} sign-ups")
    db.commit()
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=focus-group-{found.id}-roster.csv",
            "Cache-Control": "no-store",
        },
    )


# --- people waiting for the next session ----------------------------------------------


@bp.route("/signups/<int:signup_id>/assign", methods=["POST"])
@require_research
def assign(signup_id: int):
    partnerships = research_partnerships()
    signup = rosters.interested_signup_for(db.session(), signup_id, partnerships) or abort(404)
    sessions = [
        s
        for s in services.sessions_of(db.session(), {signup.partnership_id})
        if s.status in services.SIGNUP_STATUSES
    ]
    form = AssignForm(sessions=sessions)
    checked(form)
    target = next(s for s in sessions if s.id == form.session_id.data)
    rosters.assign_to_session(db.session(), signup, target)
    db.commit()
    return redirect(url_for("focusgroups.research.roster", session_id=target.id))


@bp.route("/signups/<int:signup_id>/delete-contact", methods=["POST"])
@require_research
def delete_interested_contact(signup_id: int):
    partnerships = research_partnerships()
    signup = rosters.interested_signup_for(db.session(), signup_id, partnerships) or abort(404)
    checked(ActionForm())
    if rosters.delete_contact(db.session(), signup):
        record(
            db.session(),
            "delete_contact",
            user_id=current_user().id,
            partnership_id=signup.partnership_id,
            target=f"focus_group_signup:{signup.id}",
        )
    db.commit()
    flash(_("Contact details deleted."))
    return redirect(url_for("focusgroups.research.index"))
