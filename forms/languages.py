"""Map the language part of XLSForm columns to locale codes.

XLSForm authors write ``label::Arabic (ar)``, ``label::english``,
``label::العربية`` or ``label::Dari``. Babel knows every language's name in
English and in its own script, so all four resolve to a BCP 47 code
(``ar``, ``en``, ``ar``, ``fa-AF``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError, localedata

_CODE_IN_PARENS = re.compile(
    r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\)\s*$"
)

_PYXFORM_DEFAULT = "default"


class UnknownLanguage(ValueError):
    """A column names a language that neither its code nor Babel's names resolve."""

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.language = language


def to_bcp47(babel_identifier: str) -> str:
    """``zh_Hans`` -> ``zh-Hans``: Babel's identifiers written as BCP 47 tags."""
    return babel_identifier.replace("_", "-")


def to_babel(code: str) -> str:
    """``zh-Hans`` -> ``zh_Hans``: a BCP 47 tag written as Babel wants it."""
    return code.replace("-", "_")


def is_known_code(code: str) -> bool:
    """True when Babel has locale data for this code."""
    try:
        Locale.parse(to_babel(code))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def language_code(column_language: str) -> str:
    """The locale code for the language part of a column header.

    Raises :class:`UnknownLanguage` when the name cannot be resolved.
    """
    text = column_language.strip()
    match = _CODE_IN_PARENS.match(text)
    if match:
        code = _canonical_code(match.group("code"))
        if is_known_code(code):
            return code
        raise UnknownLanguage(column_language)
    if is_known_code(text) and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z]{2,4})?", text):
        return _canonical_code(text)
    code = _names_index().get(text.casefold())
    if code is None:
        raise UnknownLanguage(column_language)
    return code


def _canonical_code(code: str) -> str:
    """Case a tag the usual way: language lower, script title, region upper."""
    parts = re.split(r"[-_]", code)
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(out)


@lru_cache(maxsize=1)
def _names_index() -> dict[str, str]:
    """Every language name Babel knows, in English and in its own script."""
    index: dict[str, str] = {}
    for identifier, name in Locale("en").languages.items():
        index.setdefault(name.casefold(), to_bcp47(identifier))
    for identifier in localedata.locale_identifiers():
        if identifier.count("_") > 1 or "_" in identifier and not _is_script(identifier):
            continue
        try:
            locale = Locale.parse(identifier)
        except (UnknownLocaleError, ValueError):
            continue
        own = locale.languages.get(identifier) or locale.get_display_name(identifier)
        if own:
            index.setdefault(own.casefold(), to_bcp47(identifier))
    return index


def _is_script(identifier: str) -> bool:
    return len(identifier.split("_")[1]) == 4


def is_pyxform_default(column_language: str) -> bool:
    """True for pyxform's name for wording given without ``::language``."""
    return column_language == _PYXFORM_DEFAULT
