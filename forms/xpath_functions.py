r"""The functions expressions may call, as the ODK XForms spec defines them.

Each takes its arguments already evaluated (``if``, ``indexed-repeat`` and
``position`` are evaluated by :mod:`forms._expression_eval` itself, because
their arguments are not plain values). The decisions worth knowing:

- Functions over node-sets (``count``, ``sum``, ``max``, ``min``,
  ``join``, ``count-non-empty``) take a repeat's answers (``${child}`` read
  from outside the repeat) or plain values; an unanswered value is no node.
  ``sum`` of a node-set with an empty node is NaN, as in XPath; ``max`` and
  ``min`` of nothing are NaN.
- ``regex(s, p)`` is a whole-string match, as JavaRosa's
  ``Pattern.matches``, with ASCII ``\d``/``\w`` as in Java. Strings over
  :data:`MAX_REGEX_INPUT` characters never match; an invalid pattern never
  matches; a match that runs past a quarter of a second (or the request's
  remaining budget, see :mod:`forms.budget`) counts as no match.
- ``round()`` takes halves towards +Infinity (XPath; ``round(-2.5)`` is -2)
  and an optional number of places, as JavaRosa.
- ``substr(s, start[, end])`` counts from 0 and ends before ``end``;
  negative positions count from the end (JavaRosa); ``substring`` is
  XPath's, from 1.
- ``selected-at(list, n)`` counts from 0; out of range is ``""``.
- ``jr:choice-name(value, '${question}')`` is the label of that choice in
  the respondent's language (``""`` when there is none).
- ``once(x)`` keeps the value the field already has, else ``x``.
- ``uuid()``, ``uuid(n)``, ``random()`` and ``now()`` differ at each call.
- ``digest(text, algorithm[, 'base64'|'hex'])`` supports MD5, SHA-1,
  SHA-256, SHA-384 and SHA-512, base64 by default.
- ``checklist``/``weighted-checklist`` count answers that are ``'yes'``,
  ``true()`` or a non-zero number (ODK's documentation: "exactly the string
  yes").
- ``format-date`` writes English month and day abbreviations (``%b``,
  ``%a``) whatever the respondent's language.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import random
import re
import secrets
import string
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from forms import budget
from forms.xpath_dates import (
    as_date,
    as_datetime,
    decimal_date_time,
    decimal_time,
    format_date,
)
from forms.xpath_values import (
    NodeSet,
    Value,
    first,
    is_empty,
    nodes_of,
    to_boolean,
    to_number,
    to_string,
    to_value,
)

if TYPE_CHECKING:
    from forms._expression_eval import EvaluationContext

try:  # the `regex` engine can time out; it comes with nltk (textblob's dependency)
    import regex as _engine

    _HAS_TIMEOUT = True
except ImportError:  # pragma: no cover - plain `re` with the length limits only
    _engine = re  # type: ignore[no-redef]
    _HAS_TIMEOUT = False

MAX_REGEX_INPUT = 10_000
"""Longer strings never match ``regex()`` (a guard against slow patterns)."""
MAX_PATTERN_LENGTH = 1_000
"""Longer patterns are treated as invalid."""
REGEX_SECONDS = 0.25
"""Longest one ``regex()`` call may run."""
MAX_TEXT_RESULT = 100_000
"""Longest string ``concat``/``join`` build (longer results are cut)."""

_DIGESTS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384"}
_DIGESTS["SHA-512"] = "sha512"
_ALPHANUMERIC = string.ascii_letters + string.digits
_random = random.SystemRandom()

Args = tuple[Value, ...]


def _choices(value: Value) -> list[str]:
    return to_string(value).split()


def _subject(ctx: EvaluationContext, args: Args) -> Value:
    return args[0] if args else to_value(ctx.current)


def _flat(args: Args) -> list[Value]:
    return [node for arg in args for node in nodes_of(arg)]


def _whole(function: Callable[[float], Any]) -> Callable[[EvaluationContext, Args], float]:
    def run(ctx: EvaluationContext, args: Args) -> float:
        x = to_number(args[0])
        return x if not math.isfinite(x) else math.copysign(float(function(x)), x)

    return run


def _math(function: Callable[..., float]) -> Callable[[EvaluationContext, Args], float]:
    def run(ctx: EvaluationContext, args: Args) -> float:
        try:
            return float(function(*(to_number(a) for a in args)))
        except (ValueError, OverflowError, ZeroDivisionError):
            return math.nan

    return run


def _round(ctx: EvaluationContext, args: Args) -> float:
    x = to_number(args[0])
    places = to_number(args[1]) if len(args) > 1 else 0.0
    if not math.isfinite(x):
        return x
    if abs(places) > 30:
        return math.nan
    rounding = ROUND_HALF_DOWN if x < 0 else ROUND_HALF_UP  # halves go up, as XPath
    quantum = Decimal(1).scaleb(-int(places) if math.isfinite(places) else 0)
    return float(Context(prec=400, rounding=rounding).quantize(Decimal(repr(x)), quantum))


def _pow(ctx: EvaluationContext, args: Args) -> float:
    x, y = to_number(args[0]), to_number(args[1])
    try:
        return math.pow(x, y)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any | None:
    """The compiled ``regex()`` pattern, or ``None`` when it is invalid or too long."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return None
    try:
        return _engine.compile(pattern, _engine.ASCII)
    except (_engine.error, re.error, OverflowError, RecursionError, ValueError):
        return None


