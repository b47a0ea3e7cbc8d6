"""Researcher pages of studies and waves: create a study, add waves, map renamed questions, read
the trend.

Admins and researchers of the study's partnership only; another
partnership's study is a 404. Every figure of the trend comes from each
wave's protected counts (:func:`consult.waves.services.trend_of`).
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.auth.services import record
from consult.definitions import title_in
from consult.surveys import surveys_of
from consult.waves import services
from consult.waves.models import Study
from consult.waves.presenter import problem_message, trend_view

bp = Blueprint("waves", __name__, url_prefix="/research/waves")


def _study_or_404(study_id: int) -> Study:
    found = services.study_for(db.session(), study_id, research_partnerships())
    if found is None:
        abort(404)
    return found


def _partnership_id() -> int:
    partnerships = research_partnerships()
    chosen = request.values.get("partnership", type=int)
    return chosen if chosen in partnerships else min(partnerships)


def _audit(action: str, study: Study, detail: str) -> None:
    record(
        db.session(),
        action,
        user_id=current_user().id,
        partnership_id=study.partnership_id,
        target=f"study:{study.id}",
        detail=detail,
    )


@bp.route("/", methods=["GET", "POST"])
@require_research
def index():
    session, error = db.session(), None
    if request.method == "POST":
        try:
            study = services.create_study(
                session, _partnership_id(), request.form.get("title", ""), current_user().id
            )
        except services.WaveProblem as problem:
            error = problem_message(problem.code)
        else:
            _audit("create_study", study, study.title)
            db.commit()
            return redirect(url_for("waves.study", study_id=study.id))
    return render_template(
        "waves/index.html",
        studies=services.studies_of(session, research_partnerships()),
        error=error,
    ), (422 if error else 200)


@bp.route("/<int:study_id>")
@require_research
def study(study_id: int):
    found = _study_or_404(study_id)
    return _study_page(found)


def _study_page(found: Study, error: str | None = None, status: int = 200):
    session = db.session()
    surveys = surveys_of(session, {found.partnership_id})
    view = trend_view(services.trend_of(session, found)) if found.waves else None
    first = (
        services.choice_questions(services.wave_definition(found.waves[0])) if found.waves else {}
    )
    later = {w.id: services.choice_questions(services.wave_definition(w)) for w in found.waves[1:]}
    return render_template(
        "waves/study.html",
        study=found,
        surveys=surveys,
        survey_title=title_in,
        view=view,
        first_questions=first,
        later_questions=later,
        error=error,
    ), status


@bp.post("/<int:study_id>/waves")
@require_research
def add_wave(study_id: int):
    found = _study_or_404(study_id)
    session = db.session()
    survey = next(
        (
            s
            for s in surveys_of(session, {found.partnership_id})
            if str(s.id) == request.form.get("survey", "")
        ),
        None,
    )
    version = request.form.get("version", "").strip()
    try:
        number = int(version) if version else None
    except ValueError:
        return _study_page(found, problem_message("version"), 422)
    try:
        wave = services.add_wave(session, found, survey, number, request.form.get("label", ""))
    except services.WaveProblem as problem:
        return _study_page(found, problem_message(problem.code), 422)
    _audit("add_study_wave", found, wave.label)
    db.commit()
    return redirect(url_for("waves.study", study_id=found.id))


@bp.post("/<int:study_id>/waves/<int:wave_id>/remove")
@require_research
def remove_wave(study_id: int, wave_id: int):
    found = _study_or_404(study_id)
    try:
        wave = services.remove_wave(db.session(), found, wave_id)
    except services.WaveProblem:
        abort(404)
    _audit("remove_study_wave", found, wave.label)
    db.commit()
    return redirect(url_for("waves.study", study_id=found.id))


@bp.post("/<int:study_id>/waves/<int:wave_id>/questions")
@require_research
def map_question(study_id: int, wave_id: int):
    found = _study_or_404(study_id)
    first = request.form.get("first", "")
    later = request.form.get("later", "")
    try:
        services.map_question(db.session(), found, wave_id, first, later)
    except services.WaveProblem as problem:
        if problem.code == "wave":
            abort(404)
        return _study_page(found, problem_message(problem.code), 422)
    _audit("map_study_question", found, f"{first} -> {later or '-'}")
    db.commit()
    return redirect(url_for("waves.study", study_id=found.id) + "#questions")


@bp.post("/<int:study_id>/waves/<int:wave_id>/choices")
@require_research
def map_choice(study_id: int, wave_id: int):
    found = _study_or_404(study_id)
    question = request.form.get("question", "")
    value = request.form.get("value", "").strip()
    choice = request.form.get("choice", "").strip()
    try:
        services.map_choice(db.session(), found, wave_id, question, value, choice)
    except services.WaveProblem as problem:
        if problem.code == "wave":
            abort(404)
        return _study_page(found, problem_message(problem.code), 422)
    _audit("map_study_choice", found, f"{question}: {value} -> {choice or '-'}")
    db.commit()
    return redirect(url_for("waves.study", study_id=found.id) + "#choices")
