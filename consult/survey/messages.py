"""Problem codes from ``forms`` in the respondent's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms.model import Question, localized

MESSAGES = {
    "required": _l("Please answer this question."),
    "not_integer": _l("Please enter a whole number, for example 3."),
    "not_number": _l("Please enter a number, for example 2.5."),
    "not_date": _l("Please enter a date as year-month-day, for example 2024-05-31."),
    "not_time": _l("Please enter a time as hours:minutes, for example 14:30."),
    "not_datetime": _l("Please enter a date and time, for example 2024-05-31T14:30."),
    "invalid_choice": _l("Please choose one of the options shown."),
    "too_long": _l("This answer is too long. Please shorten it."),
    "not_text": _l("Please enter text."),
    "not_list": _l("Please choose from the options shown."),
    "rank_incomplete": _l("Please give every option a different place."),
    "constraint": _l("This answer is not accepted. Please check it."),
    "unknown_question": _l("This question is not part of the survey."),
    "not_relevant": _l("This question does not apply to your other answers."),
}


def problem_message(question: Question | None, code: str, language: str, default: str) -> str:
    """The words for ``code``: the form's own message when it has one, else ours."""
    if question is not None:
        own = {"required": question.required_message, "constraint": question.constraint_message}
        if own.get(code):
            words, _fallback = localized(own[code], language, default)
            if words:
                return words
    return str(MESSAGES.get(code, MESSAGES["constraint"]))
