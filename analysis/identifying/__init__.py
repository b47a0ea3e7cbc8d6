"""What in a free-text answer could identify its writer, in all 12 languages.

:func:`find_identifying` returns :class:`Finding` spans of three families:

- **identifiers** (removed): emails, links, phone numbers, postal codes, street
  addresses, IRCC UCIs and application numbers, SINs, health-card, passport and
  permit numbers (:mod:`.identifiers`), in every digit system;
- **names** (removed, or flagged where the evidence is weak) (:mod:`.names`);
- **quasi-identifiers** (flagged): workplaces, schools, small places, rare
  languages and family details (:mod:`.quasi`).

:func:`scrub` replaces what is removed with a placeholder (``[name]``, ``[UCI]``
…) and keeps the flags, placed in the scrubbed text, for a researcher to
resolve: :func:`generalise` replaces one with its generalisation (``[a
school]``). Reasons are codes (``introduction``, ``title``, ``phonenumbers``,
``context`` …) that the web layer words in the researcher's language.

This is a safety net, not a guarantee: what it cannot see (a nickname with no
cue, a town written in Arabic script, an unusual story) still needs a
researcher's eye, and nothing reaches a committee until one approves it.
``bench/eval_quotes.py`` measures recall per language and kind on the
synthetic set in ``tests/analysis/data/identifying_spans.txt``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from analysis.identifying.identifiers import find_identifiers
from analysis.identifying.names import find_names
from analysis.identifying.quasi import find_quasi_identifiers
from analysis.identifying.text import ascii_digits

PLACEHOLDERS = {
    "email": "[email]",
    "link": "[link]",
    "phone": "[phone]",
    "postal_code": "[postal code]",
    "address": "[address]",
    "uci": "[UCI]",
    "application": "[application number]",
    "sin": "[SIN]",
    "health_card": "[health card number]",
    "passport": "[passport number]",
    "permit": "[permit number]",
    "document_number": "[number]",
    "name": "[name]",
}
"""What replaces each kind that is removed, and what a flagged name becomes."""
GENERALISATIONS = {
    "workplace": "[an employer]",
    "school": "[a school]",
    "place": "[a place]",
    "language": "[a language]",
    "family": "[family details]",
    "name": "[name]",
}
"""What a flagged quasi-identifier (or a flagged possible name) becomes in one click."""
IDENTIFIER_KINDS = tuple(k for k in PLACEHOLDERS if k != "name")
QUASI_KINDS = ("workplace", "school", "place", "language", "family")
KINDS = (*IDENTIFIER_KINDS, "name", *QUASI_KINDS)
REMOVE, FLAG = "remove", "flag"


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifying span: ``text[start:end]``, what it is, why, and what happens to it.

    ``action`` is ``"remove"`` (replaced by the kind's placeholder) or ``"flag"``
    (left for a researcher to generalise or keep). ``reason`` is a code.
    """

    start: int
    end: int
    kind: str
    reason: str
    action: str
    text: str

    @property
    def replacement(self) -> str:
        """The placeholder (removed) or the generalisation (flagged) for this span."""
        table = PLACEHOLDERS if self.action == REMOVE else GENERALISATIONS
        return table.get(self.kind, "[…]")

    @property
    def key(self) -> str:
        """Names this flag in a form, stable while its text and kind stay the same."""
        return f"{self.kind}:{self.text}"


@dataclass(frozen=True, slots=True)
class Scrubbed:
    """An answer with identifiers and names removed, and the flags left in it.

    ``removed`` carry offsets in the original text; ``flags`` in ``text``.
    """

    text: str
    removed: tuple[Finding, ...]
    flags: tuple[Finding, ...]

    @property
    def removed_kinds(self) -> tuple[str, ...]:
        """The kinds removed, in the order of :data:`KINDS`."""
        kinds = {f.kind for f in self.removed}
        return tuple(k for k in KINDS if k in kinds)


