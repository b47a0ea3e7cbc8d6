"""The survey page a respondent's request is on, read once for GET and POST alike.

A survey page's request (and the busy page shown when its POST fails) reads the
open survey and this browser's draft in one statement
(:func:`consult.survey.records.survey_and_draft`), settles the language, and
works out the pages the answers so far make visible.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import abort
from sqlalchemy import Connection

from consult.i18n import use_language
from consult.survey import records, respondent
from consult.survey.language import survey_language
from consult.survey.records import DraftRecord, SurveyRecord
from forms.flow import Page, visible_pages


@dataclass(frozen=True)
class PageState:
    """An open survey, this browser's draft of it, and the page asked for."""

    survey: SurveyRecord
    draft: DraftRecord  # in the language the page is shown in
    language_changed: bool  # the draft's stored language is another one
    pages: list[Page]  # visible with the draft's answers
    number: int  # the page asked for, within 1..len(pages)

    @property
    def definition(self):
        """The definition of the version the draft was started on."""
        return self.draft.definition

    @property
    def current(self) -> Page:
        return self.pages[self.number - 1]


def open_survey_and_draft(
    connection: Connection, slug: str
) -> tuple[SurveyRecord, DraftRecord | None]:
    """The open survey with this slug (else 404, or 409 when closed) and this
    browser's unexpired draft of it, if any."""
    survey, draft = records.survey_and_draft(connection, slug, respondent.draft_token(slug))
    check_open(survey)
    return survey, draft


def check_open(survey: SurveyRecord | None) -> None:
    """404 for no survey or one without a version, 409 for one not open."""
    if survey is None or survey.current_version_id is None:
        abort(404)
    if not survey.is_open:
        abort(409)


def page_state(connection: Connection, slug: str, number: int) -> PageState | None:
    """Page ``number`` of the open survey for this browser's draft, in the language
    it is shown in (made the request's); ``None`` when there is no draft. 404 when
    the answers leave no page visible."""
    survey, draft = open_survey_and_draft(connection, slug)
    if draft is None:
        return None
    language = survey_language(survey, draft)
    changed = language != draft.language
    if changed:
        draft = replace(draft, language=language)
    use_language(language)
    pages = visible_pages(draft.definition, draft.answers)
    if not pages:
        abort(404)
    return PageState(survey, draft, changed, pages, max(1, min(number, len(pages))))
