"""Forms of the respondent's path other than survey pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class ResumeForm(FlaskForm):
    code = StringField(
        _l("Your resume code"),
        validators=[
            DataRequired(message=_l("Please enter your resume code.")),
            Length(max=40, message=_l("That code is too long.")),
        ],
    )
