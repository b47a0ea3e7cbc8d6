"""Text in the PDF in any report language: fonts per word, shaping, right-to-left lines.

ReportLab draws one font per run and has no glyph fallback, so every word
is set in the first font of the language's chain (:func:`analysis.fonts.fallback_chain`,
TrueType only) that has all its glyphs. Paragraphs holding Arabic-script or
Gurmukhi text are shaped by HarfBuzz (ReportLab's own ``shaping``, through
``uharfbuzz``); HarfBuzz shapes a word in one font, which is why a word is
never split between fonts when one font can draw it all. Paragraphs that
hold right-to-left text are broken into lines here and each line's words put
in visual order (:mod:`analysis.bidi`): ReportLab's own bidi needs
``rlbidi``, which is not on PyPI.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from analysis.bidi import (
    RTL,
    first_strong_direction,
    has_right_to_left,
    paragraph_direction,
    visual_order,
)
from analysis.fonts import FontFile, base_font, character_map, fallback_chain

log = logging.getLogger(__name__)

BOLD = "DejaVuSans-Bold"
_SHAPED = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u0a00-\u0a7f]"
)
"""Scripts that need shaping: Arabic (with its presentation forms) and Gurmukhi."""
_WORDS = re.compile(r"[^ \t\n\r]+")  # a no-break space joins, as in ReportLab
_LINE_FILL = 0.96
"""Share of the width a right-to-left line may fill (widths are measured before shaping)."""


@lru_cache(maxsize=32)
def registered_name(font: FontFile) -> str | None:
    """The ReportLab name of ``font``, registering it the first time (None if unusable)."""
    name = re.sub(r"[^A-Za-z0-9]+", "", font.family) + (f"-{font.index}" if font.index else "")
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        pdfmetrics.registerFont(TTFont(name, font.path, subfontIndex=font.index))
    except Exception as error:  # noqa: BLE001  (a font ReportLab cannot read is skipped)
        log.warning("ReportLab cannot use font %s: %s", font.path, error)
        return None
    return name


def register_bold() -> str:
    """DejaVu Sans Bold (shipped with matplotlib) for Latin and Cyrillic headings."""
    if BOLD not in pdfmetrics.getRegisteredFontNames():
        path = base_font().path.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
        pdfmetrics.registerFont(TTFont(BOLD, path))
    return BOLD


@lru_cache(maxsize=32)
def font_chain(language: str, bold: bool = False) -> tuple[tuple[str, frozenset[int]], ...]:
    """(ReportLab name, code points) of each font to try for ``language``, in order."""
    chain = []
    for font in fallback_chain(language, truetype_only=True):
        name = registered_name(font)
        if name is None:
            continue
        if bold and font == base_font():
            name = register_bold()
        chain.append((name, character_map(font)))
    return tuple(chain)


def font_of_word(word: str, chain) -> str | None:
    """The first font of ``chain`` with every glyph of ``word``; None if no one font has them."""
    for name, points in chain:
        if all(ord(c) in points for c in word):
            return name
    return None


def font_runs(text: str, chain, shaped: bool = False) -> list[tuple[str, str]]:
    """``text`` as (font, run) pairs: whole words in one font where one font draws them all.

    A word is split between fonts only when no font has all its glyphs
    (Ethiopic next to a Latin colon), character by character; a character no
    font has stays in the first font. ReportLab shapes a word in one font and
    fails on a word in two, so in a ``shaped`` paragraph the parts are set
    apart by a space.
    """
    runs: list[tuple[str, str]] = []
    for piece in re.split(r"(\s+)", text):
        if not piece:
            continue
        if piece.isspace() and runs:
            pieces = [(runs[-1][0], piece)]
        else:
            whole = font_of_word(piece, chain)
            pieces = [(whole, piece)] if whole else _split_word(piece, chain, shaped)
        for font, part in pieces:
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + part)
            else:
                runs.append((font, part))
    return runs


def _split_word(word: str, chain, shaped: bool) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    for character in word:
        font = font_of_word(character, chain) or chain[0][0]
        if parts and parts[-1][0] == font:
            parts[-1] = (font, parts[-1][1] + character)
        else:
            if parts and shaped:
                parts[-1] = (parts[-1][0], parts[-1][1] + " ")
            parts.append((font, character))
    return parts


def markup(text: str, chain, shaped: bool = False) -> str:
    """``text`` escaped for a Paragraph, with a ``<font>`` for each run in one font."""
    if shaped:
        text = " ".join(_for_harfbuzz(word) for word in text.split(" "))
    return "".join(
        f'<font name="{font}">{escape(run)}</font>' for font, run in font_runs(text, chain, shaped)
    )


def paragraph(text: str, style: ParagraphStyle, language: str, direction: str) -> Paragraph:
    """A Paragraph of plain ``text`` (escaped), in the right fonts, shaped, in visual order."""
    text = str(text)
    chain = font_chain(language, bold=style.fontName == BOLD)
    own = paragraph_direction(text, direction)
    shaped = bool(_SHAPED.search(text))
    styled = ParagraphStyle(
        f"{style.name}-{own}",
        parent=style,
        alignment=TA_RIGHT if direction == RTL else TA_LEFT,
        shaping=1 if shaped else 0,
    )
    if has_right_to_left(text):
        return BidiParagraph(text, styled, chain=chain, direction=own)
    return Paragraph(markup(text, chain, shaped), styled)


_ARABIC_SCRIPT = re.compile("[\u0660-\u066d\u06f0-\u06f9]")
"""Arabic-Indic and Persian digits and the Arabic number signs: HarfBuzz counts them as
Arabic script (the Arabic comma and question mark are common to several scripts)."""
_MIRRORED = dict(zip("()[]{}<>«»", ")(][}{><»«", strict=True))


def _for_harfbuzz(word: str) -> str:
    """A word meant to be drawn left to right as it is (a number, a figure) but
    written with Arabic-Indic or Persian digits: HarfBuzz takes those for Arabic
    script and shapes the word right to left, reversing it (``۱۰`` would read
    ``۰۱``). Such a word is handed over already reversed (brackets mirrored), so
    HarfBuzz's reversal puts it back."""
    if not _ARABIC_SCRIPT.search(word) or first_strong_direction(word) is not None:
        return word
    return "".join(_MIRRORED.get(c, c) for c in reversed(word))