@lru_cache(maxsize=256)
def is_catastrophic(pattern: str) -> bool:
    """True when a static check (dlint's ReDoS detector) finds nested repetition that can
    backtrack exponentially, such as ``(a+)+`` or ``(\\w+\\s?)*``."""
    from dlint.redos import detect  # imported when a form is checked, not at start-up

    try:
        return bool(detect.catastrophic(pattern))
    except Exception:  # noqa: BLE001 - the detector's own parser failing is not our refusal
        return False


def _regex(ctx: EvaluationContext, args: Args) -> bool:
    text, pattern = to_string(args[0]), compile_pattern(to_string(args[1]))
    if pattern is None or len(text) > MAX_REGEX_INPUT:
        return False
    budget.charge(len(text) + 1)
    options = {"timeout": budget.seconds_left(REGEX_SECONDS)} if _HAS_TIMEOUT else {}
    try:
        return pattern.fullmatch(text, **options) is not None
    except TimeoutError:
        budget.seconds_left(REGEX_SECONDS)  # raises when the request's time is spent
        return False


def _sum(ctx: EvaluationContext, args: Args) -> float:
    return math.fsum(to_number(node) for node in nodes_of(args[0]))


def _extreme(pick: Callable[..., float]) -> Callable[[EvaluationContext, Args], float]:
    def run(ctx: EvaluationContext, args: Args) -> float:
        numbers = [to_number(node) for node in _flat(args)]
        if not numbers or any(math.isnan(n) for n in numbers):
            return math.nan
        return pick(numbers)

    return run


def _join(ctx: EvaluationContext, args: Args) -> str:
    text = to_string(args[0]).join(to_string(node) for node in _flat(args[1:]))
    return text[:MAX_TEXT_RESULT]


def _substr(ctx: EvaluationContext, args: Args) -> str:
    text = to_string(args[0])
    start = to_number(args[1])
    end = to_number(args[2]) if len(args) > 2 else float(len(text))
    if math.isnan(start) or math.isnan(end):
        return ""
    start, end = _position(start, len(text)), _position(end, len(text))
    return text[start:end]


def _position(number: float, length: int) -> int:
    index = int(max(-length - 1, min(length + 1, number)))
    return max(0, index + length) if index < 0 else index


def _substring(ctx: EvaluationContext, args: Args) -> str:
    """XPath 1.0 ``substring(s, start[, length])``, counting from 1, rounding as XPath."""
    text = to_string(args[0])
    start = _xpath_round(to_number(args[1]))
    end = start + _xpath_round(to_number(args[2])) if len(args) > 2 else math.inf
    if math.isnan(start) or math.isnan(end):
        return ""
    return "".join(c for i, c in enumerate(text, 1) if start <= i < end)


def _xpath_round(x: float) -> float:
    return math.floor(x + 0.5) if math.isfinite(x) else x


def _translate(ctx: EvaluationContext, args: Args) -> str:
    source, wanted, replacement = (to_string(a) for a in args)
    table: dict[int, int | None] = {}
    for index, char in enumerate(wanted):
        if ord(char) not in table:
            table[ord(char)] = ord(replacement[index]) if index < len(replacement) else None
    return source.translate(table)


def _selected_at(ctx: EvaluationContext, args: Args) -> str:
    chosen = _choices(args[0])
    index = to_number(args[1])
    if not math.isfinite(index) or not 0 <= int(index) < len(chosen):
        return ""
    return chosen[int(index)]


def _choice_name(ctx: EvaluationContext, args: Args) -> str:
    question = re.sub(r"^\$\{|\}$", "", to_string(args[1]).strip()).rsplit("/", 1)[-1]
    labels = (ctx.labels or {}).get(question) or {}
    return labels.get(to_string(args[0]).strip(), "")


