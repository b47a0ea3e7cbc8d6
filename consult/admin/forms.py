"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

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
