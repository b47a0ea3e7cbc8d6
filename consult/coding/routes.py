"""The researchers' review queue: confirm, reject or add codes; translate units."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from analysis.sentiment import NEGATIVE, NEUTRAL, POSITIVE, sentiment_label
from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.coding import background, learning, queries, review, services, summary_view
from consult.coding.forms import BulkForm, DecisionForm, PassageForm, TranslationForm, UndoForm
from consult.coding.presenter import evidence_spans, highlight
from consult.definitions import definition_of, title_in
from consult.group_labels import group_labeller
from consult.i18n import current_language, language
from consult.security import bounded_int, local_path, without_query
from consult.surveys import survey_for
from consult.workspace import current_partnership_id

bp = Blueprint("coding", __name__, url_prefix="/research/coding")


def _wanted(args, default_order: str = "oldest") -> queries.QueueFilter:
    status = args.get("status", "unreviewed")
    order = args.get("order", default_order)
    return queries.QueueFilter(
        theme=args.get("theme", "")[:60],
        status=status if status in queries.STATUSES else "unreviewed",
        language=args.get("language", "")[:20],
        page=args.get("page", 1, type=bounded_int) or 1,
        order=order if order in queries.ORDERS else default_order,
    )


def _default_order(pid: int) -> str:
    """Least certain first once the partnership has a learned model, else oldest first."""
    training = learning.latest_training(db.session(), pid)
    return "uncertain" if learning.has_model(training) else "oldest"


@bp.route("/")
@require_research
def queue():
    pid = current_partnership_id()
    wanted = _wanted(request.args, _default_order(pid))
    units, total = queries.review_queue(db.session(), {pid}, wanted)
    similar = queries.similar_texts(db.session(), pid, units)
    codebook = services.current_codebook(db.session(), pid)
    lang = current_language().code
    done = request.args.get("done", type=bounded_int)
    return render_template(
        "coding/queue.html",
        units=[_unit_view(u, codebook, lang, similar) for u in units],
        total=total,
        wanted=wanted,
        pages=max(1, -(-total // queries.PER_PAGE)),
        themes=[(t.key, t.label(lang)) for t in codebook.themes],
        theme_label=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
        progress=queries.progress(db.session(), pid, wanted.theme),
        waiting=learning.waiting_count(db.session(), pid),
        retraining=background.retrain_pending(pid),
        bulk=review.find(db.session(), done, {pid}) if done else None,
        undone=request.args.get("undone", type=bounded_int),
        per_page=queries.PER_PAGE,
        sentiment_word=sentiment_word,
        form=DecisionForm(),
        language_of=language,
    )


def sentiment_word(polarity: float) -> str:
    """A polarity in words (the number is shown beside it)."""
    return {
        NEGATIVE: _("rather negative"),
        NEUTRAL: _("neutral"),
        POSITIVE: _("rather positive"),
    }[sentiment_label(polarity)]


def _unit_view(unit, codebook, lang, similar=None):
    decided = {d.theme: d.present for d in unit.decisions}
    auto = {c.theme: c for c in unit.auto_codes}
    themes = []
    for key in dict.fromkeys([*[c.theme for c in unit.auto_codes], *decided]):
        label = codebook.theme(key).label(lang) if key in codebook else key
        code = auto.get(key)
        themes.append(
            {
                "key": key,
                "label": label,
                "auto": code is not None,
                "decision": decided.get(key),
                # found by the learned model, not by words: its evidence is the nearest
                # reviewed answers (never the unit itself)
                "by_model": code is not None and not code.evidence,
                "similar": [
                    (similar or {})[i]
                    for i in (code.similar or () if code is not None else ())
                    if i != f"unit-{unit.id}" and i in (similar or {})
                ],
            }
        )
    return {
        "unit": unit,
        "text": highlight(unit.text, evidence_spans(unit, in_translation=False)),
        "translation": highlight(unit.translation, evidence_spans(unit, in_translation=True))
        if unit.translation
        else None,
        "themes": themes,
        "undecided": {t["key"] for t in themes if t["auto"] and t["decision"] is None},
        "effective": services.effective_themes(unit),
    }


def _back(target: str | None) -> str:
    return local_path(target) or url_for("coding.queue")


def _anchor(unit_id: int, then: int | None, back: str) -> str:
    """Where the page opens after a decision on ``unit_id``: that unit while the queue
    still lists it, else the one that followed it (the place is kept either way)."""
    wanted = _wanted(MultiDict(parse_qsl(urlsplit(back).query)))
    if queries.is_listed(db.session(), unit_id, {current_partnership_id()}, wanted):
        return f"#unit-{unit_id}"
    return f"#unit-{then}" if then else "#queue-end"


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
    background.retrain_soon(unit.partnership_id)
    back = _back(form.next.data)
    return redirect(back + _anchor(unit.id, form.then.data, back))


@bp.route("/units/<int:unit_id>/passage", methods=["GET", "POST"])
@require_research
def passage(unit_id: int):
    """Code a passage of a text with a theme: the researcher's selection (its offsets) or a
    passage they typed, which must be part of the text; it counts as adding the theme."""
    unit = queries.unit_for(db.session(), unit_id, research_partnerships())
    if unit is None:
        abort(404)
    codebook = services.current_codebook(db.session(), unit.partnership_id)
    form, error = PassageForm(), None
    if request.method == "POST":
        valid = form.validate_on_submit()
        # A forged token or theme is refused; a passage too long or odd offsets are the
        # researcher's input, answered with the message below and the words kept.
        if form.theme.data not in codebook or (
            not valid and set(form.errors) - {"passage", "start", "end"}
        ):
            abort(400)
        typed = form.passage.data or ""
        offsets = (form.start.data, form.end.data) if valid else (None, None)
        span = (
            None
            if "passage" in form.errors
            else services.locate_passage(unit.text, typed, *offsets)
        )
        if span is not None:
            services.code_passage(db.session(), unit, form.theme.data, span, current_user().id)
            db.commit()
            background.retrain_soon(unit.partnership_id)
            back = _back(form.next.data)
            return redirect(back + _anchor(unit.id, form.then.data, back))
        if typed.strip():
            error = _("This passage is not in the text: copy it exactly as it is written.")
        else:
            error = _("Select or type the passage to code.")
    lang = current_language().code
    return render_template(
        "coding/passage.html",
        unit=unit,
        text=highlight(unit.text, evidence_spans(unit, in_translation=False)),
        form=form,
        error=error,
        themes=[(t.key, t.label(lang)) for t in codebook.themes],
        back=_back(form.next.data) if request.method == "POST" else url_for("coding.queue"),
    ), (422 if error else 200)


@bp.route("/bulk", methods=["POST"])
@require_research
def bulk():
    """Confirm or reject one theme on the ticked units of the page (where the coder found
    it and nobody has decided it yet)."""
    pid = current_partnership_id()
    form = BulkForm()
    codebook = services.current_codebook(db.session(), pid)
    if not form.validate_on_submit() or form.theme.data not in codebook:
        abort(400)
    ids = [i for i in request.form.getlist("unit", type=bounded_int) if i][: queries.PER_PAGE]
    made = review.apply(
        db.session(), pid, ids, form.theme.data, form.decision.data == "yes", current_user().id
    )
    db.commit()
    background.retrain_soon(pid)
    back = without_query(_back(form.next.data), "done", "undone")
    joiner = "&" if "?" in back else "?"
    return redirect(f"{back}{joiner}done={made.event_id}#review-notice")


@bp.route("/bulk/<int:event_id>/undo", methods=["POST"])
@require_research
def undo_bulk(event_id: int):
    """Take back a bulk review (of one's partnership)."""
    form = UndoForm()
    found = review.find(db.session(), event_id, research_partnerships())
    if found is None:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    count = review.undo(db.session(), found, current_user().id)
    db.commit()
    background.retrain_soon(found.partnership_id)
    back = without_query(_back(form.next.data), "done", "undone")
    joiner = "&" if "?" in back else "?"
    return redirect(f"{back}{joiner}undone={count}#review-notice")


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
    labels = SimpleNamespace(
        theme=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
        group=group_labeller([definition], lang, own_language_names=True),
        question=lambda name: _question_label(definition, name, lang),
    )
    order = summary_view.Order.of(request.args)
    themes = summary_view.theme_order(result, order, labels.theme)
    rank = {key: i for i, key in enumerate(themes)}
    tables = [
        (
            f"by-{i}",
            table,
            _("Respondents raising each theme, by %(question)s", question=labels.question(name)),
        )
        for i, (name, table) in enumerate(result.breakdowns.items(), start=1)
    ]
    tables += [
        ("by-language", result.by_language, _("Respondents raising each theme, by language")),
        ("by-source", result.by_source, _("Survey and focus groups side by side")),
    ]
    return render_template(
        "coding/summary.html",
        survey=survey,
        title=title_in(survey),
        result=result,
        theme_label=labels.theme,
        group_label=labels.group,
        threshold=current_app.config["SUPPRESSION_THRESHOLD"],
        order=order,
        ranked=lambda keys: sorted(keys, key=lambda k: rank.get(k, len(rank))),
        sentiment=sorted(result.sentiment, key=lambda r: rank.get(r.theme, len(rank))),
        prevalence=sorted(result.prevalence, key=lambda r: rank.get(r.theme, len(rank))),
        caption=summary_view.caption(order, _summary_columns()),
        prevalence_chart=summary_view.prevalence_chart(result, themes, labels.theme, lang),
        tables=[
            (id_, table, text, summary_view.breakdown_chart(table, themes, id_, text, labels, lang))
            for id_, table, text in tables
        ],
        waiting=learning.waiting_count(db.session(), survey.partnership_id),
    )


def _summary_columns() -> dict[str, str]:
    return {"theme": _("Theme"), "units": _("Texts"), "respondents": _("Respondents")}


def _question_label(definition, name, lang):
    from forms.model import localized

    try:
        question = definition.question(name)
    except KeyError:
        return name
    return localized(question.label, lang, definition.default_language)[0] or name
