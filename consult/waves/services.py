"""Studies and their waves, renamed questions, and the trend from protected counts.

A wave is every response to a survey, or only those to one of its versions
(withdrawn responses count nowhere). The study's **indicators** are the
choice questions (select one, select multiple, outside repeats) of its
first wave; a later wave asks an indicator when it has a question of the
same name and kind, or one a researcher mapped to it (the question was
renamed).

:func:`trend_of` counts every wave (respondents, the themes they raised,
their answers to each indicator), protects each wave's counts with
:func:`analysis.disclosure.protect`, audited with every earlier publication
of the partnership that counts some of the same people (the ledger,
:func:`consult.ledger.ledger`), and computes the trend from the
protected counts alone (:func:`analysis.waves.compare`). Draws are keyed on
the data, so the same data shows the same numbers.

Services take the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.codebook import Codebook, codebook_from_dict
from analysis.disclosure import CannotProtect, ProtectedCounts, protect
from analysis.waves import MULTIPLE, SINGLE, Indicator, Trend, compare, wave_cube, wave_shape
from consult.coding.services import current_codebook_row
from consult.definitions import definition_of
from consult.ledger import Members, disclosure_secret, ledger, threshold
from consult.models import Survey, SurveyVersion
from consult.waves.counting import count_wave
from consult.waves.models import Study, StudyWave
from forms.model import Question

KINDS = {"select_one": SINGLE, "select_multiple": MULTIPLE}


class WaveProblem(ValueError):
    """A request the study cannot take; ``code`` names why (worded by the caller).

    Codes: ``title``, ``survey``, ``version``, ``wave``, ``question``,
    ``first_wave``, ``kind``, ``taken``, ``choice``, ``first_choice``.
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def studies_of(db: Session, partnership_ids: set[int]) -> list[Study]:
    """The studies of these partnerships, newest first."""
    query = select(Study).where(Study.partnership_id.in_(partnership_ids))
    return list(db.scalars(query.order_by(Study.id.desc())))


def study_for(db: Session, study_id: int, partnership_ids: set[int]) -> Study | None:
    """The study with this id if it belongs to one of these partnerships."""
    study = db.get(Study, study_id)
    return study if study is not None and study.partnership_id in partnership_ids else None


def create_study(db: Session, partnership_id: int, title: str, user_id: int | None) -> Study:
    """A new study without waves; raises :class:`WaveProblem` (``title``) without a title."""
    title = title.strip()[:200]
    if not title:
        raise WaveProblem("title")
    study = Study(partnership_id=partnership_id, title=title, created_by=user_id)
    db.add(study)
    db.flush()
    return study


def add_wave(
    db: Session, study: Study, survey: Survey | None, version_number: int | None, label: str
) -> StudyWave:
    """Add ``survey`` (or only its version ``version_number``) as the study's next wave.

    Raises :class:`WaveProblem`: ``survey`` when it is missing or another
    partnership's, ``version`` when it has no such version, ``taken`` when
    the same survey and version already is a wave.
    """
    if survey is None or survey.partnership_id != study.partnership_id:
        raise WaveProblem("survey")
    version = None
    if version_number is not None:
        version = db.scalar(
            select(SurveyVersion).where(
                SurveyVersion.survey_id == survey.id, SurveyVersion.number == version_number
            )
        )
        if version is None:
            raise WaveProblem("version")
    version_id = version.id if version is not None else None
    if any(w.survey_id == survey.id and w.survey_version_id == version_id for w in study.waves):
        raise WaveProblem("taken")
    position = max((w.position for w in study.waves), default=0) + 1
    label = label.strip()[:120] or _default_label(survey, version)
    wave = StudyWave(
        position=position,
        label=label,
        survey_id=survey.id,
        survey_version_id=version_id,
        question_names={},
    )
    study.waves.append(wave)
    db.flush()
    return wave


def _default_label(survey: Survey, version: SurveyVersion | None) -> str:
    return f"{survey.slug} v{version.number}" if version is not None else survey.slug


def remove_wave(db: Session, study: Study, wave_id: int) -> StudyWave:
    """Take a wave out of the study (its responses stay); ``wave`` when it is not the study's."""
    wave = next((w for w in study.waves if w.id == wave_id), None)
    if wave is None:
        raise WaveProblem("wave")
    study.waves.remove(wave)
    db.flush()
    return wave


