"""The export form: format, answers as codes or labels in a language, choice columns."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import InputRequired


class ExportForm(FlaskForm):
    format = RadioField(
        _l("Format"),
        default="csv",
        validators=[InputRequired(message=_l("Please choose a format."))],
    )
    labels = SelectField(
        _l("Answers to choice questions"),
        default="codes",
        validators=[InputRequired(message=_l("Please choose how to show answers."))],
    )
    choice_columns = BooleanField(
        _l("Add a 0/1 column for each option of multiple-choice questions"), default=True
    )
