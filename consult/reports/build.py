"""Build a committee report from the database, in every report language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.aggregate import NOT_STATED, Aggregation, Respondent
from analysis.codebook import Codebook, codebook_from_dict
from analysis.records import SOURCE_FOCUS_GROUP
from analysis.report import Quote, Report, build_report
from consult.catalogs import complete_languages
from consult.coding.models import ApprovedQuote, CodingSample, TextUnitRow
from consult.coding.services import (
    as_record,
    current_codebook_row,
    effective_themes,
)
from consult.coding.summary import Scope, summarise
from consult.definitions import definition_of
from consult.i18n import UI_LANGUAGES, force_language, language_name_in
from consult.models import Response, Survey
from forms.model import localized

ALWAYS_REPORTED = ("en", "fr")
"""Canada's official languages: every report is made in both."""


def report_languages(translations: Path | None = None) -> tuple[str, ...]:
    """English, French and every UI language whose catalogue is complete, in picker order.

    Decided from the catalogues themselves (every message translated, none
    fuzzy), so a language joins the reports when its catalogue is finished.
    """
    folder = translations or Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    complete = set(complete_languages(folder, UI_LANGUAGES))
    return tuple(code for code in UI_LANGUAGES if code in ALWAYS_REPORTED or code in complete)


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: surveys, dates, breakdowns, focus groups."""

    partnership_id: int
    survey_ids: tuple[int, ...]
    title: str
    breakdowns: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    include_focus_groups: bool = True
    titles: tuple[tuple[str, str], ...] = ()
    """The title in other report languages, ``(language, title)``; ``title`` is English
    and stands in (marked) for a language without one."""


@dataclass(frozen=True)
class _Inputs:
    """Everything a report needs that does not depend on its language: loaded once."""

    codebook: Codebook
    codebook_version: int
    definitions: list
    aggregation: Aggregation
    threshold: int
    period: tuple[str, str]
    timeline: list[tuple[str, int]]
    kappa: float | None


def build(db: Session, scope: ReportScope, lang: str) -> Report:
    """The suppressed report of ``scope`` in ``lang``."""
    return build_reports(db, scope, (lang,))[lang]


def build_reports(db: Session, scope: ReportScope, languages: tuple[str, ...]) -> dict[str, Report]:
    """The suppressed report of ``scope`` in each of ``languages``, from one aggregation."""
    inputs = _load_inputs(db, scope)
    return {lang: _report_in(db, scope, inputs, lang) for lang in languages}


def _load_inputs(db: Session, scope: ReportScope) -> _Inputs:
    codebook_row = current_codebook_row(db, scope.partnership_id)
    codebook = codebook_from_dict(codebook_row.data)
    surveys = db.scalars(select(Survey).where(Survey.id.in_(scope.survey_ids))).all()
    extra_respondents, extra_units = _focus_groups(db, scope, codebook)
    summary_scope = Scope(
        scope.partnership_id,
        scope.survey_ids,
        scope.since,
        scope.until,
        tuple(extra_respondents),
        tuple(extra_units),
    )
    return _Inputs(
        codebook=codebook,
        codebook_version=codebook_row.version,
        definitions=[definition_of(s.current_version) for s in surveys],
        aggregation=summarise(db, summary_scope, scope.breakdowns, codebook.keys),
        threshold=max(3, int(current_app.config["SUPPRESSION_THRESHOLD"])),
        period=_period(db, scope),
        timeline=_weekly(db, scope),
        kappa=_mean_kappa(db, scope, codebook),
    )


def _report_in(db: Session, scope: ReportScope, inputs: _Inputs, lang: str) -> Report:
    codebook = inputs.codebook
    titles = dict(scope.titles)
    with force_language(lang):
        return build_report(
            inputs.aggregation,
            title=titles.get(lang) or scope.title,
            title_fallback=lang != "en" and not titles.get(lang),
            language=lang,
            period=inputs.period,
            theme_label=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
            untranslated_themes=_untranslated(codebook, lang),
            group_label=_group_labeller(inputs.definitions, lang),
            table_titles=_table_titles(inputs.definitions, scope.breakdowns, lang),
            threshold=inputs.threshold,
            quotes=_quotes(db, scope.partnership_id, lang),
            methods=_methods(inputs),
            timeline=inputs.timeline,
        )


def _untranslated(codebook: Codebook, lang: str) -> frozenset[str]:
    """Keys of the themes with no label in ``lang`` (shown with their English label)."""
    return frozenset(t.key for t in codebook.themes if not t.labels.get(lang))


def _focus_groups(db: Session, scope: ReportScope, codebook):
    """Focus-group participants and their coded segments (researchers' decisions win)."""
    if not scope.include_focus_groups:
        return [], []
    rows = db.scalars(
        select(TextUnitRow).where(
            TextUnitRow.partnership_id == scope.partnership_id,
            TextUnitRow.source == SOURCE_FOCUS_GROUP,
        )
    ).all()
    respondents, units = {}, []
    for row in rows:
        respondents.setdefault(
            row.respondent_key,
            Respondent(
                row.respondent_key, SOURCE_FOCUS_GROUP, row.language, dict(row.attributes or {})
            ),
        )
        units.append((as_record(row), tuple(effective_themes(row))))
    return list(respondents.values()), units


def _weekly(db: Session, scope: ReportScope) -> list[tuple[str, int]]:
    """Survey responses per ISO week, oldest first."""
    query = select(Response.submitted_at).where(
        Response.survey_id.in_(scope.survey_ids), Response.withdrawn_at.is_(None)
    )
    if scope.since is not None:
        query = query.where(Response.submitted_at >= scope.since)
    if scope.until is not None:
        query = query.where(Response.submitted_at < scope.until)
    weeks: dict[str, int] = {}
    for (moment,) in db.execute(query):
        year, week, _day = moment.isocalendar()
        label = f"{year}-W{week:02d}"
        weeks[label] = weeks.get(label, 0) + 1
    return sorted(weeks.items())


def _period(db: Session, scope: ReportScope) -> tuple[str, str]:
    first, last = db.execute(
        select(func.min(Response.submitted_at), func.max(Response.submitted_at)).where(
            Response.survey_id.in_(scope.survey_ids), Response.withdrawn_at.is_(None)
        )
    ).one()
    start = scope.since or first
    end = scope.until or last
    return (start.date().isoformat() if start else "", end.date().isoformat() if end else "")


def _group_labeller(definitions, lang: str):
    labels = {}
    for definition in definitions:
        for question in definition.breakdown_questions():
            for choice in question.choices:
                labels[(question.name, choice.name)] = localized(
                    choice.label, lang, definition.default_language
                )[0]

    def label(attribute: str, group: str) -> str:
        if group == NOT_STATED:
            return _("Not stated")
        if attribute == "language":
            return language_name_in(group, lang)
        if attribute == "source":
            return _("Survey") if group == "survey" else _("Focus groups")
        return labels.get((attribute, group), group)

    return label


def _table_titles(definitions, breakdowns, lang: str) -> dict[str, str]:
    titles = {
        "language": _("By language of the answers"),
        "source": _("Survey and focus groups side by side"),
    }
    for name in breakdowns:
        for definition in definitions:
            try:
                question = definition.question(name)
            except KeyError:
                continue
            text = localized(question.label, lang, definition.default_language)[0]
            titles[name] = _("By answer to: %(question)s", question=text)
            break
    return titles


def _quotes(db: Session, partnership_id: int, lang: str) -> dict[str, list[Quote]]:
    """Approved quotes per theme, each in its own language; the translation goes with it
    when the report is in another language (and shown apart, in its own direction)."""
    quotes: dict[str, list[Quote]] = {}
    rows = db.execute(
        select(ApprovedQuote, TextUnitRow.translation_language)
        .join(TextUnitRow, TextUnitRow.id == ApprovedQuote.unit_id)
        .where(ApprovedQuote.partnership_id == partnership_id)
    )
    for quote, translation_language in rows:
        translated = quote.language.split("-")[0] != lang and quote.translation
        quotes.setdefault(quote.theme, []).append(
            Quote(
                text=quote.text,
                language=quote.language,
                translation=quote.translation if translated else None,
                translation_language=(translation_language or "en") if translated else None,
            )
        )
    return quotes


def _methods(inputs: _Inputs) -> dict:
    return {
        "respondents_text": _("Respondents: everyone who answered in the period, counted once."),
        "coding": _(
            "Free-text answers and focus-group notes were coded automatically with the "
            "partnership's codebook (version %(version)s), in the language they were written "
            "in; researchers reviewed the codes, and their decisions replace the automatic ones.",
            version=inputs.codebook_version,
        ),
        "agreement": _agreement_text(inputs.kappa),
        "suppression": _(
            "Any number describing fewer than %(threshold)s people is not shown, together with "
            "any other number that would let it be worked out.",
            threshold=inputs.threshold,
        ),
        "sentiment": _(
            "Sentiment is measured only for English and French texts and texts with a human "
            "translation; it is shown when at least %(threshold)s texts were scored.",
            threshold=inputs.threshold,
        ),
        "units": inputs.aggregation.units,
    }


def _mean_kappa(db: Session, scope: ReportScope, codebook: Codebook) -> float | None:
    """Mean Cohen's kappa of automatic against human coding over every sample (None if none)."""
    from consult.coding.agreement import sample_agreement

    values = []
    for sample in db.scalars(
        select(CodingSample).where(CodingSample.partnership_id == scope.partnership_id)
    ):
        result = sample_agreement(db, sample, codebook.keys)
        for rows in result.auto_vs_people.values():
            values += [r.kappa for r in rows.values() if r.kappa is not None]
    return sum(values) / len(values) if values else None


def _agreement_text(kappa: float | None) -> str:
    if kappa is None:
        return _("Agreement between automatic and human coding has not been measured yet.")
    return _(
        "On samples coded independently by researchers, automatic coding agreed with people "
        "with a mean Cohen's kappa of %(kappa)s across themes.",
        kappa=f"{kappa:.2f}",
    )
