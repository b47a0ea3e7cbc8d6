"""The researchers' review queue: confirm, reject or add codes; translate units."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.coding import queries, services
from consult.coding.forms import DecisionForm, TranslationForm
from consult.coding.presenter import evidence_spans, highlight
from consult.definitions import definition_of, title_in
from consult.i18n import current_language, language
from consult.security import bounded_int
from consult.surveys import survey_for

bp = Blueprint("coding", __name__, url_prefix="/research/coding")


def _codebooks(partnership_ids):
    return {pid: services.current_codebook(db.session(), pid) for pid in partnership_ids}


@bp.route("/")
@require_research
def queue():
    partnerships = research_partnerships()
    wanted = queries.QueueFilter(
        theme=request.args.get("theme", "")[:60],
        status=request.args.get("status", "unreviewed"),
        language=request.args.get("language", "")[:20],
        page=request.args.get("page", 1, type=bounded_int) or 1,
    )
    units, total = queries.review_queue(db.session(), partnerships, wanted)
    codebooks = _codebooks(partnerships)
    first = codebooks[min(codebooks)]
    lang = current_language().code
    return render_template(
        "coding/queue.html",
        units=[_unit_view(u, codebooks[u.partnership_id], lang) for u in units],
        total=total,
        wanted=wanted,
        themes=[(t.key, t.label(lang)) for t in first.themes],
        per_page=queries.PER_PAGE,
        form=DecisionForm(),
        language_of=language,
    )


def _unit_view(unit, codebook, lang):
    decided = {d.theme: d.present for d in unit.decisions}
    auto = {c.theme for c in unit.auto_codes}
    themes = []
    for key in dict.fromkeys([*[c.theme for c in unit.auto_codes], *decided]):
        label = codebook.theme(key).label(lang) if key in codebook else key
        themes.append(
            {"key": key, "label": label, "auto": key in auto, "decision": decided.get(key)}
        )
    return {
        "unit": unit,
        "text": highlight(unit.text, evidence_spans(unit, in_translation=False)),
        "translation": highlight(unit.translation, evidence_spans(unit, in_translation=True))
        if unit.translation
        else None,
        "themes": themes,
        "effective": services.effective_themes(unit),
    }


def _safe_back(target: str | None) -> str:
    if target and target.startswith("/") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("coding.queue")


@bp.route("/units/<int:unit_id>/decide", methods=["POST"])
@require_research
def decide(unit_id: int):
    unit = queries.unit_for(db.session(), unit_id, research_partnerships())
    if unit is None:
        abort(404)
    form = DecisionForm()
    codebook = services.current_codebook(db.session(), unit.partnership_id)
    if not form.validate_on_submit() or form.theme.data not in codebook:
        abort(400)
    if form.decision.data == "clear":
        services.clear_decision(db.session(), unit, form.theme.data)
    elif form.decision.data in {"yes", "no"}:
        present = form.decision.data == "yes"
        services.decide(db.session(), unit, form.theme.data, present, current_user().id)
    else:
        abort(400)
    db.commit()
    return redirect(_safe_back(form.next.data) + f"#unit-{unit.id}")


@bp.route("/units/<int:unit_id>/translation", methods=["GET", "POST"])
@require_research
def translation(unit_id: int):
    unit = queries.unit_for(db.session(), unit_id, research_partnerships())
    if unit is None:
        abort(404)
    form = TranslationForm(obj=None)
    if request.method == "GET":
        form.text.data = unit.translation or ""
        form.language.data = unit.translation_language or "en"
    elif form.validate_on_submit():
        services.set_translation(db.session(), unit, form.text.data or "", form.language.data)
        db.commit()
        return redirect(url_for("coding.queue", status="all") + f"#unit-{unit.id}")
    return render_template(
        "coding/translation.html",
        unit=unit,
        form=form,
        message=_("Translation"),
        language_of=language,
    )


@bp.route("/summary/<slug>")
@require_research
def summary(slug: str):
    from consult.coding.summary import Scope, summarise

    survey = survey_for(db.session(), slug, research_partnerships())
    if survey is None:
        abort(404)
    definition = definition_of(survey.current_version)
    breakdowns = tuple(q.name for q in definition.breakdown_questions())
    codebook = services.current_codebook(db.session(), survey.partnership_id)
    result = summarise(
        db.session(), Scope(survey.partnership_id, (survey.id,)), breakdowns, codebook.keys
    )
    lang = current_language().code
    return render_template(
        "coding/summary.html",
        survey=survey,
        title=title_in(survey),
        result=result,
        theme_label=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
        group_label=_group_labeller(definition, lang),
        question_label=lambda name: _question_label(definition, name, lang),
        threshold=current_app.config["SUPPRESSION_THRESHOLD"],
    )


def _question_label(definition, name, lang):
    from forms.model import localized

    try:
        question = definition.question(name)
    except KeyError:
        return name
    return localized(question.label, lang, definition.default_language)[0] or name


def _group_labeller(definition, lang):
    from analysis.aggregate import NOT_STATED
    from forms.model import localized

    labels = {}
    for question in definition.breakdown_questions():
        for choice in question.choices:
            text = localized(choice.label, lang, definition.default_language)[0]
            labels[(question.name, choice.name)] = text

    def label(attribute, group):
        if group == NOT_STATED:
            return _("Not stated")
        if attribute == "language":
            return language(group).own_name
        if attribute == "source":
            return _("Survey") if group == "survey" else _("Focus groups")
        return labels.get((attribute, group), group)

    return label
