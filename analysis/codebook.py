"""The thematic codebook: themes with labels, definitions and keyword patterns.

A :class:`Codebook` is an immutable value. Editing it (adding, renaming,
merging or splitting themes, changing patterns) returns a *new* codebook whose
``version`` is one higher, so every coding can say which codebook produced it.

Pattern syntax (one string per pattern, matched after normalisation, see
:mod:`analysis.normalise`):

- ``landlord`` -- one word; matched on its stem where the language has a
  stemmer, so ``landlords`` matches too;
- ``family doctor`` -- a phrase: consecutive words;
- ``робот*`` -- a prefix; ``*trabaho`` -- a suffix; ``*trabaho*`` -- a
  substring of one word (for languages without a stemmer);
- Chinese patterns are character sequences (``房东``); spaces are ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from types import MappingProxyType
from typing import Any

FORMAT = "consult-codebook"
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class CodebookError(ValueError):
    """A codebook operation or document was invalid; ``code`` says why.

    Codes: ``invalid_key``, ``duplicate_theme``, ``unknown_theme``,
    ``invalid_pattern``, ``invalid_codebook``, ``nothing_to_merge``.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code}: {params}" if params else code)
        self.code = code
        self.params = params


def _frozen_map(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of ``mapping``."""
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Theme:
    """One theme: a stable key, labels and definitions per language, patterns per language."""

    key: str
    labels: Mapping[str, str] = field(default_factory=dict)
    definitions: Mapping[str, str] = field(default_factory=dict)
    patterns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _KEY_RE.match(self.key):
            raise CodebookError("invalid_key", key=self.key)
        cleaned = {lang: _clean_patterns(self.key, pats) for lang, pats in self.patterns.items()}
        object.__setattr__(self, "labels", _frozen_map(self.labels))
        object.__setattr__(self, "definitions", _frozen_map(self.definitions))
        object.__setattr__(self, "patterns", _frozen_map(cleaned))

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted(self.labels.items())), tuple(self.patterns.items())))

    def label(self, language: str, fallback: str = "en") -> str:
        """The label in ``language``, else in ``fallback``, else the key."""
        return self.labels.get(language) or self.labels.get(fallback) or self.key


def _clean_patterns(key: str, patterns: Iterable[str]) -> tuple[str, ...]:
    """Strip, de-duplicate and validate patterns, keeping their order."""
    if isinstance(patterns, str):
        raise CodebookError("invalid_pattern", theme=key, pattern=patterns)
    out: list[str] = []
    for raw in patterns:
        pattern = " ".join(str(raw).split())
        if not pattern.strip("*") or "**" in pattern:
            raise CodebookError("invalid_pattern", theme=key, pattern=raw)
        if pattern not in out:
            out.append(pattern)
    return tuple(out)


@dataclass(frozen=True)
class Codebook:
    """An ordered, versioned set of themes. ``review_status`` maps language -> status."""

    version: int
    themes: tuple[Theme, ...]
    review_status: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "themes", tuple(self.themes))
        object.__setattr__(self, "review_status", _frozen_map(self.review_status))
        seen: set[str] = set()
        for theme in self.themes:
            if theme.key in seen:
                raise CodebookError("duplicate_theme", key=theme.key)
            seen.add(theme.key)

    def __hash__(self) -> int:
        return hash((self.version, self.themes))

    @property
    def keys(self) -> tuple[str, ...]:
        """Theme keys in codebook order."""
        return tuple(t.key for t in self.themes)

    def theme(self, key: str) -> Theme:
        """The theme with ``key``; raises ``CodebookError("unknown_theme")``."""
        for theme in self.themes:
            if theme.key == key:
                return theme
        raise CodebookError("unknown_theme", key=key)

    def __contains__(self, key: object) -> bool:
        return any(t.key == key for t in self.themes)

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language that has patterns in at least one theme, sorted."""
        return tuple(sorted({lang for t in self.themes for lang, p in t.patterns.items() if p}))

    def patterns_for(self, language: str) -> dict[str, tuple[str, ...]]:
        """Theme key -> patterns in ``language`` (themes without any are left out)."""
        return {t.key: t.patterns[language] for t in self.themes if t.patterns.get(language)}


def codebook_from_dict(data: Mapping[str, Any]) -> Codebook:
    """Build a codebook from its JSON document (see ``analysis/README.md``)."""
    try:
        themes = tuple(
            Theme(
                key=item["key"],
                labels=item.get("labels", {}),
                definitions=item.get("definitions", {}),
                patterns={lang: tuple(p) for lang, p in item.get("patterns", {}).items()},
            )
            for item in data["themes"]
        )
        return Codebook(
            version=int(data.get("version", 1)),
            themes=themes,
            review_status=data.get("review_status", {}),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, CodebookError):
            raise
        raise CodebookError("invalid_codebook", detail=str(exc)) from exc


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The JSON-ready document for ``codebook``; inverse of :func:`codebook_from_dict`."""
    return {
        "format": FORMAT,
        "version": codebook.version,
        "review_status": dict(codebook.review_status),
        "themes": [
            {
                "key": t.key,
                "labels": dict(t.labels),
                "definitions": dict(t.definitions),
                "patterns": {lang: list(p) for lang, p in t.patterns.items()},
            }
            for t in codebook.themes
        ],
    }


def load_codebook(text: str) -> Codebook:
    """Parse a codebook JSON document."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodebookError("invalid_codebook", detail=str(exc)) from exc
    if not isinstance(data, dict):
        raise CodebookError("invalid_codebook", detail="not an object")
    return codebook_from_dict(data)


def dump_codebook(codebook: Codebook) -> str:
    """Serialise ``codebook`` as indented JSON (UTF-8 characters kept)."""
    return json.dumps(codebook_to_dict(codebook), ensure_ascii=False, indent=2) + "\n"


def default_codebook() -> Codebook:
    """The default LIP codebook: ``analysis/data/codebook.json`` with the concepts rendered in.

    Each theme's patterns in a language are its own patterns followed by the
    renderings, in that language, of every concept of ``data/concepts.json``
    that belongs to the theme (see :func:`render_concepts`).
    """
    text = resources.files("analysis").joinpath("data/codebook.json").read_text("utf-8")
    return render_concepts(load_codebook(text), default_concepts())


def audience_themes() -> tuple[Theme, ...]:
    """Themes for employer and service-provider surveys (``data/audience_themes.json``).

    Service capacity and waitlists, referrals and coordination, services in
    newcomers' languages, inclusive hiring: needs that employers and
    providers raise and newcomers' own themes do not name. The demo
    partnership adds them to its codebook; any partnership can add them.
    """
    text = resources.files("analysis").joinpath("data/audience_themes.json").read_text("utf-8")
    return codebook_from_dict(json.loads(text)).themes


def default_concepts() -> list[dict[str, Any]]:
    """The needs concepts of ``analysis/data/concepts.json``, each rendered in every language."""
    text = resources.files("analysis").joinpath("data/concepts.json").read_text("utf-8")
    return json.loads(text)["concepts"]


def render_concepts(codebook: Codebook, concepts: Iterable[Mapping[str, Any]]) -> Codebook:
    """``codebook`` with every concept's renderings added to its theme's patterns.

    One list of concepts rendered per language, rather than independent lists
    per language, is what makes every language see the same needs. The
    version is unchanged: this builds the shipped codebook, it is not an edit.
    """
    extra: dict[str, dict[str, list[str]]] = {}
    for concept in concepts:
        by_language = extra.setdefault(concept["theme"], {})
        for language, renderings in concept["renderings"].items():
            by_language.setdefault(language, []).extend(renderings)
    themes = []
    for theme in codebook.themes:
        added = extra.get(theme.key, {})
        languages = dict.fromkeys([*theme.patterns, *added])
        patterns = {
            lang: (*theme.patterns.get(lang, ()), *added.get(lang, ())) for lang in languages
        }
        themes.append(replace(theme, patterns=patterns))
    return replace(codebook, themes=tuple(themes))


def _bump(codebook: Codebook, themes: Sequence[Theme]) -> Codebook:
    """A copy of ``codebook`` with ``themes`` and the next version number."""
    return replace(codebook, version=codebook.version + 1, themes=tuple(themes))


def add_theme(codebook: Codebook, theme: Theme) -> Codebook:
    """Append ``theme``; its key must be new."""
    if theme.key in codebook:
        raise CodebookError("duplicate_theme", key=theme.key)
    return _bump(codebook, (*codebook.themes, theme))


def rename_theme(codebook: Codebook, key: str, labels: Mapping[str, str]) -> Codebook:
    """Change the labels of a theme (given languages only); the key never changes."""
    theme = codebook.theme(key)
    renamed = replace(theme, labels={**theme.labels, **labels})
    return _bump(codebook, [renamed if t.key == key else t for t in codebook.themes])


def set_patterns(codebook: Codebook, key: str, language: str, patterns: Iterable[str]) -> Codebook:
    """Replace the patterns of one theme in one language (empty removes them)."""
    theme = codebook.theme(key)
    new = {**theme.patterns, language: tuple(patterns)}
    if not new[language]:
        del new[language]
    changed = replace(theme, patterns=new)
    return _bump(codebook, [changed if t.key == key else t for t in codebook.themes])


def _union_patterns(themes: Iterable[Theme]) -> dict[str, tuple[str, ...]]:
    """Every language's patterns of ``themes`` together, first seen first."""
    merged: dict[str, list[str]] = {}
    for theme in themes:
        for lang, pats in theme.patterns.items():
            bucket = merged.setdefault(lang, [])
            bucket.extend(p for p in pats if p not in bucket)
    return {lang: tuple(p) for lang, p in merged.items()}


def merge_themes(
    codebook: Codebook,
    keys: Sequence[str],
    into: str,
    labels: Mapping[str, str] | None = None,
    definitions: Mapping[str, str] | None = None,
) -> Codebook:
    """Merge the themes ``keys`` into one theme ``into`` at the first one's place.

    ``into`` may be one of ``keys`` (it keeps its labels unless new ones are
    given) or a new key. Patterns are the union of the merged themes'.
    """
    merged = [codebook.theme(k) for k in dict.fromkeys(keys)]
    if len(merged) < 2 and (not merged or merged[0].key == into):
        raise CodebookError("nothing_to_merge", keys=list(keys))
    if into not in keys and into in codebook:
        raise CodebookError("duplicate_theme", key=into)
    base = codebook.theme(into) if into in keys else Theme(key=into)
    theme = Theme(
        key=into,
        labels=labels if labels is not None else base.labels,
        definitions=definitions if definitions is not None else base.definitions,
        patterns=_union_patterns(merged),
    )
    first = next(i for i, t in enumerate(codebook.themes) if t.key in keys)
    rest = [t for t in codebook.themes if t.key not in keys]
    rest.insert(min(first, len(rest)), theme)
    return _bump(codebook, rest)


def split_theme(
    codebook: Codebook, key: str, parts: Sequence[Theme], *, keep_original: bool = True
) -> Codebook:
    """Split a theme into ``parts``, placed right after it.

    Patterns given to a part are removed from the original theme, which keeps
    its key and the remaining patterns (``keep_original=False`` drops it).
    """
    original = codebook.theme(key)
    for part in parts:
        if part.key in codebook or part.key == key:
            raise CodebookError("duplicate_theme", key=part.key)
    moved = _union_patterns(parts)
    remaining = {
        lang: tuple(p for p in pats if p not in moved.get(lang, ()))
        for lang, pats in original.patterns.items()
    }
    kept = replace(original, patterns={k: v for k, v in remaining.items() if v})
    themes: list[Theme] = []
    for theme in codebook.themes:
        if theme.key != key:
            themes.append(theme)
            continue
        if keep_original:
            themes.append(kept)
        themes.extend(parts)
    return _bump(codebook, themes)
