"""The survey definition as frozen dataclasses.

A :class:`Survey` is what an XLSForm means once read: questions, groups and
repeats in order, every piece of wording keyed by locale code. Nothing here
knows about the web or the database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

T = TypeVar("T")
_MISSING = object()

Text = Mapping[str, str]
"""Wording keyed by locale code, e.g. ``{"en": "Age", "ar": "العمر"}``."""

ANSWERABLE_TYPES = frozenset(
    {
        "text",
        "integer",
        "decimal",
        "date",
        "time",
        "datetime",
        "select_one",
        "select_multiple",
        "rank",
        "acknowledge",
    }
)
DISPLAY_TYPES = frozenset({"note"})
COMPUTED_TYPES = frozenset({"calculate"})
METADATA_TYPES = frozenset({"start", "end", "today", "deviceid", "username", "audit"})
SELECT_TYPES = frozenset({"select_one", "select_multiple", "rank"})
TEXT_TYPES = frozenset({"text"})


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a select list; ``extra`` holds choice_filter columns."""

    name: str
    label: Text
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Question:
    """A question (or note, calculate or metadata field) of the survey."""

    name: str
    type: str
    label: Text = field(default_factory=dict)
    hint: Text = field(default_factory=dict)
    required: str = ""
    required_message: Text = field(default_factory=dict)
    constraint: str = ""
    constraint_message: Text = field(default_factory=dict)
    relevant: str = ""
    calculation: str = ""
    default: str = ""
    choice_filter: str = ""
    appearance: str = ""
    choices: tuple[Choice, ...] = ()
    list_name: str = ""
    or_other: bool = False
    breakdown: bool = False
    core: bool = False
    """Marked ``core: yes``: it asks the question bank's question of the same name."""
    parameters: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_answerable(self) -> bool:
        """True when a respondent gives a value for this question."""
        return self.type in ANSWERABLE_TYPES

    @property
    def is_select(self) -> bool:
        """True for select_one, select_multiple and rank."""
        return self.type in SELECT_TYPES

    @property
    def is_free_text(self) -> bool:
        """True for open text questions, whose answers become text units."""
        return self.type in TEXT_TYPES

    def choice_names(self) -> frozenset[str]:
        """Names of every choice, for validating submitted values."""
        return frozenset(c.name for c in self.choices)


@dataclass(frozen=True, slots=True)
class Group:
    """A group of questions; ``field-list`` appearance makes it one page."""

    name: str
    children: tuple[Element, ...]
    label: Text = field(default_factory=dict)
    hint: Text = field(default_factory=dict)
    relevant: str = ""
    appearance: str = ""

    @property
    def is_field_list(self) -> bool:
        """True when the whole group is shown on one page."""
        return "field-list" in self.appearance.split()


@dataclass(frozen=True, slots=True)
class Repeat:
    """A repeated group, such as a household roster."""

    name: str
    children: tuple[Element, ...]
    label: Text = field(default_factory=dict)
    hint: Text = field(default_factory=dict)
    relevant: str = ""
    appearance: str = ""
    repeat_count: str = ""


Element = Question | Group | Repeat


@dataclass(frozen=True, slots=True)
class Survey:
    """A whole survey definition, independent of any one language."""

    form_id: str
    version: str
    title: Text
    default_language: str
    languages: tuple[str, ...]
    children: tuple[Element, ...]
    draft_languages: frozenset[str] = frozenset()
    dropped: tuple[str, ...] = ()
    """Unsupported questions left out at import: ``"type (name)"``."""
    empty_reads: tuple[str, ...] = ()
    """Cells that read a dropped question, which now reads as never answered."""
    derived: dict = field(default_factory=dict, init=False, compare=False, hash=False, repr=False)
    """What has been worked out from this definition, by key (see :meth:`memo`)."""

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per definition and kept with it.

        A definition never changes, so nothing derived from it does either: its
        pages, its translation coverage, the markup of its unanswered questions.
        Each lives exactly as long as the definition itself (no cache keyed by
        ``id()``, no eviction rule of its own); two threads may both compute a
        value the first time, and either result is the same.
        """
        found = self.derived.get(key, _MISSING)
        if found is _MISSING:
            found = self.derived[key] = compute()
        return found

    def iter_questions(self) -> Iterator[Question]:
        """Every question in document order, descending into groups and repeats."""
        yield from _walk_questions(self.children)

    def question(self, name: str) -> Question:
        """The question with this name; ``KeyError`` when there is none."""
        for question in self.iter_questions():
            if question.name == name:
                return question
        raise KeyError(name)

    def questions_by_name(self) -> Mapping[str, Question]:
        """A name -> question mapping of every question (read-only, worked out once)."""
        return self.memo(
            "questions_by_name",
            lambda: MappingProxyType({q.name: q for q in self.iter_questions()}),
        )

    def top_level_fields(self) -> Mapping[str, Question | Repeat]:
        """Fields a submission answers: questions outside repeats, and repeats (read-only,
        worked out once)."""

        def collect() -> Mapping[str, Question | Repeat]:
            fields: dict[str, Question | Repeat] = {}
            _collect_fields(self.children, fields)
            return MappingProxyType(fields)

        return self.memo("top_level_fields", collect)

    def question_positions(self) -> Mapping[str, int]:
        """Each question's position in document order (read-only, worked out once)."""
        return self.memo(
            "question_positions",
            lambda: MappingProxyType({q.name: i for i, q in enumerate(self.iter_questions())}),
        )

    def free_text_names(self) -> frozenset[str]:
        """The names of the free-text questions (worked out once)."""
        return self.memo(
            "free_text_names",
            lambda: frozenset(q.name for q in self.iter_questions() if q.is_free_text),
        )

    def breakdown_questions(self) -> tuple[Question, ...]:
        """Questions marked ``breakdown: yes`` (the subgroups reports use; worked out once)."""
        return self.memo(
            "breakdown_questions", lambda: tuple(q for q in self.iter_questions() if q.breakdown)
        )

    def core_questions(self) -> tuple[Question, ...]:
        """Questions marked ``core: yes`` (they ask a question of the shared bank; worked
        out once)."""
        return self.memo(
            "core_questions", lambda: tuple(q for q in self.iter_questions() if q.core)
        )


def _walk_questions(elements: tuple[Element, ...]) -> Iterator[Question]:
    for element in elements:
        if isinstance(element, Question):
            yield element
        else:
            yield from _walk_questions(element.children)


def _collect_fields(elements: tuple[Element, ...], fields: dict) -> None:
    for element in elements:
        if isinstance(element, Question | Repeat):
            fields[element.name] = element
        else:
            _collect_fields(element.children, fields)


def localized(text: Text, language: str, fallback: str) -> tuple[str, bool]:
    """The wording in ``language``, else in ``fallback``.

    Returns ``(wording, is_fallback)`` so a page can mark wording shown in
    another language than the one asked for. Never returns ``None``.
    """
    if text.get(language):
        return text[language], False
    if text.get(fallback):
        return text[fallback], language != fallback
    for value in text.values():
        if value:
            return value, True
    return "", False
