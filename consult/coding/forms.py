"""Forms of the review queue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


class DecisionForm(FlaskForm):
    theme = HiddenField(validators=[DataRequired(), Length(max=60)])
    decision = HiddenField(validators=[DataRequired(), Length(max=10)])
    next = HiddenField()


class TranslationForm(FlaskForm):
    language = SelectField(
        _l("Language of the translation"),
        choices=[SelectChoice("en", "English"), SelectChoice("fr", "Français")],
        validate_choice=True,
    )
    text = TextAreaField(
        _l("Translation"),
        validators=[Length(max=5000, message=_l("The translation is too long."))],
    )
