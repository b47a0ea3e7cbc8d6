"""Withdrawing a response with its reference code: it then counts nowhere.

The response row stays (so its instance id keeps retries idempotent), marked
``withdrawn_at``; its answers, its breakdown attributes and the text units
made from it (with their codes, decisions and approved quotes, by cascade)
are deleted. The page is plain HTML with CSRF and a rate limit shared with
the API's withdrawal.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from consult import db
from consult.coding.models import TextUnitRow
from consult.extensions import limiter
from consult.models import Answer, Response, utcnow
from consult.survey.codes import normalise_code

MAX_CODE_INPUT = 40
"""Longest text accepted as a reference code (spaces and dashes included)."""

RATE_LIMIT_SCOPE = "withdraw"
"""Web page and API share one withdrawal budget per address."""

bp = Blueprint("withdraw", __name__)


def withdraw_limit() -> str:
    """The withdrawal rate limit from the configuration."""
    return current_app.config.get("RATELIMIT_WITHDRAW", "10 per minute")


def withdraw_response(session: Session, code: str) -> Response | None:
    """Withdraw the response with this reference code; ``None`` when there is none.

    Withdrawing twice is harmless: the second time finds it already withdrawn.
    """
    if not code or len(code) > MAX_CODE_INPUT:
        return None
    reference = normalise_code(code)
    if not reference:
        return None
    response = session.scalar(select(Response).where(Response.reference == reference))
    if response is None:
        return None
    if response.withdrawn_at is None:
        response.withdrawn_at = utcnow()
    response.attributes = {}
    session.execute(delete(TextUnitRow).where(TextUnitRow.response_id == response.id))
    session.execute(delete(Answer).where(Answer.response_id == response.id))
    session.expire(response, ["answers"])
    return response


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
        response = withdraw_response(db.session(), form.code.data)
        if response is None:
            error = _(
                "We could not find a response with that reference code. "
                "Check the code and try again."
            )
        else:
            withdrawn = response.reference
            db.commit()
    return render_template("survey/withdraw.html", form=form, error=error, withdrawn=withdrawn)
