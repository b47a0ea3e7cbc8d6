"""A report as charts, a self-contained HTML page, a PDF and CSV tables."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from pathlib import Path

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext

from analysis.charts import (
    Chart,
    counts_chart,
    drawn_with,
    prevalence_chart,
    subgroup_chart,
    to_png,
    to_svg,
)
from analysis.fonts import chart_families
from analysis.report import CompactTable, Report, compact_table
from analysis.spreadsheet import csv_writer
from consult.charts import chart_texts
from consult.i18n import force_language, language
from consult.reports.comparisons import comparison_views


def rounding_texts(report: Report) -> dict[str, str]:
    """How the report says, in the current locale, that its numbers are rounded."""
    return {
        "rounding_note": _(
            "Every number is rounded at random to a multiple of %(base)s; a number below "
            "%(base)s shows as “fewer than %(base)s”.",
            base=report.base,
        ),
        "rounded_caption": _("numbers rounded to multiples of %(base)s", base=report.base),
    }


def count_text(value: int | None, report: Report) -> str:
    """A published count as words: the number, “fewer than 5” or “hidden to protect …”."""
    if value is None:
        return _("hidden to protect a small group")
    if value == 0:
        return _("fewer than %(n)s", n=report.base)
    return str(value)


def compact_tables(report: Report) -> list[tuple[CompactTable, list[str]]]:
    """Each breakdown table without its wholly small rows and columns, with the
    sentences (in the current locale) that name what was left out and say how much
    of the table is small or hidden."""
    return [
        (c, compact_notes(c, report))
        for c in (compact_table(t, report.base) for t in report.tables)
    ]


LIST_SEPARATORS = {"ar": "؛ ", "fa": "؛ ", "ur": "؛ ", "zh-Hans": "； ", "ti": "፤ "}
"""Between the labels a sentence lists: a semicolon, as labels themselves hold commas
("Income, cost of living and basic needs"); the script's own where it has one."""


def label_list(labels, lang: str) -> str:
    """``labels`` as one list in running text of ``lang`` (see :data:`LIST_SEPARATORS`)."""
    return LIST_SEPARATORS.get(lang, "; ").join(labels)


def compact_notes(compact: CompactTable, report: Report) -> list[str]:
    """What a compacted table left out, and how much of it is small or hidden, in words."""
    below = report.base or report.threshold
    notes = []
    if compact.few_groups:
        notes.append(
            _(
                "Not shown as columns, because every number in them is below %(n)s or "
                "hidden: %(groups)s.",
                n=below,
                groups=label_list(compact.few_groups, report.language),
            )
        )
    if compact.few_themes:
        notes.append(
            _(
                "Not shown as rows, because every number in them is below %(n)s or "
                "hidden: %(themes)s.",
                n=below,
                themes=label_list(compact.few_themes, report.language),
            )
        )
    if compact.small:
        notes.append(
            ngettext(
                "%(num)s of the %(total)s numbers in this table is below %(n)s or hidden "
                "to protect a small group.",
                "%(num)s of the %(total)s numbers in this table are below %(n)s or hidden "
                "to protect a small group.",
                compact.small,
                total=compact.numbers,
                n=below,
            )
        )
    return notes


def untranslated_themes_note(labels: list[str]) -> str:
    """Say, in the current locale, which theme names are shown in English for want of a label."""
    return _(
        "These theme names have no translation in this language yet and are shown in "
        "English: %(themes)s.",
        themes=", ".join(labels),
    )


def charts_of(report: Report) -> list[Chart]:
    """Every chart of the report, in its language and drawn with fonts for its script."""
    fonts = chart_families(report.language)
    with drawn_with(fonts):
        return [replace(chart, fonts=fonts) for chart in _charts(report)]


def _has_shares(report: Report) -> bool:
    return any(f.share for f in report.findings)


def _has_bars(table) -> bool:
    """Whether a breakdown's chart would show a bar: a group shown and a count in it."""
    shown = [i for i, total in enumerate(table.group_totals) if total]
    return any(cells[i] for _label, cells in table.rows for i in shown)


def charts_left_out(report: Report) -> list[str]:
    """What has no chart because it would be empty (every group hidden or no one
    raised a theme), in the current locale: said in one sentence, never drawn."""
    left_out = [] if _has_shares(report) else [_("Themes raised, by share of respondents")]
    left_out += [t.title for t in report.tables if t.attribute != "source" and not _has_bars(t)]
    return left_out


def charts_left_out_note(report: Report) -> str:
    """The sentence naming the charts left out, or ``""``."""
    left_out = charts_left_out(report)
    if not left_out:
        return ""
    return _(
        "No chart is drawn for %(titles)s: every group there is too small to show, or no "
        "one in it raised these themes.",
        titles="; ".join(left_out),
    )


