"""The XLSForm expression language: parse once, evaluate against answers.

The subset of XPath 1.0 with ODK's extensions that ``relevant``,
``constraint``, ``calculation``, ``required`` and ``choice_filter`` columns
use: ``${name}`` references, ``.`` and ``..``, bare names (columns of the
choice row in a choice filter), string and number literals, ``+ - * div
mod`` and unary minus, ``= != < <= > >=``, ``and``, ``or``, parentheses,
the functions in :data:`FUNCTIONS`, and the paths pyxform and ODK write for
a question (``../x``, ``current()/../x``, ``/data/group/x``: read as
``${x}``). Anything else (predicates, ``instance()``, ``pulldata()``...) is
refused with an :class:`ExpressionError`; :data:`REFUSED_FUNCTIONS` says
why for the functions real forms use.

A hand-written precedence-climbing parser, not lark: XPath decides whether
``div``/``and`` are operators or names, and whether ``a-b`` is one name, from
the token before, which a plain LALR lexer cannot see. Nothing is ever
``eval``-ed. The tree, values and functions live in
:mod:`forms._expression_eval`, whose docstring records the semantics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from forms import budget
from forms._expression_eval import (
    FUNCTIONS,
    Call,
    Column,
    Current,
    EvaluationContext,
    Negate,
    Node,
    Number,
    Operation,
    Parent,
    Ref,
    String,
    Value,
    compile_pattern,
    evaluate_node,
    number_text,
    to_boolean,
)
from forms.xpath_functions import REFUSED_FUNCTIONS, is_catastrophic

__all__ = [
    "ERROR_CODES",
    "FUNCTIONS",
    "REFUSED_FUNCTIONS",
    "EvaluationContext",
    "Expression",
    "ExpressionError",
    "Value",
    "check",
    "evaluate",
    "evaluate_bool",
    "parse",
]

ERROR_CODES = {
    "syntax": "the expression is not valid ({detail})",
    "unsupported_function": "the function '{token}' is not supported",
    "refused_function": "the function '{token}' is not supported: it {detail}",
    "unsupported_path": "the path '{token}' is not supported ({detail})",
    "wrong_argument_count": "the function '{token}' takes {detail}",
    "unknown_reference": "'${{{token}}}' is not a question in this form",
    "invalid_regex": "{token} is not a valid regular expression",
    "catastrophic_regex": (
        "{token} can take exponential time on some answers (a repeated group that itself "
        "repeats): rewrite it without nested repetition"
    ),
}
"""Every :attr:`ExpressionError.code`, with a plain English fallback message."""

MAX_NESTING = 24
"""Deepest nesting of parentheses, calls and unary minus accepted."""


class ExpressionError(ValueError):
    """An expression that cannot be used: ``code`` (from :data:`ERROR_CODES`),
    ``position`` (0-based index into the text), the offending ``token`` and a
    ``detail``."""

    def __init__(self, code: str, position: int, token: str = "", detail: str = "") -> None:
        message = ERROR_CODES[code].format(token=token, detail=detail)
        super().__init__(f"{message} at position {position}")
        self.code, self.position, self.token, self.detail = code, position, token, detail

    def copy(self) -> ExpressionError:
        """A fresh error with the same facts (cached errors are never re-raised)."""
        return ExpressionError(self.code, self.position, self.token, self.detail)

    def __reduce__(self):  # pickle by facts, not by message
        return ExpressionError, (self.code, self.position, self.token, self.detail)


_LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))
_PRECEDENCE = {op: level for level, ops in enumerate(_LEVELS) for op in ops}
_WORD_OPERATORS = frozenset({"and", "or", "div", "mod"})
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    |(?P<ref>\$\{[^\W\d][\w.\-]*\})
    |(?P<string>'[^']*'|"[^"]*")
    |(?P<name>[^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?)
    |(?P<op>!=|<=|>=|\.\.|[=<>+\-*(),./])""",
    re.VERBOSE,
)
_OPEN_PAREN = re.compile(r"\s*\(")


class _Token(NamedTuple):
    kind: str  # number, string, ref, name, function, op, error or end
    text: str
    position: int

    def ends_operand(self) -> bool:
        return self.kind in ("number", "string", "ref", "name") or self.text in (")", ".", "..")


