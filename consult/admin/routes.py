"""Admin pages: the audit log of the admin's partnerships, and retention settings."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import and_, func, or_, select

from consult import db
from consult.admin.forms import ContactForm, RetentionForm
from consult.auth import services as audit
from consult.auth.access import current_user, partnership_roles
from consult.i18n import UI_LANGUAGES
from consult.models import AuditEvent, Membership, Partnership, Role, User
from consult.public_contact import MAX_NAME, MAX_NOTE, read_translations
from consult.security import bounded_int

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


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


def _events_query(partnership_ids: set[int]):
    """Events of these partnerships, plus sign-ins, sign-outs and failed sign-ins of their
    members (those carry no partnership)."""
    members = select(Membership.user_id).where(Membership.partnership_id.in_(partnership_ids))
    member_emails = select(User.email).where(User.id.in_(members))
    return or_(
        AuditEvent.partnership_id.in_(partnership_ids),
        and_(AuditEvent.partnership_id.is_(None), AuditEvent.user_id.in_(members)),
        and_(
            AuditEvent.partnership_id.is_(None),
            AuditEvent.user_id.is_(None),
            AuditEvent.action == "sign_in_failed",
            AuditEvent.target.in_(member_emails),
        ),
    )


@bp.route("/")
@require_admin
def index():
    return redirect(url_for("admin.audit_log"))


@bp.route("/audit")
@require_admin
def audit_log():
    session = db.session()
    partnership_ids = admin_partnerships()
    page = max(request.args.get("page", 1, type=bounded_int) or 1, 1)
    action = request.args.get("action", "", type=str)[:60]
    condition = _events_query(partnership_ids)
    if action:
        condition = and_(condition, AuditEvent.action == action)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(condition)) or 0
    rows = session.execute(
        select(AuditEvent, User.email, Partnership.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Partnership, Partnership.id == AuditEvent.partnership_id)
        .where(condition)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    actions = session.scalars(
        select(AuditEvent.action).where(_events_query(partnership_ids)).distinct()
    ).all()
    return render_template(
        "admin/audit.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        action=action,
        actions=sorted(actions),
        several=len(partnership_ids) > 1,
    )


@bp.route("/settings", methods=["GET", "POST"])
@require_admin
def settings():
    session = db.session()
    partnership_ids = admin_partnerships()
    partnerships = list(
        session.scalars(
            select(Partnership)
            .where(Partnership.id.in_(partnership_ids))
            .order_by(Partnership.name)
        )
    )
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
        ),
        status,
    )


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
