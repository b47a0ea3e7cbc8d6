r"""The syntax tree of :mod:`forms.expressions`, its values, and how it evaluates.

Values follow XPath 1.0 as ODK's JavaRosa extends it: a value is a string,
a number (always a ``float``), a boolean, a ``date``/``datetime`` (from
``today()`` or the caller) or a tuple of choice names (a select_multiple
answer). Nothing raises during evaluation. The decisions:

- An unanswered question is ``""``; ``${x} = ''`` is true for it, and it is
  NaN as a number, so ``${x} = 0`` and ``${x} < 1`` are false.
- ``=`` and ``!=`` compare as booleans if either side is one, else as
  numbers if either side is one, else as strings (a choice list as its
  space-separated string). ``< <= > >=`` always compare numbers.
- Strings become numbers by XPath's rule (ASCII digits, optional ``-`` and
  ``.``; no exponent, ``+`` or decimal comma) or NaN, except that an ISO
  date or date-time string, like a ``date``, counts the days since
  1970-01-01: answers are stored as ISO strings, and this keeps ODK's typed
  date behaviour (``${start} < ${end}``, ``today() - ${dob}``).
- ``div`` by zero gives +-Infinity or NaN; ``mod`` takes the sign of the
  dividend and is NaN for a zero divisor; booleans count as 0 and 1.
- ``regex(s, p)`` is a whole-string match, as JavaRosa's
  ``Pattern.matches``, with ASCII ``\d``/``\w`` as in Java. Strings over
  :data:`MAX_REGEX_INPUT` characters never match; an invalid pattern never
  matches; with the ``regex`` engine (installed with nltk) a match that
  runs past a quarter of a second counts as no match.
- ``round()`` takes halves towards +Infinity (XPath; ``round(-2.5)`` is -2)
  and an optional number of places, as JavaRosa.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

try:  # the `regex` engine can time out; it comes with nltk (textblob's dependency)
    import regex as _engine

    _TIMEOUT: dict[str, float] = {"timeout": 0.25}
except ImportError:  # pragma: no cover - plain `re` with the length limits only
    _engine = re  # type: ignore[no-redef]
    _TIMEOUT = {}

Value = str | float | bool | date | tuple[str, ...]

MAX_REGEX_INPUT = 10_000
"""Longer strings never match ``regex()`` (a guard against slow patterns)."""
MAX_PATTERN_LENGTH = 1_000
"""Longer patterns are treated as invalid."""

_EPOCH = date(1970, 1, 1)
_EPOCH_TIME = datetime(1970, 1, 1)
_NUMBER = re.compile(r"[ \t\r\n]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.+\-Z]{2,29}")
_RELATIONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_COMPARISONS = frozenset({"=", "!=", *_RELATIONS})


# The syntax tree: immutable, hashable, compared by value.
@dataclass(frozen=True, slots=True)
class Number:
    value: float


@dataclass(frozen=True, slots=True)
class String:
    value: str


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Current:
    pass


@dataclass(frozen=True, slots=True)
class Column:
    name: str


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node


@dataclass(frozen=True, slots=True)
class Operation:
    """Operands joined, left to right, by operators of one precedence level."""

    ops: tuple[str, ...]
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Number | String | Ref | Current | Column | Negate | Operation | Call


@dataclass(frozen=True)
class EvaluationContext:
    """What an expression can see.

    ``values`` maps question names to answers (``None`` or missing means
    unanswered); ``current`` is ``.``; ``today`` is what ``today()`` returns
    (the real date when ``None``); ``choice`` is the choice row a
    ``choice_filter`` is tested against, read by bare names like ``country``.
    """

    values: Mapping[str, object]
    current: object = None
    today: date | None = None
    choice: Mapping[str, str] | None = None


def to_value(raw: object) -> Value:
    """A caller's value as an expression value (``None`` is the empty string)."""
    if raw is None:
        return ""
    if isinstance(raw, bool | str | date):
        return raw
    if isinstance(raw, int | float | Decimal):
        try:
            return float(raw)
        except OverflowError:
            return math.inf if raw > 0 else -math.inf
    if isinstance(raw, list | tuple | set | frozenset):
        return tuple(to_string(to_value(item)) for item in raw)
    return str(raw)


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
    return value.isoformat()


def to_number(value: Value) -> float:
    """XPath ``number()``, plus ODK's dates as days since 1970-01-01 (ISO strings too)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, datetime):
        return _days(value)
    if isinstance(value, date):
        return float((value - _EPOCH).days)
    text = to_string(value)
    if _NUMBER.fullmatch(text):
        return float(text)
    return _iso_days(text.strip())


def _iso_days(text: str) -> float:
    try:
        if _ISO_DATE.fullmatch(text):
            return float((date.fromisoformat(text) - _EPOCH).days)
        if _ISO_DATETIME.fullmatch(text):
            return _days(datetime.fromisoformat(text))
    except ValueError:
        pass
    return math.nan


def _days(moment: datetime) -> float:
    epoch = _EPOCH_TIME if moment.tzinfo is None else _EPOCH_TIME.replace(tzinfo=UTC)
    return (moment - epoch).total_seconds() / 86400


def to_boolean(value: Value) -> bool:
    """XPath ``boolean()``: non-zero numbers, non-empty strings and any date are true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str | tuple):
        return len(value) > 0
    return True


def compare(op: str, left: Value, right: Value) -> bool:
    """XPath comparison: ``=``/``!=`` by boolean, else number, else string; the rest by number."""
    if op not in ("=", "!="):
        return _RELATIONS[op](to_number(left), to_number(right))
    if isinstance(left, bool) or isinstance(right, bool):
        same = to_boolean(left) == to_boolean(right)
    elif isinstance(left, float) or isinstance(right, float):
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


