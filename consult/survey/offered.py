"""Which of a survey's languages respondents are offered.

A language is offered when enough of the survey's wording exists in it
(``LANGUAGE_COVERAGE_THRESHOLD`` percent, default 90) or when a researcher
allowed it anyway (``Survey.languages_allowed``). The default language is
always offered. A string missing in an offered language falls back to the
default language and is marked as not yet translated.
"""

from __future__ import annotations

from flask import current_app

from forms.coverage import LanguageCoverage, translation_coverage
from forms.model import Survey as SurveyDefinition


def coverage_of(definition: SurveyDefinition) -> dict[str, LanguageCoverage]:
    """Translation coverage of a definition (worked out once per definition)."""
    return definition.memo("coverage", lambda: translation_coverage(definition))


def offered_languages(survey_row, definition: SurveyDefinition, threshold: float) -> list[str]:
    """Languages respondents may choose, in the survey's order.

    The default language, every language with at least ``threshold`` percent
    of the wording translated, and every language in
    ``survey_row.languages_allowed`` that the definition has.
    """
    allowed = tuple(survey_row.languages_allowed or ())
    offered = definition.memo(
        ("offered", allowed, threshold),
        lambda: tuple(_offered_in(definition, set(allowed), threshold)),
    )
    return list(offered)


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
    """Languages offered for a survey's current version (this app's threshold).
    ``survey_row``: a stored survey or its record (both hold ``definition``)."""
    definition = survey_row.definition
    if definition is None:
        return list(survey_row.languages) or [survey_row.default_language]
    return offered_languages(survey_row, definition, threshold())
