"""Admin pages: the audit log of the admin's partnerships, and retention settings."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, redirect, render_template, request, url_for

from consult import db, jobs
from consult.admin import audit_words, services
from consult.admin.forms import ContactForm, RetentionForm
from consult.auth import services as audit
from consult.auth.access import current_user, partnership_roles
from consult.i18n import UI_LANGUAGES, current_language
from consult.models import Partnership, Role
from consult.public_contact import MAX_NAME, MAX_NOTE, read_translations
from consult.security import bounded_int

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_partnerships() -> set[int]:
    """Partnerships the signed-in user administers."""
    return {pid for pid, role in partnership_roles().items() if role == Role.ADMIN}


def require_admin(view):
    """Let through admins of at least one partnership; others get 403, strangers sign in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path))
        if not admin_partnerships():
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.app_context_processor
def _admin_navigation():
    return {"is_admin": lambda: bool(admin_partnerships())}


@bp.route("/")
@require_admin
def index():
    return redirect(url_for("users.index"))


@bp.route("/audit")
@require_admin
def audit_log():
    session = db.session()
    partnership_ids = admin_partnerships()
    page = max(request.args.get("page", 1, type=bounded_int) or 1, 1)
    action = request.args.get("action", "", type=str)[:60]
    found = services.audit_page(session, partnership_ids, action, page)
    return render_template(
        "admin/audit.html",
        found=found,
        action=action,
        several=len(partnership_ids) > 1,
        describe=_describer(session),
        action_name=audit_words.action_name,
    )


def _describer(session):
    """``describe(event)``: the event in words, theme names from its partnership's codebook."""
    from consult.coding.services import current_codebook

    lang = current_language().code
    codebooks = {}

    def theme_label(partnership_id, key):
        if partnership_id is None:
            return key
        if partnership_id not in codebooks:
            codebooks[partnership_id] = current_codebook(session, partnership_id)
        codebook = codebooks[partnership_id]
        return codebook.theme(key).label(lang) if key in codebook else key

    def describe(event):
        return audit_words.describe(
            audit_words.Event(
                event.action, event.target, event.detail, event.partnership_id, event.data
            ),
            theme_label,
        )

    return describe


@bp.route("/settings", methods=["GET", "POST"])
@require_admin
def settings():
    session = db.session()
    partnership_ids = admin_partnerships()
    partnerships = services.administered(session, partnership_ids)
    forms = {p.id: RetentionForm(formdata=None, obj=p, partnership_id=p.id) for p in partnerships}
    contacts = {p.id: ContactForm(formdata=None, obj=p, partnership_id=p.id) for p in partnerships}
    if request.method == "POST":
        form = RetentionForm()
        try:
            target_id = int(form.partnership_id.data or "")
        except ValueError:
            abort(400)
        if target_id not in partnership_ids:
            abort(403)
        forms[target_id] = form
        if form.validate():
            partnership = session.get(Partnership, target_id)
            changes = _apply(partnership, form)
            if changes:
                audit.record(
                    session,
                    "retention_change",
                    user_id=current_user().id,
                    partnership_id=partnership.id,
                    target=partnership.slug,
                    detail="; ".join(changes),
                )
            db.commit()
            return redirect(url_for("admin.settings", saved=partnership.slug))
    status = 400 if request.method == "POST" else 200
    return _settings_page(partnerships, forms, contacts, status)


def _settings_page(partnerships, forms, contacts, status, texts=None, too_long=()):
    return (
        render_template(
            "admin/settings.html",
            partnerships=partnerships,
            forms=forms,
            contacts=contacts,
            texts=texts or {},
            too_long=set(too_long),
            languages=UI_LANGUAGES,
            saved=request.args.get("saved", "")[:80],
            retention_run=jobs.last_run(db.session(), jobs.RETENTION),
            releases=_releases(partnerships),
        ),
        status,
    )


def _releases(partnerships) -> dict:
    """Each partnership's newest release of core indicators (``None``: never shared)."""
    from consult.umbrella.services import latest_release

    return {p.id: latest_release(db.session(), p.id) for p in partnerships}


@bp.route("/settings/contact", methods=["POST"])
@require_admin
def contact():
    """Save how newcomers reach a partnership: its name and a note in each language,
    email, phone and website (shown on the consent page of its surveys)."""
    session = db.session()
    form = ContactForm()
    try:
        target_id = bounded_int(form.partnership_id.data or "")
    except ValueError:
        abort(400)
    if target_id not in admin_partnerships():
        abort(403)
    partnership = session.get(Partnership, target_id)
    names, long_names = read_translations(request.form, "name", UI_LANGUAGES, MAX_NAME)
    notes, long_notes = read_translations(request.form, "note", UI_LANGUAGES, MAX_NOTE)
    if not form.validate() or long_names or long_notes:
        partnerships = [partnership]
        forms = {target_id: RetentionForm(formdata=None, obj=partnership, partnership_id=target_id)}
        too_long = [f"name-{c}" for c in long_names] + [f"note-{c}" for c in long_notes]
        texts = {f"name-{c}": request.form.get(f"name-{c}", "") for c in UI_LANGUAGES}
        texts |= {f"note-{c}": request.form.get(f"note-{c}", "") for c in UI_LANGUAGES}
        return _settings_page(partnerships, forms, {target_id: form}, 400, texts, too_long)
    partnership.public_names = names
    partnership.contact_notes = notes
    for name in ("contact_email", "contact_phone", "contact_url"):
        setattr(partnership, name, getattr(form, name).data or None)
    audit.record(
        session,
        "contact_change",
        user_id=current_user().id,
        partnership_id=partnership.id,
        target=partnership.slug,
    )
    db.commit()
    return redirect(url_for("admin.settings", saved=partnership.slug))


def _apply(partnership: Partnership, form: RetentionForm) -> list[str]:
    changes = []
    for name in ("response_retention_days", "contact_retention_days"):
        old, new = getattr(partnership, name), getattr(form, name).data
        if old != new:
            setattr(partnership, name, new)
            changes.append(f"{name}: {_days(old)} -> {_days(new)}")
    return changes


def _days(value: int | None) -> str:
    return "none" if value is None else str(value)


UMBRELLA_ACTIONS = {"share": "umbrella_share", "update": "umbrella_update", "stop": "umbrella_stop"}
"""What the sharing form may ask, and the audit action each writes."""


@bp.route("/settings/umbrella", methods=["POST"])
@require_admin
def umbrella():
    """Share the partnership's core indicators with umbrella analysts, update them, or stop."""
    from consult.umbrella import services as umbrella_services

    session = db.session()
    try:
        target_id = bounded_int(request.form.get("partnership_id", ""))
    except ValueError:
        abort(400)
    if target_id not in admin_partnerships():
        abort(403)
    action = request.form.get("action", "")
    if action not in UMBRELLA_ACTIONS:
        abort(400)
    partnership = session.get(Partnership, target_id)
    if action == "stop":
        umbrella_services.stop_sharing(partnership)
        release = None
    elif action == "share":
        release = umbrella_services.share(session, partnership)
    else:
        release = umbrella_services.update(session, partnership)
        if release is None:  # not shared: nothing to update
            return redirect(url_for("admin.settings"))
    audit.record(
        session,
        UMBRELLA_ACTIONS[action],
        user_id=current_user().id,
        partnership_id=partnership.id,
        target=partnership.slug,
        data={"refused": release.refused} if release is not None and release.refused else {},
    )
    db.commit()
    return redirect(
        url_for("admin.settings", saved=partnership.slug) + "#umbrella-" + str(target_id)
    )
