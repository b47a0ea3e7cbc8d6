"""Quotes for a committee report, with personal details taken out.

:func:`scrub_personal_details` replaces what could identify a person with a
placeholder; :func:`candidate_quotes` picks a few informative units per
theme for a researcher to approve. Scrubbing is a safety net, not a
guarantee: a researcher still reads every quote before it is published.

Placeholders and the kinds reported in ``removed_kinds``:

============  ================
kind          placeholder
============  ================
link          ``[link]``
email         ``[email]``
phone         ``[phone]``
postal_code   ``[postal code]``
address       ``[address]``
name          ``[name]``
============  ================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analysis.records import TextUnit, ThemeMatch

PLACEHOLDERS = {
    "link": "[link]",
    "email": "[email]",
    "phone": "[phone]",
    "postal_code": "[postal code]",
    "address": "[address]",
    "name": "[name]",
}

_LINK = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+?(?=[.,;:!?)\]]*(?:\s|$))", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NORTH_AMERICAN_PHONE = r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}"
_INTERNATIONAL_PHONE = r"(?:\+|00)\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}"
_FRENCH_NATIONAL_PHONE = r"0\d(?:[\s.]?\d{2}){4}"
_PHONE = re.compile(
    rf"(?<![\w+])(?:{_INTERNATIONAL_PHONE}|{_NORTH_AMERICAN_PHONE}|{_FRENCH_NATIONAL_PHONE})"
    r"(?:\s*(?:ext\.?|x|poste)\s*\d{1,5})?(?!\w)",
    re.IGNORECASE,
)
_POSTAL_CODE = re.compile(
    r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][\s-]?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.IGNORECASE
)
_STREET_TYPES_EN = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|crescent|cres|court|ct"
    r"|way|place|pl|terrace|highway|hwy|parkway|pkwy|circle|trail|square|sq|line|sideroad"
)
_STREET_TYPES_FR = (
    r"rue|avenue|av|boulevard|boul|bd|chemin|ch|route|place|rang|montée|côte|allée|impasse"
    r"|promenade|croissant|terrasse|ruelle|carré|voie"
)
_NOT_A_NAME_WORD = r"(?!(?:the|a|an|of|on|in|to|and|or|my|our|your|for|with|at|is|was)\b)"
_ADDRESS = re.compile(
    r"\b\d{1,6}[a-z]?(?:-\d{1,6})?"
    rf"(?:\s+{_NOT_A_NAME_WORD}[^\W\d_][\w'’.-]*){{1,3}}\s+(?:{_STREET_TYPES_EN})\b\.?"
    r"(?:\s+(?:north|south|east|west|[nsew])\b)?"
    rf"|\b\d{{1,6}}(?:\s*(?:bis|ter))?,?\s+(?:{_STREET_TYPES_FR})\b\.?"
    r"(?:\s+(?:de\s+la|de|du|des|d['’]|l['’]))?\s*[^\W\d_][\w'’-]*"
    r"(?:\s+(?-i:[A-ZÀ-Ý][\w'’-]*)){0,2}(?:\s+(?:est|ouest|nord|sud)\b)?",
    re.IGNORECASE,
)
_PATTERNS = (
    ("link", _LINK),
    ("email", _EMAIL),
    ("postal_code", _POSTAL_CODE),
    ("phone", _PHONE),
    ("address", _ADDRESS),
)
IDEAL_LENGTH = (60, 200)
"""Quotes in this length range (characters) read best; others rank lower."""
MINIMUM_WORDS = 4


@dataclass(frozen=True, slots=True)
class ScrubResult:
    """Scrubbed text and the kinds of detail removed, in the order listed in ``PLACEHOLDERS``."""

    text: str
    removed_kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """A scrubbed candidate quote for one theme, for a researcher to approve."""

    theme: str
    unit_id: str
    respondent_id: str
    language: str
    text: str
    translation: str | None
    removed_kinds: tuple[str, ...]
    evidence_count: int


def scrub_personal_details(text: str, names: Iterable[str] = ()) -> ScrubResult:
    """Replace links, emails, phones, postal codes, street addresses and ``names``.

    ``names`` are the names a person gave elsewhere in the form; each word of
    two letters or more is replaced wherever it stands as a whole word, in
    any case. See the module docstring for the placeholders.
    """
    removed: set[str] = set()
    for kind, pattern in (*_PATTERNS, ("name", _names_pattern(names))):
        if pattern is None:
            continue
        text, count = pattern.subn(PLACEHOLDERS[kind], text)
        if count:
            removed.add(kind)
    return ScrubResult(text, tuple(kind for kind in PLACEHOLDERS if kind in removed))


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words = {w for name in names for w in re.findall(r"[^\W\d_][\w'’-]*", name) if len(w) >= 2}
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![\w\[])(?:{alternatives})(?![\w\]])", re.IGNORECASE)


def candidate_quotes(
    units_with_themes: Iterable[tuple[TextUnit, Sequence[ThemeMatch]]],
    per_theme: int = 5,
    max_length: int = 300,
    names: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, tuple[Quote, ...]]:
    """Pick up to ``per_theme`` scrubbed quotes for each theme.

    Candidates are units of at least four words and at most ``max_length``
    characters after scrubbing. They rank by: more evidence for the theme
    first, then fewer personal details removed, then closeness to
    ``IDEAL_LENGTH``, then unit id (so the order is deterministic). At most
    one quote per respondent per theme. ``names`` maps respondent ids to the
    names they gave, for :func:`scrub_personal_details`.
    """
    ranked: dict[str, list[tuple[tuple, Quote]]] = {}
    for unit, matches in units_with_themes:
        scrubbed = scrub_personal_details(unit.text, (names or {}).get(unit.respondent_id, ()))
        if len(scrubbed.text) > max_length or len(scrubbed.text.split()) < MINIMUM_WORDS:
            continue
        translation = _scrubbed_translation(unit, names)
        for match in matches:
            quote = Quote(
                match.theme,
                unit.unit_id,
                unit.respondent_id,
                unit.language,
                scrubbed.text,
                translation,
                scrubbed.removed_kinds,
                len(match.evidence),
            )
            key = (-quote.evidence_count, len(quote.removed_kinds), _length_penalty(quote.text))
            ranked.setdefault(match.theme, []).append(((*key, unit.unit_id), quote))
    return {theme: _best(candidates, per_theme) for theme, candidates in ranked.items()}


def _scrubbed_translation(unit: TextUnit, names: Mapping[str, Sequence[str]] | None) -> str | None:
    if not unit.translation:
        return None
    return scrub_personal_details(unit.translation, (names or {}).get(unit.respondent_id, ())).text


def _length_penalty(text: str) -> int:
    low, high = IDEAL_LENGTH
    return max(low - len(text), len(text) - high, 0)


def _best(candidates: list[tuple[tuple, Quote]], per_theme: int) -> tuple[Quote, ...]:
    chosen: list[Quote] = []
    speakers: set[str] = set()
    for _, quote in sorted(candidates, key=lambda pair: pair[0]):
        if quote.respondent_id in speakers:
            continue
        chosen.append(quote)
        speakers.add(quote.respondent_id)
        if len(chosen) == per_theme:
            break
    return tuple(chosen)
