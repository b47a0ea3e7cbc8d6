"""Admin forms: retention, how newcomers reach the partnership, users."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from consult.auth.passwords import MIN_LENGTH
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


ROLE_CHOICES = [
    SelectChoice("committee", _l("Committee member: reads published summaries")),
    SelectChoice("researcher", _l("Researcher: responses, coding, exports, publications")),
    SelectChoice("admin", _l("Admin: all of that, plus users, retention and the audit log")),
    SelectChoice(
        "umbrella",
        _l("Umbrella analyst: only protected core indicators, while you share them"),
    ),
]
METHOD_CHOICES = [
    SelectChoice("link", _l("Give a one-time link to choose a password")),
    SelectChoice("password", _l("Set a temporary password, to be changed at first sign-in")),
]


def _temporary_password_needed(form, field) -> None:
    if form.method.data == "password" and len(field.data or "") < MIN_LENGTH:
        raise ValidationError(
            _l("A temporary password needs at least %(count)s characters.", count=MIN_LENGTH)
        )


class InviteForm(FlaskForm):
    """Add a person to a partnership."""

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Please enter an email address.")),
            Length(max=254, message=_l("Please keep this under 254 characters.")),
        ],
    )
    display_name = StringField(
        _l("Name (optional)"),
        validators=[Length(max=200, message=_l("Please keep this under 200 characters."))],
    )
    partnership_id = SelectField(_l("Partnership"), coerce=int, validate_choice=True)
    role = RadioField(_l("Role"), choices=ROLE_CHOICES, default="committee")
    method = RadioField(
        _l("How they sign in the first time"), choices=METHOD_CHOICES, default="link"
    )
    temporary_password = PasswordField(
        _l("Temporary password"),
        description=_l(
            "Only for a temporary password: at least %(count)s characters.", count=MIN_LENGTH
        ),
        validators=[Length(max=1024), _temporary_password_needed],
    )

    def validate_email(self, field) -> None:
        value = (field.data or "").strip()
        if not is_valid_email(value):
            raise ValidationError(_l("Please enter an email address like name@example.ca."))
        field.data = value


class RoleForm(FlaskForm):
    """A person's role in one partnership (or none: removed from it)."""

    partnership_id = HiddenField()
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("none", _l("No role (removed)")),
            SelectChoice("committee", _l("Committee member")),
            SelectChoice("researcher", _l("Researcher")),
            SelectChoice("admin", _l("Admin")),
            SelectChoice("umbrella", _l("Umbrella analyst")),
        ],
        validate_choice=True,
    )


class ResetForm(FlaskForm):
    """A new one-time link or a temporary password for an account."""

    method = RadioField(_l("How they sign in next"), choices=METHOD_CHOICES, default="link")
    temporary_password = PasswordField(
        _l("Temporary password"),
        description=_l(
            "Only for a temporary password: at least %(count)s characters.", count=MIN_LENGTH
        ),
        validators=[Length(max=1024), _temporary_password_needed],
    )


class ActiveForm(FlaskForm):
    """Deactivate an account, or let it sign in again."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])
