"""A study's trend in the reader's language: labels, counts, shares, intervals and tests as text."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from analysis.aggregate import NOT_STATED
from analysis.waves import CHI_SQUARE, SINGLE, THEME, Change, Point
from consult.i18n import current_language
from consult.waves.services import StudyTrend, choice_questions, wave_definition
from forms.model import localized


def problem_message(code: str) -> str:
    """What went wrong, in the user's language.

    ``code``: one of :class:`~consult.waves.services.WaveProblem`'s codes.
    """
    messages = {
        "title": _("Give the study a title."),
        "survey": _("Choose one of your partnership's surveys."),
        "version": _("That survey has no version with this number."),
        "wave": _("That wave is not part of this study."),
        "first_wave": _("Choose a choice question of the first wave."),
        "question": _("Choose a choice question of this wave."),
        "kind": _(
            "The two questions are of different kinds: one takes one answer, the other several."
        ),
        "taken": _("That is already part of this study."),
        "choice": _("Choose one of the answers this question has in this wave."),
        "first_choice": _("Choose another answer of the first wave's question."),
    }
    return messages[code]


@dataclass(frozen=True)
class Cell:
    """One wave of a row, as text."""

    count: str
    share: str
    change: str
    significant: bool = False


@dataclass(frozen=True)
class Row:
    """A theme or a choice of an indicator over the waves."""

    label: str
    cells: tuple[Cell, ...]
    overall: str
    significant: bool


@dataclass(frozen=True)
class Section:
    """A table of the trend: the themes, or one indicator question."""

    key: str
    title: str
    kind: str
    rows: tuple[Row, ...]
    test: str


@dataclass(frozen=True)
class TrendView:
    """Everything the study page and the CLI show of a trend."""

    waves: tuple[str, ...]
    respondents: tuple[str, ...]
    sections: tuple[Section, ...]
    base: int


def count_text(value: int | None, base: int) -> str:
    """A protected count: the number, "fewer than 5", or "hidden to protect a small group"."""
    if value is None:
        return _("hidden to protect a small group")
    if value == 0:
        return _("fewer than %(n)s", n=base)
    return str(value)


def change_text(change: Change | None) -> str:
    """``z = 2.31, p = 0.021`` (two waves) or ``χ² = 9.20, df = 2, p = 0.010``.

    "—" when there is no test.
    """
    if change is None:
        return "—"
    p = "p < 0.001" if change.p_value < 0.001 else f"p = {change.p_value:.3f}"
    if change.test == CHI_SQUARE:
        return f"χ² = {change.statistic:.2f}, df = {change.degrees_of_freedom}, {p}"
    return f"z = {change.statistic:.2f}, {p}"


def _cell(point: Point, base: int) -> Cell:
    if point.whole is None and point.count is None:
        return Cell("—", "—", "—")
    share = point.share
    shown = (
        f"{100 * share.value:.0f}% ({100 * share.low:.0f}–{100 * share.high:.0f}%)"
        if share is not None
        else "—"
    )
    significant = point.change is not None and point.change.significant
    return Cell(count_text(point.count, base), shown, change_text(point.change), significant)


def trend_view(found: StudyTrend) -> TrendView:
    """The trend of ``found`` worded in the current language."""
    lang = current_language().code
    trend, base = found.trend, found.trend.base
    codebook = found.codebook
    rows_by_question: dict[str, list[Row]] = {}
    theme_rows: list[Row] = []
    first = choice_questions(wave_definition(found.waves[0])) if found.waves else {}
    default = wave_definition(found.waves[0]).default_language if found.waves else "en"
    for row in trend.rows:
        cells = tuple(_cell(p, base) for p in row.points)
        overall = change_text(row.overall)
        significant = row.overall is not None and row.overall.significant
        if row.kind == THEME:
            label = codebook.theme(row.choice).label(lang) if row.choice in codebook else row.choice
            theme_rows.append(Row(label, cells, overall, significant))
            continue
        question = first.get(row.question)
        merged = ((found.waves[0].choice_names or {}) if found.waves else {}).get(row.question, {})
        names = [row.choice, *(v for v, c in merged.items() if c == row.choice)]
        label = " / ".join(_choice_label(question, n, lang, default) for n in names)
        rows_by_question.setdefault(row.question, []).append(
            Row(label, cells, overall, significant)
        )
    tests = {t.question: t.change for t in trend.questions}
    sections = [Section("themes", _("Themes raised"), THEME, tuple(theme_rows), "")]
    for indicator in found.indicators:
        question = first.get(indicator.question)
        title = localized(question.label, lang, default)[0] if question else indicator.question
        test = change_text(tests.get(indicator.question)) if indicator.kind == SINGLE else ""
        sections.append(
            Section(
                indicator.question,
                title,
                indicator.kind,
                tuple(rows_by_question.get(indicator.question, ())),
                test,
            )
        )
    respondents = tuple(count_text(v, base) if v is not None else "—" for v in trend.respondents)
    return TrendView(tuple(w.label for w in found.waves), respondents, tuple(sections), base)


def _choice_label(question, choice: str, lang: str, default: str) -> str:
    if choice == NOT_STATED:
        return _("Not stated")
    if question is not None:
        for option in question.choices:
            if option.name == choice:
                return localized(option.label, lang, default)[0]
    return choice
