"""The settlement-strategy draft as a PDF (ReportLab), in any report language.

Uses the report PDF's writer (``consult.reports.pdf``): fonts per word,
shaping, right-to-left lines and tables with their first column on the
right in a right-to-left language.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import SimpleDocTemplate, Spacer

from analysis.strategy import StrategyDraft
from consult.i18n import force_language
from consult.reports.pdf import _styles, _Writer
from consult.strategy.draft import (
    DraftWords,
    gap_header,
    gap_row,
    need_text,
    rank_text,
    score_text,
)


def render_draft_pdf(draft: StrategyDraft, said: DraftWords) -> bytes:
    """The draft as PDF bytes: priorities in rank order with their evidence, then methods."""
    buffer = io.BytesIO()
    writer = _Writer(draft.language, _styles())
    with force_language(draft.language):
        story = _story(draft, said, writer)
    document = SimpleDocTemplate(buffer, pagesize=LETTER, title=draft.title, lang=draft.language)
    document.build(story)
    return buffer.getvalue()


def _story(draft: StrategyDraft, said: DraftWords, w: _Writer) -> list:
    story = [w.p(said.heading), w.p(draft.title, "Title"), w.p(said.intro), w.p(said.turnout)]
    for priority in draft.priorities:
        story += [
            w.p(f"{rank_text(priority)}: {priority.label}", "Heading2"),
            w.p(score_text(priority, draft)),
            w.p(need_text(priority.finding)),
        ]
        if priority.gaps:
            story += [w.p(said.gaps, "Italic")]
            story += w.table([gap_header(), *(gap_row(g) for g in priority.gaps)])
        if priority.quotes:
            story.append(w.p(said.quotes, "Italic"))
            for quote in priority.quotes:  # each in its own language and direction
                story.append(w.p(f"“{quote.text}”", language=quote.language or None))
                if quote.translation:
                    story.append(w.p(quote.translation, language=quote.translation_language))
        story.append(Spacer(1, 6))
    if not draft.priorities:
        story.append(w.p(said.no_priorities))
    story.append(w.p(said.methods, "Heading2"))
    for text in (said.voting_method, said.spread, said.gap_method, said.suppression):
        if text:
            story.append(w.p(text))
    return story