def _tokenize(text: str) -> list[_Token]:
    """Tokens, ending at the first character that cannot start one (an ``error`` token)."""
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            tokens.append(_Token("error", text[position], position))
            break
        kind, word = match.lastgroup or "", match.group()
        if kind == "name":
            if tokens and tokens[-1].ends_operand() and word in _WORD_OPERATORS:
                kind = "op"  # XPath: after an operand, these names are operators
            elif _OPEN_PAREN.match(text, match.end()):
                kind = "function"
        if kind != "space":
            tokens.append(_Token(kind, word, position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _syntax(token: _Token, detail: str) -> ExpressionError:
    return ExpressionError("syntax", token.position, token.text, detail)


class _Parser:
    """Precedence climbing over :data:`_LEVELS`; problems that do not stop
    parsing (unsupported or misused functions) are collected in ``problems``."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.problems: list[ExpressionError] = []
        self.references: set[str] = set()

    def parse(self) -> Node:
        node = self.expression(0)
        if self.peek().kind != "end":
            raise self.unexpected(self.peek())
        return node

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        self.index += 1
        return self.tokens[self.index - 1]

    def at(self, op: str) -> bool:
        return self.peek()[:2] == ("op", op)

    def expect(self, op: str) -> None:
        if not self.at(op):
            raise self.unexpected(self.peek(), f"expected '{op}'")
        self.take()

    def unexpected(self, token: _Token, expected: str = "") -> ExpressionError:
        if token.kind == "error":
            reasons = {
                "[": "predicates ([...]) are not supported",
                "|": "unions (|) are not supported",
            }
            if token.text in reasons:
                return _syntax(token, reasons[token.text])
            quote = token.text in "'\""
            return _syntax(token, "unterminated string" if quote else "unexpected character")
        found = "the expression ends too soon" if token.kind == "end" else "unexpected token"
        return _syntax(token, f"{expected}, {found}" if expected else found)

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _syntax(token, "nested too deeply")

    def expression(self, level: int) -> Node:
        if level == len(_LEVELS):
            return self.unary()
        operands = [self.expression(level + 1)]
        ops: list[str] = []
        while self.peek().kind == "op" and self.peek().text in _LEVELS[level]:
            ops.append(self.take().text)
            operands.append(self.expression(level + 1))
        return Operation(tuple(ops), tuple(operands)) if ops else operands[0]

    def unary(self) -> Node:
        if not self.at("-"):
            return self.primary()
        self.enter(self.take())
        node = Negate(self.unary())
        self.depth -= 1
        return node

    def primary(self) -> Node:
        token = self.peek()
        if token[:2] == ("op", "/"):
            return self.path(Current(), token)
        node = self.step()
        if self.at("/"):
            return self.path(node, token)
        return node

    def path(self, start: Node, token: _Token) -> Node:
        """``a/b/c``: read as its last step (a name, ``.`` or ``..``)."""
        node = start
        while self.at("/"):
            self.take()
            step = self.take()
            if step.kind == "name":
                node = Ref(step.text)
            elif step[:2] == ("op", ".."):
                node = Parent()
            elif step[:2] != ("op", "."):
                raise self.unexpected(step, "expected a name after '/'")
        if isinstance(node, Ref):
            self.references.add(node.name)
        elif not isinstance(node, Current | Parent):  # pragma: no cover - steps end so
            raise _syntax(token, "unexpected path")
        return node

    def step(self) -> Node:
        token = self.take()
        if token.kind == "number":
            value = float(token.text)
            if value == float("inf"):
                raise _syntax(token, "number too large")
            return Number(value)
        if token.kind == "string":
            return String(token.text[1:-1])
        if token.kind == "ref":
            self.references.add(token.text[2:-1])
            return Ref(token.text[2:-1])
        if token.kind == "name":
            return Column(token.text)
        if token.kind == "function":
            return self.call(token)
        if token[:2] == ("op", "."):
            return Current()
        if token[:2] == ("op", ".."):
            return Parent()
        if token[:2] == ("op", "("):
            self.enter(token)
            node = self.expression(0)
            self.expect(")")
            self.depth -= 1
            return node
        raise self.unexpected(token)

    def call(self, name: _Token) -> Call:
        function = FUNCTIONS.get(name.text)
        if name.text in REFUSED_FUNCTIONS:
            reason = REFUSED_FUNCTIONS[name.text]
            self.problems.append(
                ExpressionError("refused_function", name.position, name.text, reason)
            )
        elif function is None:
            self.problems.append(ExpressionError("unsupported_function", name.position, name.text))
        self.expect("(")
        self.enter(name)
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.expression(0))
            while self.at(","):
                self.take()
                args.append(self.expression(0))
        self.expect(")")
        self.depth -= 1
        if function is not None:
            self.check_call(name, function.min_args, function.max_args, args)
        return Call(name.text, tuple(args))

    def check_call(self, name: _Token, least: int, most: int | None, args: list[Node]) -> None:
        if not least <= len(args) <= (len(args) if most is None else most):
            detail = f"{least} arguments" if least == most else f"{least} to {most} arguments"
            self.problems.append(
                ExpressionError("wrong_argument_count", name.position, name.text, detail)
            )
            return
        pattern = args[1] if name.text == "regex" else None
        if not isinstance(pattern, String):
            return
        if compile_pattern(pattern.value) is None:
            self.problems.append(
                ExpressionError("invalid_regex", name.position, f"'{pattern.value}'")
            )
        elif is_catastrophic(pattern.value):
            self.problems.append(
                ExpressionError("catastrophic_regex", name.position, f"'{pattern.value}'")
            )


@dataclass(frozen=True)
class Expression:
    """A parsed expression. Equal when the trees are; ``text`` is the source."""

    tree: Node
    text: str = field(default="", compare=False)
    references: frozenset[str] = field(default=frozenset(), compare=False)
    """The names of every ``${...}`` the expression reads."""

    def evaluate(self, ctx: EvaluationContext) -> Value:
        """The value of the expression in ``ctx``; never raises, except
        :class:`forms.budget.BudgetExceeded` when the request's budget runs out."""
        clock = budget.entering()
        try:
            return evaluate_node(self.tree, ctx)
        finally:
            budget.leaving(clock)

    def to_text(self) -> str:
        """Canonical source text: one space around operators, only needed parentheses,
        numbers without exponents. ``parse(e.to_text()) == e``."""
        return _render(self.tree)


@lru_cache(maxsize=4096)
def _compile(text: str) -> Expression | tuple[ExpressionError, ...]:
    parser = _Parser(text)
    try:
        tree = parser.parse()
    except ExpressionError as error:
        return (*parser.problems, error)
    if parser.problems:
        return tuple(parser.problems)
    return Expression(tree, text, frozenset(parser.references))


def check(text: str, known_names: Iterable[str] | None = None) -> list[ExpressionError]:
    """Every problem with ``text``, for import-time validation (empty when fine).

    With ``known_names``, each ``${name}`` outside it is an ``unknown_reference``.
    A syntax error stops the search, but problems found before it are kept.
    """
    compiled = _compile(text)
    if not isinstance(compiled, Expression):
        return [error.copy() for error in compiled]
    if known_names is None:
        return []
    unknown = compiled.references.difference(known_names)
    found = [ExpressionError("unknown_reference", _position_of(text, n), n) for n in unknown]
    return sorted(found, key=lambda error: error.position)


def _position_of(text: str, name: str) -> int:
    """Where ``name`` is referred to: as ``${name}``, else as the last step of a path."""
    found = text.find(f"${{{name}}}")
    return found if found >= 0 else max(0, text.find(name))


def parse(text: str, known_names: Iterable[str] | None = None) -> Expression:
    """Parse ``text`` (cached); raise the first :class:`ExpressionError` found."""
    problems = check(text, known_names)
    if problems:
        raise problems[0]
    compiled = _compile(text)
    assert isinstance(compiled, Expression)
    return compiled


def evaluate(expression: Expression | str, ctx: EvaluationContext) -> Value:
    """The value of ``expression`` (parsed first when given as text) in ``ctx``."""
    if isinstance(expression, str):
        expression = parse(expression)
    return expression.evaluate(ctx)


def evaluate_bool(expression: Expression | str, ctx: EvaluationContext) -> bool:
    """The value of ``expression`` in ``ctx`` under XPath's ``boolean()`` rules."""
    return to_boolean(evaluate(expression, ctx))


def _render(node: Node) -> str:
    match node:
        case Number(value):
            return number_text(value)
        case String(value):
            return f'"{value}"' if "'" in value else f"'{value}'"
        case Ref(name):
            return "${" + name + "}"
        case Current():
            return "."
        case Parent():
            return ".."
        case Column(name):
            return name
        case Negate(operand):
            return "-" + _operand_text(operand, len(_LEVELS))
        case Operation(ops, operands):
            level = _PRECEDENCE[ops[0]]
            parts = [_operand_text(operands[0], level)]
            for op, operand in zip(ops, operands[1:], strict=True):
                parts += [op, _operand_text(operand, level)]
            return " ".join(parts)
        case Call(name, args):
            return f"{name}({', '.join(_render(arg) for arg in args)})"
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _operand_text(node: Node, level: int) -> str:
    """``node`` as an operand at ``level``: bracketed when it would otherwise regroup."""
    text = _render(node)
    if isinstance(node, Operation) and _PRECEDENCE[node.ops[0]] <= level:
        return f"({text})"
    return text
