"""Comparisons in committee publications: a study's waves, or audiences, side by side.

A researcher adds a comparison to a summary when publishing it. What it
covers is frozen into the publication's scope (:func:`study_comparison`,
:func:`audience_comparison`): the groups (each a survey, or one version of
it, with the questions and choices mapped to the first wave's), the
indicators, and the definition their labels come from. Each time the
publication is derived (published, or re-derived after a withdrawal),
:func:`prepare_comparison` counts every group with the publication's end
(``until``), protects each group's counts with
:func:`analysis.disclosure.protect` audited with the partnership's ledger,
the summary being published and the groups before it, and compares them
(:func:`analysis.waves.compare`). The caller stores each group's protected
counts and members in the publication version's ``parts``, so that later
publications are audited against them too. :func:`comparison_section` words
it in one report language.

Services take the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from analysis.aggregate import NOT_STATED
from analysis.codebook import Codebook
from analysis.disclosure import ProtectedCounts
from analysis.trend_report import AUDIENCES, WAVES, TrendSection, trend_section
from analysis.waves import SINGLE, Indicator, Trend, compare
from consult.definitions import definition_of, title_in
from consult.ledger import Members, earlier_of
from consult.models import Survey, SurveyVersion
from consult.waves.models import Study
from consult.waves.services import (
    WaveSpec,
    choice_questions,
    indicators_of,
    protect_groups,
    specs_of,
)
from forms.model import localized


def study_comparison(study: Study) -> dict:
    """The study's waves, indicators and mappings as they are now, frozen for a publication."""
    indicators = indicators_of(study)
    first = study.waves[0] if study.waves else None
    version = (first.survey_version or first.survey.current_version) if first else None
    return {
        "kind": WAVES,
        "study": study.id,
        "title": study.title,
        "groups": [spec.to_dict() for spec in specs_of(study, indicators)],
        "indicators": [
            {"question": i.question, "kind": i.kind, "choices": list(i.choices)} for i in indicators
        ],
        "merged": {q: dict(m) for q, m in ((first.choice_names or {}) if first else {}).items()},
        "labels_from": version.id if version is not None else None,
    }


def audience_comparison(surveys, titles: dict[int, str]) -> dict:
    """``surveys`` (newcomers', employers', providers'…) compared on the codebook's themes."""
    return {
        "kind": AUDIENCES,
        "title": "",
        "groups": [
            WaveSpec(s.id, None, titles.get(s.id, s.slug), {}, {}).to_dict() for s in surveys
        ],
        "indicators": [],
        "merged": {},
        "labels_from": None,
    }


@dataclass(frozen=True)
class PreparedComparison:
    """A comparison counted and protected for one version of a publication."""

    spec: dict
    groups: tuple[WaveSpec, ...]
    indicators: tuple[Indicator, ...]
    protected: tuple[tuple[ProtectedCounts | None, Members], ...]
    trend: Trend
    definition: object | None
    """The definition the indicators' labels come from (the first wave's)."""
    surveys: tuple[Survey | None, ...]
    """Each group's survey (audiences are named by their survey's title)."""

    def parts(self, index: int) -> list[dict]:
        """The groups' protected counts and members (``PublicationVersion.parts``, the ledger)."""
        return [
            {
                "name": f"{self.spec['kind']}:{index}:{position}",
                "counts": counts.to_dict(),
                "members": members.to_dict(),
            }
            for position, (counts, members) in enumerate(self.protected)
            if counts is not None
        ]


def prepare_comparison(
    db: Session, partnership_id: int, spec: dict, themes, until: datetime | None, earlier
) -> PreparedComparison:
    """Count, protect (each group audited with ``earlier(members)`` and the groups before it)
    and compare the groups of ``spec``."""
    groups = tuple(WaveSpec.from_dict(g) for g in spec["groups"])
    indicators = tuple(
        Indicator(i["question"], i["kind"], tuple(i["choices"])) for i in spec["indicators"]
    )
    made: list[tuple[ProtectedCounts, Members]] = []

    def audited(members: Members) -> list:
        before = [earlier_of(c, m, members) for c, m in made]
        return [*earlier(members), *(b for b in before if b is not None)]

    protected = []
    for group in groups:
        found = protect_groups(
            db, partnership_id, [group], themes, indicators, until=until, earlier=audited
        )[0]
        protected.append(found)
        if found[0] is not None:
            made.append(found)
    asked = [frozenset(g.names) for g in groups]
    trend = compare([c for c, _m in protected], themes, indicators, asked)
    version = db.get(SurveyVersion, spec["labels_from"]) if spec.get("labels_from") else None
    return PreparedComparison(
        spec,
        groups,
        indicators,
        tuple(protected),
        trend,
        definition_of(version) if version is not None else None,
        tuple(db.get(Survey, g.survey_id) for g in groups),
    )


def comparison_section(prepared: PreparedComparison, codebook: Codebook, lang: str) -> TrendSection:
    """The comparison worded in ``lang`` (call inside ``force_language(lang)``)."""
    spec = prepared.spec
    definition = prepared.definition
    questions = choice_questions(definition) if definition is not None else {}
    default = definition.default_language if definition is not None else "en"
    merged = spec.get("merged") or {}

    def question_title(name: str) -> str:
        found = questions.get(name)
        return localized(found.label, lang, default)[0] if found else name

    def choice_label(question: str, choice: str) -> str:
        if choice == NOT_STATED:
            return _("Not stated")
        names = [choice, *(v for v, c in merged.get(question, {}).items() if c == choice)]
        return " / ".join(_one_label(questions.get(question), n, lang, default) for n in names)

    groups = [g.label for g in prepared.groups]
    if spec["kind"] == AUDIENCES:
        groups = [
            title_in(survey, lang) if survey is not None else group.label
            for group, survey in zip(prepared.groups, prepared.surveys, strict=True)
        ]
    return trend_section(
        prepared.trend,
        kind=spec["kind"],
        title=spec.get("title") or "",
        groups=groups,
        themes_title=_("Themes raised"),
        theme_label=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
        untranslated_themes=frozenset(t.key for t in codebook.themes if not t.labels.get(lang)),
        questions=[
            (i.question, question_title(i.question))
            for i in prepared.indicators
            if i.kind == SINGLE or i.choices
        ],
        choice_label=choice_label,
    )


def _one_label(question, name: str, lang: str, default: str) -> str:
    if question is not None:
        for option in question.choices:
            if option.name == name:
                return localized(option.label, lang, default)[0]
    return name


__all__ = [
    "PreparedComparison",
    "audience_comparison",
    "comparison_section",
    "prepare_comparison",
    "study_comparison",
]
