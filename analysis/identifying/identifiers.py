"""Identifiers: numbers, codes and addresses that point at one person, in any digit system.

Phone numbers come from ``phonenumbers`` (Google's libphonenumber rules, which
read every script's digits), SIN check digits from ``python-stdnum``; the rest
are patterns for the forms Canadian documents take, read on
:func:`~analysis.identifying.text.ascii_digits` of the answer so that ``١٢٣٤``
and ``۱۲۳۴`` are ``1234``:

- UCI (IRCC client identifier): 8 or 10 digits, ``1234-5678`` or ``00-0000-0000``;
- IRCC application and permit numbers: a letter and 9 digits (``E001234567``,
  ``W306123456``, ``U100123456``);
- passports: one or two letters and 6 to 10 digits (``P1234567A``, ``AB123456``);
- health cards: Ontario ``1234-567-890-AB``, Quebec ``DUBM 8503 1512``, and
  any other run of 7 or more digits;
- SIN: 9 digits; any run of 7 or more digits is removed whatever it is.

Which of these a number is (its kind, and so its placeholder) is decided by the
words before it (``passport``, ``جواز``, ``护照`` … in :mod:`lexicon`); the
number is removed whichever kind it is.
"""

from __future__ import annotations

from collections.abc import Iterator

import phonenumbers
import regex
from stdnum.ca import sin as stdnum_sin

from analysis.identifying import lexicon
from analysis.identifying.text import compile_alternation, is_capitalised, is_known

Candidate = tuple[int, int, str, str]  # start, end, kind, reason
# Letters and digits that join a code to its neighbours: Chinese characters do not
# ("号码是1234-5678。" holds a number).
_ALNUM = r"[\p{Latin}\p{Cyrillic}\p{Greek}\d_]"

LINK = regex.compile(
    r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+?(?=[.,;:!?)\]]*(?:\s|$))"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:ca|com|org|net|gc\.ca|info)(?:/[^\s<>\"']*)?(?![\w@])",
    regex.IGNORECASE,
)
EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NANP = r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}"
_INTERNATIONAL = r"(?:\+|00)\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}"
_FRENCH = r"0\d(?:[\s.]?\d{2}){4}"
PHONE = regex.compile(
    rf"(?<![\p{{Latin}}\p{{Cyrillic}}\d_+])(?:{_INTERNATIONAL}|{_NANP}|{_FRENCH})"
    r"(?:\s*(?:ext\.?|x|poste)\s*\d{1,5})?(?![\p{Latin}\p{Cyrillic}\d_])",
    regex.IGNORECASE,
)
POSTAL_CODE = regex.compile(
    rf"(?<!{_ALNUM})[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][\s-]?\d[ABCEGHJ-NPRSTV-Z]\d(?!{_ALNUM})",
    regex.IGNORECASE,
)
LETTER_CODE = regex.compile(rf"(?<![-]|{_ALNUM})[A-Z]{{1,2}}\d{{6,10}}[A-Z]?(?![-]|{_ALNUM})")
QUEBEC_HEALTH = regex.compile(rf"(?<!{_ALNUM})[A-Z]{{4}}[\s-]?\d{{4}}[\s-]?\d{{4}}(?!{_ALNUM})")
ONTARIO_HEALTH = regex.compile(
    rf"(?<!{_ALNUM})\d{{4}}[\s-]?\d{{3}}[\s-]?\d{{3}}[\s-]?[A-Z]{{2}}(?!{_ALNUM})"
)
LONG_NUMBER = regex.compile(rf"(?<![.,/$]|{_ALNUM})\d(?:[ .-]?\d){{6,15}}(?![/]|{_ALNUM})")
ISO_DATE = regex.compile(r"\d{4}-\d{2}-\d{2}")

