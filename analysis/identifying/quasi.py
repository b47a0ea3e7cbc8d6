"""Quasi-identifiers: details that single a newcomer out once combined with a theme.

None of these names a person, so none is removed: each is flagged for the
researcher, who generalises it in one click ("[an employer]", "[a school]") or
keeps it. Found by cue words in all 12 languages (:mod:`lexicon`):

- **workplace** — "I work at X", "je travaille chez X", "در X کار می‌کنم",
  "我在X工作", "ኣብ X እሰርሕ" …, and employers newcomers often name;
- **school** — a name before "School"/"Elementary"/"ਸਕੂਲ"/"中学" or after
  "école"/"escuela"/"مدرسة"/"школа"/"ቤት ትምህርቲ";
- **place** — a capitalised place after "in", "à", "sa", "у" … that is not one
  of Canada's provinces or largest cities, and "a small town called X";
- **language** — any language CLDR names in the 12 locales (Babel) or a
  dialect from :data:`lexicon.EXTRA_LANGUAGE_NAMES`, except the common ones;
- **family** — how many children, and ages ("five children", "78 años", "两岁").
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import regex
from babel import Locale

from analysis.identifying import lexicon
from analysis.identifying.names import name_after
from analysis.identifying.text import (
    CLDR_LOCALES,
    HAN,
    LEADING_FUNCTION_WORDS,
    WORD,
    capitalised_after,
    compile_alternation,
    is_capitalised,
    is_cased,
    is_known,
    sentence_start,
    words_after,
    words_before,
)

Candidate = tuple[int, int, str, str]  # start, end, kind, reason

_WORK = compile_alternation(lexicon.WORK_CUES)
_EMPLOYER = compile_alternation(lexicon.KNOWN_EMPLOYERS)
_WORKPLACE_WORD = compile_alternation(lexicon.WORKPLACE_WORDS)
_SCHOOL_AFTER = compile_alternation(lexicon.SCHOOL_WORDS_AFTER_NAME, word=False)
_SCHOOL_BEFORE = compile_alternation(lexicon.SCHOOL_WORDS_BEFORE_NAME)
_SMALL_PLACE = compile_alternation(lexicon.SMALL_PLACE_CUES)
_SMALL_PLACE_AFTER = compile_alternation(lexicon.SMALL_PLACE_AFTER, word=False)
_PLACE_PREPOSITION = regex.compile(
    r"(?<![\p{L}\p{M}])(?:in|at|from|near|to|à|en|de|sa|ku|taal|у|в|на|під)\s+$", regex.IGNORECASE
)
_STOP = regex.compile(
    r"و\p{L}+|في|من|إلى|در|از|به|را|میں|کی|کا|کے|سے|ਵਿੱਚ|ਦੇ|ਦੀ|ਦਾ|ኣብ|ናብ|ካብ|درس|ہے|ਹੈ|እዩ",
)
_FRAMES = [
    (compile_alternation([before]), regex.compile(rf"\s*(?:{after})"))
    for before, after in lexicon.WORK_FRAMES.values()
]
_GENERIC_WORKPLACE = regex.compile(
    r"گودام|仓库|工厂|餐馆|انبار|مستودع|مصنع|ਵੇਅਰਹਾਊਸ|ਫੈਕਟਰੀ|መኽዘን|склад\w*|warehouse|factory"
    r"|entrepôt|almacén|bodega|bakhaar|کارخانه|فیکٹری",
    regex.IGNORECASE,
)
_FAMILY = None
# "for 3 years", "hace 3 años": a duration, not an age.
_DURATION = regex.compile(
    r"(?:depuis|pendant|il y a|après|hace|durante|desde|después de|for|since|after|منذ|لمدة|بعد"
    r"|از|پیش|سے|ਤੋਂ|від|протягом)\s*$",
    regex.IGNORECASE,
)


def find_quasi_identifiers(text: str, digits: str) -> Iterator[Candidate]:
    """Every quasi-identifier in ``text`` (``digits``: its ASCII-digit view)."""
    yield from _workplaces(text)
    yield from _schools(text)
    yield from _places(text)
    yield from ((start, end, "language", "language_name") for start, end in _languages(text))
    for match in _family().finditer(digits):
        if not _DURATION.search(digits[max(0, match.start() - 12) : match.start()]):
            yield match.start(), match.end(), "family", "count_or_age"


def _workplaces(text: str) -> Iterator[Candidate]:
    for match in _EMPLOYER.finditer(text):
        yield match.start(), match.end(), "workplace", "known_employer"
    for match in _WORK.finditer(text):
        span = _named_after(text, match.end(), skip=_WORKPLACE_WORD)
        if span:
            yield *span, "workplace", "work_cue"
    for before, after in _FRAMES:
        for match in before.finditer(text):
            for count in (1, 2, 3):
                span = words_after(text, match.end(), count, stop=_STOP)
                if span and after.match(text, span[1]) and not _generic(text[span[0] : span[1]]):
                    yield *span, "workplace", "work_cue"
                    break
    for match in regex.finditer(r"在(\p{Han}{2,8}?)(?:工作|上班|打工)", text):
        if not _generic(match.group(1)):
            yield match.start(1), match.end(1), "workplace", "work_cue"


def _generic(words: str) -> bool:
    """A workplace named only by what it is ("a warehouse"), which names no employer."""
    return all(_GENERIC_WORKPLACE.fullmatch(w) for w in WORD.findall(words) or [words])


def _named_after(text: str, pos: int, skip: regex.Pattern[str] | None = None):
    """A capitalised name (or, without capitals, one or two words) after ``pos``."""
    pos = regex.compile(r"\s*").match(text, pos).end()
    if skip is not None and (generic := skip.match(text, pos)):
        inner = _named_after(text, generic.end())
        return (pos, inner[1]) if inner else None
    first = WORD.match(text, pos)
    if first is None:
        return None
    if is_cased(first.group()):
        return capitalised_after(text, pos)
    return words_after(text, pos, 2, stop=_STOP)


def _schools(text: str) -> Iterator[Candidate]:
    for match in _SCHOOL_AFTER.finditer(text):
        start = match.start()
        if start and HAN.match(text, start - 1):
            run = regex.search(r"[\p{Han}&&[^在的我到和是]]{2,6}$", text[:start], regex.V1)
            if run:
                yield run.start(), match.end(), "school", "school_word"
            continue
        span = _capitalised_before(text, start)
        if span is None and (before := words_before(text, start, 3, stop=_STOP)):
            span = None if is_cased(text[before[0] : before[1]]) else before
        if span:
            yield span[0], match.end(), "school", "school_word"
    for match in _SCHOOL_BEFORE.finditer(text):
        span = _named_after(text, match.end())
        if span:
            yield match.start(), span[1], "school", "school_word"


def _capitalised_before(text: str, end: int):
    """Capitalised words (initials and St. included) ending just before ``end``, if one of
    them is no known place or programme: "Dovercourt Public", "St. Mary's"."""
    words = list(regex.finditer(r"[\p{L}\p{M}](?:[\p{L}\p{M}'’]|-(?=\p{L}))*\.?", text[:end]))
    start = None
    cursor = end
    for match in reversed(words):
        word = match.group().rstrip(".")
        if text[match.end() : cursor].strip() or word.casefold() in LEADING_FUNCTION_WORDS:
            break
        if not is_capitalised(word):
            break
        start, cursor = match.start(), match.start()
    if start is None or all(is_known(w) for w in WORD.findall(text[start:end])):
        return None
    return start, end


def _places(text: str) -> Iterator[Candidate]:
    for match in _SMALL_PLACE.finditer(text):
        span = name_after(text, match.end())
        if span:
            yield *span, "place", "small_place_cue"
    for match in _SMALL_PLACE_AFTER.finditer(text):
        if match.start() and HAN.match(text, match.start() - 1):
            run = regex.search(
                r"[\p{Han}&&[^在住的我们到和是]]{2,6}$", text[: match.start()], regex.V1
            )
            if run:
                yield run.start(), run.end(), "place", "small_place_cue"
        elif span := words_before(text, match.start(), 1):
            yield *span, "place", "small_place_cue"
    for match in WORD.finditer(text):
        word = match.group()
        if not is_capitalised(word) or is_known(word) or sentence_start(text, match.start()):
            continue
        if _PLACE_PREPOSITION.search(text[max(0, match.start() - 8) : match.start()]):
            span = capitalised_after(text, match.start(), limit=3)
            if span:
                yield *span, "place", "place_preposition"


def _languages(text: str) -> Iterator[tuple[int, int]]:
    """Language names: whole words looked up in a set, longer names found as text."""
    words, phrases, stems = _language_names()
    for match in WORD.finditer(text):
        folded = match.group().casefold()
        inflected = len(folded) >= 8 and any(
            folded[:k] in stems for k in range(len(folded) - 4, len(folded))
        )
        if folded in words or inflected:
            yield match.start(), match.end()
    folded_text = text.casefold()
    for phrase in phrases:
        at = folded_text.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            if HAN.match(phrase) or not _inside_word(text, at, end):
                yield at, end
            at = folded_text.find(phrase, end)


def _inside_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or after.isalnum()


@cache
def _language_names() -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """(one-word names, names with spaces or in Chinese, stems of inflected names)."""
    names = {n.casefold() for n in lexicon.EXTRA_LANGUAGE_NAMES}
    for code in CLDR_LOCALES:
        for key, name in Locale.parse(code).languages.items():
            short = len(name) < (5 if is_cased(name) else 4)
            if key.split("_")[0] in lexicon.COMMON_LANGUAGES or "(" in name or short:
                continue
            names.add(name.casefold())
    words = frozenset(n for n in names if WORD.fullmatch(n) and not HAN.search(n))
    phrases = tuple(sorted(names - words, key=len, reverse=True))
    stems = frozenset(n[:-2] for n in words if len(n) >= 8 and is_cased(n))
    return words, phrases, stems


def _family() -> regex.Pattern[str]:
    global _FAMILY
    if _FAMILY is None:
        words = {k: v for k, v in lexicon.NUMBER_WORDS.items() if k != "zh"}
        han = "".join(lexicon.NUMBER_WORDS["zh"])
        number = (
            rf"(?:(?<!\d)\d{{1,2}}|(?<![\p{{L}}\p{{M}}])(?:{lexicon.alternation(words)})|[{han}])"
        )
        children = lexicon.alternation(lexicon.CHILD_WORDS)
        ages = lexicon.alternation(lexicon.AGE_WORDS)
        _FAMILY = regex.compile(
            rf"{number}\s*(?:[\p{{L}}\p{{M}}]+\s+)?(?:{children})(?:\s+ah)?(?![\p{{L}}\p{{M}}])"
            rf"|{number}\s*(?:{ages})"
            rf"|\baged\s+\d{{1,2}}",
            regex.IGNORECASE,
        )
    return _FAMILY
