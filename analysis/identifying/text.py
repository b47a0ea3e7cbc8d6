"""Reading answers in any script: digits, words, capitals and the words that are no one's.

The finders work on two views of one answer of the same length, so every offset
holds in both: the text itself, and :func:`ascii_digits` of it (every decimal
digit of every script — Arabic-Indic, Persian, Gurmukhi, full-width, … — as
0-9, one character for one).
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache

import regex
from babel import Locale
from babel.dates import get_day_names, get_month_names

from analysis.identifying import lexicon
from analysis.identifying.lexicon import words

WORD = regex.compile(r"[\p{L}\p{M}](?:[\p{L}\p{M}\u200c'’]|-(?=\p{L}))*")
HAN = regex.compile(r"\p{Han}")
_DOTTED_WORD = regex.compile(r"[\p{L}\p{M}](?:[\p{L}\p{M}'’]|-(?=\p{L}))*\.?")  # St., A.
PUNCTUATION = regex.compile(r"[^\p{L}\p{M}\p{N}\s'’\-\u200c]")
_FLAGS = regex.IGNORECASE | regex.VERSION1

# Locales whose names of countries, languages, months and days are no one's name.
CLDR_LOCALES = ("en", "fr", "es", "fil", "so", "uk", "ar", "fa", "ur", "zh_Hans", "pa", "ti")
# Capitalised words that name no one: Canada's provinces and largest cities,
# programmes newcomers meet, faiths and peoples.
KNOWN_CAPITALISED = words("""
canada canadá kanada ontario quebec québec alberta manitoba saskatchewan nova scotia
brunswick newfoundland labrador prince edward island yukon nunavut northwest territories
british columbia colombie-britannique toronto montreal montréal vancouver calgary edmonton
ottawa gatineau winnipeg hamilton kitchener waterloo london halifax victoria windsor
saskatoon regina mississauga brampton surrey burnaby richmond markham laval longueuil
scarborough etobicoke oshawa barrie guelph kingston sherbrooke moncton fredericton
ircc linc clic esl cclb clb pr sin ohip msp ramq covid service canada ontario works
express entry canadian canadians canadien canadienne filipino filipina pilipino somali
eritrean afghan syrian ukrainian chinese indian punjabi mexican colombian arab african
muslim christian sikh hindu catholic islam god allah english french ingles ingiriis
google facebook whatsapp zoom youtube internet wifi covid-19 i i'm im ok okay dios
mr mrs ms dr mme mlle m sr sra srta gng bb marwo mudane st prof doctor
monday tuesday wednesday thursday friday saturday sunday christmas ramadan eid
""")
LEADING_FUNCTION_WORDS = set(
    words("""the a an my our your mi mis mon ma mes la le les el los las ang mga si ku au aux en
    dans pour avec sur in at on for with from to de del por para con sa kay we they he she
    it there this that when if but and i'm ich je nous vous ils elle""")
)
PARTICLES = set(words("de del dela de la della da van von bin ibn al el abu ben di du le la y"))


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script written 0-9 (same length)."""
    return text.translate(_digit_table())


@cache
def _digit_table() -> dict[int, str]:
    table = {}
    for code in range(0x110000 if sys.maxunicode > 0xFFFF else 0x10000):
        char = chr(code)
        if unicodedata.category(char) == "Nd" and not char.isascii():
            table[code] = str(unicodedata.digit(char))
    return table


def compile_alternation(table, *, word: bool = True) -> regex.Pattern[str]:
    """A case-insensitive pattern for any fragment of a :mod:`lexicon` table."""
    body = lexicon.alternation(table)
    if not word:
        return regex.compile(body, _FLAGS)
    # Whole words, except in Chinese, which has no spaces between words.
    return regex.compile(
        rf"(?:(?<![\p{{L}}\p{{M}}])(?:{body})(?![\p{{L}}\p{{M}}])"
        rf"|(?<=\p{{Han}})(?:{body})|(?:{body})(?=\p{{Han}}))",
        _FLAGS,
    )


def is_cased(word: str) -> bool:
    """Whether the word's script has capitals (Latin, Cyrillic, Greek…)."""
    return any(c.isupper() or c.islower() for c in word)


