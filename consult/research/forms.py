"""Forms of the researcher's survey management pages (Flask-WTF, CSRF on every one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

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
    new_version_of = SelectField(_l("This form is"), validate_choice=True, default="")
    slug = StringField(
        _l("Web address of the new survey (optional)"),
        validators=[
            Optional(),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$",
                message=_l("Use up to 80 letters, digits, dots, dashes or underscores."),
            ),
        ],
    )


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


class ArchiveForm(FlaskForm):
    """Archive a survey, or list an archived one again."""

    archive = HiddenField(validators=[AnyOf(["yes", "no"])])


class DeleteForm(FlaskForm):
    """Delete a survey without responses, once confirmed."""

    confirm = BooleanField(
        _l("Yes, delete this survey and its versions"), validators=[DataRequired()]
    )
