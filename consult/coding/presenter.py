"""Showing coded text: evidence highlighted, themes with their labels."""

from __future__ import annotations

from markupsafe import Markup, escape


def highlight(text: str, spans: list[tuple[int, int, str]]) -> Markup:
    """``text`` escaped, with each ``(start, end, theme)`` span wrapped in ``<mark>``."""
    pieces, position = [], 0
    for start, end, theme in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if start < position:
            continue
        pieces.append(escape(text[position:start]))
        pieces.append(Markup('<mark data-theme="{}">{}</mark>').format(theme, text[start:end]))
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def evidence_spans(unit, in_translation: bool) -> list[tuple[int, int, str]]:
    """The unit's evidence spans in its text (or in its translation)."""
    return [
        (start, end, code.theme)
        for code in unit.auto_codes
        for start, end, _matched, from_translation in code.evidence
        if bool(from_translation) == in_translation
    ]