def is_capitalised(word: str) -> bool:
    """A word that starts with a capital and is not all capitals (IRCC, SIN-kaygu are acronyms)."""
    head = word.split("-")[0]
    if len(head) >= 2 and head.isupper():
        return False
    return word[:1].isupper() and (len(word) == 1 or any(c.islower() for c in word))


def sentence_start(text: str, start: int) -> bool:
    """Whether only spaces stand between ``start`` and the start of its sentence."""
    before = text[:start].rstrip(" \t\"'“«(")
    return not before or before[-1] in ".!?。！？\n:;•-–—"


@cache
def known_words() -> frozenset[str]:
    """Case-folded words that are no one's name: CLDR places, languages, months, days."""
    words = set(KNOWN_CAPITALISED)
    for code in CLDR_LOCALES:
        locale = Locale.parse(code)
        # One-word language names only: "High Valyrian" must not make "High" no one's name.
        languages = [n for n in locale.languages.values() if len(WORD.findall(n)) == 1]
        names = [*locale.territories.values(), *languages]
        names += [*get_month_names(locale=locale).values(), *get_day_names(locale=locale).values()]
        for name in names:
            for word in WORD.findall(name):
                words.update(w.casefold() for w in (word, *word.split("-")))
    return frozenset(words)


@cache
def _known_stems() -> frozenset[str]:
    return frozenset(w[:-2] for w in known_words() if len(w) >= 6 and _cyrillic(w))


def _cyrillic(word: str) -> bool:
    return "CYRILLIC" in unicodedata.name(word[0], "")


def is_known(word: str) -> bool:
    """Whether a capitalised word names a place, language, month or programme, not a person.

    Cyrillic words are compared by stem, since they are inflected (Україні, Україна).
    """
    folded = word.casefold()
    if folded in known_words():
        return True
    return len(folded) >= 6 and _cyrillic(folded) and folded[:-2] in _known_stems()


def words_after(text: str, pos: int, limit: int, stop: regex.Pattern[str] | None = None):
    """Up to ``limit`` words from ``pos`` (after spaces), up to punctuation or a stop word.

    Returns ``(start, end)`` of the words taken, or ``None``.
    """
    start = end = None
    for taken, match in enumerate(WORD.finditer(text, pos)):
        gap = text[end if end is not None else pos : match.start()]
        if gap.strip() or (stop is not None and stop.fullmatch(match.group())):
            break
        if taken == limit:
            break
        start = match.start() if start is None else start
        end = match.end()
    return None if start is None else (start, end)


def words_before(text: str, pos: int, limit: int, stop: regex.Pattern[str] | None = None):
    """Up to ``limit`` words ending at ``pos``, back to punctuation or a stop word."""
    words = list(WORD.finditer(text, 0, pos))
    start = end = None
    for match in reversed(words[-limit:] if limit else []):
        gap = text[match.end() : start if start is not None else pos]
        if gap.strip() or (stop is not None and stop.fullmatch(match.group())):
            break
        start = match.start()
        end = end or match.end()
    return None if start is None else (start, end)


def capitalised_after(text: str, pos: int, limit: int = 4):
    """Capitalised words (name particles, initials between) from ``pos``: ``(start, end)``."""
    start = end = None
    cursor = pos
    for taken, match in enumerate(_DOTTED_WORD.finditer(text, pos)):
        gap = text[cursor : match.start()]
        if gap.strip(" ") or taken == limit:
            break
        word = match.group().rstrip(".")
        if is_capitalised(word) and not (is_known(word) and start is None):
            start = match.start() if start is None else start
            end = match.start() + len(word)
            if match.group().endswith(".") and len(word) > 2:
                break
        elif start is not None and word.casefold() in PARTICLES:
            pass
        else:
            break
        cursor = match.end()
    return None if start is None else (start, end)
