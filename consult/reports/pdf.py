"""The report as a PDF (ReportLab): findings, tables, charts, quotes and methods."""

from __future__ import annotations

import io
import re

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, Table, TableStyle

from analysis.bidi import RTL
from analysis.charts import to_png
from analysis.fonts import base_font
from analysis.report import Report
from consult.i18n import force_language
from consult.i18n import language as language_of
from consult.reports.comparisons import comparison_views
from consult.reports.pdf_text import (
    font_chain,
    font_runs,
    paragraph,
    register_bold,
    registered_name,
)
from consult.reports.render import (
    charts_left_out_note,
    charts_of,
    compact_tables,
    count_text,
    rounding_texts,
    untranslated_themes_note,
)

_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
    ]
)


_BREAKS = re.compile(r"[ \t\n]+")
_CELL_SIZE = 8
_CELL_PADDING = 12  # ReportLab's cell padding, 6 points on each side
_FRAME_WIDTH = LETTER[0] - 2 * inch  # SimpleDocTemplate's default margins
_SHAPING_ALLOWANCE = 1.06  # widths are measured before shaping (joined forms, marks)


def _styles():
    """Sample styles: DejaVu Sans for Latin and Cyrillic; other scripts per word (pdf_text).

    Table cells never split a word (``splitLongWords=0``): columns are made wide
    enough for their longest word instead (:meth:`_Writer.table`).
    """
    base = registered_name(base_font())
    styles = getSampleStyleSheet()
    for name in ("BodyText", "Italic"):
        styles[name].fontName = base
    for name in ("Title", "Heading2", "Heading3"):
        styles[name].fontName = register_bold()
    styles.add(
        ParagraphStyle(
            "Cell",
            parent=styles["BodyText"],
            fontSize=_CELL_SIZE,
            leading=_CELL_SIZE + 2,
            splitLongWords=0,
            spaceBefore=0,
            spaceAfter=0,
        )
    )
    return styles


def render_pdf(report: Report, charts=None) -> bytes:
    """The report as PDF bytes; every text is escaped, suppressed counts say so."""
    buffer = io.BytesIO()
    writer = _Writer(report.language, _styles())
    with force_language(report.language):
        story = _story(report, writer, charts if charts is not None else charts_of(report))
    document = SimpleDocTemplate(buffer, pagesize=LETTER, title=report.title, lang=report.language)
    document.build(story)
    return buffer.getvalue()


class _Writer:
    """Paragraphs and tables in the report's language, fonts and direction."""

    def __init__(self, language: str, styles) -> None:
        self.language = language
        self.direction = language_of(language).direction
        self.styles = styles

    def p(self, text, style_name: str = "BodyText", language: str | None = None):
        """A paragraph in the report's language, or in ``language`` (a quote and its
        translation: each in its own fonts and direction)."""
        if language is None:
            return paragraph(str(text), self.styles[style_name], self.language, self.direction)
        own = language_of(language)
        return paragraph(str(text), self.styles[style_name], own.code, own.direction)

    def table(self, rows, width: float = _FRAME_WIDTH) -> list:
        """``rows`` (the first is the header) as tables within ``width``: each column
        at least as wide as its longest word, so no word is split or clipped. When the
        columns do not fit side by side, they go into several tables, each repeating
        the first column. In right-to-left reports the first column is on the right."""
        texts = [[str(c) for c in row] for row in rows]
        narrowest = [max(self._longest_word(row[c]) for row in texts) for c in range(len(rows[0]))]
        natural = [max(self._width(row[c]) for row in texts) for c in range(len(rows[0]))]
        label = min(max(narrowest[0], min(natural[0], 0.32 * width)), width / 2)
        flowables = []
        for columns in _column_groups(narrowest[1:], width - label):
            picked = [0, *(c + 1 for c in columns)]
            widths = _spread(
                [label, *(narrowest[c] for c in picked[1:])], [natural[c] for c in picked], width
            )
            cells = [[self.p(row[c], "Cell") for c in picked] for row in texts]
            if self.direction == RTL:
                cells, widths = [row[::-1] for row in cells], widths[::-1]
            table = Table(cells, colWidths=widths, repeatRows=1)
            table.setStyle(_GRID)
            flowables += [table, Spacer(1, 6)]
        return flowables

    def _width(self, text: str) -> float:
        chain = font_chain(self.language)
        runs = font_runs(text, chain)
        drawn = sum(stringWidth(run, font, _CELL_SIZE) for font, run in runs)
        return _CELL_PADDING + drawn * _SHAPING_ALLOWANCE

    def _longest_word(self, text: str) -> float:
        words = _BREAKS.split(text)  # a no-break space keeps a figure and its interval together
        return max((self._width(word) for word in words), default=_CELL_PADDING)


