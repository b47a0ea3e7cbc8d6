"""Forms of the review queue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional


class DecisionForm(FlaskForm):
    theme = HiddenField(validators=[DataRequired(), Length(max=60)])
    decision = HiddenField(validators=[DataRequired(), Length(max=10)])
    next = HiddenField()
    # the unit that followed this one on the page: where it opens if this one leaves
    then = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])


class BulkForm(FlaskForm):
    """One theme confirmed (``yes``) or rejected (``no``) on the ticked units."""

    theme = HiddenField(validators=[DataRequired(), Length(max=60)])
    decision = HiddenField(validators=[AnyOf(["yes", "no"])])
    next = HiddenField()


class UndoForm(FlaskForm):
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


class PassageForm(FlaskForm):
    """A passage of a text coded with a theme: selected (with its offsets) or typed."""

    theme = SelectField(_l("Theme"), validate_choice=False)
    passage = TextAreaField(_l("Passage"), validators=[Length(max=5000)])
    start = IntegerField(validators=[Optional(), NumberRange(min=0, max=2**31 - 1)])
    end = IntegerField(validators=[Optional(), NumberRange(min=0, max=2**31 - 1)])
    next = HiddenField()
    then = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
