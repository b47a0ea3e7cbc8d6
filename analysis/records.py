"""Plain records that flow through the analysis pipeline.

The web application builds these from its database rows; the analysis
functions never see a database. Every record is a frozen dataclass so a
result can be cached, compared and hashed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

SOURCE_SURVEY = "survey"
SOURCE_FOCUS_GROUP = "focus_group"


@dataclass(frozen=True, slots=True)
class TextUnit:
    """One piece of free text to code: a survey answer or a focus-group segment.

    ``respondent_id`` groups units said by the same person (a survey response,
    or an anonymous focus-group participant code) so prevalence can be counted
    per respondent as well as per unit. ``attributes`` carries the breakdown
    values of that respondent (e.g. ``{"years_in_canada": "1_3"}``).
    ``translation`` is an optional human translation into English or French.
    """

    unit_id: str
    text: str
    language: str
    respondent_id: str
    source: str = SOURCE_SURVEY
    attributes: Mapping[str, str] = field(default_factory=dict)
    translation: str | None = None
    translation_language: str | None = None


class UnitRef(NamedTuple):
    """Just the identity of a unit: what aggregation needs, cheap to make by the 100,000."""

    unit_id: str
    respondent_id: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a theme matched: character offsets into the text and the words."""

    start: int
    end: int
    matched: str
    pattern: str


@dataclass(frozen=True, slots=True)
class SimilarExample:
    """A reviewed answer close to a unit: why the learned model gave it a theme."""

    example_id: str
    text: str
    similarity: float


@dataclass(frozen=True, slots=True)
class ThemeMatch:
    """A theme assigned to a unit with the evidence that supports it.

    ``evidence`` holds the matched words when keywords found the theme. A
    theme found by the learned model alone has no word evidence; it carries
    ``similar`` (the nearest reviewed answers that have the theme) instead.
    ``probability`` is the learned model's estimate, ``None`` for keywords alone.
    """

    theme: str
    evidence: tuple[Evidence, ...]
    in_translation: bool = False
    probability: float | None = None
    similar: tuple[SimilarExample, ...] = ()


@dataclass(frozen=True, slots=True)
class Coding:
    """The automatic coding of one unit under one codebook version."""

    unit_id: str
    codebook_version: int
    matches: tuple[ThemeMatch, ...]

    @property
    def themes(self) -> tuple[str, ...]:
        """Theme keys in codebook order."""
        return tuple(m.theme for m in self.matches)