def _choices(value: Value) -> list[str]:
    return to_string(value).split()


def _subject(ctx: EvaluationContext, args: tuple[Value, ...]) -> Value:
    return args[0] if args else to_value(ctx.current)


def _is_null(value: Value) -> bool:
    return value in ("", ()) or (isinstance(value, float) and math.isnan(value))


def _whole(function: Callable[[float], Any]) -> Callable[[EvaluationContext, tuple], float]:
    def run(ctx: EvaluationContext, args: tuple[Value, ...]) -> float:
        x = to_number(args[0])
        return x if not math.isfinite(x) else math.copysign(float(function(x)), x)

    return run


def _round(ctx: EvaluationContext, args: tuple[Value, ...]) -> float:
    x = to_number(args[0])
    places = to_number(args[1]) if len(args) > 1 else 0.0
    if not math.isfinite(x):
        return x
    if abs(places) > 30:
        return math.nan
    rounding = ROUND_HALF_DOWN if x < 0 else ROUND_HALF_UP  # halves go up, as XPath
    quantum = Decimal(1).scaleb(-int(places) if math.isfinite(places) else 0)
    return float(Context(prec=400, rounding=rounding).quantize(Decimal(repr(x)), quantum))


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any | None:
    """The compiled ``regex()`` pattern, or ``None`` when it is invalid or too long."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return None
    try:
        return _engine.compile(pattern, _engine.ASCII)
    except (_engine.error, re.error, OverflowError, RecursionError, ValueError):
        return None


def _regex(ctx: EvaluationContext, args: tuple[Value, ...]) -> bool:
    text, pattern = to_string(args[0]), compile_pattern(to_string(args[1]))
    if pattern is None or len(text) > MAX_REGEX_INPUT:
        return False
    try:
        return pattern.fullmatch(text, **_TIMEOUT) is not None
    except TimeoutError:
        return False


class Function(NamedTuple):
    """A supported function: how many arguments it takes and what it does."""

    min_args: int
    max_args: int | None
    run: Callable[[EvaluationContext, tuple[Value, ...]], Value]


FUNCTIONS: dict[str, Function] = {
    "not": Function(1, 1, lambda ctx, a: not to_boolean(a[0])),
    "true": Function(0, 0, lambda ctx, a: True),
    "false": Function(0, 0, lambda ctx, a: False),
    "boolean": Function(1, 1, lambda ctx, a: to_boolean(a[0])),
    "if": Function(3, 3, lambda ctx, a: a[1] if to_boolean(a[0]) else a[2]),
    "coalesce": Function(2, 2, lambda ctx, a: a[1] if _is_null(a[0]) else a[0]),
    "selected": Function(2, 2, lambda ctx, a: to_string(a[1]).strip() in _choices(a[0])),
    "count-selected": Function(1, 1, lambda ctx, a: float(len(_choices(a[0])))),
    "string-length": Function(0, 1, lambda ctx, a: float(len(to_string(_subject(ctx, a))))),
    "regex": Function(2, 2, _regex),
    "today": Function(0, 0, lambda ctx, a: ctx.today or date.today()),
    "number": Function(0, 1, lambda ctx, a: to_number(_subject(ctx, a))),
    "int": Function(1, 1, _whole(math.trunc)),
    "floor": Function(1, 1, _whole(math.floor)),
    "ceiling": Function(1, 1, _whole(math.ceil)),
    "round": Function(1, 2, _round),
    "string": Function(0, 1, lambda ctx, a: to_string(_subject(ctx, a))),
    "concat": Function(0, None, lambda ctx, a: "".join(to_string(v) for v in a)),
    "contains": Function(2, 2, lambda ctx, a: to_string(a[1]) in to_string(a[0])),
    "starts-with": Function(2, 2, lambda ctx, a: to_string(a[0]).startswith(to_string(a[1]))),
    "ends-with": Function(2, 2, lambda ctx, a: to_string(a[0]).endswith(to_string(a[1]))),
    "normalize-space": Function(0, 1, lambda ctx, a: " ".join(to_string(_subject(ctx, a)).split())),
}
"""Every function an expression may call, by name."""


def evaluate_node(node: Node, ctx: EvaluationContext) -> Value:
    """The value of the syntax tree ``node`` in ``ctx``."""
    match node:
        case Number(value) | String(value):
            return value
        case Ref(name):
            return to_value(ctx.values.get(name))
        case Current():
            return to_value(ctx.current)
        case Column(name):
            return to_value(ctx.choice.get(name)) if ctx.choice is not None else ""
        case Negate(operand):
            return -to_number(evaluate_node(operand, ctx))
        case Operation(ops, operands):
            return _operation(ops, operands, ctx)
        case Call("if", (condition, then, otherwise)):
            chosen = then if to_boolean(evaluate_node(condition, ctx)) else otherwise
            return evaluate_node(chosen, ctx)
        case Call(name, args):
            return FUNCTIONS[name].run(ctx, tuple(evaluate_node(arg, ctx) for arg in args))
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _operation(ops: tuple[str, ...], operands: tuple[Node, ...], ctx: EvaluationContext) -> Value:
    result = evaluate_node(operands[0], ctx)
    for op, operand in zip(ops, operands[1:], strict=True):
        if op in ("and", "or"):
            if to_boolean(result) == (op == "or"):
                return op == "or"  # short-circuit
            result = to_boolean(evaluate_node(operand, ctx))
        elif op in _COMPARISONS:
            result = compare(op, result, evaluate_node(operand, ctx))
        else:
            result = arithmetic(op, result, evaluate_node(operand, ctx))
    return result
