"""The newcomer's path: pick a survey and language, consent, answer page by page, submit."""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from consult import db
from consult.definitions import title_in, title_wording
from consult.extensions import limiter
from consult.i18n import use_language
from consult.models import SurveyStatus, utcnow
from consult.public_contact import public_contact
from consult.survey import fragments, respondent, services
from consult.survey.forms import ResumeForm
from consult.survey.language import survey_language
from consult.survey.offered import offered_for
from consult.survey.pageform import csrf_form
from consult.survey.presenter import fresh_page_key, page_context
from forms.flow import metadata_values, read_page, validate_submission, visible_pages
from forms.model import Repeat

bp = Blueprint("survey", __name__)


@bp.after_request
def _not_stored(response):
    """Survey pages hold someone's answers, resume code or reference: no browser
    keeps them, so Back after submitting asks the server, which says they were sent."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@db.autocommit_reads
def index():
    surveys = services.open_surveys(db.session())
    return render_template("index.html", surveys=surveys, title_of=title_wording)


def _open_survey(slug: str):
    survey = services.survey_by_slug(db.session(), slug)
    _check_open(survey)
    return survey


def _check_open(survey) -> None:
    if survey is None or survey.current_version_id is None:
        abort(404)
    if survey.status != SurveyStatus.OPEN:
        abort(409)


def _open_survey_and_draft(slug: str, load=None):
    """The open survey with this slug, and this browser's draft of it (or None);
    ``load(slug, token)`` reads them (default: as ORM objects, in the request's session)."""
    token = respondent.draft_token(slug)
    if load is None:
        survey, draft = services.survey_and_draft(db.session(), slug, token)
    else:
        survey, draft = load(slug, token)
    _check_open(survey)
    return survey, draft


def _draft(survey):
    return services.find_draft(db.session(), respondent.draft_token(survey.slug), survey)


@bp.route("/s/<slug>/")
@db.autocommit_reads
def consent(slug: str):
    survey = _open_survey(slug)
    language = survey_language(survey, _draft(survey))
    use_language(language)
    return render_template(
        "survey/consent.html",
        survey=survey,
        language=language,
        title=title_in(survey),
        offered=offered_for(survey),
        sent=_sent(slug),
        contact=public_contact(survey.partnership, language),
    )


def _sent(slug: str) -> str | None:
    """The reference of the response this browser sent to this survey, if it did
    (and not longer ago than :data:`respondent.FINISHED_MINUTES`)."""
    return respondent.finished_reference(slug)


@bp.route("/s/<slug>/consent", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_START"], methods=["POST"])
def give_consent(slug: str):
    survey = _open_survey(slug)
    language = survey_language(survey, None)
    use_language(language)
    form = csrf_form(request.form)
    if not form.validate():
        abort(400)
    if request.form.get("consent") != "yes":
        return render_template("survey/declined.html", survey=survey)
    with db.writing():
        days = current_app.config["DRAFT_DAYS"]
        draft = services.start_draft(db.session(), survey, language, days)
        db.commit()
    respondent.remember_draft(survey.slug, draft.token)
    return redirect(url_for("survey.page", slug=slug, number=1))


@bp.route("/s/<slug>/p/<int:number>", methods=["GET", "POST"])
def page(slug: str, number: int):
    # A GET reads plain records in one statement, on the request's read connection
    # (no ORM, no transaction): the busiest request. A POST changes the draft (ORM).
    showing = request.method == "GET"
    reads = db.read_connection() if showing else None
    load = partial(services.survey_and_draft_records, reads) if showing else None
    survey, draft = _open_survey_and_draft(slug, load)
    if draft is None:
        if _sent(slug):  # Back after submitting: the answers are already in
            return redirect(url_for("survey.done", slug=slug, again=1))
        return redirect(url_for("survey.consent", slug=slug))
    language = survey_language(survey, draft)
    if language != draft.language:
        if showing:
            draft = services.set_draft_language(reads, draft, language)
            reads.commit()
        else:
            draft.language = language
            db.commit()
    use_language(language)
    definition = services.draft_definition(draft)
    pages = visible_pages(definition, draft.answers)
    if not pages:
        abort(404)
    number = max(1, min(number, len(pages)))
    current = pages[number - 1]
    if showing:
        return _render_page(survey, definition, draft, pages, number, None, [])
    form = csrf_form(request.form)
    if not form.validate():
        abort(400)
    shown = set(request.form.get("_shown", "").split())
    reading = read_page(
        current, request.form.to_dict(flat=False), draft.answers, shown=shown, survey=definition
    )
    with db.writing():
        services.save_draft_answers(draft, reading.values, number)
        db.commit()
    if request.form.get("action") == "back":
        return redirect(url_for("survey.page", slug=slug, number=max(1, number - 1)))
    action = request.form.get("action", "next")
    if action == "save":
        return redirect(url_for("survey.saved", slug=slug))
    if action.startswith(("add:", "remove:")):
        repeats = {e.name for e in current.elements if isinstance(e, Repeat)}
        services.change_entries(draft, action, repeats)
        db.commit()
        return redirect(url_for("survey.page", slug=slug, number=number))
    if reading.problems or reading.revealed:
        return _render_page(
            survey,
            definition,
            draft,
            pages,
            number,
            request.form,
            reading.problems,
            revealed=reading.revealed,
        )
    new_pages = visible_pages(definition, draft.answers)
    if number < len(new_pages):
        return redirect(url_for("survey.page", slug=slug, number=number + 1))
    return _submit(survey, definition, draft, new_pages)


def _render_page(survey, definition, draft, pages, number, formdata, problems, revealed=()):
    context = page_context(survey, definition, draft, pages, number, formdata, problems, revealed)
    key = fresh_page_key(context)
    if key is None:
        return render_template("survey/page.html", **context)
    return fragments.page(definition, key, lambda: render_template("survey/page.html", **context))


def _submit(survey, definition, draft, pages):
    answers, problems = validate_submission(definition, draft.answers)
    if problems:
        first = _page_of(pages, problems[0].question.split(".")[0])
        return _render_page(survey, definition, draft, pages, first, None, problems)
    answers.update(metadata_values(definition, draft.consented_at, utcnow()))
    prepared = services.prepare_response(
        db.session(),
        survey,
        draft.survey_version_id,
        draft.instance_id,
        draft.language,
        answers,
        started_at=draft.consented_at,
    )
    with db.writing():
        response, _created = services.store_prepared(db.session(), prepared)
        reference = response.reference
        db.session().delete(draft)
        db.commit()
    respondent.remember_finished(survey.slug, reference)
    return redirect(url_for("survey.done", slug=survey.slug))


def _page_of(pages, question_name: str) -> int:
    for index, candidate in enumerate(pages, start=1):
        names = {q.name for q in _questions_in(candidate.elements)}
        if question_name in names:
            return index
    return len(pages)


def _questions_in(elements):
    for element in elements:
        if hasattr(element, "children"):
            yield from _questions_in(element.children)
        else:
            yield element


@bp.route("/s/<slug>/saved")
@db.autocommit_reads
def saved(slug: str):
    survey = _open_survey(slug)
    draft = _draft(survey)
    if draft is None:
        return redirect(url_for("survey.consent", slug=slug))
    use_language(survey_language(survey, draft))
    code = services.issue_resume_code(draft, current_app.config["SECRET_KEY"])
    db.commit()
    return render_template(
        "survey/saved.html",
        survey=survey,
        code=code,
        draft=draft,
        days=current_app.config["DRAFT_DAYS"],
        title=title_in(survey),
    )


@bp.route("/resume", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RESUME"], methods=["POST"])
def resume():
    form = ResumeForm()
    error = None
    if form.validate_on_submit():
        draft = services.draft_by_resume_code(
            db.session(), form.code.data, current_app.config["SECRET_KEY"]
        )
        if draft is not None and draft.survey.status == SurveyStatus.OPEN:
            respondent.remember_draft(draft.survey.slug, draft.token)
            target = max(1, draft.page)
            return redirect(url_for("survey.page", slug=draft.survey.slug, number=target))
        error = _("We could not find answers saved with that code. Check the code and try again.")
    return render_template("survey/resume.html", form=form, error=error)


@bp.route("/s/<slug>/done")
@db.autocommit_reads
def done(slug: str):
    survey = services.survey_by_slug(db.session(), slug)
    reference = respondent.finished_reference(slug)
    if survey is None or reference is None:
        return redirect(url_for("survey.index"))
    use_language(survey_language(survey, None))
    return render_template(
        "survey/done.html",
        survey=survey,
        reference=reference,
        again=request.args.get("again") == "1",
    )


@bp.route("/done", methods=["POST"])
def finish():
    """ "Done": nothing of this respondent stays in the browser for the next person."""
    respondent.forget_respondent()
    return redirect(url_for("survey.index"))
