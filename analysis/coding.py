"""Automatic thematic coding of text units against a codebook.

:class:`Coder` compiles every pattern of a codebook once, per language: each
pattern becomes a sequence of word *elements* (an exact stem, or a prefix,
suffix or substring of the folded word). At coding time the text is
tokenised once (:mod:`analysis.normalise`); each token is looked up in a
dictionary keyed by its stem, wildcard patterns are tried once per distinct
word and remembered, and phrases are checked against the following tokens.
Evidence carries the character offsets of the matched words in the text.
Keywords inside a clause that denies a problem ("no problem with housing")
are left out (:mod:`analysis.negation`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from analysis.codebook import Codebook
from analysis.negation import NegationScope, negation_scope
from analysis.normalise import Analyzer, Token, base_language, token_spans
from analysis.records import Coding, Evidence, TextUnit, ThemeMatch

EXACT, PREFIX, SUFFIX, INFIX = range(4)
_CANDIDATE_CACHE_LIMIT = 200_000
DEFAULT_TRANSLATION_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A codebook pattern ready to match: the theme's index and its word elements."""

    theme: int
    text: str
    elements: tuple[tuple[int, str], ...]


def compile_pattern(pattern: str, theme: int, analyzer: Analyzer) -> CompiledPattern | None:
    """Turn one pattern string into elements; ``None`` if it has no word in it."""
    elements: list[tuple[int, str]] = []
    for word in pattern.split():
        lead, trail = word.startswith("*"), word.endswith("*")
        core = word.strip("*")
        pieces = [core[s:e] for s, e in token_spans(core)]
        for i, piece in enumerate(pieces):
            wild_start = lead and i == 0
            wild_end = trail and i == len(pieces) - 1
            elements.append(_element(piece, wild_start, wild_end, analyzer))
    return CompiledPattern(theme, pattern, tuple(elements)) if elements else None


def _element(piece: str, wild_start: bool, wild_end: bool, analyzer: Analyzer) -> tuple[int, str]:
    """One word of a pattern as ``(kind, form)``."""
    folded, stem = analyzer.forms(piece)
    if wild_start and wild_end:
        return INFIX, folded
    if wild_end:
        return PREFIX, folded
    if wild_start:
        return SUFFIX, folded
    return EXACT, stem


def _element_matches(element: tuple[int, str], token: Token) -> bool:
    """True when ``token`` satisfies one pattern element."""
    kind, form = element
    if kind == EXACT:
        return token.stem == form
    if kind == PREFIX:
        return token.folded.startswith(form)
    if kind == SUFFIX:
        return token.folded.endswith(form)
    return form in token.folded


class LanguageMatcher:
    """All patterns of one language, indexed for one pass over the tokens."""

    def __init__(self, analyzer: Analyzer, patterns: Iterable[CompiledPattern]) -> None:
        self.analyzer = analyzer
        self._exact: dict[str, list[CompiledPattern]] = {}
        self._wild: list[CompiledPattern] = []
        for pattern in patterns:
            kind, form = pattern.elements[0]
            if kind == EXACT:
                self._exact.setdefault(form, []).append(pattern)
            else:
                self._wild.append(pattern)
        self._candidates: dict[str, tuple[CompiledPattern, ...]] = {}

    def _first(self, token: Token) -> tuple[CompiledPattern, ...]:
        """Patterns whose first element matches ``token`` (remembered per word)."""
        found = self._candidates.get(token.folded)
        if found is None:
            exact = self._exact.get(token.stem, ())
            wild = [p for p in self._wild if _element_matches(p.elements[0], token)]
            found = (*exact, *wild)
            if len(self._candidates) >= _CANDIDATE_CACHE_LIMIT:
                self._candidates.clear()
            self._candidates[token.folded] = found
        return found

    def find(self, text: str) -> list[tuple[int, Evidence]]:
        """``(theme index, evidence)`` for every pattern occurrence in ``text``."""
        return self.find_in_tokens(text, self.analyzer.tokens(text))

    def find_in_tokens(self, text: str, tokens: list[Token]) -> list[tuple[int, Evidence]]:
        """Like :meth:`find`, on tokens already made from ``text`` by this analyzer."""
        hits: list[tuple[int, Evidence]] = []
        count = len(tokens)
        for i, token in enumerate(tokens):
            for pattern in self._first(token):
                elements = pattern.elements
                last = i + len(elements) - 1
                if last >= count:
                    continue
                if len(elements) > 1 and not all(
                    _element_matches(el, tokens[i + k]) for k, el in enumerate(elements[1:], 1)
                ):
                    continue
                start, end = token.start, tokens[last].end
                hits.append((pattern.theme, Evidence(start, end, text[start:end], pattern.text)))
        return hits


