"""What the API sends and accepts: survey descriptions and submissions.

Descriptions carry the wording in one language (falling back to the
survey's default, marked ``fallback``); submissions are checked for their
shape here and for their answers by ``forms.flow.validate_submission``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _

from consult.api.errors import ApiError
from consult.definitions import title_in
from consult.survey.offered import offered_for
from consult.survey.records import SurveyRecord
from forms.localize import LocalizedQuestion, localize
from forms.model import COMPUTED_TYPES, METADATA_TYPES, Element, Group, Question, Repeat

MAX_INSTANCE_ID_LENGTH = 64
"""Longest instance id accepted, as sent (the stored form is a canonical UUID)."""

_HIDDEN_TYPES = COMPUTED_TYPES | METADATA_TYPES
"""Fields respondents never see (calculations, metadata): not described."""


def survey_summary(survey: SurveyRecord, language: str) -> dict[str, object]:
    """One open survey in the list: slug, title (in ``language``) and languages."""
    return {
        "slug": survey.slug,
        "title": title_in(survey, language),
        "languages": offered_for(survey),
        "default_language": survey.default_language,
        "version": survey.version_number,
    }


def describe_survey(survey: SurveyRecord, language: str) -> dict[str, object]:
    """The survey's questions with their wording in ``language`` (fallbacks marked)."""
    definition = survey.definition
    return {
        "slug": survey.slug,
        "version": survey.version_number,
        "form_version": survey.form_version,
        "status": survey.status.value,
        "languages": offered_for(survey),
        "default_language": survey.default_language,
        "language": language,
        "title": title_in(survey, language),
        "questions": _describe_all(definition.children, language, definition.default_language),
    }


def _describe_all(elements, language: str, fallback: str) -> list[dict[str, object]]:
    described = []
    for element in elements:
        if isinstance(element, Question) and element.type in _HIDDEN_TYPES:
            continue
        described.append(_describe(element, localize(element, language, fallback)))
    return described


def _describe(element: Element, words: LocalizedQuestion) -> dict[str, object]:
    children: list[dict[str, object]] = []
    if isinstance(element, Group | Repeat):
        for child, child_words in zip(element.children, words.children, strict=True):
            if isinstance(child, Question) and child.type in _HIDDEN_TYPES:
                continue
            children.append(_describe(child, child_words))
    return {
        "name": words.name,
        "type": words.type,
        "label": words.label.text,
        "hint": words.hint.text,
        "required": words.required,
        "relevant": element.relevant or None,
        "fallback": words.label.is_fallback or words.hint.is_fallback,
        "choices": [{"name": c.name, "label": c.label.text} for c in words.choices],
        "children": children,
    }


@dataclass(frozen=True, slots=True)
class Submission:
    """A response as posted: its envelope checked, its answers not yet."""

    instance_id: str
    answers: dict[str, object]
    language: str | None
    version: int | None


def parse_json(raw: bytes) -> object:
    """The JSON value of a request body; a 400 :class:`ApiError` when it is not JSON."""
    if not raw.strip():
        raise ApiError(400, "malformed_json", _("The request body is empty. Send a JSON object."))
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        message = _("The request body is not valid JSON.")
        raise ApiError(400, "malformed_json", message) from error


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def canonical_instance_id(value: object) -> str | None:
    """The canonical form of a UUID (``uuid:`` and ``urn:uuid:`` prefixes allowed)."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_INSTANCE_ID_LENGTH:
        return None
    try:
        return str(uuid.UUID(value.strip().lower()))
    except ValueError:
        return None


def read_submission(body: object) -> Submission:
    """The submission in ``body``; a 400 :class:`ApiError` naming every field that is wrong."""
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", _("The request body must be a JSON object."))
    errors: dict[str, str] = {}
    instance_id = canonical_instance_id(body.get("instance_id"))
    if "instance_id" not in body:
        errors["instance_id"] = _("Send an instance_id: a UUID you create once for each response.")
    elif instance_id is None:
        errors["instance_id"] = _(
            "The instance_id must be a UUID, for example 1b4e28ba-2fa1-41d2-883f-0016d3cca427."
        )
    answers = body.get("answers")
    if not isinstance(answers, dict):
        errors["answers"] = _("The answers must be a JSON object keyed by question name.")
    language = body.get("language")
    if language is not None and not isinstance(language, str):
        errors["language"] = _('The language must be a language code such as "ar".')
    version = body.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        errors["version"] = _("The version must be a whole number.")
    if errors:
        message = _("The request is not valid: see the errors for each field.")
        raise ApiError(400, "invalid_request", message, errors)
    return Submission(instance_id, answers, language, version)


def read_reference(body: object) -> str:
    """The reference code of a withdrawal request, as typed."""
    reference = body.get("reference") if isinstance(body, dict) else None
    if not isinstance(reference, str) or not reference.strip():
        message = _("Send the reference code of the response, for example K7QM-3XPA.")
        raise ApiError(400, "invalid_request", message, {"reference": message})
    return reference
