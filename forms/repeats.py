"""Repeats (household rosters): entries as a list of answer dicts.

On the web each entry's fields are named ``<repeat>.<index>.<question>``;
entries are added and removed with buttons, no JavaScript. A
``repeat_count`` fixes the number of entries. In the API a repeat's value is
a list of objects, one per entry, keyed by the child question names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from forms.answers import AnswerProblem, check_value, parse_form_value
from forms.expressions import EvaluationContext, evaluate, evaluate_bool, parse
from forms.model import Group, Question, Repeat
from forms.xpath_values import NodeSet, to_string

MAX_ENTRIES = 30
"""Most entries a repeat accepts, so a roster cannot grow without bound."""


@dataclass(frozen=True, slots=True)
class EntryProblem:
    """A problem with one child question of one entry."""

    index: int
    question: str
    code: str


def field_name_of(repeat: str, index: int, question: str) -> str:
    """The name of a child field on the web form: ``roster.0.age``."""
    return f"{repeat}.{index}.{question}"


def child_questions(repeat: Repeat) -> list[Question]:
    """The answerable questions of one entry, groups flattened."""
    found: list[Question] = []

    def walk(elements):
        for element in elements:
            if isinstance(element, Question) and element.is_answerable:
                found.append(element)
            elif isinstance(element, Group):
                walk(element.children)

    walk(repeat.children)
    return found


def fixed_count(repeat: Repeat, answers: Mapping[str, object], today: date | None = None):
    """The entry count ``repeat_count`` sets (``None`` when the respondent decides)."""
    if not repeat.repeat_count:
        return None
    value = evaluate(parse(repeat.repeat_count), EvaluationContext(dict(answers), today=today))
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    if math.isnan(number) or number < 0:
        return 0
    return min(int(number), MAX_ENTRIES)


def calculated_children(repeat: Repeat) -> list[Question]:
    """The ``calculate`` fields of one entry, groups flattened."""
    found: list[Question] = []

    def walk(elements):
        for element in elements:
            if isinstance(element, Question) and element.type == "calculate":
                found.append(element)
            elif isinstance(element, Group):
                walk(element.children)

    walk(repeat.children)
    return found


def entry_values(
    repeat: Repeat, answers: Mapping[str, object], entry: Mapping[str, object], position=None
) -> dict[str, object]:
    """What expressions inside an entry see: its own answers and calculations over the
    survey's (``${sibling}`` is the same entry's, as pyxform's ``../sibling``)."""
    values = {**answers, **entry}
    for question in calculated_children(repeat):
        if question.calculation:
            ctx = EvaluationContext(values, current=entry.get(question.name), position=position)
            values[question.name] = _plain(evaluate(parse(question.calculation), ctx))
    return values


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date | tuple | NodeSet):
        return to_string(value)
    return value


def entry_context(
    answers: Mapping[str, object], entry: Mapping[str, object], today=None, position=None
):
    """Expressions inside an entry see its own answers over the survey's."""
    return EvaluationContext(values={**answers, **entry}, today=today, position=position)


def relevant_children(repeat: Repeat, answers, entry, today=None, position=None) -> list[Question]:
    """The child questions that apply to this entry (``position`` counts from 1)."""
    values = entry_values(repeat, answers, entry, position)
    ctx = EvaluationContext(values, today=today, position=position)
    return [
        q
        for q in child_questions(repeat)
        if not q.relevant or evaluate_bool(parse(q.relevant), ctx)
    ]


def read_entries(
    repeat: Repeat, form_values: Mapping[str, list[str]], count: int
) -> tuple[list[dict[str, object]], list[EntryProblem]]:
    """Parse ``count`` entries from a web form; every value kept, problems listed."""
    entries, problems = [], []
    for index in range(count):
        entry: dict[str, object] = {}
        for question in child_questions(repeat):
            raw = form_values.get(field_name_of(repeat.name, index, question.name), [])
            try:
                entry[question.name] = parse_form_value(question, raw)
            except AnswerProblem as problem:
                entry[question.name] = None
                problems.append(EntryProblem(index, question.name, problem.code))
        entries.append(entry)
    return entries, problems


def check_entries(
    repeat: Repeat, value: object, answers: Mapping[str, object], today: date | None = None
) -> tuple[list[dict[str, object]], list[EntryProblem]]:
    """Check a repeat's value (from the API or a draft): types, required, constraints.

    Answers to child questions that do not apply are dropped.
    """
    if value is None or value == []:
        value = []
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        return [], [EntryProblem(-1, repeat.name, "not_list")]
    if len(value) > MAX_ENTRIES:
        return [], [EntryProblem(-1, repeat.name, "too_many_entries")]
    fixed = fixed_count(repeat, answers, today)
    if fixed is not None and len(value) != fixed:
        return [], [EntryProblem(-1, repeat.name, "wrong_entry_count")]
    children = {q.name: q for q in child_questions(repeat)}
    clean, problems = [], []
    for index, raw_entry in enumerate(value):
        entry, entry_problems = _check_entry(children, raw_entry, index)
        problems.extend(entry_problems)
        clean.append(_relevant_part(repeat, answers, entry, index, today, problems))
    return clean, problems


def _check_entry(children, raw_entry, index):
    entry, problems = {}, []
    for name, raw in raw_entry.items():
        if name not in children:
            problems.append(EntryProblem(index, name, "unknown_question"))
            continue
        try:
            entry[name] = check_value(children[name], raw)
        except AnswerProblem as problem:
            problems.append(EntryProblem(index, name, problem.code))
    return entry, problems


def _relevant_part(repeat, answers, entry, index, today, problems) -> dict[str, object]:
    kept = {}
    failed = {p.question for p in problems if p.index == index}
    ctx_answers = entry_values(repeat, answers, entry, index + 1)
    for question in relevant_children(repeat, answers, entry, today, index + 1):
        if question.name in failed:
            continue
        value = entry.get(question.name)
        code = entry_problem(question, value, ctx_answers, today, index + 1)
        if code:
            problems.append(EntryProblem(index, question.name, code))
        elif value is not None:
            kept[question.name] = value
    return kept


def entry_problem(question: Question, value, values, today=None, position=None) -> str | None:
    """``required``/``constraint`` for one child answer, given the entry's context."""
    ctx = EvaluationContext(values=dict(values), current=value, today=today, position=position)
    if value is None:
        if question.required and evaluate_bool(parse(question.required), ctx):
            return "required"
        return None
    if question.constraint and not evaluate_bool(parse(question.constraint), ctx):
        return "constraint"
    return None
