"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(message=_l("Please enter your email.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Please enter your password.")), Length(max=1024)],
    )
