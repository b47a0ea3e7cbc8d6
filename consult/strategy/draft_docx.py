"""The settlement-strategy draft as DOCX (python-docx), for the council to edit.

Right-to-left languages get Word's own markers: ``w:bidi`` on paragraphs,
``w:rtl`` on runs and ``w:bidiVisual`` on tables (first column on the
right); every run carries the draft's language (``w:lang``), so spelling
and fonts follow it in Word and LibreOffice.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from analysis.strategy import StrategyDraft
from consult.i18n import force_language, language
from consult.strategy.draft import (
    DraftWords,
    gap_header,
    gap_row,
    need_text,
    rank_text,
    score_text,
)


def render_draft_docx(draft: StrategyDraft, said: DraftWords) -> bytes:
    """The draft as DOCX bytes, with the same content as the PDF."""
    document = Document()
    writer = _Docx(document, draft.language)
    document.core_properties.title = draft.title
    document.core_properties.language = draft.language
    with force_language(draft.language):
        writer.paragraph(said.heading)
        writer.heading(draft.title, 0)
        writer.paragraph(said.intro)
        writer.paragraph(said.turnout)
        for priority in draft.priorities:
            writer.heading(f"{rank_text(priority)}: {priority.label}", 1)
            writer.paragraph(score_text(priority, draft))
            writer.paragraph(need_text(priority.finding))
            if priority.gaps:
                writer.heading(said.gaps, 2)
                writer.table([gap_header(), *(gap_row(g) for g in priority.gaps)])
            if priority.quotes:
                writer.heading(said.quotes, 2)
                for quote in priority.quotes:  # each in its own language and direction
                    writer.paragraph(f"“{quote.text}”", "Quote", quote.language or None)
                    if quote.translation:
                        writer.paragraph(quote.translation, "Quote", quote.translation_language)
        if not draft.priorities:
            writer.paragraph(said.no_priorities)
        writer.heading(said.methods, 1)
        for text in (said.voting_method, said.spread, said.gap_method, said.suppression):
            if text:
                writer.paragraph(text, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Elements that follow each marker in the OOXML schema's sequence (Word rejects a wrong order).
_AFTER_BIDI_VISUAL = (
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _is_rtl(code: str) -> bool:
    try:
        return language(code).is_rtl
    except (ValueError, TypeError):  # a code Babel does not know: left to right
        return False


class _Docx:
    """Paragraphs, headings and tables marked with the draft's language and direction."""

    def __init__(self, document, lang: str) -> None:
        self.document = document
        self.lang = lang
        self.rtl = language(lang).is_rtl

    def heading(self, text: str, level: int) -> None:
        self._mark(self.document.add_heading(text, level))

    def paragraph(self, text: str, style: str | None = None, lang: str | None = None) -> None:
        """A paragraph in the draft's language, or in ``lang`` (a quote, a translation)."""
        self._mark(self.document.add_paragraph(text, style=style), lang)

    def table(self, rows) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        if self.rtl:
            table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *_AFTER_BIDI_VISUAL)
        for cells, row in zip(table.rows, rows, strict=True):
            for cell, text in zip(cells.cells, row, strict=True):
                cell.text = text
                for paragraph in cell.paragraphs:
                    self._mark(paragraph)

    def _mark(self, paragraph, lang: str | None = None) -> None:
        lang = lang or self.lang
        rtl = self.rtl if lang == self.lang else _is_rtl(lang)
        if rtl:
            paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
        for run in paragraph.runs:
            properties = run._r.get_or_add_rPr()
            if rtl:
                properties.insert_element_before(OxmlElement("w:rtl"), *_AFTER_RTL)
            tag = OxmlElement("w:lang")
            for attribute in ("w:val", "w:bidi", "w:eastAsia"):
                tag.set(qn(attribute), lang)
            properties.insert_element_before(tag, *_AFTER_LANG)