def find_identifying(text: str, names: Iterable[str] = ()) -> tuple[Finding, ...]:
    """Every identifying span of ``text``, without overlaps, in order.

    ``names`` are names its writer gave elsewhere (a name question, a sign-up).
    Where spans overlap, a removal wins over a flag and the two are joined; among
    flags, a quasi-identifier wins over a capitalised word.
    """
    digits = ascii_digits(text)
    found = [
        *((s, e, k, r, REMOVE) for s, e, k, r in find_identifiers(text, digits)),
        *find_names(text, tuple(names)),
        *((s, e, k, r, FLAG) for s, e, k, r in find_quasi_identifiers(text, digits)),
    ]
    spans = [Finding(s, e, k, r, a, text[s:e]) for s, e, k, r, a in found if e > s]
    return _resolve(spans, text)


_RANK = {
    **{k: 0 for k in IDENTIFIER_KINDS},
    "document_number": 1,  # a number whose kind nothing told: any other reading wins
    "name": 2,
    **{k: 3 for k in QUASI_KINDS},
}


def _priority(f: Finding) -> tuple:
    """Removals first (identifiers, then names, longest first), then the longest flags."""
    if f.action == REMOVE:
        return (0, _RANK.get(f.kind, 4), -(f.end - f.start), f.start)
    weak = f.kind == "name" and f.reason == "capitalised"
    return (1, -(f.end - f.start), weak, _RANK.get(f.kind, 4), f.start)


def _resolve(spans: list[Finding], text: str) -> tuple[Finding, ...]:
    kept: list[Finding] = []
    for span in sorted(spans, key=_priority):
        overlapping = [k for k in kept if k.start < span.end and span.start < k.end]
        if not overlapping:
            kept.append(span)
        elif span.action == REMOVE and all(k.action == REMOVE for k in overlapping):
            for k in overlapping:
                kept.remove(k)
            start = min(span.start, *(k.start for k in overlapping))
            end = max(span.end, *(k.end for k in overlapping))
            winner = min([span, *overlapping], key=_priority)
            kept.append(replace(winner, start=start, end=end, text=text[start:end]))
        elif span.action == FLAG and (rest := _outside(span, overlapping, text)):
            kept.append(rest)
    return tuple(sorted(kept, key=lambda f: f.start))


def _outside(flag: Finding, overlapping: list[Finding], text: str) -> Finding | None:
    """What of a flag lies before (or else after) the spans it overlaps, if a word is left."""
    first = min(k.start for k in overlapping)
    last = max(k.end for k in overlapping)
    start, end = (flag.start, first) if flag.start < first else (last, flag.end)
    if (flag.start < first and flag.end > last) or flag.reason == "capitalised":
        return None
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if end - start < 2 or any(k.start < end and start < k.end for k in overlapping):
        return None
    return replace(flag, start=start, end=end, text=text[start:end])


def scrub(text: str, names: Iterable[str] = ()) -> Scrubbed:
    """``text`` with identifiers and names replaced, and its flags (see the module docstring)."""
    findings = find_identifying(text, names)
    out: list[str] = []
    flags: list[Finding] = []
    cursor = 0
    length = 0
    for finding in findings:
        out.append(text[cursor : finding.start])
        length += finding.start - cursor
        piece = finding.replacement if finding.action == REMOVE else finding.text
        if finding.action == FLAG:
            flags.append(replace(finding, start=length, end=length + len(piece)))
        out.append(piece)
        length += len(piece)
        cursor = finding.end
    out.append(text[cursor:])
    removed = tuple(f for f in findings if f.action == REMOVE)
    return Scrubbed("".join(out), removed, tuple(flags))


def generalise(text: str, flag: Finding) -> str:
    """``text`` with the flagged span replaced by its generalisation (each occurrence)."""
    if not flag.text:
        return text
    return text.replace(flag.text, flag.replacement)