_STREET_EN = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|crescent|cres|court|ct"
    r"|way|place|pl|terrace|highway|hwy|parkway|pkwy|circle|trail|square|sq|line|sideroad"
)
_STREET_FR = (
    r"rue|avenue|av|boulevard|boul|bd|chemin|ch|route|place|rang|montée|côte|allée|impasse"
    r"|promenade|croissant|terrasse|ruelle|carré|voie"
)
_NOT_NAME = r"(?!(?:the|a|an|of|on|in|to|and|or|my|our|your|for|with|at|is|was)\b)"
_UNIT = r"(?:(?:apt|unit|suite|app|#)\.?\s*)?\d{1,5}\s*[-–]\s*"
ADDRESS = regex.compile(
    rf"(?:{_UNIT})?\b\d{{1,6}}[a-z]?(?:-\d{{1,6}})?"
    rf"(?:\s+{_NOT_NAME}(?:\d{{1,3}}(?:st|nd|rd|th)?|[^\W\d_][\w'’.-]*)){{1,3}}"
    rf"\s+(?:{_STREET_EN})\b\.?(?:\s+(?:north|south|east|west|[nsew]|nw|ne|sw|se)\b)?"
    rf"|\b\d{{1,6}}(?:\s*(?:bis|ter))?,?\s+(?:{_STREET_FR})\b\.?"
    r"(?:\s+(?:de\s+la|de|du|des|d['’]|l['’]))?\s*[^\W\d_][\w'’-]*"
    r"(?:\s+(?-i:[A-ZÀ-Ý][\w'’-]*)){0,2}(?:\s+(?:est|ouest|nord|sud)\b)?",
    regex.IGNORECASE,
)
# A number and capitalised words with no street-type word: "4410 Kingsway".
NUMBERED_NAME = regex.compile(
    r"(?<![\w$.,])\d{2,6}[A-Za-z]?\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})"
)
_STREET_WORD = lexicon.alternation(lexicon.STREET_WORDS)
_W = r"[\p{L}\p{M}\u200c]+"
STREET = regex.compile(
    rf"(?:\d{{1,6}}\s*)?(?:{_STREET_WORD})\s+{_W}(?:\s+{_W})?\s*(?:رقم|No\.?|#)\s*\d{{1,5}}"
    rf"|\d{{1,6}}\s*(?:{_STREET_WORD})\s+{_W}"
    rf"|\d{{1,6}}\s+{_W}(?:\s+{_W}){{0,2}}\s+(?:{_STREET_WORD})",
    regex.IGNORECASE,
)
HAN_ADDRESS = regex.compile(r"\p{Han}{0,6}(?:\d+号)?(?:路|街|大道|道)\d+号(?:\d+室)?")
_CONTEXT = {kind: compile_alternation(words) for kind, words in lexicon.DOCUMENT_CONTEXT.items()}
CONTEXT_WINDOW = 40


def find_identifiers(text: str, digits: str) -> Iterator[Candidate]:
    """Every identifier in ``text`` (``digits`` is its :func:`ascii_digits` view)."""
    yield from ((m.start(), m.end(), "email", "pattern") for m in EMAIL.finditer(text))
    yield from _links(text)
    yield from _phones(text, digits)
    yield from (
        (m.start(), m.end(), "postal_code", "pattern") for m in POSTAL_CODE.finditer(digits)
    )
    yield from _documents(digits)
    yield from _addresses(digits)


def _links(text: str) -> Iterator[Candidate]:
    for match in LINK.finditer(text):
        if "@" not in text[max(0, match.start() - 1) : match.start()]:
            yield match.start(), match.end(), "link", "pattern"


def _phones(text: str, digits: str) -> Iterator[Candidate]:
    matcher = phonenumbers.PhoneNumberMatcher(text, "CA", leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        kind = _document_kind(digits, match.start) or "phone"
        yield match.start, match.end, kind, "phonenumbers"
    for match in PHONE.finditer(digits):
        kind = _document_kind(digits, match.start()) or "phone"
        yield match.start(), match.end(), kind, "pattern"


def _documents(digits: str) -> Iterator[Candidate]:
    for match in QUEBEC_HEALTH.finditer(digits):
        yield match.start(), match.end(), "health_card", "pattern"
    for match in ONTARIO_HEALTH.finditer(digits):
        yield match.start(), match.end(), "health_card", "pattern"
    for match in LETTER_CODE.finditer(digits):
        named = _document_kind(digits, match.start())
        kind = "document_number" if named in {"sin", "health_card"} else named or "application"
        yield match.start(), match.end(), kind, "context" if named else "pattern"
    for match in LONG_NUMBER.finditer(digits):
        if ISO_DATE.fullmatch(match.group()):
            continue
        yield match.start(), match.end(), *_number_kind(digits, match)


def _number_kind(digits: str, match: regex.Match[str]) -> tuple[str, str]:
    """A long number's kind: by the words before it, a valid SIN, a UCI's shape, or none."""
    kind = _document_kind(digits, match.start())
    if kind:
        return kind, "context"
    plain = regex.sub(r"\D", "", match.group())
    if len(plain) == 9 and stdnum_sin.is_valid(plain):
        return "sin", "check_digit"
    if regex.fullmatch(r"\d{2}-\d{4}-\d{4}", match.group()):
        return "uci", "pattern"
    return "document_number", "pattern"


def _document_kind(digits: str, start: int) -> str | None:
    """The document named closest before ``start`` (within a few words), if any."""
    window = digits[max(0, start - CONTEXT_WINDOW) : start]
    window = regex.split(r"[\d,;.!?،؛。，]", window)[-1]  # no other number or clause between
    best: tuple[int, str] | None = None
    for kind, pattern in _CONTEXT.items():
        for match in pattern.finditer(window):
            if best is None or match.end() > best[0]:
                best = (match.end(), kind)
    return best[1] if best else None


def _addresses(digits: str) -> Iterator[Candidate]:
    for pattern in (ADDRESS, STREET, HAN_ADDRESS):
        for match in pattern.finditer(digits):
            yield match.start(), match.end(), "address", "pattern"
    for match in NUMBERED_NAME.finditer(digits):
        words = match.group(1).split()
        if any(is_capitalised(w) and not is_known(w) for w in words):
            yield match.start(), match.end(), "address", "number_and_name"
