"""Researcher pages of the service inventory: list, import, add, edit, delete, export.

Admins and researchers only (``require_research``); a service of another
partnership is a 404. Every POST is checked for its CSRF token by the
app-wide CSRFProtect. Views parse the request, call
:mod:`consult.strategy.inventory` and render.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from analysis.inventory import COLUMNS
from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.auth.services import record
from consult.coding.services import current_codebook
from consult.i18n import UI_LANGUAGES, current_language, language_name_in
from consult.strategy import inventory
from consult.strategy.messages import file_problem, inventory_problem
from consult.strategy.models import Service
from consult.workspace import current_partnership_id

bp = Blueprint("services", __name__, url_prefix="/research/services")

FORM_FIELDS = tuple(c for c in COLUMNS if c not in ("themes", "areas"))


def _partnership_id() -> int:
    return current_partnership_id()


def _service_or_404(service_id: int) -> Service:
    found = inventory.service_for(db.session(), service_id, research_partnerships())
    if found is None:
        abort(404)
    return found


def _audit(action: str, partnership_id: int, target: str, detail: str = "") -> None:
    record(
        db.session(),
        action,
        user_id=current_user().id,
        partnership_id=partnership_id,
        target=target,
        detail=detail,
    )


def _labels(partnership_id: int) -> dict:
    """Theme labels, language names and area labels in the reader's language."""
    lang = current_language().code
    codebook = current_codebook(db.session(), partnership_id)
    areas = inventory.area_choices(db.session(), partnership_id)
    return {
        "themes": {t.key: t.label(lang) for t in codebook.themes},
        "areas": {c.name: c.label.get(lang) or c.label.get("en") or c.name for c in areas},
        "language": lambda code: language_name_in(code, lang),
    }


@bp.route("/")
@require_research
def index():
    pid = _partnership_id()
    return render_template(
        "strategy/services.html",
        services=inventory.services_of(db.session(), pid),
        labels=_labels(pid),
        messages=get_flashed_messages(),
    )


@bp.route("/import", methods=["GET", "POST"])
@require_research
def import_file():
    pid = _partnership_id()
    outcome = None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            outcome = inventory.ImportOutcome(file_error="missing")
        else:
            outcome = inventory.import_file(db.session(), pid, upload.read(), upload.filename)
        if not outcome.problems and not outcome.file_error:
            detail = f"added {outcome.added}, updated {outcome.updated}"
            _audit("import_services", pid, upload.filename[:200], detail)
            db.commit()
            flash(_("%(added)s services added, %(updated)s updated.", **_counts(outcome)))
            return redirect(url_for("services.index"))
    return render_template(
        "strategy/services_import.html",
        outcome=outcome,
        file_error=_file_error(outcome),
        problem_text=inventory_problem,
        columns=COLUMNS,
    )


def _counts(outcome) -> dict:
    return {"added": outcome.added, "updated": outcome.updated}


def _file_error(outcome) -> str | None:
    if outcome is None or outcome.file_error is None:
        return None
    if outcome.file_error == "missing":
        return _("Choose a CSV or XLSX file.")
    return file_problem(outcome.file_error)


@bp.route("/new", methods=["GET", "POST"])
@require_research
def new():
    return _edit(None, _partnership_id())


@bp.route("/<int:service_id>", methods=["GET", "POST"])
@require_research
def edit(service_id: int):
    service = _service_or_404(service_id)
    return _edit(service, service.partnership_id)


def _edit(service: Service | None, pid: int):
    cells = _cells_of(service) if request.method == "GET" else _posted_cells()
    errors: dict[str, str] = {}
    if request.method == "POST":
        saved, problems = inventory.update_service(db.session(), pid, service, cells)
        if saved is not None:
            _audit("edit_service", pid, f"service:{saved.id}", saved.name)
            db.commit()
            flash(_("Saved: %(service)s.", service=saved.name))
            return redirect(url_for("services.index", _anchor=f"service-{saved.id}"))
        errors = {p.column: inventory_problem(p) for p in problems}
    return render_template(
        "strategy/service_form.html",
        service=service,
        cells=cells,
        errors=errors,
        labels=_labels(pid),
        description_languages=_description_languages(cells.get("description_language")),
    )


def _description_languages(current: str | None) -> tuple[str, ...]:
    """The interface languages, and the description's own when it is another."""
    if current and current not in UI_LANGUAGES:
        return (*UI_LANGUAGES, current)
    return UI_LANGUAGES


def _cells_of(service: Service | None) -> dict:
    if service is None:
        return {"description_language": current_language().code, "themes": [], "areas": []}
    row = inventory.as_record(service)
    return {
        "organisation": row.organisation,
        "service": row.service,
        "description": row.description,
        "description_language": row.description_language,
        "themes": list(row.themes),
        "languages": "; ".join(row.languages),
        "areas": list(row.areas),
        "eligibility": row.eligibility,
        "contact": row.contact,
    }


def _posted_cells() -> dict:
    cells = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    cells["themes"] = request.form.getlist("themes")
    cells["areas"] = request.form.getlist("areas")
    if "areas_text" in request.form:  # no area question: areas written out
        cells["areas"] = [request.form["areas_text"]]
    return cells


@bp.route("/<int:service_id>/delete", methods=["POST"])
@require_research
def delete(service_id: int):
    service = _service_or_404(service_id)
    _audit("delete_service", service.partnership_id, f"service:{service.id}", service.name)
    inventory.delete_service(db.session(), service)
    db.commit()
    flash(_("Deleted: %(service)s.", service=service.name))
    return redirect(url_for("services.index"))


@bp.route("/<int:service_id>/suggestions", methods=["POST"])
@require_research
def suggestion(service_id: int):
    service = _service_or_404(service_id)
    confirm = request.form.get("decision") == "confirm"
    if not inventory.decide_suggestion(service, request.form.get("theme", ""), confirm):
        abort(400)
    db.commit()
    return redirect(url_for("services.index", _anchor=f"service-{service.id}"))


@bp.route("/export.<kind>")
@require_research
def export(kind: str):
    pid = _partnership_id()
    services = inventory.services_of(db.session(), pid)
    if kind == "csv":
        data, mimetype = inventory.export_csv(services), "text/csv"
    elif kind == "xlsx":
        data = inventory.export_xlsx(services)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    _audit("export_services", pid, kind)
    db.commit()
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="services.{kind}"'},
    )
