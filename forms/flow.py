"""Pages, skip logic and validation: how a respondent moves through a survey.

A page is a ``field-list`` group, a repeat, or a single question outside
such groups (the ODK rule). Which pages and questions apply depends on the
answers so far, through ``relevant`` expressions; an irrelevant page is
skipped and, on submit, answers to irrelevant questions are discarded.
Whatever asks (the page shown, its validation, the final submission, the
API), a question that does not apply reads as empty in every expression, as
ODK reads a non-relevant node (:func:`applicable_answers`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from forms.answers import AnswerProblem, check_value, parse_form_value
from forms.expressions import EvaluationContext, evaluate, evaluate_bool, parse
from forms.model import Element, Group, Question, Repeat, Survey, localized
from forms.repeats import (
    MAX_ENTRIES,
    check_entries,
    field_name_of,
    fixed_count,
    read_entries,
    relevant_children,
)
from forms.xpath_values import NodeSet, to_string

Answers = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Page:
    """One screen: its elements and the groups it sits in (outermost first).

    ``fixed_questions``: the page's answerable questions when nothing on it has a
    ``relevant`` of its own (its groups' are judged apart), else ``None``: such a
    page asks the same questions whatever the answers, worked out once."""

    index: int
    elements: tuple[Element, ...]
    parents: tuple[Group, ...]
    fixed_questions: tuple[Question, ...] | None = None

    @property
    def title_source(self) -> Group | Repeat | None:
        """The group whose label titles the page, if any."""
        if len(self.elements) == 1 and isinstance(self.elements[0], Group | Repeat):
            return self.elements[0]
        return self.parents[-1] if self.parents else None


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A problem with one question's answer: a code, or the form's own message."""

    question: str
    code: str


def survey_pages(survey: Survey) -> tuple[Page, ...]:
    """Every page of the survey in order, before any skip logic (worked out once per
    definition: :meth:`forms.model.Survey.memo`)."""
    return survey.memo("pages", lambda: _pages_of(survey))


def _pages_of(survey: Survey) -> tuple[Page, ...]:
    pages: list[Page] = []
    _collect_pages(survey.children, (), pages)
    return tuple(pages)


def _collect_pages(elements, parents: tuple[Group, ...], pages: list[Page]) -> None:
    for element in elements:
        if isinstance(element, Group) and not element.is_field_list:
            _collect_pages(element.children, (*parents, element), pages)
        elif isinstance(element, Question) and not _shows_on_page(element):
            continue
        else:
            pages.append(Page(len(pages), (element,), parents, _fixed_questions((element,))))


def _fixed_questions(elements: tuple[Element, ...]) -> tuple[Question, ...] | None:
    """The answerable questions of ``elements``, or ``None`` when any of them (or any
    element inside them) has a ``relevant``."""
    found: list[Question] = []
    pending = list(elements)
    while pending:
        element = pending.pop(0)
        if element.relevant:
            return None
        if isinstance(element, Question):
            if element.is_answerable:
                found.append(element)
        elif isinstance(element, Group):
            pending[:0] = element.children
        else:
            return None  # a repeat's rows are judged on their own
    return tuple(found)


def _shows_on_page(question: Question) -> bool:
    return question.is_answerable or question.type == "note"


def context(answers: Answers, today: date | None = None, current: object = None):
    """The evaluation context for expressions over ``answers``."""
    return EvaluationContext(values=dict(answers), current=current, today=today)


def is_relevant(element: Element, answers: Answers, today: date | None = None) -> bool:
    """Whether ``element``'s own ``relevant`` expression holds (true when it has none)."""
    if not element.relevant:
        return True
    return evaluate_bool(parse(element.relevant), context(answers, today))


def page_is_relevant(page: Page, answers: Answers, today: date | None = None) -> bool:
    """Whether any question of the page applies, its groups included."""
    if not all(is_relevant(group, answers, today) for group in page.parents):
        return False
    return (
        bool(page_questions(page, answers, today))
        or bool(_relevant_repeats(page, answers, today))
        or _has_visible_note(page, answers, today)
    )


def _has_visible_note(page: Page, answers: Answers, today: date | None) -> bool:
    return any(
        isinstance(e, Question) and e.type == "note" and is_relevant(e, answers, today)
        for e in page.elements
    )


def page_questions(page: Page, answers: Answers, today: date | None = None) -> list[Question]:
    """The answerable, relevant questions of a page, in order."""
    if page.fixed_questions is not None:
        return list(page.fixed_questions)
    found: list[Question] = []
    _relevant_questions(page.elements, answers, today, found)
    return found


def _relevant_questions(elements, answers, today, found: list[Question]) -> None:
    for element in elements:
        if not is_relevant(element, answers, today):
            continue
        if isinstance(element, Question):
            if element.is_answerable:
                found.append(element)
        elif isinstance(element, Group):
            _relevant_questions(element.children, answers, today, found)


def visible_pages(survey: Survey, answers: Answers, today: date | None = None) -> list[Page]:
    """The pages a respondent with these answers sees, in order."""
    values = applicable_answers(survey, answers, today)
    return [page for page, _questions in _pages_shown(survey, values, today)]


def _pages_shown(survey: Survey, values: Answers, today: date | None):
    """``(page, its relevant questions)`` for each page ``values`` (already made
    applicable: :func:`applicable_answers`) show, in order."""
    shown = []
    for page in survey_pages(survey):
        if not all(is_relevant(group, values, today) for group in page.parents):
            continue
        questions = page_questions(page, values, today)
        if (
            questions
            or _relevant_repeats(page, values, today)
            or _has_visible_note(page, values, today)
        ):
            shown.append((page, questions))
    return shown


def applicable_answers(
    survey: Survey, answers: Answers, today: date | None = None, language: str | None = None
) -> dict:
    """``answers`` as expressions read them: every ``calculate`` field worked out, and
    the answer to a question that does not apply removed.

    This is the ODK rule: a non-relevant node reads as empty in every expression,
    so an answer left on a page that a changed answer skipped (or sent by an API
    client) can neither open nor close another question, nor feed a calculation.
    A question applies when its own ``relevant`` and those of every group around
    it hold. Answered questions are judged in document order; the first that does
    not apply is removed and the calculations worked out again before judging on,
    so one further on that depended on it sees it empty. Only answered questions
    with a ``relevant`` somewhere above them are judged, so the usual page costs
    one round of calculations and a few expressions.
    """
    values = dict(answers)
    calculated = with_calculations(survey, values, today, language)
    judged = [(f, c) for f, c in _conditional_fields(survey) if _answered(values, f.name)]
    while judged:
        stale = next(
            (i for i, (_f, c) in enumerate(judged) if not _holds(c, calculated, today)), None
        )
        if stale is None:
            break
        del values[judged[stale][0].name]
        judged = judged[stale + 1 :]
        calculated = with_calculations(survey, values, today, language)
    return calculated


def _answered(values: Answers, name: str) -> bool:
    return values.get(name) not in (None, "", [])


def _holds(conditions: tuple[str, ...], values: Answers, today: date | None) -> bool:
    ctx = context(values, today)
    return all(evaluate_bool(parse(condition), ctx) for condition in conditions)


def _conditional_fields(survey: Survey) -> tuple[tuple[Question | Repeat, tuple[str, ...]], ...]:
    """Answerable questions and repeats outside repeats, in document order, that some
    ``relevant`` (their own or a group's around them) can make not apply, each with
    those expressions outermost first. A name two questions share is left out: both
    keep one value (real forms repeat a name in two groups), so neither may remove it."""

    def compute():
        found: list = []
        _collect_conditional(survey.children, (), found)
        uses = Counter(field.name for field, _conditions in found)
        return tuple((f, c) for f, c in found if c and uses[f.name] == 1)

    return survey.memo("conditional_fields", compute)


def _collect_conditional(elements, conditions: tuple[str, ...], found: list) -> None:
    for element in elements:
        own = (*conditions, element.relevant) if element.relevant else conditions
        if isinstance(element, Repeat) or (isinstance(element, Question) and element.is_answerable):
            found.append((element, own))
        elif isinstance(element, Group):
            _collect_conditional(element.children, own, found)


def available_choices(question: Question, answers: Answers, today: date | None = None):
    """The question's choices that its ``choice_filter`` lets through, in order."""
    if not question.choice_filter:
        return question.choices
    expression = parse(question.choice_filter)
    return tuple(
        choice
        for choice in question.choices
        if evaluate_bool(
            expression,
            EvaluationContext(
                values=dict(answers), today=today, choice={**choice.extra, "name": choice.name}
            ),
        )
    )


def validate_answer(
    question: Question, value: object, answers: Answers, today: date | None = None
) -> str | None:
    """The problem code for ``value`` (already type-checked) given all ``answers``."""
    if value is not None and question.choice_filter:
        allowed = {c.name for c in available_choices(question, answers, today)}
        chosen = value if isinstance(value, list) else [value]
        if not set(chosen) <= allowed:
            return "invalid_choice"
    if value is None:
        if question.required and evaluate_bool(parse(question.required), context(answers, today)):
            return "required"
        return None
    if question.constraint:
        ctx = context(answers, today, current=value)
        if not evaluate_bool(parse(question.constraint), ctx):
            return "constraint"
    return None


@dataclass(frozen=True, slots=True)
class PageReading:
    """What a posted page gave: its values, its problems, and newly shown questions."""

    values: dict[str, object]
    problems: list[FieldProblem]
    revealed: list[str]


def read_page(
    page: Page,
    form_values: Mapping[str, list[str]],
    answers: Answers,
    today: date | None = None,
    shown: set[str] | None = None,
    survey: Survey | None = None,
) -> PageReading:
    """Parse and check what a web form sent for one page.

    Every value is parsed and kept, even when another question has a
    problem, so nothing typed is lost. ``shown`` names the questions the
    respondent saw; questions that the new answers make relevant on the
    same page (skip logic without JavaScript) are returned as ``revealed``
    instead of being judged unanswered. With ``survey``, relevance and
    constraints also see its ``calculate`` fields, worked out from these
    answers (as ODK keeps every calculation up to date).
    """
    values: dict[str, object] = {}
    raw_problems: dict[str, str] = {}
    for question in _all_questions(page.elements):
        raw = form_values.get(question.name, [])
        try:
            values[question.name] = parse_form_value(question, raw)
        except AnswerProblem as problem:
            raw_problems[question.name] = problem.code
            values[question.name] = None
    repeat_problems = []
    known = _calculated(survey, {**answers, **values}, today)
    for repeat in (e for e in page.elements if isinstance(e, Repeat)):
        count = entry_count(repeat, form_values, known, today)
        values[repeat.name], raw = read_entries(repeat, form_values, count)
        repeat_problems.extend(_repeat_problems(repeat, raw))
    merged = _calculated(survey, {**answers, **values}, today)
    problems, revealed = [], []
    failed_fields = {p.question for p in repeat_problems}
    problems.extend(repeat_problems)
    for repeat in _relevant_repeats(page, merged, today):
        hidden = _unseen_children(repeat, merged, today, shown)
        revealed.extend(hidden)
        _entries, checked = check_entries(repeat, merged.get(repeat.name), merged, today)
        problems.extend(
            p
            for p in _repeat_problems(repeat, checked)
            if p.question not in failed_fields and p.question not in hidden
        )
    for question in page_questions(page, merged, today):
        if shown is not None and question.name not in shown:
            revealed.append(question.name)
            continue
        code = raw_problems.get(question.name) or validate_answer(
            question, merged.get(question.name), merged, today
        )
        if code:
            problems.append(FieldProblem(question.name, code))
    return PageReading(values, problems, revealed)


def _calculated(survey: Survey | None, answers: Answers, today: date | None) -> dict:
    return dict(answers) if survey is None else applicable_answers(survey, answers, today)


def _unseen_children(repeat: Repeat, answers: Answers, today, shown) -> list[str]:
    if shown is None:
        return []
    names = []
    for index, entry in enumerate(answers.get(repeat.name) or []):
        for question in relevant_children(repeat, answers, entry, today, index + 1):
            name = field_name_of(repeat.name, index, question.name)
            if name not in shown:
                names.append(name)
    return names


def entry_count(
    repeat: Repeat, form_values: Mapping[str, list[str]], answers: Answers, today=None
) -> int:
    """How many entries a posted repeat has: fixed by ``repeat_count``, else as posted."""
    fixed = fixed_count(repeat, answers, today)
    if fixed is not None:
        return fixed
    posted = (form_values.get(f"_count.{repeat.name}") or ["0"])[0]
    return min(int(posted), MAX_ENTRIES) if posted.isdigit() else 0


def _all_questions(elements) -> list[Question]:
    found: list[Question] = []
    for element in elements:
        if isinstance(element, Question):
            if element.is_answerable:
                found.append(element)
        elif isinstance(element, Group):
            found.extend(_all_questions(element.children))
    return found


def validate_submission(
    survey: Survey,
    answers: Answers,
    today: date | None = None,
    strict_relevance: bool = False,
    language: str | None = None,
) -> tuple[dict[str, object], list[FieldProblem]]:
    """Check a whole submission (the API path, and the web form's final step).

    Unknown questions and type errors are problems; answers to questions
    that are not relevant are discarded (stale answers on skipped pages),
    or refused as ``not_relevant`` with ``strict_relevance``. Returns the
    clean answers (calculations included) and the problems.
    """
    fields = survey.top_level_fields()
    problems = [FieldProblem(name, "unknown_question") for name in answers if name not in fields]
    typed = _typed_answers(fields, answers, problems)
    typed = applicable_answers(survey, typed, today, language)
    shown = _pages_shown(survey, typed, today)
    clean: dict[str, object] = {}
    applicable: set[str] = set()
    failed = {p.question for p in problems}
    for page, questions in shown:
        for question in questions:
            applicable.add(question.name)
            if question.name in failed:
                continue
            value = typed.get(question.name)
            code = validate_answer(question, value, typed, today)
            if code:
                problems.append(FieldProblem(question.name, code))
            elif value is not None:
                clean[question.name] = value
        for repeat in _relevant_repeats(page, typed, today):
            applicable.add(repeat.name)
            entries, entry_problems = check_entries(repeat, typed.get(repeat.name), typed, today)
            problems.extend(_repeat_problems(repeat, entry_problems))
            if entries:
                clean[repeat.name] = entries
    if strict_relevance:
        problems.extend(
            FieldProblem(name, "not_relevant")
            for name, value in answers.items()
            if name in fields
            and name not in applicable
            and name not in failed
            and value not in (None, "", [])
        )
    for question in survey.top_level_fields().values():
        if isinstance(question, Repeat) or question.type != "calculate":
            continue
        if typed.get(question.name) not in (None, ""):
            clean[question.name] = typed[question.name]
    return clean, problems


def _typed_answers(fields, answers: Answers, problems: list[FieldProblem]) -> dict[str, object]:
    typed: dict[str, object] = {}
    for name, value in answers.items():
        field = fields.get(name)
        if isinstance(field, Repeat):
            typed[name] = value
        elif field is not None:
            try:
                typed[name] = check_value(field, value)
            except AnswerProblem as problem:
                problems.append(FieldProblem(name, problem.code))
    return typed


def _relevant_repeats(page: Page, answers: Answers, today: date | None) -> list[Repeat]:
    return [e for e in page.elements if isinstance(e, Repeat) and is_relevant(e, answers, today)]


def _repeat_problems(repeat: Repeat, problems) -> list[FieldProblem]:
    return [
        FieldProblem(
            repeat.name if p.index < 0 else field_name_of(repeat.name, p.index, p.question),
            p.code,
        )
        for p in problems
    ]


def with_calculations(
    survey: Survey, answers: Answers, today: date | None = None, language: str | None = None
) -> dict:
    """``answers`` plus the value of every ``calculate`` field outside repeats, in document
    order (those inside a repeat are worked out per entry, see
    :func:`forms.repeats.entry_values`). ``once()`` keeps a value already given;
    ``jr:choice-name()`` gives labels in ``language`` (the survey's default when ``None``)."""
    values = dict(answers)
    labels = None
    for question in survey.top_level_fields().values():
        if not isinstance(question, Question) or question.type != "calculate":
            continue
        if not question.calculation:
            continue
        if labels is None and "choice-name" in question.calculation:
            labels = choice_labels(survey, language or survey.default_language)
        ctx = EvaluationContext(
            values, current=values.get(question.name), today=today, labels=labels
        )
        values[question.name] = _plain_value(evaluate(parse(question.calculation), ctx))
    return values


def choice_labels(survey: Survey, language: str) -> dict[str, dict[str, str]]:
    """Question name -> choice name -> label in ``language`` (else the default language)."""
    return {
        question.name: {
            choice.name: localized(choice.label, language, survey.default_language)[0]
            for choice in question.choices
        }
        for question in survey.iter_questions()
        if question.choices
    }


def _plain_value(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date | NodeSet):
        return to_string(value)
    return value


def metadata_values(survey: Survey, started: datetime, finished: datetime) -> dict[str, str]:
    """Values of the form's ``start``, ``end`` and ``today`` fields (others are not kept)."""
    values = {
        "start": started.isoformat(),
        "end": finished.isoformat(),
        "today": finished.date().isoformat(),
    }
    return {q.name: values[q.type] for q in survey.iter_questions() if q.type in values}