def _column_groups(widths: list[float], room: float) -> list[list[int]]:
    """Consecutive columns (indexes into ``widths``) that fit side by side in ``room``;
    a column wider than the room alone gets a table of its own."""
    groups: list[list[int]] = [[]]
    used = 0.0
    for index, width in enumerate(widths):
        if groups[-1] and used + width > room:
            groups.append([])
            used = 0.0
        groups[-1].append(index)
        used += width
    return groups


def _spread(minimum: list[float], natural: list[float], width: float) -> list[float]:
    """Column widths from their minimum towards their natural width, within ``width``."""
    spare = width - sum(minimum)
    wanted = [max(n - m, 0.0) for m, n in zip(minimum, natural, strict=True)]
    if spare <= 0 or not sum(wanted):
        return minimum
    share = min(1.0, spare / sum(wanted))
    return [m + w * share for m, w in zip(minimum, wanted, strict=True)]


def _story(report: Report, w: _Writer, charts) -> list:
    def count(value):
        return count_text(value, report)

    story = [
        w.p(report.title, "Title", language="en" if report.title_fallback else None),
        w.p(_("Period: %(start)s to %(end)s", start=report.period[0], end=report.period[1])),
        w.p(_("Respondents:") + " " + count(report.respondents)),
        w.p(rounding_texts(report)["rounding_note"], "Italic"),
        w.p(_("Key findings"), "Heading2"),
    ]
    rows = [[_("Theme"), _("Respondents"), _("Share"), _("Survey"), _("Focus groups")]]
    for f in report.findings:
        share = (
            "—"
            if f.share is None
            else f"{100 * f.share:.0f}%\u00a0({100 * f.low:.0f}–{100 * f.high:.0f}%)"
        )
        rows.append(
            [
                f.label,
                count(f.respondents),
                share,
                count(f.survey_respondents),
                count(f.focus_group_respondents),
            ]
        )
    story += w.table(rows)
    story += _fallback_note(report, w)
    if charts_left_out_note(report):
        story.append(w.p(charts_left_out_note(report), "Italic"))
    for chart in charts:
        ratio = chart.figure.get_figheight() / chart.figure.get_figwidth()
        width = min(6.2 * inch, 8.2 * inch / ratio)
        image = Image(io.BytesIO(to_png(chart)), width=width, height=width * ratio)
        story += [Spacer(1, 8), image, w.p(chart.alt, "Italic")]
    for compact, notes in compact_tables(report):
        table = compact.table
        story.append(w.p(table.title, "Heading2"))
        if not compact.empty:
            rows = [
                [_("Theme"), *table.groups],
                [_("Respondents in the group"), *(count(v) for v in table.group_totals)],
            ]
            rows += [[label, *(count(c) for c in cells)] for label, cells in table.rows]
            story += w.table(rows)
        story += [w.p(note, "Italic") for note in notes]
    story += _comparisons(report, w)
    story += _sentiment(report, w, count)
    story.append(w.p(_("In their words"), "Heading2"))
    for f in report.findings:
        for quote in f.quotes:
            story.append(w.p(f"{f.label}:", "Italic"))
            story.append(w.p(f"“{quote.text}”", language=quote.language or None))
            if quote.translation:
                story.append(w.p(quote.translation, language=quote.translation_language))
    story.append(w.p(_("How this summary was made"), "Heading2"))
    for key in ("respondents_text", "coding", "agreement", "sentiment", "suppression", "hidden"):
        if report.methods.get(key):
            story.append(w.p(report.methods[key]))
    return story


def _comparisons(report: Report, w: _Writer) -> list:
    """Waves over time and audiences side by side, worded as on the page."""
    story = []
    for view in comparison_views(report):
        story += [w.p(view.heading, "Heading2"), w.p(view.intro)]
        for table in view.tables:
            if table.lines:
                if table.title:
                    story.append(w.p(table.title, "Heading3"))
                rows = [
                    [_("Answer or theme"), *view.groups, _("What the test says")],
                    [_("Respondents"), *view.respondents, ""],
                ]
                rows += [[line.label, *line.cells, line.sentence] for line in table.lines]
                story += w.table(rows)
            if table.note:
                story.append(w.p(table.note, "Italic"))
        if view.note:
            story.append(w.p(view.note, "Italic"))
    return story


def _sentiment(report: Report, w: _Writer, count) -> list:
    """How those who wrote about each theme felt, where it can be told."""
    scored = [f for f in report.findings if f.mood_shares]
    if not scored:
        return []
    rows = [[_("Theme"), _("Negative"), _("Neutral"), _("Positive")]]
    for f in scored:
        cells = [
            f"{count(n)} ({100 * share:.0f}%)"
            for n, share in zip(f.moods, f.mood_shares, strict=True)
        ]
        rows.append([f.label, *cells])
    return [w.p(_("Sentiment by theme"), "Heading2"), *w.table(rows)]


def _fallback_note(report: Report, w: _Writer) -> list:
    """Say which theme names are shown in English because they have no translation."""
    untranslated = [f.label for f in report.findings if f.label_fallback]
    if not untranslated:
        return []
    return [w.p(untranslated_themes_note(untranslated), "Italic")]