def _once(ctx: EvaluationContext, args: Args) -> Value:
    own = to_value(ctx.current)
    return args[0] if is_empty(own) else own


def _uuid(ctx: EvaluationContext, args: Args) -> str:
    if not args:
        return str(uuid.uuid4())
    length = to_number(args[0])
    if not math.isfinite(length) or length < 0:
        return ""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(min(int(length), 1000)))


def _digest(ctx: EvaluationContext, args: Args) -> str:
    algorithm = _DIGESTS.get(to_string(args[1]).strip().upper())
    encoding = to_string(args[2]).strip().lower() if len(args) > 2 else "base64"
    if algorithm is None or encoding not in ("base64", "hex"):
        return ""
    digest = hashlib.new(algorithm, to_string(args[0]).encode("utf-8")).digest()
    return digest.hex() if encoding == "hex" else base64.b64encode(digest).decode("ascii")


def _base64_decode(ctx: EvaluationContext, args: Args) -> str:
    try:
        return base64.b64decode(to_string(args[0]), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


def _is_yes(value: Value) -> bool:
    """A checklist answer that counts: ``'yes'``, ``true()`` or a non-zero number."""
    if isinstance(value, bool | float):
        return to_boolean(value)
    return to_string(value).strip() == "yes"


def _checklist(ctx: EvaluationContext, args: Args) -> bool:
    least, most = to_number(args[0]), to_number(args[1])
    count = sum(1 for node in _flat(args[2:]) if _is_yes(node))
    return (least < 0 or count >= least) and (most < 0 or count <= most)


def _weighted_checklist(ctx: EvaluationContext, args: Args) -> bool:
    least, most = to_number(args[0]), to_number(args[1])
    pairs = args[2:]
    total = sum(
        to_number(weight)
        for value, weight in zip(pairs[::2], pairs[1::2], strict=False)
        if _is_yes(value)
    )
    return (least < 0 or total >= least) and (most < 0 or total <= most)


def _boolean_from_string(ctx: EvaluationContext, args: Args) -> bool:
    return to_string(args[0]).strip().lower() in ("true", "1")


def _concat(ctx: EvaluationContext, args: Args) -> str:
    return "".join(to_string(node) for node in _flat(args))[:MAX_TEXT_RESULT]


def _now(ctx: EvaluationContext, args: Args) -> datetime:
    return ctx.now or datetime.now().replace(microsecond=0)


def _today(ctx: EvaluationContext, args: Args) -> date:
    return ctx.today or date.today()


class Function(NamedTuple):
    """A supported function: how many arguments it takes and what it does."""

    min_args: int
    max_args: int | None
    run: Callable[[EvaluationContext, Args], Value]


def _fn(least: int, most: int | None, run: Callable[[EvaluationContext, Args], Value]):
    return Function(least, most, run)


FUNCTIONS: dict[str, Function] = {
    # logic
    "not": _fn(1, 1, lambda ctx, a: not to_boolean(a[0])),
    "true": _fn(0, 0, lambda ctx, a: True),
    "false": _fn(0, 0, lambda ctx, a: False),
    "boolean": _fn(1, 1, lambda ctx, a: to_boolean(a[0])),
    "boolean-from-string": _fn(1, 1, _boolean_from_string),
    "if": _fn(3, 3, lambda ctx, a: a[1] if to_boolean(a[0]) else a[2]),
    "coalesce": _fn(2, 2, lambda ctx, a: a[1] if is_empty(a[0]) else a[0]),
    "once": _fn(1, 1, _once),
    "checklist": _fn(2, None, _checklist),
    "weighted-checklist": _fn(2, None, _weighted_checklist),
    # choices
    "selected": _fn(2, 2, lambda ctx, a: to_string(a[1]).strip() in _choices(a[0])),
    "selected-at": _fn(2, 2, _selected_at),
    "count-selected": _fn(1, 1, lambda ctx, a: float(len(_choices(a[0])))),
    "jr:choice-name": _fn(2, 2, _choice_name),
    # node-sets and repeats
    "count": _fn(1, 1, lambda ctx, a: float(len(nodes_of(a[0])))),
    "count-non-empty": _fn(1, 1, lambda ctx, a: float(sum(not is_empty(n) for n in _flat(a)))),
    "sum": _fn(1, 1, _sum),
    "max": _fn(1, None, _extreme(max)),
    "min": _fn(1, None, _extreme(min)),
    "join": _fn(1, None, _join),
    "position": _fn(0, 1, lambda ctx, a: float(ctx.position or 1)),
    "indexed-repeat": _fn(3, 7, lambda ctx, a: first(a[0])),
    "current": _fn(0, 0, lambda ctx, a: to_value(ctx.current)),
    # strings
    "string": _fn(0, 1, lambda ctx, a: to_string(_subject(ctx, a))),
    "string-length": _fn(0, 1, lambda ctx, a: float(len(to_string(_subject(ctx, a))))),
    "concat": _fn(0, None, _concat),
    "contains": _fn(2, 2, lambda ctx, a: to_string(a[1]) in to_string(a[0])),
    "starts-with": _fn(2, 2, lambda ctx, a: to_string(a[0]).startswith(to_string(a[1]))),
    "ends-with": _fn(2, 2, lambda ctx, a: to_string(a[0]).endswith(to_string(a[1]))),
    "substr": _fn(2, 3, _substr),
    "substring": _fn(2, 3, _substring),
    "substring-before": _fn(
        2,
        2,
        lambda ctx, a: (
            to_string(a[0]).partition(to_string(a[1]))[0]
            if to_string(a[1]) in to_string(a[0])
            else ""
        ),
    ),
    "substring-after": _fn(2, 2, lambda ctx, a: to_string(a[0]).partition(to_string(a[1]))[2]),
    "translate": _fn(3, 3, _translate),
    "normalize-space": _fn(0, 1, lambda ctx, a: " ".join(to_string(_subject(ctx, a)).split())),
    "regex": _fn(2, 2, _regex),
    "digest": _fn(2, 3, _digest),
    "base64-decode": _fn(1, 1, _base64_decode),
    "uuid": _fn(0, 1, _uuid),
    # numbers
    "number": _fn(0, 1, lambda ctx, a: to_number(_subject(ctx, a))),
    "int": _fn(1, 1, _whole(math.trunc)),
    "floor": _fn(1, 1, _whole(math.floor)),
    "ceiling": _fn(1, 1, _whole(math.ceil)),
    "round": _fn(1, 2, _round),
    "abs": _fn(1, 1, lambda ctx, a: abs(to_number(a[0]))),
    "pow": _fn(2, 2, _pow),
    "sqrt": _fn(1, 1, _math(math.sqrt)),
    "exp": _fn(1, 1, _math(math.exp)),
    "exp10": _fn(1, 1, _math(lambda x: math.pow(10, x))),
    "log": _fn(1, 1, _math(math.log)),
    "log10": _fn(1, 1, _math(math.log10)),
    "sin": _fn(1, 1, _math(math.sin)),
    "cos": _fn(1, 1, _math(math.cos)),
    "tan": _fn(1, 1, _math(math.tan)),
    "asin": _fn(1, 1, _math(math.asin)),
    "acos": _fn(1, 1, _math(math.acos)),
    "atan": _fn(1, 1, _math(math.atan)),
    "atan2": _fn(2, 2, _math(math.atan2)),
    "pi": _fn(0, 0, lambda ctx, a: math.pi),
    "random": _fn(0, 0, lambda ctx, a: _random.random()),
    # dates and times
    "today": _fn(0, 0, _today),
    "now": _fn(0, 0, _now),
    "date": _fn(1, 1, lambda ctx, a: as_date(a[0])),
    "date-time": _fn(1, 1, lambda ctx, a: as_datetime(a[0])),
    "decimal-date-time": _fn(1, 1, lambda ctx, a: decimal_date_time(a[0])),
    "decimal-time": _fn(1, 1, lambda ctx, a: decimal_time(a[0])),
    "format-date": _fn(2, 2, lambda ctx, a: format_date(a[0], a[1])),
    "format-date-time": _fn(2, 2, lambda ctx, a: format_date(a[0], a[1], with_time=True)),
}
"""Every function an expression may call, by name."""

REFUSED_FUNCTIONS: dict[str, str] = {
    "pulldata": "reads a CSV file attached to the form, which Consult does not store",
    "instance": "reads a secondary instance (external data), which Consult does not store",
    "jr:itext": "reads form translations by id, which Consult keeps as columns instead",
    "area": "works on geopoint answers, which a web survey does not collect",
    "distance": "works on geopoint answers, which a web survey does not collect",
    "randomize": "orders choices at random, which Consult does not do",
    "property": "reads device properties, which a web survey does not have",
    "version": "reads the device's form version, which a web survey does not have",
}
"""Functions real forms use that Consult refuses, with the reason (for the import error)."""


def node_list(value: Value) -> NodeSet:
    """``value`` as a node-set (for callers that build one)."""
    return value if isinstance(value, NodeSet) else NodeSet(nodes_of(value))
