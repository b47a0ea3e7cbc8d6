"""How a session reads to people: its date in their language and time zone, its choices."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel import UnknownLocaleError
from babel.dates import format_date, format_time, get_timezone_name
from flask_babel import get_locale
from flask_babel import gettext as _

from consult.focusgroups import choices
from consult.focusgroups.models import FocusGroupSession
from consult.focusgroups.services import aware
from consult.i18n import language


def local_start(session: FocusGroupSession):
    """The start in the session's own time zone."""
    return aware(session.starts_at).astimezone(ZoneInfo(session.timezone))


def session_when(session: FocusGroupSession) -> str:
    """``Saturday, May 3, 2031 · 6:00 PM (Eastern Daylight Time)`` in the page's language."""
    local = local_start(session)
    locale = get_locale()
    date = format_date(local, "full", locale=locale)
    time = format_time(local, "short", locale=locale)
    zone = get_timezone_name(local, "long", locale=locale)
    return f"{date} · {time} ({zone})"


def choice_label(kind: str, value: str | None) -> str:
    """The label of a stored choice (``mode``, ``status``, ``years_in_canada``…)."""
    lists = {
        "mode": choices.MODES,
        "status": choices.STATUSES,
        "years_in_canada": choices.YEARS_IN_CANADA,
        "age_band": choices.AGE_BAND,
        "gender": choices.GENDER,
        "availability": choices.AVAILABILITY,
        "contact_method": choices.CONTACT_METHODS,
    }
    return choices.label_of(lists.get(kind, ()), value)


def language_name(code: str | None) -> str:
    """A language in its own name; "another language" for ``other``."""
    if not code:
        return ""
    if code == choices.OTHER_LANGUAGE:
        return _("Another language")
    try:
        return language(code).own_name
    except (ValueError, TypeError, UnknownLocaleError):
        return code
