"""Build a committee report from the database, in English or French."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.aggregate import NOT_STATED, Respondent
from analysis.records import SOURCE_FOCUS_GROUP
from analysis.report import Report, build_report
from consult.coding.models import ApprovedQuote, CodingSample, TextUnitRow
from consult.coding.services import (
    as_record,
    current_codebook_row,
    effective_themes,
    sync_focus_group_units,
)
from consult.coding.summary import Scope, summarise
from consult.i18n import language_name_in
from consult.models import Response, Survey
from consult.survey.definitions import definition_of
from forms.model import localized

REPORT_LANGUAGES = ("en", "fr")


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


def build(db: Session, scope: ReportScope, lang: str) -> Report:
    """The suppressed report of ``scope`` in ``lang`` (``en`` or ``fr``)."""
    from analysis.codebook import codebook_from_dict

    codebook_row = current_codebook_row(db, scope.partnership_id)
    codebook = codebook_from_dict(codebook_row.data)
    surveys = db.scalars(select(Survey).where(Survey.id.in_(scope.survey_ids))).all()
    definitions = [definition_of(s.current_version) for s in surveys]
    extra_respondents, extra_units = _focus_groups(db, scope, codebook)
    summary_scope = Scope(
        scope.partnership_id,
        scope.survey_ids,
        scope.since,
        scope.until,
        tuple(extra_respondents),
        tuple(extra_units),
    )
    aggregation = summarise(db, summary_scope, scope.breakdowns, codebook.keys)
    threshold = max(3, int(current_app.config["SUPPRESSION_THRESHOLD"]))
    with force_locale(lang):
        return build_report(
            aggregation,
            title=scope.title,
            language=lang,
            period=_period(db, scope),
            theme_label=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
            group_label=_group_labeller(definitions, lang),
            table_titles=_table_titles(definitions, scope.breakdowns, lang),
            threshold=threshold,
            quotes=_quotes(db, scope.partnership_id, lang),
            methods=_methods(db, scope, codebook_row.version, aggregation, threshold),
            timeline=_weekly(db, scope),
        )


def _focus_groups(db: Session, scope: ReportScope, codebook):
    """Focus-group participants and their coded segments (researchers' decisions win)."""
    if not scope.include_focus_groups:
        return [], []
    sync_focus_group_units(db, scope.partnership_id)
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


def _quotes(db: Session, partnership_id: int, lang: str) -> dict[str, list[str]]:
    quotes: dict[str, list[str]] = {}
    for quote in db.scalars(
        select(ApprovedQuote).where(ApprovedQuote.partnership_id == partnership_id)
    ):
        shown = quote.text
        if quote.language.split("-")[0] != lang and quote.translation:
            shown = f"{quote.text} — {quote.translation}"
        quotes.setdefault(quote.theme, []).append(shown)
    return quotes


def _methods(db: Session, scope: ReportScope, codebook_version, aggregation, threshold) -> dict:
    return {
        "respondents_text": _("Respondents: everyone who answered in the period, counted once."),
        "coding": _(
            "Free-text answers and focus-group notes were coded automatically with the "
            "partnership's codebook (version %(version)s), in the language they were written "
            "in; researchers reviewed the codes, and their decisions replace the automatic ones.",
            version=codebook_version,
        ),
        "agreement": _agreement_text(db, scope),
        "suppression": _(
            "Any number describing fewer than %(threshold)s people is not shown, together with "
            "any other number that would let it be worked out.",
            threshold=threshold,
        ),
        "sentiment": _(
            "Sentiment is measured only for English and French texts and texts with a human "
            "translation; it is shown when at least %(threshold)s texts were scored.",
            threshold=threshold,
        ),
        "units": aggregation.units,
    }


def _agreement_text(db: Session, scope: ReportScope) -> str:
    from analysis.codebook import codebook_from_dict
    from consult.coding.agreement import sample_agreement

    codebook = codebook_from_dict(current_codebook_row(db, scope.partnership_id).data)
    values = []
    for sample in db.scalars(
        select(CodingSample).where(CodingSample.partnership_id == scope.partnership_id)
    ):
        result = sample_agreement(db, sample, codebook.keys)
        for rows in result.auto_vs_people.values():
            values += [r.kappa for r in rows.values() if r.kappa is not None]
    if not values:
        return _("Agreement between automatic and human coding has not been measured yet.")
    mean = sum(values) / len(values)
    return _(
        "On samples coded independently by researchers, automatic coding agreed with people "
        "with a mean Cohen's kappa of %(kappa)s across themes.",
        kappa=f"{mean:.2f}",
    )
