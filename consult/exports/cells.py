"""Cell values that a spreadsheet would run as a formula are neutralised.

Following the OWASP guidance on CSV injection, a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or with spaces and
then one of ``=+-@``) gets a leading apostrophe, so Excel, LibreOffice and
Google Sheets show it as text instead of evaluating it. Numbers are never
touched: ``-2`` stored as a number stays the number -2. The apostrophe is
visible in the file; it is the documented price of safety (see docs/exports.md).
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = frozenset("=+-@\t\r")
_AFTER_SPACES = frozenset("=+-@")


def neutralise(text: str) -> str:
    """``text``, with a leading ``'`` when a spreadsheet would read it as a formula."""
    if not text:
        return text
    first = text[0]
    if first in FORMULA_STARTS:
        return "'" + text
    if first.isspace():
        stripped = text.lstrip()
        if stripped and stripped[0] in _AFTER_SPACES:
            return "'" + text
    return text


_SUSPECT = FORMULA_STARTS | frozenset(" \n\x0b\x0c\u00a0\u3000")
"""First characters worth a closer look (a fast first test for whole rows)."""


def neutralise_row(cells: Iterable[object]) -> list[object]:
    """Every text cell of a row neutralised; numbers and empty cells as they are."""
    suspect = _SUSPECT
    return [neutralise(c) if c.__class__ is str and c and c[0] in suspect else c for c in cells]