def map_question(db: Session, study: Study, wave_id: int, first_name: str, wave_name: str) -> None:
    """Record that ``first_name`` of the first wave is called ``wave_name`` in a later wave.

    An empty ``wave_name`` removes the mapping. Raises :class:`WaveProblem`:
    ``wave`` (not a later wave of the study), ``first_wave``/``question``
    (no such choice question in the first wave / in this wave), ``kind``
    (one is select one, the other select multiple), ``taken`` (the wave's
    question already stands for another).
    """
    wave = next((w for w in study.waves[1:] if w.id == wave_id), None)
    if wave is None:
        raise WaveProblem("wave")
    first = choice_questions(wave_definition(study.waves[0]))
    if first_name not in first:
        raise WaveProblem("first_wave")
    names = dict(wave.question_names or {})
    if not wave_name:
        names.pop(first_name, None)
    else:
        later = choice_questions(wave_definition(wave))
        if wave_name not in later:
            raise WaveProblem("question")
        if first[first_name].type != later[wave_name].type:
            raise WaveProblem("kind")
        if any(v == wave_name and k != first_name for k, v in names.items()):
            raise WaveProblem("taken")
        names[first_name] = wave_name
    wave.question_names = names
    db.flush()


def wave_definition(wave: StudyWave):
    """The definition a wave is read with: its version's, else its survey's current one."""
    return definition_of(wave.survey_version or wave.survey.current_version)


def choice_questions(definition) -> dict[str, Question]:
    """The select-one and select-multiple questions outside repeats, by name, in order."""
    return {
        name: field
        for name, field in definition.top_level_fields().items()
        if isinstance(field, Question) and field.type in KINDS
    }


def indicators_of(study: Study) -> list[Indicator]:
    """The choice questions of the study's first wave (none without waves).

    A choice the first wave merges into another (:func:`map_choice`) is
    counted under that one and is not an indicator choice of its own.
    """
    if not study.waves:
        return []
    questions = choice_questions(wave_definition(study.waves[0]))
    merged = study.waves[0].choice_names or {}
    return [
        Indicator(
            q.name,
            KINDS[q.type],
            tuple(c.name for c in q.choices if c.name not in merged.get(q.name, {})),
        )
        for q in questions.values()
    ]


def names_in(study: Study, wave: StudyWave, indicators) -> dict[str, str]:
    """First-wave name -> name in ``wave``, for each indicator the wave asks."""
    questions = choice_questions(wave_definition(wave))
    mapped = wave.question_names or {}
    found = {}
    for indicator in indicators:
        name = mapped.get(indicator.question, indicator.question)
        question = questions.get(name)
        if question is not None and KINDS[question.type] == indicator.kind:
            found[indicator.question] = name
    return found


def map_choice(
    db: Session, study: Study, wave_id: int, question: str, value: str, choice: str
) -> None:
    """Count the answer ``value`` of ``question`` in a wave as the first wave's ``choice``.

    ``question`` is the first wave's name. In a later wave, ``value`` is one
    of the answers of the question there (renamed: one value to a choice;
    split: several values to one choice). In the first wave, ``value`` is
    another of its own choices, merged into ``choice`` in every wave (two
    choices that a later wave asks as one). An empty ``choice`` removes the
    mapping. Raises :class:`WaveProblem`: ``wave``, ``first_wave`` (no such
    choice question in the first wave), ``question`` (the wave does not ask
    it), ``choice`` (``value`` is not one of the wave's answers),
    ``first_choice`` (``choice`` is not an indicator choice, or is ``value``).
    """
    wave = next((w for w in study.waves if w.id == wave_id), None)
    if wave is None:
        raise WaveProblem("wave")
    first = choice_questions(wave_definition(study.waves[0]))
    if question not in first:
        raise WaveProblem("first_wave")
    local = (wave.question_names or {}).get(question, question)
    asked = choice_questions(wave_definition(wave)).get(local)
    if asked is None:
        raise WaveProblem("question")
    if value not in {c.name for c in asked.choices}:
        raise WaveProblem("choice")
    names = {q: dict(m) for q, m in (wave.choice_names or {}).items()}
    mapping = names.setdefault(question, {})
    if not choice:
        mapping.pop(value, None)
    else:
        merged = (study.waves[0].choice_names or {}).get(question, {})
        targets = {c.name for c in first[question].choices} - set(merged) - {value}
        if choice not in targets:
            raise WaveProblem("first_choice")
        mapping[value] = choice
    wave.choice_names = {q: m for q, m in names.items() if m}
    db.flush()


