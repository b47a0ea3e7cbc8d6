"""The newcomer's path: pick a survey and language, consent, answer page by page, submit."""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
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
from consult.models import utcnow
from consult.public_contact import public_contact
from consult.survey import drafts, fragments, records, respondent, submission
from consult.survey.forms import ResumeForm
from consult.survey.language import survey_language
from consult.survey.offered import offered_for
from consult.survey.page_state import PageState, check_open, open_survey_and_draft, page_state
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
def index():
    surveys = records.open_surveys(db.connection())
    return render_template("index.html", surveys=surveys, title_of=title_wording)


@bp.route("/s/<slug>/")
def consent(slug: str):
    connection = db.connection()
    survey, draft = open_survey_and_draft(connection, slug)
    language = survey_language(survey, draft)
    use_language(language)
    partnership = records.public_contact_of(connection, survey.partnership_id)
    return render_template(
        "survey/consent.html",
        survey=survey,
        language=language,
        title=title_in(survey),
        offered=offered_for(survey),
        sent=_sent(slug),
        contact=public_contact(partnership, language),
    )


def _sent(slug: str) -> str | None:
    """The reference of the response this browser sent to this survey, if it did
    (and not longer ago than :data:`respondent.FINISHED_MINUTES`)."""
    return respondent.finished_reference(slug)


@bp.route("/s/<slug>/consent", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_START"], methods=["POST"])
def give_consent(slug: str):
    connection = db.connection()
    survey = records.survey_by_slug(connection, slug)
    check_open(survey)
    language = survey_language(survey, None)
    use_language(language)
    if request.form.get("consent") != "yes":
        return render_template("survey/declined.html", survey=survey)
    with db.writing():
        days = current_app.config["DRAFT_DAYS"]
        token = drafts.start_draft(connection, survey, language, days)
        connection.commit()
    respondent.remember_draft(survey.slug, token)
    return redirect(url_for("survey.page", slug=slug, number=1))


@bp.route("/s/<slug>/p/<int:number>", methods=["GET", "POST"])
def page(slug: str, number: int):
    # GET and POST read the same records in one statement on the request's connection
    # (a GET's in autocommit: no transaction); a POST writes once and commits once.
    connection = db.connection()
    state = page_state(connection, slug, number)
    if state is None:
        if _sent(slug):  # Back after submitting: the answers are already in
            return redirect(url_for("survey.done", slug=slug, again=1))
        return redirect(url_for("survey.consent", slug=slug))
    if request.method == "GET":
        if state.language_changed:
            with db.writing():
                drafts.save_language(connection, state.draft)
                connection.commit()
        return _render_page(state, None, [])
    return _answer_page(connection, state)


def _answer_page(connection, state: PageState):
    """A page posted: its answers read, then kept in the draft, or submitted."""
    slug, number, draft = state.survey.slug, state.number, state.draft
    shown = set(request.form.get("_shown", "").split())
    reading = read_page(
        state.current,
        request.form.to_dict(flat=False),
        draft.answers,
        shown=shown,
        survey=state.definition,
    )
    action = request.form.get("action", "next")
    answers = {**draft.answers, **reading.values}
    if action.startswith(("add:", "remove:")):
        repeats = {e.name for e in state.current.elements if isinstance(e, Repeat)}
        answers = drafts.with_entries_changed(answers, action, repeats)
    state = replace(state, draft=replace(draft, answers=answers, page=number))
    new_pages = visible_pages(state.definition, answers)
    moving_on = action not in ("back", "save") and not action.startswith(("add:", "remove:"))
    if moving_on and not (reading.problems or reading.revealed) and number >= len(new_pages):
        return _submit(connection, replace(state, pages=new_pages))
    _save(connection, state.draft)
    if action == "back":
        return redirect(url_for("survey.page", slug=slug, number=max(1, number - 1)))
    if action == "save":
        return redirect(url_for("survey.saved", slug=slug))
    if action.startswith(("add:", "remove:")):
        return redirect(url_for("survey.page", slug=slug, number=number))
    if reading.problems or reading.revealed:
        return _render_page(state, request.form, reading.problems, revealed=reading.revealed)
    return redirect(url_for("survey.page", slug=slug, number=number + 1))


def _save(connection, draft) -> None:
    with db.writing():
        drafts.save_draft(connection, draft)
        connection.commit()


def _render_page(state: PageState, formdata, problems, revealed=()):
    context = page_context(
        state.survey,
        state.definition,
        state.draft,
        state.pages,
        state.number,
        formdata,
        problems,
        revealed,
    )
    key = fresh_page_key(context)
    if key is None:
        return render_template("survey/page.html", **context)
    return fragments.page(
        state.definition, key, lambda: render_template("survey/page.html", **context)
    )


def _submit(connection, state: PageState):
    """The last page posted: every answer checked again, then stored as a response
    and the draft deleted, in one transaction; or the first page with a problem."""
    survey, draft, definition = state.survey, state.draft, state.definition
    answers, problems = validate_submission(definition, draft.answers)
    if problems:
        _save(connection, draft)
        first = _page_of(state.pages, problems[0].question.split(".")[0])
        return _render_page(replace(state, number=first), None, problems)
    answers.update(metadata_values(definition, draft.consented_at, utcnow()))
    prepared = submission.prepare_response(
        connection,
        survey,
        draft.survey_version_id,
        draft.instance_id,
        draft.language,
        answers,
        started_at=draft.consented_at,
    )
    with db.writing():
        response, _created = submission.store_prepared(connection, prepared)
        drafts.delete_draft(connection, draft)
        connection.commit()
    respondent.remember_finished(survey.slug, response.reference)
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
def saved(slug: str):
    connection = db.connection()
    survey, draft = open_survey_and_draft(connection, slug)
    if draft is None:
        return redirect(url_for("survey.consent", slug=slug))
    use_language(survey_language(survey, draft))
    with db.writing():
        code = drafts.issue_resume_code(connection, draft, current_app.config["SECRET_KEY"])
        connection.commit()
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
        found = drafts.draft_by_resume_code(
            db.connection(), form.code.data, current_app.config["SECRET_KEY"]
        )
        if found is not None and found[0].is_open:
            survey, draft = found
            respondent.remember_draft(survey.slug, draft.token)
            return redirect(url_for("survey.page", slug=survey.slug, number=max(1, draft.page)))
        error = _("We could not find answers saved with that code. Check the code and try again.")
    return render_template("survey/resume.html", form=form, error=error)


@bp.route("/s/<slug>/done")
def done(slug: str):
    survey = records.survey_by_slug(db.connection(), slug)
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
