"""Right-to-left text, word by word: the Unicode bidi algorithm at word level.

A PDF line is drawn left to right, word after word, and each word is shaped
(joined, and put in visual order inside itself) by HarfBuzz. What is left
is the order of the words on a line: in a right-to-left paragraph, Arabic
words run from the right, while a run of Latin words or numbers inside it
keeps its own left-to-right order. :func:`visual_order` does that with the
levels of the Unicode Bidirectional Algorithm (UAX #9) resolved per word:
strong words by their first strong letter, numbers as left-to-right runs,
neutral words by their neighbours (numbers count as right-to-left for
them, rule N1). Mixed digits and Arabic letters inside one word are left
to HarfBuzz. Punctuation glued to a number inside right-to-left text
(``1)،``, ``(47–84%)``) belongs to the right-to-left text around it (rule N1):
:func:`visual_order` draws it reversed and mirrored on the number's far side
(``1)،`` is drawn ``،(1``), so brackets face the right way.
"""

from __future__ import annotations

import unicodedata
from itertools import groupby

RTL = "rtl"
LTR = "ltr"

_RIGHT_TO_LEFT_CLASSES = {"R", "AL"}


def first_strong_direction(text: str) -> str | None:
    """``rtl`` or ``ltr`` from the first strong letter of ``text``; None if there is none."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in _RIGHT_TO_LEFT_CLASSES:
            return RTL
        if kind == "L":
            return LTR
    return None


def has_right_to_left(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter (Arabic, Hebrew, Syriac, Thaana...)."""
    return any(unicodedata.bidirectional(c) in _RIGHT_TO_LEFT_CLASSES for c in text)


def paragraph_direction(text: str, default: str) -> str:
    """The direction of a paragraph: its first strong letter, else ``default`` (HTML dir=auto)."""
    return first_strong_direction(text) or default


def _word_kind(word: str) -> str:
    strong = first_strong_direction(word)
    if strong == RTL:
        return "R"
    if strong == LTR:
        return "L"
    if any(unicodedata.bidirectional(c) in {"EN", "AN"} for c in word):
        return "EN"
    return "N"


def word_levels(words: list[str], direction: str) -> list[int]:
    """The embedding level of each word (0/1 left-to-right/right-to-left, 2 a run inside RTL)."""
    kinds = [_word_kind(w) for w in words]
    base = 1 if direction == RTL else 0
    strong = ["R" if k == "EN" and base == 1 else k for k in kinds]
    resolved = []
    for index, kind in enumerate(kinds):
        if kind == "N":
            before = next((s for s in reversed(strong[:index]) if s != "N"), None)
            after = next((s for s in strong[index + 1 :] if s != "N"), None)
            kind = before if before is not None and before == after else ("R" if base else "L")
        resolved.append(kind)
    if base == 1:
        return [1 if kind == "R" else 2 for kind in resolved]
    return [1 if kind == "R" else 0 for kind in resolved]


def visual_order(words: list[str], direction: str) -> list[str]:
    """The words of one line in the order they are drawn, left to right (UAX #9 rule L2).

    A number inside right-to-left text keeps its digits left to right; the
    punctuation before and after it is drawn right to left (reversed, brackets
    mirrored, rule L4), as it would be by the full algorithm.
    """
    levels = word_levels(words, direction)
    order = list(range(len(words)))
    for level in range(max(levels, default=0), 0, -1):
        reordered: list[int] = []
        for reverse, group in groupby(order, key=lambda i: levels[i] >= level):
            items = list(group)
            reordered.extend(reversed(items) if reverse else items)
        order = reordered
    return [_drawn(words[i], levels[i]) for i in order]


_NUMBER_CLASSES = {"EN", "AN", "ET", "L"}
_MIRRORED = dict(zip("()[]{}<>«»", ")(][}{><»«", strict=True))


def _drawn(word: str, level: int) -> str:
    """A number word at level 2: its leading and trailing punctuation right to left."""
    if level != 2 or _word_kind(word) != "EN":
        return word
    kinds = [unicodedata.bidirectional(c) for c in word]
    first = next(i for i, k in enumerate(kinds) if k in _NUMBER_CLASSES)
    last = max(i for i, k in enumerate(kinds) if k in _NUMBER_CLASSES)
    while last + 1 < len(word) and word[last + 1] in ")]}" and _unclosed(word[first : last + 1]):
        last += 1  # "59% (42–74%)": the bracket closes one opened inside the number
    lead, core, trail = word[:first], word[first : last + 1], word[last + 1 :]
    return _mirror(trail[::-1]) + core + _mirror(lead[::-1])


def _unclosed(text: str) -> bool:
    return sum(text.count(c) for c in "([{") > sum(text.count(c) for c in ")]}")


def _mirror(text: str) -> str:
    return "".join(_MIRRORED.get(c, c) for c in text)
