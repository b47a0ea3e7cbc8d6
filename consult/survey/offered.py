"""Which of a survey's languages respondents are offered.

A language is offered when enough of the survey's wording exists in it
(``LANGUAGE_COVERAGE_THRESHOLD`` percent, default 90) or when a researcher
allowed it anyway (``Survey.languages_allowed``). The default language is
always offered. A string missing in an offered language falls back to the
default language and is marked as not yet translated.
"""

from __future__ import annotations

from threading import Lock

from flask import current_app

from forms.coverage import LanguageCoverage, translation_coverage
from forms.model import Survey as SurveyDefinition

_cache: dict[int, tuple[SurveyDefinition, dict[str, LanguageCoverage]]] = {}
# Offered languages by (definition, languages allowed, threshold); each entry keeps
# its definition, so a reused id() of a dropped definition cannot match.
_offered: dict[tuple, tuple[SurveyDefinition, list[str]]] = {}
_lock = Lock()
_MAX_ENTRIES = 256


def coverage_of(definition: SurveyDefinition) -> dict[str, LanguageCoverage]:
    """Translation coverage of a definition, computed once per parsed definition."""
    found = _cache.get(id(definition))
    if found is not None and found[0] is definition:
        return found[1]
    coverage = translation_coverage(definition)
    with _lock:
        if len(_cache) >= _MAX_ENTRIES:
            _cache.pop(next(iter(_cache)))
        _cache[id(definition)] = (definition, coverage)
    return coverage


def offered_languages(survey_row, definition: SurveyDefinition, threshold: float) -> list[str]:
    """Languages respondents may choose, in the survey's order.

    The default language, every language with at least ``threshold`` percent
    of the wording translated, and every language in
    ``survey_row.languages_allowed`` that the definition has.
    """
    allowed = tuple(survey_row.languages_allowed or ())
    key = (id(definition), allowed, threshold)
    found = _offered.get(key)
    if found is None or found[0] is not definition:
        found = (definition, _offered_in(definition, set(allowed), threshold))
        with _lock:
            if len(_offered) >= _MAX_ENTRIES:
                _offered.pop(next(iter(_offered)))
            _offered[key] = found
    return list(found[1])


def _offered_in(definition: SurveyDefinition, allowed: set[str], threshold: float) -> list[str]:
    coverage = coverage_of(definition)
    default = definition.default_language
    offered = [
        code
        for code in definition.languages
        if code == default or code in allowed or coverage[code].meets(threshold)
    ]
    return offered if default in offered else [default, *offered]


def threshold() -> int:
    """The configured coverage threshold, in percent."""
    return int(current_app.config.get("LANGUAGE_COVERAGE_THRESHOLD", 90))


def offered_for(survey_row) -> list[str]:
    """Languages offered for a stored survey's current version (this app's threshold)."""
    from consult.survey.services import current_definition

    if survey_row.current_version_id is None:
        return list(survey_row.languages) or [survey_row.default_language]
    return offered_languages(survey_row, current_definition(survey_row), threshold())
