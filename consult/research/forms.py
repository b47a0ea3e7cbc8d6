"""Forms of the researcher's survey management pages (Flask-WTF, CSRF on every one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import AnyOf, DataRequired, Length, Regexp

FORM_EXTENSIONS = ("xlsx", "xls", "csv", "md")
"""File types an XLSForm may come as."""


class ImportForm(FlaskForm):
    """Upload an XLSForm for one of the user's partnerships."""

    file = FileField(
        _l("XLSForm file (.xlsx, .xls, .csv or .md)"),
        validators=[
            FileRequired(message=_l("Choose a file to upload.")),
            FileAllowed(
                FORM_EXTENSIONS,
                message=_l("Upload an XLSForm: a .xlsx, .xls, .csv or .md file."),
            ),
        ],
    )
    partnership = SelectField(
        _l("Partnership"),
        coerce=int,
        validate_choice=True,
    )
    drop_unsupported = BooleanField(_l("Leave out questions of types a web survey cannot use"))


class ConfirmImportForm(FlaskForm):
    """Import a stashed upload, leaving out its unsupported questions."""

    token = HiddenField(
        validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")],
    )


class StatusForm(FlaskForm):
    """Open or close a survey."""

    status = HiddenField(validators=[AnyOf(["open", "closed"])])


class LanguageForm(FlaskForm):
    """Offer a language below the coverage threshold anyway, or stop doing so."""

    language = HiddenField(validators=[DataRequired(), Length(max=20)])
    allow = HiddenField(validators=[AnyOf(["yes", "no"])])
