"""The page for withdrawing a response with its reference code (what withdrawing
does: :func:`consult.survey.submission.withdraw_response`). Plain HTML with CSRF
and a rate limit shared with the API's withdrawal.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from consult import db
from consult.extensions import limiter
from consult.survey.submission import MAX_CODE_INPUT, withdraw_response

RATE_LIMIT_SCOPE = "withdraw"
"""Web page and API share one withdrawal budget per address."""

bp = Blueprint("withdraw", __name__)


def withdraw_limit() -> str:
    """The withdrawal rate limit from the configuration."""
    return current_app.config.get("RATELIMIT_WITHDRAW", "10 per minute")


class WithdrawForm(FlaskForm):
    code = StringField(
        _l("Your reference code"),
        validators=[
            DataRequired(message=_l("Please enter your reference code.")),
            Length(max=MAX_CODE_INPUT, message=_l("That code is too long.")),
        ],
    )


@bp.route("/withdraw", methods=["GET", "POST"])
@limiter.shared_limit(withdraw_limit, scope=RATE_LIMIT_SCOPE, methods=["POST"])
def withdraw():
    form = WithdrawForm()
    error = None
    withdrawn = None
    if form.validate_on_submit():
        connection = db.connection()
        reference = withdraw_response(connection, form.code.data)
        if reference is None:
            error = _(
                "We could not find a response with that reference code. "
                "Check the code and try again."
            )
        else:
            withdrawn = reference
            connection.commit()
    return render_template("survey/withdraw.html", form=form, error=error, withdrawn=withdrawn)
