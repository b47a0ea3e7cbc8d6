"""A budget for the expression work one request may do.

Each expression is cheap, but a form multiplies them: relevance of every
question on every page, constraints of every repeat entry, ``regex()`` on
long answers. Inside :func:`expression_budget` every node evaluated costs a
step, a ``regex()`` call costs the length of its input, and regular
expressions may only run for the time left; when either runs out,
:class:`BudgetExceeded` is raised (the web layer answers 422). Outside a
budget nothing is counted, and each ``regex()`` keeps its own time limit.

Time counts only while an expression is being evaluated (between
:func:`entering` and :func:`leaving`, which :meth:`forms.expressions.Expression.evaluate`
calls): a request that waited for the database, or loaded a library,
before its checks ran has not spent its budget.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

DEFAULT_STEPS = 2_000_000
"""Nodes evaluated (plus characters matched by ``regex()``) in one request."""
DEFAULT_SECONDS = 2.0
"""Seconds of expression work in one request, regular expressions included."""
_CHECK_CLOCK_EVERY = 4096
_clock = time.monotonic


class BudgetExceeded(RuntimeError):
    """The request's expression budget ran out: ``reason`` is ``steps`` or ``time``."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"expression budget exceeded ({reason})")
        self.reason = reason


@dataclass(slots=True)
class _Budget:
    steps: int
    seconds: float
    """Seconds of evaluation left, not counting the evaluation under way."""
    entered: float | None = None
    """When the outermost evaluation under way began (``None``: none is)."""
    until_clock: int = _CHECK_CLOCK_EVERY

    def left(self) -> float:
        if self.entered is None:
            return self.seconds
        return self.seconds - (_clock() - self.entered)


_current: ContextVar[_Budget | None] = ContextVar("expression_budget", default=None)


@contextmanager
def expression_budget(
    steps: int = DEFAULT_STEPS, seconds: float = DEFAULT_SECONDS
) -> Iterator[None]:
    """Count the expression work done inside the block against one budget."""
    token = _current.set(_Budget(steps, seconds))
    try:
        yield
    finally:
        _current.reset(token)


def start_budget(steps: int = DEFAULT_STEPS, seconds: float = DEFAULT_SECONDS):
    """Start a budget that lasts until :func:`end_budget` with the returned token."""
    return _current.set(_Budget(steps, seconds))


def end_budget(token) -> None:
    """End the budget :func:`start_budget` started."""
    _current.reset(token)


def entering() -> _Budget | None:
    """An evaluation begins: start the clock unless an outer one runs it already.

    Returns what :func:`leaving` needs (``None`` when there is nothing to stop).
    """
    budget = _current.get()
    if budget is None or budget.entered is not None:
        return None
    budget.entered = _clock()
    return budget


def leaving(budget: _Budget | None) -> None:
    """The evaluation :func:`entering` began is over: its time is spent."""
    if budget is not None:
        budget.seconds = budget.left()
        budget.entered = None


def charge(cost: int = 1) -> None:
    """Spend ``cost`` steps; raise :class:`BudgetExceeded` when the budget is spent."""
    budget = _current.get()
    if budget is None:
        return
    budget.steps -= cost
    if budget.steps < 0:
        raise BudgetExceeded("steps")
    budget.until_clock -= cost
    if budget.until_clock <= 0:
        budget.until_clock = _CHECK_CLOCK_EVERY
        if budget.left() < 0:
            raise BudgetExceeded("time")


def seconds_left(limit: float) -> float:
    """How long one regular expression may run: ``limit``, or less when the budget ends first.

    Raises :class:`BudgetExceeded` when no time is left.
    """
    budget = _current.get()
    if budget is None:
        return limit
    left = budget.left()
    if left <= 0:
        raise BudgetExceeded("time")
    return min(limit, left)
