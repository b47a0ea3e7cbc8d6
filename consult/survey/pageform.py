"""A Flask-WTF form built for one survey page (CSRF, field binding and errors).

Validation itself is the survey engine's (``forms.flow``), shared with the
JSON API; this module binds its results to WTForms fields for rendering.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from forms.model import Question


def _field_for(question: Question) -> Field:
    # Choices are rendered and checked by the survey engine, not by WTForms.
    choices: list = []
    if question.type == "text":
        return TextAreaField(question.name)
    if question.type == "select_one":
        if "minimal" in question.appearance.split():
            return SelectField(question.name, choices=choices, validate_choice=False)
        return RadioField(question.name, choices=choices, validate_choice=False)
    if question.type in {"select_multiple", "rank"}:
        return SelectMultipleField(question.name, choices=choices, validate_choice=False)
    if question.type == "acknowledge":
        return BooleanField(question.name, false_values=("", "false", "0"))
    return StringField(question.name)


def page_form(questions: list[Question], formdata=None, values: dict | None = None) -> FlaskForm:
    """A form with a field per question, filled from ``formdata`` or saved ``values``."""

    class PageForm(FlaskForm):
        pass

    for question in questions:
        setattr(PageForm, question.name, _field_for(question))
    data = {q.name: as_form_value(q, (values or {}).get(q.name)) for q in questions}
    if formdata is not None:
        return PageForm(formdata=formdata)
    return PageForm(formdata=None, data=data)


def as_form_value(question: Question, value: object) -> object:
    if value is None:
        return [] if question.type in {"select_multiple", "rank"} else ""
    if question.type in {"select_multiple", "rank"}:
        return list(value) if isinstance(value, list) else [value]
    if question.type == "acknowledge":
        return value == "OK"
    return str(value)
