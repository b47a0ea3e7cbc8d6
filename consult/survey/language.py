"""Which language a respondent answers in."""

from __future__ import annotations

from flask import request, session

from consult.i18n import normalise_code
from consult.survey.offered import offered_for


def survey_language(survey, draft=None) -> str:
    """URL choice, then the draft's, then the session's, then the browser's, then default."""
    offered = tuple(offered_for(survey))
    chosen = normalise_code(request.args.get("lang"), offered)
    if chosen:
        return chosen
    if draft is not None and draft.language in offered:
        return draft.language
    remembered = normalise_code(session.get("lang"), offered)
    if remembered:
        return remembered
    for value, _quality in request.accept_languages:
        match = normalise_code(value, offered) or normalise_code(value.split("-")[0], offered)
        if match:
            return match
    return survey.default_language
