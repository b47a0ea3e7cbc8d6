"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from consult.auth.passwords import MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(message=_l("Please enter your email.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Please enter your password.")), Length(max=1024)],
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (the page a one-time link opens)."""

    new_password = PasswordField(
        _l("New password"),
        description=_l("At least %(count)s characters.", count=MIN_LENGTH),
        validators=[
            DataRequired(message=_l("Please enter a new password.")),
            Length(
                min=MIN_LENGTH,
                max=1024,
                message=_l("Please use at least %(count)s characters.", count=MIN_LENGTH),
            ),
        ],
    )
    again = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(message=_l("Please enter the new password again.")),
            EqualTo("new_password", message=_l("The two passwords are not the same.")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    """Changing one's password (asked for on every page after a temporary one)."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(message=_l("Please enter your current password.")),
            Length(max=1024),
        ],
    )
