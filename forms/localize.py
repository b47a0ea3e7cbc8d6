"""A survey's wording in one language, with fallbacks marked.

A string missing in the chosen language falls back to the survey's default
language and says so (``is_fallback``), so a page can mark it instead of
showing a blank.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.model import Element, Group, Question, Repeat, Survey, Text, localized


@dataclass(frozen=True, slots=True)
class Wording:
    """Text in the chosen language, or in the fallback when ``is_fallback``."""

    text: str
    is_fallback: bool
    language: str


@dataclass(frozen=True, slots=True)
class LocalizedChoice:
    name: str
    label: Wording


@dataclass(frozen=True, slots=True)
class LocalizedQuestion:
    name: str
    type: str
    label: Wording
    hint: Wording
    required: bool
    appearance: str
    choices: tuple[LocalizedChoice, ...]
    children: tuple[LocalizedQuestion, ...] = ()


def wording(text: Text, language: str, fallback: str) -> Wording:
    """``text`` in ``language``, falling back to ``fallback`` (marked)."""
    words, is_fallback = localized(text, language, fallback)
    return Wording(words, is_fallback, fallback if is_fallback else language)


def localize(element: Element, language: str, fallback: str) -> LocalizedQuestion:
    """One element (question, group or repeat) in ``language``."""
    children: tuple[LocalizedQuestion, ...] = ()
    if isinstance(element, Group | Repeat):
        children = tuple(localize(child, language, fallback) for child in element.children)
    is_question = isinstance(element, Question)
    return LocalizedQuestion(
        name=element.name,
        type=element.type
        if is_question
        else ("repeat" if isinstance(element, Repeat) else "group"),
        label=wording(element.label, language, fallback),
        hint=wording(element.hint, language, fallback),
        required=bool(is_question and element.required),
        appearance=element.appearance,
        choices=tuple(
            LocalizedChoice(c.name, wording(c.label, language, fallback))
            for c in (element.choices if is_question else ())
        ),
        children=children,
    )


def localize_survey(survey: Survey, language: str) -> tuple[LocalizedQuestion, ...]:
    """Every top-level element of the survey in ``language``."""
    return tuple(localize(e, language, survey.default_language) for e in survey.children)
