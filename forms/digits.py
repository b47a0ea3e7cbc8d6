"""Digits of every script, read as the ASCII digits they stand for.

People type numbers with the digits of their own script: a phone number in
Persian (``۶۱۳ ۵۵۵ ۰۱۲۳``), a count in Arabic-Indic (``٣``), a postal code
with full-width digits from a Chinese keyboard (``Ｋ１Ａ ０Ｂ１``). Every
numeric input reads them through :func:`ascii_digits` before checking them,
so each is accepted exactly as its ASCII spelling would be.

Rules:

- Every character of Unicode category ``Nd`` (a decimal digit of any
  script: Arabic-Indic ``٠-٩``, Extended Arabic-Indic as used for Farsi and
  Urdu ``۰-۹``, Gurmukhi ``੦-੯``, Devanagari ``०-९``, full-width ``０-９``,
  and the rest) becomes its ASCII digit; :func:`unicodedata.decimal` gives
  its value, so no table is kept by hand.
- Full-width Latin letters and punctuation (``Ｋ``, ``－``) become their
  ASCII forms (NFKC compatibility folding), as Chinese and Japanese input
  methods type them.
- In :func:`ascii_number` only (a number, not a code or a phone): the Arabic
  decimal separator ``٫`` (U+066B) becomes ``.``, and the Arabic thousands
  separator ``٬`` (U+066C) and spaces are dropped.
- Ethiopic numerals (``፩ ፪ ፫``, Unicode ``No``) are not positional (there is
  no zero) and are not decimal digits: Tigrinya is typed with ASCII digits,
  and an Ethiopic numeral stays as it is (and is refused where a number is
  expected). The same holds for Han numerals (``三``).

Everything else is returned unchanged, so text around the digits survives.
"""

from __future__ import annotations

import unicodedata

ARABIC_DECIMAL_SEPARATOR = "\u066b"
ARABIC_THOUSANDS_SEPARATOR = "\u066c"
_SPACES = {" ", "\u00a0", "\u202f", "\u2009", ARABIC_THOUSANDS_SEPARATOR}


def ascii_digits(text: str) -> str:
    """``text`` with every script's decimal digits as ASCII, full-width forms folded.

    ``ascii_digits("۶۱۳ ۵۵۵ ۰۱۲۳") == "613 555 0123"``.
    """
    if text.isascii():
        return text
    return "".join(_ascii_character(c) for c in text)


def _ascii_character(character: str) -> str:
    if character.isascii():
        return character
    if unicodedata.category(character) == "Nd":
        return str(unicodedata.decimal(character))
    folded = unicodedata.normalize("NFKC", character)
    return folded if folded.isascii() and len(folded) == 1 else character


def ascii_number(text: str) -> str:
    """A typed number ready for ``int``/``Decimal``: ASCII digits, ``.`` as the
    decimal point, no spaces or thousands separators inside.

    A comma is taken as a decimal point (``2,5``), as most of the supported
    languages write it, unless it separates groups of three digits in a number
    with more than one group or a point as well (``1,234,567``, ``1,234.5``).
    """
    text = ascii_digits(text.strip()).replace(ARABIC_DECIMAL_SEPARATOR, ".")
    text = "".join(c for c in text if c not in _SPACES)
    if "," in text and ("." in text or text.count(",") > 1):
        text = text.replace(",", "")
    return text.replace(",", ".")
