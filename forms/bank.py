"""The shared question bank: core indicators that several partnerships ask in the same words.

A provincial umbrella compares a few indicators across the partnerships it
hosts (how long people have lived in Canada, their work situation, whether
they have a family doctor...). That only means something when every
partnership asks the same question with the same choices. The bank is a
form of its own, ``forms/bank/core_indicators.md`` (an XLSForm like any
other, with the wording in all 12 languages): each of its questions has a
stable **name**, a type and choices.

A partnership's form **uses** a bank question by giving one of its
questions the bank question's name and marking it core (Consult's own
column ``core``: ``yes``). Reading a form (:func:`forms.xlsform.read_xlsform`)
then refuses, with sheet, row and column (:func:`bank_problems`):

- ``core_unknown``: marked core, but the bank has no question of that name;
- ``core_type``: a different type (select one instead of select multiple...);
- ``core_choices``: a different set of choice names (labels may differ).

Wording may differ (a partnership may reword a label for its community, or
add a language): :func:`match_bank` reports it per language, so researchers
see which of their questions are core indicators and where they drifted.
A question that has a bank name but is not marked core is reported too
(``unmarked``): it is not counted as a core indicator.

Only choice questions (select one, select multiple) outside repeats are
counted as indicators; the bank holds nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from forms.model import Question, Survey
from forms.problems import Problem

BANK_FILE = "core_indicators.md"
"""The bank's XLSForm, in ``forms/bank``."""

CORE, UNMARKED = "core", "unmarked"
"""How a form's question stands against the bank (see :class:`BankMatch`)."""

INDICATOR_TYPES = frozenset({"select_one", "select_multiple"})
"""The question types a bank question may have."""


@dataclass(frozen=True)
class Bank:
    """The bank's questions, by name, in the bank form's order."""

    survey: Survey

    @property
    def questions(self) -> dict[str, Question]:
        """Every bank question by name."""
        return self.survey.memo("bank questions", self.survey.questions_by_name)

    def __contains__(self, name: object) -> bool:
        return name in self.questions


@cache
def load_bank() -> Bank:
    """The shared bank, read once from ``forms/bank/core_indicators.md``."""
    from forms.xlsform import read_xlsform

    source = resources.files("forms").joinpath("bank", BANK_FILE).read_bytes()
    survey = read_xlsform(source, check_bank=False)
    odd = [q.name for q in survey.iter_questions() if q.type not in INDICATOR_TYPES]
    if odd:
        raise ValueError(f"bank questions must be select_one or select_multiple: {odd}")
    return Bank(survey)


def same_choices(question: Question, bank_question: Question) -> bool:
    """True when both list the same choice names (order and labels aside)."""
    return question.choice_names() == bank_question.choice_names()


def claim_problem(question: Question, bank: Bank) -> str | None:
    """Why a question marked core cannot stand for its bank question, or ``None``.

    Codes: ``core_unknown``, ``core_type``, ``core_choices``.
    """
    bank_question = bank.questions.get(question.name)
    if bank_question is None:
        return "core_unknown"
    if question.type != bank_question.type:
        return "core_type"
    if not same_choices(question, bank_question):
        return "core_choices"
    return None


def bank_problems(survey: Survey, rows: Mapping[str, int], bank: Bank | None = None) -> list:
    """A problem for every question marked core that does not match the bank.

    ``rows``: spreadsheet row of each named row (the header is row 1).
    """
    bank = bank or load_bank()
    problems = []
    for question in survey.core_questions():
        code = claim_problem(question, bank)
        if code is not None:
            column = "type" if code == "core_type" else "name"
            column = "core" if code == "core_unknown" else column
            row = rows.get(question.name)
            problems.append(Problem(code, question.name, "survey", row, column))
    return problems


@dataclass(frozen=True, slots=True)
class BankMatch:
    """How one question of a form stands against the bank.

    ``status`` is :data:`CORE` (marked, same type and choices: counted as a
    core indicator) or :data:`UNMARKED` (a bank name, not marked core: not
    counted). ``reworded``: languages whose label (or a choice's label)
    differs from the bank's; ``missing``: bank languages the form lacks.
    """

    name: str
    status: str
    reworded: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def match_bank(survey: Survey, bank: Bank | None = None) -> list[BankMatch]:
    """Every question of ``survey`` that has a bank question's name, in form order.

    Questions marked core that do not match are refused when the form is
    read (:func:`bank_problems`), so they do not occur in a stored survey;
    in an older one they are left out here (not counted).
    """
    bank = bank or load_bank()
    found = []
    for question in survey.iter_questions():
        bank_question = bank.questions.get(question.name)
        if bank_question is None:
            continue
        if not question.core:
            found.append(BankMatch(question.name, UNMARKED))
        elif claim_problem(question, bank) is None:
            reworded, missing = _wording(question, bank_question, bank.survey.languages)
            found.append(BankMatch(question.name, CORE, reworded, missing))
    return found


def core_indicators(survey: Survey, bank: Bank | None = None) -> dict[str, Question]:
    """The questions of ``survey`` counted as core indicators (marked and matching), by name.

    Only questions outside repeats count (an indicator is one answer per respondent).
    """
    bank = bank or load_bank()
    fields = survey.top_level_fields()
    return {
        m.name: fields[m.name]
        for m in match_bank(survey, bank)
        if m.status == CORE and isinstance(fields.get(m.name), Question)
    }


def _wording(question: Question, bank_question: Question, languages) -> tuple[tuple, tuple]:
    """Languages where the wording differs from the bank's, and bank languages it lacks."""
    labels = {c.name: c.label for c in question.choices}
    reworded, missing = [], []
    for lang in languages:
        if lang not in question.label:
            missing.append(lang)
            continue
        choice_differs = any(
            labels.get(c.name, {}).get(lang, "").strip() != c.label.get(lang, "").strip()
            for c in bank_question.choices
        )
        label_differs = question.label[lang].strip() != bank_question.label.get(lang, "").strip()
        if label_differs or choice_differs:
            reworded.append(lang)
    return tuple(reworded), tuple(missing)
