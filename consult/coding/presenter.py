"""Showing coded text: evidence highlighted, themes with their labels."""

from __future__ import annotations

from markupsafe import Markup, escape

CHOSEN = "chosen"
"""The kind of a span a researcher chose (coding a selected passage)."""


def highlight(text: str, spans: list[tuple]) -> Markup:
    """``text`` escaped, with each ``(start, end, theme)`` span wrapped in ``<mark>``.

    A span ``(start, end, theme, "chosen")`` is a passage a researcher chose: it is marked
    as such and wins over the coder's evidence where they overlap.
    """
    taken: list[tuple] = []
    for span in sorted(spans, key=lambda s: (len(s) < 4 or s[3] != CHOSEN, s[0], s[1])):
        start, end = span[0], span[1]
        inside = 0 <= start < end <= len(text)
        if inside and all(end <= t[0] or start >= t[1] for t in taken):
            taken.append(span)
    pieces, position = [], 0
    for start, end, theme, *kind in sorted(taken):
        pieces.append(escape(text[position:start]))
        if kind == [CHOSEN]:
            mark = Markup('<mark class="chosen" data-theme="{}">{}</mark>')
        else:
            mark = Markup('<mark data-theme="{}">{}</mark>')
        pieces.append(mark.format(theme, text[start:end]))
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def chosen_spans(unit) -> list[tuple[int, int, str, str]]:
    """The passages researchers chose in the unit's text, per theme still present."""
    return [
        (start, end, decision.theme, CHOSEN)
        for decision in unit.decisions
        if decision.present
        for start, end, _passage, _in_translation in decision.evidence or []
    ]


def evidence_spans(unit, in_translation: bool) -> list[tuple]:
    """The unit's evidence spans in its text (or in its translation): the coder's, and in
    the text the passages researchers chose."""
    found = [
        (start, end, code.theme)
        for code in unit.auto_codes
        for start, end, _matched, from_translation in code.evidence
        if bool(from_translation) == in_translation
    ]
    return found if in_translation else [*found, *chosen_spans(unit)]
