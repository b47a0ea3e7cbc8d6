"""Quotes for a committee report, with what could identify a person taken out or flagged.

:func:`scrub_personal_details` runs :func:`analysis.identifying.scrub`: identifiers
and names are replaced by placeholders (``[name]``, ``[phone]``, ``[UCI]`` …),
quasi-identifiers (workplaces, schools, small places, rare languages, family
details) are flagged for the researcher. :func:`candidate_quotes` picks a few
informative units per theme for a researcher to approve. Scrubbing is a safety
net, not a guarantee: a researcher still reads every quote before it is published,
and a quote with unresolved flags is approved only by an explicit override.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analysis.identifying import PLACEHOLDERS, Finding, Scrubbed, generalise, scrub
from analysis.records import TextUnit, ThemeMatch

__all__ = [
    "GENERALISE",
    "KEEP",
    "PLACEHOLDERS",
    "Quote",
    "Review",
    "Scrubbed",
    "candidate_quotes",
    "marked_segments",
    "review_quote",
    "scrub_personal_details",
]
GENERALISE, KEEP = "generalise", "keep"
"""A researcher's choice for one flag: replace it with its generalisation, or keep it."""

IDEAL_LENGTH = (60, 200)
"""Quotes in this length range (characters) read best; others rank lower."""
MINIMUM_WORDS = 4


@dataclass(frozen=True, slots=True)
class Quote:
    """A scrubbed candidate quote for one theme, for a researcher to approve.

    ``original`` is the unit's text as written (for the researcher's eyes only);
    ``removed`` what scrubbing took out of it, ``flags`` what is left for the
    researcher to resolve (offsets in ``text``).
    """

    theme: str
    unit_id: str
    respondent_id: str
    language: str
    text: str
    translation: str | None
    removed_kinds: tuple[str, ...]
    evidence_count: int
    original: str = ""
    removed: tuple[Finding, ...] = ()
    flags: tuple[Finding, ...] = ()


def scrub_personal_details(text: str, names: Iterable[str] = ()) -> Scrubbed:
    """``text`` with identifiers and ``names`` removed and quasi-identifiers flagged.

    ``names`` are the names a person gave elsewhere in the form; each word of
    two letters or more is replaced wherever it stands as a whole word, in any
    case. See :mod:`analysis.identifying` for what else is caught.
    """
    return scrub(text, names)


@dataclass(frozen=True, slots=True)
class Review:
    """A quote as a researcher submits it, scrubbed again with their choices applied.

    ``text`` is what would be published; ``removed`` what scrubbing took out of the
    submitted text; each flag is in ``generalised``, ``kept`` or ``unresolved``.
    """

    text: str
    removed: tuple[Finding, ...]
    generalised: tuple[Finding, ...]
    kept: tuple[Finding, ...]
    unresolved: tuple[Finding, ...]
    flags: tuple[Finding, ...]  # every flag, offsets in the text before generalising


def review_quote(text: str, names: Iterable[str], choices: Mapping[str, str]) -> Review:
    """Scrub ``text`` (as edited by a researcher) and apply ``choices``.

    ``choices`` maps a flag's :attr:`~analysis.identifying.Finding.key` to
    :data:`GENERALISE` or :data:`KEEP`; a flag with no choice is unresolved. What
    the researcher typed is scrubbed again, so an identifier typed in is removed.
    """
    scrubbed = scrub(text, names)
    out = scrubbed.text
    sorted_flags: dict[str, list[Finding]] = {GENERALISE: [], KEEP: [], "": []}
    for flag in scrubbed.flags:
        choice = choices.get(flag.key, "")
        sorted_flags[choice if choice in sorted_flags else ""].append(flag)
    for flag in sorted_flags[GENERALISE]:
        out = generalise(out, flag)
    return Review(
        out.strip(),
        scrubbed.removed,
        tuple(sorted_flags[GENERALISE]),
        tuple(sorted_flags[KEEP]),
        tuple(sorted_flags[""]),
        scrubbed.flags,
    )


def marked_segments(text: str, flags: Sequence[Finding]) -> list[tuple[str, Finding | None]]:
    """``text`` cut into pieces, each with the flag it is (to highlight), or ``None``."""
    pieces: list[tuple[str, Finding | None]] = []
    cursor = 0
    for flag in sorted(flags, key=lambda f: f.start):
        if flag.start < cursor or text[flag.start : flag.end] != flag.text:
            continue
        pieces += [(text[cursor : flag.start], None), (flag.text, flag)]
        cursor = flag.end
    pieces.append((text[cursor:], None))
    return [(piece, flag) for piece, flag in pieces if piece]


POOL = 4
"""Scrubbing is the costly step, so only the ``POOL × per_theme`` units that rank best on
their raw text (evidence, length) are scrubbed and ranked again, per theme."""


def candidate_quotes(
    units_with_themes: Iterable[tuple[TextUnit, Sequence[ThemeMatch]]],
    per_theme: int = 5,
    max_length: int = 300,
    names: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, tuple[Quote, ...]]:
    """Pick up to ``per_theme`` scrubbed quotes for each theme.

    Candidates are units of at least four words and at most ``max_length``
    characters after scrubbing. They rank by: more evidence for the theme
    first, then fewer personal details removed or flagged, then closeness to
    ``IDEAL_LENGTH``, then unit id (so the order is deterministic). At most
    one quote per respondent per theme. ``names`` maps respondent ids to the
    names they gave, for :func:`scrub_personal_details`. Only the :data:`POOL`
    best per theme on their raw text are scrubbed.
    """
    pools: dict[str, list[tuple[tuple, TextUnit, ThemeMatch]]] = {}
    for unit, matches in units_with_themes:
        if len(unit.text.split()) < MINIMUM_WORDS:
            continue
        for match in matches:
            rough = (-len(match.evidence), _length_penalty(unit.text), unit.unit_id)
            pools.setdefault(match.theme, []).append((rough, unit, match))
    scrubbed: dict[str, tuple[Scrubbed, str | None]] = {}
    ranked: dict[str, list[tuple[tuple, Quote]]] = {}
    for theme, pool in pools.items():
        pool.sort(key=lambda item: item[0])
        for _, unit, match in pool[: POOL * per_theme]:
            if unit.unit_id not in scrubbed:
                given = (names or {}).get(unit.respondent_id, ())
                scrubbed[unit.unit_id] = (
                    scrub_personal_details(unit.text, given),
                    _scrubbed_translation(unit, names),
                )
            quote = _quote(unit, match, *scrubbed[unit.unit_id])
            if len(quote.text) > max_length or len(quote.text.split()) < MINIMUM_WORDS:
                continue
            details = len(quote.removed_kinds) + len(quote.flags)
            key = (-quote.evidence_count, details, _length_penalty(quote.text), unit.unit_id)
            ranked.setdefault(theme, []).append((key, quote))
    return {theme: _best(candidates, per_theme) for theme, candidates in ranked.items()}


def _quote(unit: TextUnit, match: ThemeMatch, scrubbed: Scrubbed, translation) -> Quote:
    return Quote(
        match.theme,
        unit.unit_id,
        unit.respondent_id,
        unit.language,
        scrubbed.text,
        translation,
        scrubbed.removed_kinds,
        len(match.evidence),
        unit.text,
        scrubbed.removed,
        scrubbed.flags,
    )


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