class BidiParagraph(Paragraph):
    """A paragraph with right-to-left text: broken into lines here, each in visual order."""

    def __init__(self, text, style=None, bulletText=None, frags=None, *, chain=(), direction=RTL):
        self._logical = text if frags is None else None
        self._chain = chain
        self._direction = direction
        self._laid_for: float | None = None
        first = markup(text, chain, shaped=True) if frags is None else None
        super().__init__(first, style, bulletText=bulletText, frags=frags)

    def wrap(self, availWidth, availHeight):  # noqa: N803  (ReportLab's names)
        if self._logical is not None and self._laid_for != availWidth:
            lines = self._lines(self._logical, availWidth * _LINE_FILL)
            text = "<br/>".join(
                markup(" ".join(visual_order(line, self._direction)), self._chain, shaped=True)
                for line in lines
            )
            super().__init__(text, self.style)
            self._laid_for = availWidth
        return super().wrap(availWidth, availHeight)

    def _lines(self, text: str, width: float) -> list[list[str]]:
        """The words of ``text`` in logical order, broken greedily into lines of ``width``."""
        size = self.style.fontSize
        space = pdfmetrics.stringWidth(" ", self.style.fontName, size)
        lines: list[list[str]] = [[]]
        used = 0.0
        for word in _WORDS.findall(text):
            width_of_word = sum(
                pdfmetrics.stringWidth(run, font, size)
                for font, run in font_runs(word, self._chain)
            )
            if lines[-1] and used + space + width_of_word > width:
                lines.append([])
                used = 0.0
            used += (space if lines[-1] else 0.0) + width_of_word
            lines[-1].append(word)
        return lines
