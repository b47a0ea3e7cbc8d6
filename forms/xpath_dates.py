"""Date functions of the ODK XForms spec: ``date()``, ``format-date()`` and kin.

Dates are days since 1970-01-01 when used as numbers (``date(1)`` is
1970-01-02; ``decimal-date-time('1970-01-02T06:00')`` is 1.25). Times
without a zone are taken as they are written (no conversion to the
server's zone); times with one keep it. A value that is not a date gives
``""`` from the formatting functions and NaN as a number.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time

from forms.xpath_values import Value, days_of, to_moment, to_number, to_string

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FORMAT = re.compile(r"%(.)", re.DOTALL)
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:\.[0-9]+)?))?(.*)")


def as_date(value: Value) -> date | str:
    """ODK ``date()``: a date from a date string, a date-time or days since 1970 (else ``""``)."""
    moment = to_moment(value)
    if moment is None:
        return ""
    return moment.date() if isinstance(moment, datetime) else moment


def as_datetime(value: Value) -> datetime | str:
    """ODK ``date-time()``: like :func:`as_date`, keeping the time of day."""
    moment = to_moment(value)
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time())


def decimal_date_time(value: Value) -> float:
    """ODK ``decimal-date-time()``: days since 1970-01-01T00:00, with the fraction of a day."""
    moment = to_moment(value)
    if moment is None:
        return math.nan
    if isinstance(moment, datetime):
        return days_of(moment)
    return to_number(moment)


def decimal_time(value: Value) -> float:
    """ODK ``decimal-time()``: the fraction of a day a time (``'06:00:00'``) stands for."""
    text = to_string(value).strip()
    if "T" in text:
        text = text.split("T", 1)[1]
    match = _TIME.fullmatch(text)
    if not match:
        return math.nan
    hours, minutes = int(match.group(1)), int(match.group(2))
    seconds = float(match.group(3) or 0)
    if hours > 23 or minutes > 59 or seconds >= 60:
        return math.nan
    return (hours * 3600 + minutes * 60 + seconds) / 86400


def format_date(value: Value, pattern: Value, with_time: bool = False) -> str:
    """ODK ``format-date()`` and ``format-date-time()``: ``%Y %y %m %n %b %d %e %a`` for the
    date, ``%H %h %M %S %3`` for the time (only with ``with_time``, else they are empty)."""
    moment = to_moment(value)
    if moment is None:
        return ""
    clock = moment.time() if isinstance(moment, datetime) else time()

    def field(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in "HhMS3" and not with_time:
            return ""
        return _field(code, moment, clock)

    return _FORMAT.sub(field, to_string(pattern))


def _field(code: str, day: date, clock: time) -> str:
    fields = {
        "Y": f"{day.year:04d}",
        "y": f"{day.year % 100:02d}",
        "m": f"{day.month:02d}",
        "n": str(day.month),
        "b": _MONTHS[day.month - 1],
        "d": f"{day.day:02d}",
        "e": str(day.day),
        "a": _DAYS[day.weekday()],
        "H": f"{clock.hour:02d}",
        "h": str(clock.hour),
        "M": f"{clock.minute:02d}",
        "S": f"{clock.second:02d}",
        "3": f"{clock.microsecond // 1000:03d}",
        "%": "%",
    }
    return fields.get(code, "%" + code)