def _charts(report: Report) -> list[Chart]:
    with force_language(report.language):
        texts = chart_texts()
        charts = [prevalence_chart(report, texts)] if _has_shares(report) else []
        for index, table in enumerate(report.tables):
            if table.attribute != "source" and _has_bars(table):
                charts.append(subgroup_chart(table, texts, f"table-{index + 1}", report.base))
        counted = (
            (
                "languages",
                report.languages,
                _("Bar chart of respondents by the language they answered in."),
            ),
            (
                "months",
                report.timeline,
                _(
                    "Bar chart of respondents per month (months with fewer than %(n)s left out).",
                    n=report.base,
                ),
            ),
        )
        for name, pairs, alt in counted:
            shown = [(label, n) for label, n in pairs if n is not None and n >= report.base]
            if shown:
                labels, counts = zip(*shown, strict=True)
                charts.append(counts_chart(name, list(labels), list(counts), texts, alt))
    return charts


def render_html(report: Report, standalone: bool = True, charts=None, svgs=None, **context) -> str:
    """The report as one HTML page; standalone embeds its CSS (charts are always embedded)."""
    charts = charts if charts is not None else charts_of(report)
    svgs = svgs or {c.name: to_svg(c) for c in charts}
    images = {
        name: "data:image/svg+xml;base64," + base64.b64encode(data).decode()
        for name, data in svgs.items()
    }
    with force_language(report.language):
        untranslated = [f.label for f in report.findings if f.label_fallback]
        return render_template(
            "reports/report.html",
            report=report,
            direction=language(report.language).direction,
            charts=charts,
            images=images,
            standalone=standalone,
            untranslated_note=untranslated_themes_note(untranslated) if untranslated else "",
            charts_note=charts_left_out_note(report),
            tables=compact_tables(report),
            comparisons=comparison_views(report),
            **rounding_texts(report),
            **context,
        )


def table_csvs(report: Report) -> dict[str, str]:
    """The findings and every table as CSV text, counts labelled as on the page."""
    with force_language(report.language):
        return _table_csvs(report)


def _table_csvs(report: Report) -> dict[str, str]:
    files = {}
    note = rounding_texts(report)["rounding_note"]
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["theme", "respondents", "share", "low", "high", "survey", "focus_groups"])
    for f in report.findings:
        writer.writerow(
            [
                f.label,
                count_text(f.respondents, report),
                _num(f.share),
                _num(f.low),
                _num(f.high),
                count_text(f.survey_respondents, report),
                count_text(f.focus_group_respondents, report),
            ]
        )
    writer.writerow([note])
    files["findings.csv"] = buffer.getvalue()
    for index, table in enumerate(report.tables, start=1):
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        writer.writerow(["theme", *table.groups])
        writer.writerow(
            ["(respondents in group)", *(count_text(t, report) for t in table.group_totals)]
        )
        for label, cells in table.rows:
            writer.writerow([label, *(count_text(c, report) for c in cells)])
        writer.writerow([note])
        files[f"table-{index}-{table.attribute}.csv"] = buffer.getvalue()
    for index, view in enumerate(comparison_views(report), start=1):
        files[f"comparison-{index}.csv"] = _comparison_csv(view, note)
    return files


def _comparison_csv(view, note: str) -> str:
    """A comparison as on the page: a row per theme or answer, a column per group."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["table", "row", *view.groups, "test"])
    writer.writerow(["", "(respondents)", *view.respondents, ""])
    for table in view.tables:
        for line in table.lines:
            writer.writerow([table.title, line.label, *line.cells, line.sentence])
        if table.note:
            writer.writerow([table.title, table.note])
    if view.note:
        writer.writerow(["", view.note])
    writer.writerow([note])
    return buffer.getvalue()


def _num(value) -> str:
    return "" if value is None else f"{value:.4f}"


def write_report(report: Report, out: Path) -> list[Path]:
    """Write report.html, report.pdf, charts (PNG and SVG) and CSV tables into ``out``."""
    from consult.reports.pdf import render_pdf

    out.mkdir(parents=True, exist_ok=True)
    charts = charts_of(report)  # drawn once, used by every output
    svgs = {c.name: to_svg(c) for c in charts}
    written = []
    html = out / "report.html"
    html.write_text(render_html(report, charts=charts, svgs=svgs), encoding="utf-8")
    written.append(html)
    pdf = out / "report.pdf"
    pdf.write_bytes(render_pdf(report, charts=charts))
    written.append(pdf)
    for chart in charts:
        for suffix, data in (("png", to_png(chart)), ("svg", svgs[chart.name])):
            path = out / f"chart-{chart.name}.{suffix}"
            path.write_bytes(data)
            written.append(path)
    for name, text in table_csvs(report).items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