@dataclass(frozen=True)
class WaveSpec:
    """What one wave counts, as plain data (frozen into a publication's scope)."""

    survey_id: int
    version_id: int | None
    label: str
    names: dict[str, str]
    """First-wave question -> its name in this wave, for each indicator it asks."""
    choices: dict[str, dict[str, str]]
    """First-wave question -> {answer in this wave: the indicator choice it counts as}."""

    def to_dict(self) -> dict:
        """JSON-ready data."""
        return {
            "survey": self.survey_id,
            "version": self.version_id,
            "label": self.label,
            "names": dict(self.names),
            "choices": {q: dict(m) for q, m in self.choices.items()},
        }

    @classmethod
    def from_dict(cls, data) -> WaveSpec:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            data["survey"],
            data.get("version"),
            data["label"],
            dict(data.get("names", {})),
            {q: dict(m) for q, m in (data.get("choices") or {}).items()},
        )


def specs_of(study: Study, indicators) -> list[WaveSpec]:
    """Every wave of ``study`` as a :class:`WaveSpec` (choice mappings composed with the first
    wave's merges)."""
    merges = (study.waves[0].choice_names or {}) if study.waves else {}
    specs = []
    for wave in study.waves:
        own = wave.choice_names or {}
        choices = {}
        for question in {*merges, *own}:
            mapping = dict(merges.get(question, {}))
            mapping.update(
                {v: merges.get(question, {}).get(c, c) for v, c in own.get(question, {}).items()}
            )
            choices[question] = mapping
        specs.append(
            WaveSpec(
                wave.survey_id,
                wave.survey_version_id,
                wave.label,
                names_in(study, wave, indicators),
                choices,
            )
        )
    return specs


@dataclass(frozen=True)
class StudyTrend:
    """A study's trend as researchers (and the CLI) read it."""

    study: Study
    codebook: Codebook
    waves: tuple[StudyWave, ...]
    themes: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    names: tuple[dict[str, str], ...]
    """Per wave, first-wave name -> the name it has there."""
    counts: tuple[ProtectedCounts | None, ...]
    trend: Trend


def trend_of(db: Session, study: Study) -> StudyTrend:
    """Count, protect and compare every wave of ``study`` (see the module docstring)."""
    codebook = codebook_from_dict(current_codebook_row(db, study.partnership_id).data)
    themes = tuple(codebook.keys)
    indicators = tuple(indicators_of(study))
    specs = specs_of(study, indicators)
    protected = protect_groups(db, study.partnership_id, specs, themes, indicators)
    counts = [counts for counts, _members in protected]
    names = [spec.names for spec in specs]
    trend = compare(counts, themes, indicators, [frozenset(n) for n in names])
    return StudyTrend(
        study, codebook, tuple(study.waves), themes, indicators, tuple(names), tuple(counts), trend
    )


def protect_groups(
    db: Session,
    partnership_id: int,
    specs,
    themes,
    indicators,
    until: datetime | None = None,
    earlier=None,
) -> list[tuple[ProtectedCounts | None, Members]]:
    """Count each group of ``specs`` (a wave, an audience) and protect its counts.

    Each is audited with ``earlier(members)`` (default: the partnership's
    ledger); ``None`` counts for a group that cannot be published (fewer
    people than the threshold). ``until`` (exclusive) leaves out responses
    submitted since.
    """
    shape = wave_shape(themes, indicators)
    found = []
    for spec in specs:
        total, theme_counts, answers, members = count_wave(db, partnership_id, spec, until)
        cube = wave_cube(shape, total, theme_counts, answers)
        audited = earlier(members) if earlier else ledger(db, partnership_id, members)
        try:
            protection = protect(
                cube, threshold(), secret=disclosure_secret(partnership_id), earlier=audited
            )
        except CannotProtect:
            found.append((None, members))
        else:
            found.append((protection.counts, members))
    return found
