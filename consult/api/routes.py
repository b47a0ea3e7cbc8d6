"""The JSON API under ``/api/v1``: open surveys, their questions, submissions, withdrawal.

No cookies and no sessions: the API is exempt from CSRF and never sets a
cookie. Errors are JSON (``consult.api.errors``), worded in the request's
language: the body's ``language``, else ``?lang=``, else Accept-Language.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _

from consult import csrf, db
from consult.api import openapi
from consult.api.errors import ApiError, api_language, ensure_api_language
from consult.api.schemas import (
    Submission,
    describe_survey,
    parse_json,
    read_reference,
    read_submission,
    survey_summary,
)
from consult.extensions import limiter
from consult.i18n import normalise_code, use_language
from consult.models import SurveyStatus
from consult.survey import records
from consult.survey.messages import problem_message
from consult.survey.offered import offered_for
from consult.survey.records import SurveyRecord
from consult.survey.submission import (
    find_stored,
    prepare_response,
    store_prepared,
    withdraw_response,
)
from consult.survey.withdraw import RATE_LIMIT_SCOPE, withdraw_limit
from forms.flow import validate_submission

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def submission_limit() -> str:
    """The submission rate limit from the configuration."""
    return current_app.config.get("RATELIMIT_SUBMISSIONS", "120 per minute")


@bp.before_request
def _language() -> None:
    ensure_api_language()


def _survey_languages(survey: SurveyRecord) -> tuple[str, ...]:
    """Languages offered to respondents (coverage threshold, or allowed by a researcher)."""
    return tuple(offered_for(survey))


def _wording_language(survey: SurveyRecord) -> str:
    """``?lang=`` or Accept-Language among the survey's languages, else its default."""
    return api_language(_survey_languages(survey)) or survey.default_language


def _match_language(value: str, offered: tuple[str, ...]) -> str | None:
    return normalise_code(value, offered) or normalise_code(value.split("-")[0], offered)


def _found_survey(slug: str) -> SurveyRecord:
    """The survey with this slug unless it is unknown, a draft or has no version (404)."""
    return _refuse_unknown(records.survey_by_slug(db.connection(), slug))


def _refuse_unknown(survey: SurveyRecord | None) -> SurveyRecord:
    if survey is None or survey.status == SurveyStatus.DRAFT or survey.current_version_id is None:
        raise ApiError(404, "unknown_survey", _("There is no survey with this name."))
    return survey


@bp.get("/surveys")
def list_surveys():
    surveys = records.open_surveys(db.connection())
    return jsonify([survey_summary(survey, _wording_language(survey)) for survey in surveys])


@bp.get("/surveys/<slug>")
def describe(slug: str):
    survey = _found_survey(slug)
    language = _wording_language(survey)
    use_language(language, remember=False)
    return jsonify(describe_survey(survey, language))


@bp.post("/surveys/<slug>/responses")
@limiter.limit(submission_limit, methods=["POST"])
@db.one_statement_writes
def submit(slug: str):
    # Reads, then the write: on PostgreSQL one statement in autocommit; on SQLite one
    # transaction, committed here.
    connection = db.connection()
    survey, codebook_version = records.survey_for_submission(connection, slug)
    survey = _refuse_unknown(survey)
    submission = read_submission(parse_json(request.get_data(cache=False)))
    language = _submission_language(survey, submission)
    use_language(language, remember=False)
    definition = survey.definition
    answers, refusal = _checked(survey, submission, definition, language)
    if refusal is not None:
        # A retry of a submission stored before the survey closed or changed still
        # gets its reference back.
        existing = find_stored(connection, submission.instance_id)
        if existing is not None:
            return _already_stored(survey, existing, submission)
        raise refusal
    prepared = prepare_response(
        connection,
        survey,
        survey.current_version_id,
        submission.instance_id,
        language,
        answers,
        channel="api",
        codebook_version=codebook_version,
    )
    with db.writing():
        response, created = store_prepared(connection, prepared)
        if not created:
            return _already_stored(survey, response, submission)
        connection.commit()
    body = {
        "reference": response.reference,
        "instance_id": submission.instance_id,
        "status": "created",
    }
    return jsonify(body), 201


def _checked(survey: SurveyRecord, submission: Submission, definition, language: str):
    """``(answers, None)`` to store, or ``(None, error)``: why they cannot be stored."""
    if survey.status != SurveyStatus.OPEN:
        closed = _("This survey is closed: it takes no more answers.")
        return None, ApiError(409, "survey_closed", closed)
    if submission.version is not None and submission.version != survey.version_number:
        number = survey.version_number
        message = _(
            "These answers are for version %(sent)s of the survey; it is now at version "
            "%(current)s. Fetch the survey again and check the answers.",
            sent=submission.version,
            current=number,
        )
        return None, ApiError(409, "outdated_version", message, current_version=number)
    answers, problems = validate_submission(definition, submission.answers, strict_relevance=True)
    if problems:
        return None, _invalid_answers(definition, problems, language)
    return answers, None


def _submission_language(survey: SurveyRecord, submission: Submission) -> str:
    """The body's ``language`` (400 when the survey does not offer it), else negotiated."""
    offered = _survey_languages(survey)
    if submission.language is None:
        return _wording_language(survey)
    chosen = _match_language(submission.language, offered)
    if chosen is None:
        message = _(
            "This survey is not available in that language. Use one of: %(languages)s.",
            languages=", ".join(offered),
        )
        raise ApiError(400, "unknown_language", message, {"language": message})
    return chosen


def _already_stored(survey: SurveyRecord, existing, submission: Submission):
    """The same instance id again: the stored reference, nothing new stored (200)."""
    if existing.survey_id != survey.id:
        message = _("This instance_id was already used for a response to another survey.")
        raise ApiError(409, "instance_id_conflict", message, {"instance_id": message})
    body = {
        "reference": existing.reference,
        "instance_id": submission.instance_id,
        "status": "duplicate",
    }
    return jsonify(body), 200


def _invalid_answers(definition, problems, language: str) -> ApiError:
    """422 with one message per question in ``language`` (the form's own words first)."""
    by_name = definition.questions_by_name()
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    for problem in problems:
        if problem.question in errors:
            continue
        question = by_name.get(problem.question) or by_name.get(problem.question.split(".")[-1])
        errors[problem.question] = problem_message(
            question, problem.code, language, definition.default_language
        )
        codes[problem.question] = problem.code
    message = _("Some answers need attention: see the errors for each question.")
    return ApiError(422, "invalid_answers", message, errors, codes=codes)


@bp.post("/responses/withdraw")
@limiter.shared_limit(withdraw_limit, scope=RATE_LIMIT_SCOPE, methods=["POST"])
def withdraw():
    reference = read_reference(parse_json(request.get_data(cache=False)))
    connection = db.connection()
    withdrawn = withdraw_response(connection, reference)
    if withdrawn is None:
        message = _(
            "We could not find a response with that reference code. Check the code and try again."
        )
        raise ApiError(404, "unknown_reference", message, {"reference": message})
    body = {"reference": withdrawn, "status": "withdrawn"}
    connection.commit()
    return jsonify(body), 200


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())
