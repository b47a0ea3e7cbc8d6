"""The syntax tree of :mod:`forms.expressions`, the context it reads, and evaluation.

Values and their conversions are in :mod:`forms.xpath_values`, the
functions in :mod:`forms.xpath_functions`, dates in :mod:`forms.xpath_dates`.
Nothing raises during evaluation except :class:`forms.budget.BudgetExceeded`
when a request's expression budget runs out. How names are read:

- ``${name}`` is the answer in ``values``. Inside a repeat entry the
  caller puts the entry's own answers over the survey's (``values`` =
  survey answers + entry), so ``${sibling}`` reads the same entry, as the
  ``../sibling`` pyxform writes. A name answered only inside a repeat's
  entries, read from outside them, is the node-set of its answers, one node
  per entry (``""`` for an entry that left it empty): ``sum(${age})``.
  No entry answering it gives an empty node-set. A repeat's own name is
  the node-set of its entries: ``count(${members})``.
- ``position(..)`` is the 1-based number of the entry being evaluated.
- ``indexed-repeat(${child}, ${repeat}, n[, ${inner}, m])`` reads the
  child of the n-th entry (of the m-th inner entry), ``""`` when absent.
- Paths pyxform and ODK write are read as names: ``../x``,
  ``current()/../x`` and ``/data/group/x`` all read ``${x}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from forms import budget
from forms.xpath_functions import FUNCTIONS, Function, compile_pattern
from forms.xpath_values import (
    NodeSet,
    Value,
    arithmetic,
    compare,
    number_text,
    to_boolean,
    to_number,
    to_value,
)

__all__ = [
    "FUNCTIONS",
    "Call",
    "Column",
    "Current",
    "EvaluationContext",
    "Function",
    "Negate",
    "Node",
    "Number",
    "Operation",
    "Parent",
    "Ref",
    "String",
    "Value",
    "compile_pattern",
    "evaluate_node",
    "number_text",
    "to_boolean",
]

_COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})


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
class Parent:
    """``..``: the repeat entry (or group) holding the current question."""


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


Node = Number | String | Ref | Current | Parent | Column | Negate | Operation | Call


@dataclass(frozen=True)
class EvaluationContext:
    """What an expression can see.

    ``values`` maps question names to answers (``None`` or missing means
    unanswered; a repeat's value is its list of entries); ``current`` is
    ``.``; ``today`` and ``now`` are what ``today()`` and ``now()`` return
    (the real ones when ``None``); ``choice`` is the choice row a
    ``choice_filter`` is tested against, read by bare names like
    ``country``; ``position`` is the 1-based number of the repeat entry
    being evaluated; ``labels`` maps question -> choice name -> label for
    ``jr:choice-name()``.
    """

    values: Mapping[str, object]
    current: object = None
    today: date | None = None
    choice: Mapping[str, str] | None = None
    position: int | None = None
    labels: Mapping[str, Mapping[str, str]] | None = None
    now: datetime | None = None


def read_name(name: str, values: Mapping[str, object]) -> Value:
    """The value of ``${name}``: the answer, else the node-set of a repeat child's answers."""
    if name in values:
        return to_value(values[name])
    for value in values.values():
        if type(value) is list and value and isinstance(value[0], Mapping):
            found = _nodes_in(name, value)
            if found is not None:
                return found
    return ""


def _nodes_in(name: str, entries: list) -> NodeSet | None:
    if any(name in entry for entry in entries if isinstance(entry, Mapping)):
        return NodeSet(tuple(to_value(e.get(name)) for e in entries if isinstance(e, Mapping)))
    nested = [read_name(name, e) for e in entries if isinstance(e, Mapping)]
    nodes = tuple(node for found in nested if isinstance(found, NodeSet) for node in found.nodes)
    return NodeSet(nodes) if nodes else None


def evaluate_node(node: Node, ctx: EvaluationContext) -> Value:
    """The value of the syntax tree ``node`` in ``ctx``."""
    budget.charge()
    match node:
        case Number(value) | String(value):
            return value
        case Ref(name):
            return read_name(name, ctx.values)
        case Current():
            return to_value(ctx.current)
        case Parent():
            return ""
        case Column(name):
            return to_value(ctx.choice.get(name)) if ctx.choice is not None else ""
        case Negate(operand):
            return -to_number(evaluate_node(operand, ctx))
        case Operation(ops, operands):
            return _operation(ops, operands, ctx)
        case Call("if", (condition, then, otherwise)):
            chosen = then if to_boolean(evaluate_node(condition, ctx)) else otherwise
            return evaluate_node(chosen, ctx)
        case Call("indexed-repeat", args):
            return _indexed_repeat(args, ctx)
        case Call(name, args):
            return FUNCTIONS[name].run(ctx, tuple(evaluate_node(arg, ctx) for arg in args))
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _indexed_repeat(args: tuple[Node, ...], ctx: EvaluationContext) -> Value:
    """``indexed-repeat(${child}, ${repeat}, n, ...)``: one entry's answer, counted from 1."""
    target = args[0]
    scope: Mapping[str, object] = ctx.values
    for repeat, index in zip(args[1::2], args[2::2], strict=False):
        if not isinstance(repeat, Ref):
            return ""
        entries = scope.get(repeat.name)
        number = to_number(evaluate_node(index, ctx))
        if not isinstance(entries, list) or not (1 <= number <= len(entries)):
            return ""
        entry = entries[int(number) - 1]
        if not isinstance(entry, Mapping):
            return ""
        scope = entry
    if isinstance(target, Ref):
        return to_value(scope.get(target.name))
    return evaluate_node(target, EvaluationContext({**ctx.values, **scope}, ctx.current, ctx.today))


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
