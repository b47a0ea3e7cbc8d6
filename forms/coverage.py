"""How much of a survey's wording exists in each of its languages.

For every language of a survey this counts, per kind of string (labels,
hints, choice labels, and the required/constraint messages), how many strings
the default language has and how many of them are translated, and lists the
missing ones. A string only counts when the default language has it: an
empty hint in the original is nothing to translate.

Choice lists shared by several questions (the ``list_name`` of the choices
sheet) are counted once, under the first question that uses them, because
each choice label is one row of the choices sheet to translate.

Pure: no Flask, no database; ``consult`` words the results.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from forms.model import Element, Group, Question, Repeat, Survey, Text

KINDS = ("labels", "hints", "choices", "messages")
"""The kinds of strings counted, in display order."""

TITLE = "title"
"""The ``kind`` of a missing form title (element name: the form id)."""


class Missing(NamedTuple):
    """A string the default language has and a language lacks.

    ``kind`` is ``label``, ``hint``, ``title``, ``required_message``,
    ``constraint_message`` or ``choice:<choice name>``; it compares equal to
    a plain ``(element, kind)`` tuple.
    """

    element: str
    kind: str


@dataclass(frozen=True, slots=True)
class KindCoverage:
    """Strings of one kind: how many the default language has, how many are translated."""

    total: int = 0
    translated: int = 0

    @property
    def missing(self) -> int:
        """How many strings of this kind are not translated."""
        return self.total - self.translated

    @property
    def percent(self) -> float:
        """Share translated, 0-100 (100 when there is nothing to translate)."""
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total


@dataclass(frozen=True, slots=True)
class LanguageCoverage:
    """The coverage of one language of a survey."""

    language: str
    is_default: bool
    is_draft: bool
    kinds: Mapping[str, KindCoverage]
    missing: tuple[Missing, ...] = ()
    source_text: Mapping[Missing, str] = field(default_factory=dict)
    """The default-language wording of each missing string."""

    @property
    def total(self) -> int:
        """Strings to translate, all kinds together."""
        return sum(k.total for k in self.kinds.values())

    @property
    def translated(self) -> int:
        """Strings translated, all kinds together."""
        return sum(k.translated for k in self.kinds.values())

    @property
    def percent(self) -> float:
        """Share translated overall, 0-100 (100 when there is nothing to translate)."""
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total

    def meets(self, threshold: float) -> bool:
        """True when at least ``threshold`` percent is translated (exact, no rounding)."""
        return self.total == 0 or self.translated * 100 >= threshold * self.total


class _String(NamedTuple):
    kind: str
    missing: Missing
    text: Text


def translation_coverage(survey: Survey) -> dict[str, LanguageCoverage]:
    """Coverage of every language of ``survey``, keyed by language code, in survey order."""
    strings = list(_strings(survey))
    default = survey.default_language
    coverage: dict[str, LanguageCoverage] = {}
    for language in survey.languages:
        totals = {kind: [0, 0] for kind in KINDS}
        missing: list[Missing] = []
        sources: dict[Missing, str] = {}
        for string in strings:
            totals[string.kind][0] += 1
            if _has(string.text, language):
                totals[string.kind][1] += 1
            else:
                missing.append(string.missing)
                sources[string.missing] = string.text[default]
        coverage[language] = LanguageCoverage(
            language=language,
            is_default=language == default,
            is_draft=language in survey.draft_languages and language != default,
            kinds={kind: KindCoverage(*counts) for kind, counts in totals.items()},
            missing=tuple(missing),
            source_text=sources,
        )
    return coverage


def _has(text: Text, language: str) -> bool:
    return bool((text.get(language) or "").strip())


def _strings(survey: Survey) -> Iterator[_String]:
    """Every string the default language has, in document order."""
    default = survey.default_language
    if _has(survey.title, default):
        yield _String("labels", Missing(survey.form_id, TITLE), survey.title)
    seen_lists: set[str] = set()
    for element in _walk(survey.children):
        yield from _element_strings(element, default, seen_lists)


def _walk(elements: tuple[Element, ...]) -> Iterator[Element]:
    for element in elements:
        yield element
        if isinstance(element, Group | Repeat):
            yield from _walk(element.children)


def _element_strings(element: Element, default: str, seen_lists: set[str]) -> Iterator[_String]:
    pairs: list[tuple[str, str, Text]] = [
        ("labels", "label", element.label),
        ("hints", "hint", element.hint),
    ]
    if isinstance(element, Question):
        pairs += [
            ("messages", "required_message", element.required_message),
            ("messages", "constraint_message", element.constraint_message),
        ]
    for kind, name, text in pairs:
        if _has(text, default):
            yield _String(kind, Missing(element.name, name), text)
    if not isinstance(element, Question) or not element.choices:
        return
    if element.list_name:
        if element.list_name in seen_lists:
            return
        seen_lists.add(element.list_name)
    for choice in element.choices:
        if _has(choice.label, default):
            yield _String("choices", Missing(element.name, f"choice:{choice.name}"), choice.label)
