"""Double coding: researchers code a sample blind; Consult shows kappa per theme."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.coding import agreement, services
from consult.coding.models import CodingSample
from consult.i18n import current_language
from consult.security import bounded_int
from consult.workspace import current_partnership_id

bp = Blueprint("agreement", __name__, url_prefix="/research/agreement")


def _sample(sample_id: int) -> CodingSample:
    sample = db.session().get(CodingSample, sample_id)
    if sample is None or sample.partnership_id not in research_partnerships():
        abort(404)
    return sample


@bp.route("/", methods=["GET", "POST"])
@require_research
def index():
    pid = current_partnership_id()
    error = None
    if request.method == "POST":
        size = request.form.get("size", type=bounded_int)
        name = request.form.get("name", "").strip()
        if not name or not size or not 5 <= size <= 500:
            error = True
        else:
            sample = agreement.create_sample(db.session(), pid, name, size)
            db.commit()
            return redirect(url_for("agreement.sample", sample_id=sample.id))
    return render_template(
        "coding/agreement_index.html",
        samples=agreement.samples_of(db.session(), {pid}),
        error=error,
        form_values=request.form,
    )


@bp.route("/<int:sample_id>")
@require_research
def sample(sample_id: int):
    found = _sample(sample_id)
    codebook = services.current_codebook(db.session(), found.partnership_id)
    lang = current_language().code
    result = agreement.sample_agreement(db.session(), found, codebook.keys)
    return render_template(
        "coding/agreement_sample.html",
        sample=found,
        result=result,
        theme_label=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
        themes=codebook.keys,
    )


@bp.route("/<int:sample_id>/code", methods=["GET", "POST"])
@require_research
def code(sample_id: int):
    found = _sample(sample_id)
    user = current_user()
    codebook = services.current_codebook(db.session(), found.partnership_id)
    if request.method == "POST":
        unit_id = request.form.get("unit_id", type=bounded_int)
        if unit_id not in found.unit_ids:
            abort(400)
        chosen = [k for k in request.form.getlist("themes") if k in codebook]
        agreement.record_coding(db.session(), found, unit_id, user.id, chosen)
        db.commit()
        return redirect(url_for("agreement.code", sample_id=sample_id))
    unit = agreement.next_unit_for(db.session(), found, user.id)
    if unit is None:
        return redirect(url_for("agreement.sample", sample_id=sample_id))
    lang = current_language().code
    return render_template(
        "coding/agreement_code.html",
        sample=found,
        unit=unit,
        position=found.unit_ids.index(unit.id) + 1,
        themes=[
            (t.key, t.label(lang), t.definitions.get(lang) or t.definitions.get("en", ""))
            for t in codebook.themes
        ],
    )
