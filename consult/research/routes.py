"""Researcher pages: surveys with counts by language, responses, one response."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult import db
from consult.auth import services as audit
from consult.auth.access import current_user, require_research, research_partnerships
from consult.definitions import definition_of, title_in
from consult.i18n import current_language, language
from consult.research import services
from consult.security import bounded_int, local_path, without_query
from consult.survey.services import response_counts_by_language
from consult.surveys import survey_for, surveys_of
from consult.workspace import choose_partnership, current_partnership_id
from forms.localize import localize

bp = Blueprint("research", __name__, url_prefix="/research")


@bp.route("/partnership", methods=["POST"])
@require_research
def switch_partnership():
    """The switcher in the staff header: work in another partnership, on the same page."""
    chosen = request.form.get("partnership", type=bounded_int)
    if chosen is None or not choose_partnership(chosen):
        abort(404)
    back = local_path(request.form.get("next")) or url_for("research.dashboard")
    return redirect(without_query(back, "partnership"))


@bp.route("/")
@require_research
def dashboard():
    partnerships = {current_partnership_id()}
    surveys = surveys_of(db.session(), partnerships)
    counts = response_counts_by_language(db.session(), partnerships)
    return render_template(
        "research/dashboard.html",
        surveys=[s for s in surveys if s.archived_at is None],
        archived=[s for s in surveys if s.archived_at is not None],
        stored={s.id: services.response_count(db.session(), s) for s in surveys},
        counts=counts,
        title_of=title_in,
        language_of=language,
        definition_of=lambda s: definition_of(s.current_version),
    )


@bp.route("/surveys/<slug>/responses")
@require_research
def responses(slug: str):
    survey = survey_for(db.session(), slug, research_partnerships())
    if survey is None:
        abort(404)
    page = request.args.get("page", 1, type=bounded_int) or 1
    rows, total = services.responses_page(db.session(), survey, max(page, 1))
    return render_template(
        "research/responses.html",
        survey=survey,
        responses=rows,
        total=total,
        page=max(page, 1),
        title=title_in(survey),
        language_of=language,
    )


@bp.route("/responses/<int:response_id>")
@require_research
def response(response_id: int):
    found = services.response_for(db.session(), response_id, research_partnerships())
    if found is None:
        abort(404)
    definition = definition_of(found.survey_version)
    by_name = definition.questions_by_name()
    code = request.args.get("lang") or definition.default_language
    rows = []
    for answer in found.answers:
        question = by_name.get(answer.question)
        shown = localize(question, code, definition.default_language) if question else None
        rows.append((answer, shown, _display_value(question, answer.value, code, definition)))
    user = current_user()
    audit.record(
        db.session(),
        "view_response",
        user_id=user.id,
        partnership_id=found.partnership_id,
        target=found.reference,
    )
    db.commit()
    return render_template(
        "research/response.html",
        response=found,
        rows=rows,
        title=title_in(found.survey),
        language_of=language,
    )


def _display_value(question, value, code, definition):
    if question is None or not question.is_select:
        return value if not isinstance(value, list) else ", ".join(map(str, value))
    labels = {
        c.name: localize(question, code, definition.default_language).choices[i].label.text
        for i, c in enumerate(question.choices)
    }
    names = value if isinstance(value, list) else [value]
    return ", ".join(f"{labels.get(n, n)} ({n})" for n in names)


@bp.route("/surveys/<slug>/live")
@require_research
def live(slug: str):
    from analysis.charts import counts_chart
    from consult.charts import inline_svg

    survey = survey_for(db.session(), slug, research_partnerships())
    if survey is None:
        abort(404)
    per_day = services.responses_per_day(db.session(), survey)
    unfinished, stops = services.where_people_stop(db.session(), survey)
    by_language = response_counts_by_language(db.session(), {survey.partnership_id}).get(
        survey.id, {}
    )
    finished = sum(by_language.values())
    started = finished + unfinished
    image = None
    if per_day:
        _chart, image = inline_svg(
            lambda: counts_chart(
                "per-day",
                [d for d, _ in per_day],
                [n for _, n in per_day],
                {"count_axis": _("Responses")},
                _("Bar chart of responses per day."),
            ),
            current_language().code,
        )
    by_language = sorted(by_language.items(), key=lambda item: -item[1])
    language_image = None
    if by_language:
        _chart, language_image = inline_svg(
            lambda: counts_chart(
                "by-language",
                [language(code).own_name for code, _n in by_language],
                [n for _code, n in by_language],
                {"count_axis": _("Responses")},
                _("Bar chart of responses by language."),
            ),
            current_language().code,
        )
    return render_template(
        "research/live.html",
        survey=survey,
        title=title_in(survey),
        per_day=per_day,
        by_language=by_language,
        language_image=language_image,
        finished=finished,
        started=started,
        stops=stops,
        image=image,
        language_of=language,
    )
