"""The committee PDF read back through its text layer, in six scripts.

A PDF holds glyphs where they are drawn, left to right; a reader (a screen
reader, copy and paste, a search) gets the text back by taking each line's
characters left to right and applying the Unicode bidi algorithm, as
pdfminer.six and python-bidi do here. For Arabic, Farsi, Urdu, Chinese,
Punjabi and Tigrinya reports this checks that:

- every paragraph (title, headings, period, methods note) comes back with its
  words in logical order, brackets and Arabic commas included;
- every word of every table header and theme name comes back whole: no word
  split across lines or cells, no letters reversed;
- no header or cell is clipped: every glyph lies inside the page frame and no
  word is drawn over another.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from bidi.algorithm import get_display  # the full UAX #9, with mirroring (rule L4)
from flask_babel import gettext
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar

from analysis.report import report_from_dict
from consult import db
from consult.i18n import force_language
from consult.reports.models import Publication
from consult.reports.pdf import render_pdf
from tests.consult.reports.test_reports import publish
from tests.consult.seed import seed
from tests.fonts import require_script_fonts

LANGUAGES = ("ar", "fa", "ur", "zh-Hans", "pa", "ti")
FRAME = (72 - 1, 612 - 72 + 1)  # LETTER, one-inch margins, a point of tolerance


@dataclass
class Line:
    text: str  # logical order, as a reader gets it
    words: list[tuple[float, float, str]]  # (x0, x1, word) as drawn, left to right


def _normal(text: str) -> str:
    """Presentation forms as letters (NFKC), a zero-width non-joiner or a no-break
    space as a space."""
    return unicodedata.normalize("NFKC", text).replace("\u200c", " ").replace("\u00a0", " ")


def _key(word: str) -> str:
    """A word as its letters, digits and signs in order, without its marks: a vowel
    sign or diacritic is drawn where the font puts it (Gurmukhi's i-sign before its
    consonant), so a text layer holds marks in drawing order at best. Letters
    reversed, split or missing still show."""
    return "".join(c for c in word if unicodedata.category(c) not in {"Mn", "Mc", "Me"})


class _Found:
    """A word read from the PDF. A glyph that joins several letters with no character
    of its own (a ligature; ReportLab gives it a private-use code) stands for one or
    more letters (or only marks)."""

    def __init__(self, word: str) -> None:
        self.key = _key(word)
        parts = re.split(r"[\ue000-\uf8ff]+", self.key)
        self.pattern = (
            re.compile(".*".join(re.escape(p) for p in parts)) if len(parts) > 1 else None
        )

    def matches(self, key: str) -> bool:
        if self.pattern is None:
            return key == self.key
        return bool(self.pattern.fullmatch(key))


def _is_mark(character: str) -> bool:
    return unicodedata.category(character) in {"Mn", "Mc", "Me"}


def _lines(data: bytes) -> list[Line]:
    """Every line of text as drawn: the page's characters grouped by baseline, left to
    right, then put in logical order by the bidi algorithm (direction from the line's
    first letter, as a reader guesses it)."""
    lines = []
    for page in extract_pages(io.BytesIO(data), laparams=LAParams(char_margin=1.0)):
        rows: dict[int, list[LTChar]] = {}
        for character in _characters(page):
            rows.setdefault(round(character.matrix[5]), []).append(character)
        for _baseline, row in sorted(rows.items(), key=lambda item: -item[0]):
            row.sort(key=lambda c: c.x0)
            words = _drawn_words(row)
            logical = get_display(" ".join(word for _x0, _x1, word in words))
            lines.append(Line(_normal(logical), words))
    return lines


def _characters(item):
    if isinstance(item, LTChar):
        yield item
    elif hasattr(item, "__iter__"):
        for child in item:
            yield from _characters(child)


def _drawn_words(row: list[LTChar]) -> list[tuple[float, float, str]]:
    """Words as drawn: characters split where the gap is a space wide (a mark sits on
    its letter and makes no gap). ReportLab draws spaces as characters; a wider gap
    than a space (between table cells) splits too."""
    words: list[list[LTChar]] = []
    right = None  # where the last word ends
    spaced = True  # a space was drawn since the last letter
    for character in row:
        text = character.get_text()
        if text.isspace():
            spaced = True
            continue
        centre = (character.x0 + character.x1) / 2
        if _is_mark(text) and words and right is not None and centre <= right + 0.5:
            words[-1].append(character)  # a mark drawn over the word before it
            right = max(right, character.x1)
            continue
        if spaced or right is None or character.x0 - right > 0.6 * character.size:
            words.append([])
            right = None
        words[-1].append(character)
        right = character.x1 if right is None else max(right, character.x1)
        spaced = False
    return [
        (min(c.x0 for c in w), max(c.x1 for c in w), "".join(c.get_text() for c in w))
        for w in words
    ]


def _words(text: str) -> list[str]:
    return _normal(text).split()


def _in_order(paragraph: str, found: list[_Found]) -> bool:
    """Whether the words of ``paragraph`` appear one after another among ``found``."""
    wanted = [_key(w) for w in _words(paragraph)]
    return any(
        all(f.matches(w) for f, w in zip(found[i : i + len(wanted)], wanted, strict=True))
        for i in range(len(found) - len(wanted) + 1)
    )


def _present(word: str, found: list[_Found], exact: set[str]) -> bool:
    # A bracket that the script's font lacks is drawn in another font, set apart by a
    # space (ARCHITECTURE.md, "Fonts and shaping"): the word is judged without it.
    key = _key(word.strip("()"))
    return key in exact or any(f.pattern and f.matches(key) for f in found)


LIST_PUNCTUATION = "();؛；፤።፡.。۔।:：，,"


def _problems(report, data: bytes, lang: str) -> list[str]:
    lines = _lines(data)
    found = [_Found(word) for line in lines for word in line.text.split()]
    found += [_Found(word.strip("()")) for line in lines for word in line.text.split()]
    # labels also appear in running text ("Not shown as columns ...: A; B."), where the
    # list's punctuation sticks to the word beside it
    found += [_Found(word.strip(LIST_PUNCTUATION)) for line in lines for word in line.text.split()]
    exact = {f.key for f in found}
    problems = []
    with force_language(lang):
        headings = [gettext("Key findings"), gettext("How this summary was made")]
        headers = [gettext("Theme"), gettext("Respondents"), gettext("Share")]
        headers += [gettext("Survey"), gettext("Focus groups")]
    paragraphs = [*headings, report.methods["coding"], report.methods["suppression"]]
    for paragraph in paragraphs:
        if not _in_order(paragraph, found):
            problems.append(f"{lang}: not in logical order: {paragraph[:60]}")
    for table in report.tables:
        headers += [*table.groups, table.title]
    for label in headers + [f.label for f in report.findings]:
        for word in _words(label):
            if not _present(word, found, exact):
                problems.append(f"{lang}: '{word}' (of '{label}') is split, reversed or missing")
    for line in lines:
        boxes = sorted(line.words)
        for x0, x1, word in boxes:
            if x0 < FRAME[0] or x1 > FRAME[1]:
                problems.append(
                    f"{lang}: '{word}' drawn outside the page frame ({x0:.0f}-{x1:.0f})"
                )
        for (_a0, a1, first), (b0, _b1, second) in zip(boxes, boxes[1:]):
            if a1 - b0 > 1.0:
                problems.append(f"{lang}: '{first}' and '{second}' are drawn over each other")
    return problems


def test_the_committee_pdf_reads_in_logical_order_with_nothing_split_or_clipped(app, client):
    require_script_fonts()
    seed(app)
    publication_id = publish(client)
    with app.app_context():
        snapshot = db.session().get(Publication, publication_id).snapshot
    problems = []
    for lang in LANGUAGES:
        report = report_from_dict(snapshot[lang])
        with app.test_request_context("/"):
            data = render_pdf(report)
            problems += _problems(report, data, lang)
    assert not problems, "\n".join(problems)
