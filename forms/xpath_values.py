r"""Values of the expression language and XPath's rules for converting them.

A value is a string, a number (always a ``float``), a boolean, a
``date``/``datetime``, a tuple of choice names (a select_multiple answer) or
a :class:`NodeSet` (the answers to one question across a repeat's entries,
or the entries themselves). The rules, from XPath 1.0 as the ODK XForms
spec and JavaRosa extend it:

- An unanswered question is ``""``; ``${x} = ''`` is true for it, and it is
  NaN as a number, so ``${x} = 0`` and ``${x} < 1`` are false.
- ``=`` and ``!=`` compare as booleans if either side is one, else as
  numbers if either side is one, else as strings (a choice list as its
  space-separated string). ``< <= > >=`` always compare numbers. A node-set
  compares true when any of its nodes does (XPath 1.0, section 3.4).
- Strings become numbers by XPath's rule (ASCII digits, optional ``-`` and
  ``.``; no exponent, ``+`` or decimal comma) or NaN, except that an ISO
  date or date-time string, like a ``date``, counts the days since
  1970-01-01 (the ODK spec's "dates as days"): answers are stored as ISO
  strings, and this keeps typed date behaviour (``${start} < ${end}``,
  ``today() - ${dob}``).
- A node-set is its first node as a string or a number (``""`` and NaN when
  empty) and true when it has any node.
- ``div`` by zero gives +-Infinity or NaN; ``mod`` takes the sign of the
  dividend and is NaN for a zero divisor; booleans count as 0 and 1.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

EPOCH = date(1970, 1, 1)
EPOCH_TIME = datetime(1970, 1, 1)
_NUMBER = re.compile(r"[ \t\r\n]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.+\-Z]{2,29}")
_RELATIONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True, slots=True)
class NodeSet:
    """Several nodes: one question's answers across repeat entries, or the entries."""

    nodes: tuple[Value, ...] = ()


Value = str | float | bool | date | tuple[str, ...] | NodeSet


def to_value(raw: object) -> Value:
    """A caller's value as an expression value (``None`` is the empty string).

    A list of objects (a repeat's entries) is a :class:`NodeSet` of empty
    strings, one per entry; any other list is a choice list.
    """
    if raw is None:
        return ""
    if isinstance(raw, bool | str | date | NodeSet):
        return raw
    if isinstance(raw, int | float | Decimal):
        try:
            return float(raw)
        except OverflowError:
            return math.inf if raw > 0 else -math.inf
    if isinstance(raw, list | tuple) and raw and isinstance(raw[0], Mapping):
        return NodeSet(("",) * len(raw))
    if isinstance(raw, list | tuple | set | frozenset):
        return tuple(to_string(to_value(item)) for item in raw)
    return str(raw)


def nodes_of(value: Value) -> tuple[Value, ...]:
    """The nodes a value stands for: a node-set's, else the value alone (none when empty)."""
    if isinstance(value, NodeSet):
        return value.nodes
    return () if value in ("", ()) else (value,)


def first(value: Value) -> Value:
    """A node-set's first node (``""`` when empty); any other value unchanged."""
    if isinstance(value, NodeSet):
        return value.nodes[0] if value.nodes else ""
    return value


def number_text(number: float) -> str:
    """XPath ``string()`` of a number: ``3`` not ``3.0``, never an exponent."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def to_string(value: Value) -> str:
    """XPath ``string()``; a list of choices is space-separated, a date is ISO 8601."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, tuple):
        return " ".join(value)
    if isinstance(value, NodeSet):
        return to_string(first(value))
    return value.isoformat()


def to_number(value: Value) -> float:
    """XPath ``number()``, plus ODK's dates as days since 1970-01-01 (ISO strings too)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, datetime):
        return days_of(value)
    if isinstance(value, date):
        return float((value - EPOCH).days)
    text = to_string(value)
    if _NUMBER.fullmatch(text):
        return float(text)
    return _iso_days(text.strip())


def _iso_days(text: str) -> float:
    moment = to_moment(text)
    if moment is None:
        return math.nan
    return days_of(moment) if isinstance(moment, datetime) else float((moment - EPOCH).days)


def to_moment(value: Value) -> date | None:
    """A date or date-time from a value: a date itself, an ISO string, or days since 1970."""
    value = first(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if _ISO_DATE.fullmatch(text):
                return date.fromisoformat(text)
            if _ISO_DATETIME.fullmatch(text):
                return datetime.fromisoformat(text)
        except ValueError:
            return None
        if not _NUMBER.fullmatch(text):
            return None
    days = to_number(value)
    if not math.isfinite(days) or abs(days) > 3_000_000:
        return None
    moment = EPOCH_TIME + timedelta(days=days)
    return moment.date() if days.is_integer() else moment


def days_of(moment: datetime) -> float:
    """Days (with a fraction) from 1970-01-01T00:00 to ``moment``."""
    epoch = EPOCH_TIME if moment.tzinfo is None else EPOCH_TIME.replace(tzinfo=UTC)
    return (moment - epoch).total_seconds() / 86400


def to_boolean(value: Value) -> bool:
    """XPath ``boolean()``: non-zero numbers, non-empty strings and node-sets, any date."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str | tuple):
        return len(value) > 0
    if isinstance(value, NodeSet):
        return len(value.nodes) > 0
    return True


def compare(op: str, left: Value, right: Value) -> bool:
    """XPath comparison: ``=``/``!=`` by boolean, else number, else string; the rest by number.

    A node-set side is true when any of its nodes compares true.
    """
    if (isinstance(left, bool) or isinstance(right, bool)) and op in ("=", "!="):
        same = to_boolean(left) == to_boolean(right)
        return same if op == "=" else not same
    if isinstance(left, NodeSet):
        return any(compare(op, node, right) for node in left.nodes)
    if isinstance(right, NodeSet):
        return any(compare(op, left, node) for node in right.nodes)
    if op not in ("=", "!="):
        return _RELATIONS[op](to_number(left), to_number(right))
    if isinstance(left, float) or isinstance(right, float):
        same = to_number(left) == to_number(right)
    else:
        same = to_string(left) == to_string(right)
    return same if op == "=" else not same


def arithmetic(op: str, left: Value, right: Value) -> float:
    """``+ - * div mod`` on numbers, IEEE 754 style: never raises."""
    x, y = to_number(left), to_number(right)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "div":
        if y == 0:
            if x == 0 or math.isnan(x):
                return math.nan
            return math.copysign(math.inf, x) * math.copysign(1.0, y)
        return x / y
    if y == 0 or math.isinf(x) or math.isnan(x) or math.isnan(y):
        return math.nan
    return math.fmod(x, y)  # the sign of the dividend, as XPath and Java


def is_empty(value: Value) -> bool:
    """True for ``""``, an empty choice list or node-set, and NaN (``coalesce``'s rule)."""
    if isinstance(value, NodeSet):
        return is_empty(first(value))
    return value in ("", ()) or (isinstance(value, float) and math.isnan(value))
