"""The report as a PDF (ReportLab): findings, tables, charts, quotes and methods."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from analysis.charts import to_png
from analysis.report import Report
from consult.reports.render import charts_of

_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
    ]
)


def _unicode_styles():
    """Sample styles in DejaVu Sans (shipped with matplotlib): Latin, Cyrillic, Arabic letters."""
    from pathlib import Path

    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    styles = getSampleStyleSheet()
    for name in ("BodyText", "Italic"):
        styles[name].fontName = "DejaVuSans"
    for name in ("Title", "Heading2"):
        styles[name].fontName = "DejaVuSans-Bold"
    return styles


def render_pdf(report: Report, charts=None) -> bytes:
    """The report as PDF bytes; every text is escaped, suppressed counts say so."""
    buffer = io.BytesIO()
    styles = _unicode_styles()
    with force_locale(report.language):
        story = _story(report, styles, charts if charts is not None else charts_of(report))
    document = SimpleDocTemplate(buffer, pagesize=LETTER, title=report.title, lang=report.language)
    document.build(story)
    return buffer.getvalue()


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _count(value, threshold) -> str:
    return _("fewer than %(n)s", n=threshold) if value is None else str(value)


def _story(report: Report, styles, charts) -> list:
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]
    t = report.threshold
    story = [
        _p(report.title, h1),
        _p(_("Period: %(start)s to %(end)s", start=report.period[0], end=report.period[1]), body),
        _p(_("Respondents:") + " " + _count(report.respondents, t), body),
        _p(_("Key findings"), h2),
    ]
    rows = [[_("Theme"), _("Respondents"), _("Share"), _("Survey"), _("Focus groups")]]
    for f in report.findings:
        share = (
            "—"
            if f.share is None
            else f"{100 * f.share:.0f}% ({100 * f.low:.0f}–{100 * f.high:.0f}%)"
        )
        rows.append(
            [
                f.label,
                _count(f.respondents, t),
                share,
                _count(f.survey_respondents, t),
                _count(f.focus_group_respondents, t),
            ]
        )
    story.append(_table(rows, body))
    for chart in charts:
        ratio = chart.figure.get_figheight() / chart.figure.get_figwidth()
        width = min(6.2 * inch, 8.2 * inch / ratio)
        image = Image(io.BytesIO(to_png(chart)), width=width, height=width * ratio)
        story += [Spacer(1, 8), image, _p(chart.alt, styles["Italic"])]
    for table in report.tables:
        story.append(_p(table.title, h2))
        rows = [
            [_("Theme"), *table.groups],
            [_("Respondents in the group"), *(_count(v, t) for v in table.group_totals)],
        ]
        rows += [[label, *(_count(c, t) for c in cells)] for label, cells in table.rows]
        story.append(_table(rows, body))
    story.append(_p(_("In their words"), h2))
    for f in report.findings:
        for quote in f.quotes:
            story.append(_p(f"{f.label}: “{quote}”", body))
    story.append(_p(_("How this summary was made"), h2))
    for key in ("respondents_text", "coding", "agreement", "sentiment", "suppression"):
        if report.methods.get(key):
            story.append(_p(report.methods[key], body))
    return story


def _table(rows, style) -> Table:
    cells = [[Paragraph(escape(str(c)), style) for c in row] for row in rows]
    table = Table(cells, repeatRows=1)
    table.setStyle(_GRID)
    return table
