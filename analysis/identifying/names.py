"""Names of people, in all 12 languages, without a language model.

Five ways a name shows itself, strongest first:

1. **given elsewhere** — the names a respondent wrote in the form or a sign-up,
   matched as whole words in any case (removed);
2. **introductions** — "my name is", "je m'appelle", "اسمي", "我叫", "ਮੇਰਾ ਨਾਮ",
   "мене звати", "ስመይ", "magacaygu waa" … and what follows (removed); weaker
   ones ("I am", "من … هستم", "ਮੈਂ … ਹਾਂ", "我是" before a surname) are flagged;
3. **titles** — Mr., Mme, Sra., Gng., Marwo, السيد, آقای, ਸ੍ਰੀ, пан, ኣቶ before a
   name, صاحب or 先生/医生 (after one of the 100 commonest surnames) after it
   (removed; a title that is also a common noun, such as ڈاکٹر or دکتر, is flagged);
4. **relations** — "my daughter", "ask for", "ابني", "我女儿", "ወደይ", tagalog
   ``si``/``kay`` … followed by a name (removed where capitals show it, flagged
   in scripts without capitals);
5. **capitalised words** in Latin and Cyrillic text that no list knows as a
   place, language, month or programme (flagged).

In scripts without capitals a name is taken as the next one to three words up
to punctuation or a function word; in Chinese, two or three characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import regex

from analysis.identifying import lexicon
from analysis.identifying.lexicon import words
from analysis.identifying.text import (
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

Candidate = tuple[int, int, str, str, str]  # start, end, kind, reason, action

_INTRODUCTION = compile_alternation(lexicon.INTRODUCTIONS)
_WEAK_INTRODUCTION = compile_alternation(lexicon.WEAK_INTRODUCTIONS)
_TITLE = compile_alternation(lexicon.TITLES_BEFORE)
_TITLE_AFTER = compile_alternation(lexicon.TITLES_AFTER, word=False)
_RELATION = compile_alternation(lexicon.RELATIONS)
_FIRST_PERSON = regex.compile(r"هستم|ہوں|ਹਾਂ|እየ")
# Function words that never start or continue a name in scripts without capitals.
_FUNCTION_WORDS = words("""
و في من إلى على عن مع هو هي لا لم ما كان عند لي مني له لها
در از به با را که و این آن برای هم نه نیست خیلی هنوز همیشه نزدیک
میں کی کا کے سے کو نے پر اور نہیں بہت یہ وہ بھی
ਵਿੱਚ ਦੇ ਦੀ ਦਾ ਨੂੰ ਤੇ ਨੇ ਤੋਂ ਕੋਲ ਅਤੇ ਨਹੀਂ ਬਹੁਤ ਇਹ ਉਹ ਵੀ
ኣብ ናብ ካብ ምስ ን ከኣ ኣይ ዘይ እዩ እየ
""")
_STOP = regex.compile(
    rf"(?:{lexicon.alternation(lexicon.NAME_ENDS)}|{'|'.join(_FUNCTION_WORDS)}|و\p{{L}}{{3,}})",
    regex.IGNORECASE,
)
_LOWERCASE_STOP = regex.compile(
    r"and|i|im|i'm|from|am|have|live|with|at|the|a|is|et|je|de|y|con|ako|at|sa|na|iyo|ka|"
    r"waxaan|і|та|з|я|to|in|but|mais|pero",
    regex.IGNORECASE,
)
_WEAK_TITLES = {"ڈاکٹر", "ਡਾਕਟਰ", "دکتر", "ዶክተር", "خانم", "آقا", "جناب", "محترمہ"}
_HAN_STOP = set(
    "，。、！？；：,.!?的是在来了和我你他她也就都从到年今想要帮给跟说很去会一不有这那个"
)
_SEPARATOR = regex.compile(r"[\s:：\-—–,]*")


def find_names(text: str, given: Iterable[str] = ()) -> Iterator[Candidate]:
    """Every name in ``text``; ``given`` are the names its writer gave elsewhere."""
    yield from _given_names(text, given)
    yield from _after_cues(text, _INTRODUCTION, "introduction", "remove", lowercase=True)
    yield from _weak_introductions(text)
    yield from _titled(text)
    yield from _after_cues(text, _RELATION, "relation", "remove", uncased_action="flag")
    yield from _capitalised(text)


def _given_names(text: str, given: Iterable[str]) -> Iterator[Candidate]:
    words = {w for name in given for w in WORD.findall(name) if len(w) >= 2}
    if not words:
        return
    body = "|".join(regex.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    pattern = regex.compile(rf"(?<![\p{{L}}\p{{M}}\[])(?:{body})(?![\p{{L}}\p{{M}}\]])", regex.I)
    for match in pattern.finditer(text):
        yield match.start(), match.end(), "name", "given_elsewhere", "remove"


def _after_cues(text, cue, reason, action, *, lowercase=False, uncased_action=None):
    for match in cue.finditer(text):
        span = name_after(text, match.end(), lowercase=lowercase, han_length=3)
        if span is None:
            continue
        cased = is_cased(text[span[0] : span[1]])
        yield *span, "name", reason, action if cased else uncased_action or action


def name_after(text: str, pos: int, *, lowercase: bool = False, han_length: int = 3):
    """The name that starts at ``pos`` (after spaces and a colon), as ``(start, end)``."""
    pos = _SEPARATOR.match(text, pos).end()
    if pos >= len(text):
        return None
    if HAN.match(text, pos):
        return _han_name(text, pos, han_length)
    first = WORD.match(text, pos)
    if first is None:
        return None
    if not is_cased(first.group()):
        return None if _STOP.fullmatch(first.group()) else words_after(text, pos, 3, stop=_STOP)
    span = capitalised_after(text, pos)
    if span is None and lowercase:
        span = words_after(text, pos, 2, stop=_LOWERCASE_STOP)
    return span


def _han_name(text: str, pos: int, length: int):
    end = pos
    while end < len(text) and end - pos < length and HAN.match(text, end):
        if text[end] in _HAN_STOP:
            break
        end += 1
    return (pos, end) if end - pos >= 2 else None


def _weak_introductions(text: str) -> Iterator[Candidate]:
    """ "I am X" (a capitalised X), "من X هستم", "ਮੈਂ X ਹਾਂ", "我是" + a surname: flagged."""
    for match in _WEAK_INTRODUCTION.finditer(text):
        pos = _SEPARATOR.match(text, match.end()).end()
        if HAN.match(text, pos or 0) and pos < len(text):
            if text[pos] in lexicon.CHINESE_SURNAMES and (span := _han_name(text, pos, 3)):
                yield *span, "name", "introduction", "flag"
            continue
        first = WORD.match(text, pos)
        if first is None:
            continue
        if is_cased(first.group()):
            span = capitalised_after(text, pos, limit=3)
        else:
            span = words_after(text, pos, 1, stop=_STOP)
            arabic = match.group() in {"أنا", "انا"}
            if span and not _closes_name(text, span[1], punctuation=arabic):
                span = None
        if span:
            yield *span, "name", "introduction", "flag"


def _closes_name(text: str, end: int, punctuation: bool) -> bool:
    """Whether "I am X" ends at ``end``: "am" next (هستم, ہوں, ਹਾਂ, እየ), or in
    Arabic punctuation, the end or a word joined by و."""
    rest = text[end:].lstrip()
    if not rest or not WORD.match(rest):
        return punctuation
    following = WORD.match(rest).group()
    if punctuation:
        return bool(regex.fullmatch(r"و\p{L}{2,}", following))
    return bool(_FIRST_PERSON.fullmatch(following))


def _titled(text: str) -> Iterator[Candidate]:
    for match in _TITLE.finditer(text):
        span = name_after(text, match.end())
        if span is None:
            continue
        weak = match.group() in _WEAK_TITLES and not is_cased(text[span[0] : span[1]])
        yield match.start(), span[1], "name", "title", "flag" if weak else "remove"
    for match in _TITLE_AFTER.finditer(text):
        span = _name_before(text, match.start())
        if span:
            action = "remove" if HAN.match(text, span[0]) else "flag"
            yield span[0], match.end(), "name", "title", action


def _name_before(text: str, end: int):
    if end and HAN.match(text, end - 1):
        for start in (end - 2, end - 1):
            chunk = text[max(start, 0) : end]
            if (
                start >= 0
                and chunk[0] in lexicon.CHINESE_SURNAMES
                and not set(chunk) & _HAN_STOP
                and all(HAN.match(c) for c in chunk)
            ):
                return start, end
        return None
    return words_before(text, end, 1, stop=_STOP)


def _capitalised(text: str) -> Iterator[Candidate]:
    """Runs of capitalised words that no list knows, outside the start of a sentence."""
    cursor = 0
    for match in WORD.finditer(text):
        if match.start() < cursor:
            continue
        word = match.group()
        if not is_capitalised(word) or is_known(word):
            continue
        if word.casefold() in LEADING_FUNCTION_WORDS:
            continue
        span = capitalised_after(text, match.start())
        if span is None:
            continue
        cursor = span[1]
        several = len(text[span[0] : span[1]].split()) > 1
        if sentence_start(text, match.start()) and not several:
            continue
        yield *span, "name", "capitalised", "flag"
