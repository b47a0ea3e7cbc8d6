"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from consult.focusgroups.text import is_valid_email, is_valid_phone, normalise_phone
from consult.retention import MAX_RETENTION_DAYS


class RetentionForm(FlaskForm):
    partnership_id = HiddenField()
    response_retention_days = IntegerField(
        _l("Keep survey responses for (days)"),
        description=_l("Leave empty to keep responses until they are deleted by hand."),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_RETENTION_DAYS,
                message=_l("Enter a number of days from 1 to %(max)s.", max=MAX_RETENTION_DAYS),
            ),
        ],
    )
    contact_retention_days = IntegerField(
        _l("Keep focus-group contact details after the session for (days)"),
        validators=[
            InputRequired(message=_l("Enter a number of days.")),
            NumberRange(
                min=0,
                max=3650,
                message=_l("Enter a number of days from 0 to %(max)s.", max=3650),
            ),
        ],
    )


class ContactForm(FlaskForm):
    """How newcomers reach a partnership (shown on every consent page). The name and a
    note in each language are read beside it (``name-<lang>``, ``note-<lang>``)."""

    partnership_id = HiddenField()
    contact_email = StringField(
        _l("Email"),
        validators=[Length(max=254, message=_l("Please keep this under 254 characters."))],
    )
    contact_phone = StringField(
        _l("Phone"),
        validators=[Length(max=40, message=_l("Please keep this under 40 characters."))],
    )
    contact_url = StringField(
        _l("Website"),
        validators=[Length(max=300, message=_l("Please keep this under 300 characters."))],
    )

    def validate_contact_email(self, field) -> None:
        value = (field.data or "").strip()
        if value and not is_valid_email(value):
            raise ValidationError(_l("Please enter an email address like name@example.ca."))
        field.data = value

    def validate_contact_phone(self, field) -> None:
        value = (field.data or "").strip()
        if value and not is_valid_phone(value):
            raise ValidationError(
                _l("Please enter a phone number with 7 to 15 digits, like 613 555 0100.")
            )
        field.data = normalise_phone(value)

    def validate_contact_url(self, field) -> None:
        value = (field.data or "").strip()
        if value and not value.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Please enter a web address that starts with https://."))
        field.data = value