class NegatedMatcher:
    """A language's theme matcher that leaves out keywords in a negated-problem clause.

    "No problem with housing" and "housing was never an issue" do not code
    housing; "there is no bus on Sunday" still codes transportation (a need
    is often written as a lack). See :mod:`analysis.negation`.
    """

    def __init__(self, themes: LanguageMatcher, scope: NegationScope | None) -> None:
        self.analyzer = themes.analyzer
        self._themes = themes
        self._scope = scope

    def find(self, text: str) -> list[tuple[int, Evidence]]:
        """``(theme index, evidence)`` for every occurrence outside a negated-problem clause."""
        tokens = self.analyzer.tokens(text)
        hits = self._themes.find_in_tokens(text, tokens)
        if not hits or self._scope is None:
            return hits
        negated = self._scope.negated_offsets(text, tokens)
        return [hit for hit in hits if hit[1].start not in negated] if negated else hits


def build_matcher(
    patterns_by_theme: Mapping[int, Iterable[str]], analyzer: Analyzer
) -> LanguageMatcher:
    """Compile ``{theme index: patterns}`` for one analyzer."""
    compiled = (
        compile_pattern(p, theme, analyzer)
        for theme, patterns in patterns_by_theme.items()
        for p in patterns
    )
    return LanguageMatcher(analyzer, (c for c in compiled if c is not None))


class Coder:
    """Codes text units against one codebook; build once, call :meth:`code` many times.

    A coder keeps caches and Snowball stemmers, which are not thread-safe:
    use one coder per thread. Units in a language the codebook has no patterns
    for are coded with every language's patterns, unstemmed.
    """

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self._keys = codebook.keys
        self._matchers = {lang: self._build(lang) for lang in codebook.languages}
        self._fallback: NegatedMatcher | None = None

    def _build(self, language: str) -> NegatedMatcher:
        """The matcher for one codebook language."""
        patterns = {i: t.patterns.get(language, ()) for i, t in enumerate(self.codebook.themes)}
        analyzer = Analyzer(language)
        return NegatedMatcher(build_matcher(patterns, analyzer), negation_scope(analyzer))

    def matcher(self, language: str | None) -> NegatedMatcher:
        """The matcher for a language tag (``fr-CA`` uses ``fr``), else the fallback."""
        if language:
            found = self._matchers.get(language) or self._matchers.get(base_language(language))
            if found is not None:
                return found
        if self._fallback is None:
            patterns = {
                i: [p for pats in t.patterns.values() for p in pats]
                for i, t in enumerate(self.codebook.themes)
            }
            fallback = build_matcher(patterns, Analyzer("und", stem=False))
            self._fallback = NegatedMatcher(fallback, None)
        return self._fallback

    def match_text(
        self, text: str, language: str | None, *, in_translation: bool = False
    ) -> tuple[ThemeMatch, ...]:
        """Theme matches for one text, in codebook order, evidence in text order."""
        by_theme: dict[int, list[Evidence]] = {}
        for theme, evidence in self.matcher(language).find(text):
            by_theme.setdefault(theme, []).append(evidence)
        return tuple(
            ThemeMatch(self._keys[i], _outermost(ev), in_translation)
            for i, ev in sorted(by_theme.items())
        )

    def code(self, unit: TextUnit) -> Coding:
        """Code one unit. Themes found only in its translation are marked ``in_translation``."""
        matches = list(self.match_text(unit.text, unit.language))
        if unit.translation:
            found = {m.theme for m in matches}
            language = unit.translation_language or DEFAULT_TRANSLATION_LANGUAGE
            extra = self.match_text(unit.translation, language, in_translation=True)
            matches.extend(m for m in extra if m.theme not in found)
            order = {k: i for i, k in enumerate(self._keys)}
            matches.sort(key=lambda m: order[m.theme])
        return Coding(unit.unit_id, self.codebook.version, tuple(matches))


def _outermost(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """Evidence in text order, dropping spans inside another span."""
    kept: list[Evidence] = []
    reach = -1
    for item in sorted(evidence, key=lambda e: (e.start, -e.end)):
        if item.end > reach:
            kept.append(item)
            reach = item.end
    return tuple(kept)


def code_units(
    units: Iterable[TextUnit], codebook: Codebook, coder: Coder | None = None
) -> Iterator[Coding]:
    """Code ``units`` lazily, one :class:`Coding` per unit, in order."""
    coder = coder if coder is not None else Coder(codebook)
    for unit in units:
        yield coder.code(unit)
