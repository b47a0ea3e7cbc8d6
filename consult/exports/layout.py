"""Which columns an export has, and how an answer becomes cells.

A survey keeps every imported version, and responses point at the version
they answered. An export has one column per top-level field of *any*
version: the current version's fields in its order, then fields found only
in older versions (newest version first). Choices are the union over
versions too, so an answer given to an older version still gets its label.

Nothing here touches the database: :func:`build_layout` takes parsed
definitions, and :meth:`Layout.cells` turns one response into a row of
``str | int | float | None`` cells (``None`` is an empty cell).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from forms.model import DISPLAY_TYPES, Choice, Question, Repeat, Text, localized
from forms.model import Survey as Definition

META_COLUMNS = ("reference", "submitted_at", "language", "version", "channel", "started_at")
"""Columns every response export starts with, in this order."""

MULTI_SEPARATOR_CODES = " "
"""select_multiple and rank in codes mode: names joined as ODK does."""
MULTI_SEPARATOR_LABELS = "; "
"""select_multiple and rank in labels mode: labels may contain spaces."""

MULTI_TYPES = frozenset({"select_multiple", "rank"})
NUMBER_TYPES = frozenset({"integer", "decimal"})


@dataclass(frozen=True, slots=True)
class Field:
    """One top-level field of the survey, merged over its versions."""

    name: str
    type: str
    label: Text
    choices: tuple[Choice, ...] = ()
    children: tuple[Question, ...] = ()
    versions: tuple[int, ...] = ()

    @property
    def is_repeat(self) -> bool:
        return self.type == "repeat"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: a response field, a field, or one choice of a select_multiple."""

    key: str
    label: str
    field: Field | None = None
    choice: Choice | None = None


@dataclass(frozen=True, slots=True)
class ResponseMeta:
    """The response-level values every row starts with."""

    id: int
    reference: str
    submitted_at: datetime | None
    language: str
    version: int
    channel: str
    started_at: datetime | None


@dataclass
class Layout:
    """The columns of an export and the functions that fill them."""

    default_language: str
    languages: tuple[str, ...]
    fields: list[Field]
    labels: str | None = None
    choice_columns: bool = True
    columns: list[Column] = field(default_factory=list)
    _makers: list[Callable[[object], Sequence[object]]] = field(default_factory=list)
    _child_makers: dict[str, list] = field(default_factory=dict)
    _plan: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.columns = [Column(key, key) for key in META_COLUMNS]
        for f in self.fields:
            label = self.text(f.label)
            self.columns.append(Column(f.name, label, f))
            if self.choice_columns and f.type == "select_multiple":
                self.columns.extend(
                    Column(f"{f.name}/{c.name}", f"{label}: {self.text(c.label)}", f, c)
                    for c in f.choices
                )
            self._makers.append(self._maker(f))
        # Fields whose answers are written as they are (text, codes) skip the maker call.
        self._plan = [
            (f.name, None if _as_is(f, self.labels) else make)
            for f, make in zip(self.fields, self._makers, strict=True)
        ]

    @property
    def header(self) -> list[str]:
        return [c.key for c in self.columns]

    def text(self, wording: Text) -> str:
        """Wording in the export's language (the default language in codes mode)."""
        language = self.labels or self.default_language
        return localized(wording, language, self.default_language)[0]

    def choice_labels(self, f: Field) -> dict[str, str]:
        return {c.name: self.text(c.label) for c in f.choices}

    def cells(self, meta: ResponseMeta, answers: Mapping[str, object]) -> list[object]:
        """One row: the response's metadata, then every field's cells."""
        row: list[object] = [
            meta.reference,
            iso(meta.submitted_at),
            meta.language,
            meta.version,
            meta.channel,
            iso(meta.started_at),
        ]
        get = answers.get
        append, extend = row.append, row.extend
        for name, make in self._plan:
            value = get(name)
            if make is None:
                append(value if value is None or value.__class__ is str else plain(value))
            else:
                extend(make(value))
        return row

    def repeat_header(self, f: Field) -> list[str]:
        """Columns of a repeat's own sheet: the response, the entry number, each child."""
        return ["reference", "entry", *(q.name for q in f.children)]

    def repeat_rows(self, f: Field, reference: str, value: object) -> list[list[object]]:
        """One row per entry of a repeat's answer (a list of objects)."""
        if not isinstance(value, list):
            return []
        makers = self._child_makers.get(f.name)
        if makers is None:
            makers = [self._maker(_child_field(q), dummies=False) for q in f.children]
            self._child_makers[f.name] = makers
        rows = []
        for index, entry in enumerate(value, start=1):
            if not isinstance(entry, dict):
                continue
            row: list[object] = [reference, index]
            for q, make in zip(f.children, makers, strict=True):
                row.extend(make(entry.get(q.name)))
            rows.append(row)
        return rows

    def _maker(self, f: Field, dummies: bool = True) -> Callable[[object], Sequence[object]]:
        """A function from an answer value to this field's cells."""
        if f.type == "select_one":
            labels = self.choice_labels(f) if self.labels else None

            def select_one(value):
                if value is None:
                    return (None,)
                if labels is not None and isinstance(value, str):
                    return (labels.get(value, value),)
                return (plain(value),)

            return select_one
        if f.type in MULTI_TYPES:
            labels = self.choice_labels(f) if self.labels else None
            with_dummies = dummies and self.choice_columns and f.type == "select_multiple"
            names = [c.name for c in f.choices] if with_dummies else []
            blank = (None,) * (1 + len(names))

            def select_many(value):
                if value is None:
                    return blank
                chosen = value if isinstance(value, list) else str(value).split()
                chosen = [str(n) for n in chosen]
                if labels is not None:
                    joined = MULTI_SEPARATOR_LABELS.join(labels.get(n, n) for n in chosen)
                else:
                    joined = MULTI_SEPARATOR_CODES.join(chosen)
                if not names:
                    return (joined,)
                picked = set(chosen)
                return [joined, *[1 if n in picked else 0 for n in names]]

            return select_many
        if f.type in NUMBER_TYPES:
            return lambda value: (number(value),)
        return lambda value: (plain(value),)


def _as_is(f: Field, labels: str | None) -> bool:
    """True when a field's answer is its own cell (a string, a number, or nothing)."""
    if f.type in MULTI_TYPES or f.type in NUMBER_TYPES:
        return False
    return not (f.type == "select_one" and labels)


def iso(moment: datetime | None) -> str | None:
    """An ISO 8601 timestamp in UTC to the second (SQLite gives naive UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds") + "+00:00"
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def plain(value: object) -> object:
    """A cell for any stored value: strings and numbers as they are, the rest as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def number(value: object) -> object:
    """Numbers stay numbers; a stored string that is a number becomes one."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float) or value is None:
        return value
    try:
        as_float = float(str(value))
    except ValueError:
        return plain(value)
    return int(as_float) if as_float.is_integer() and "." not in str(value) else as_float


def merge_fields(definitions: Iterable[tuple[int, Definition]]) -> list[Field]:
    """Fields of every version: the first (current) version's order, then older-only ones.

    ``definitions`` are ``(version number, definition)`` pairs, current first,
    then older versions newest first. Notes are left out (they hold no answer).
    """
    merged: dict[str, Field] = {}
    for number_, definition in definitions:
        for name, element in definition.top_level_fields().items():
            if isinstance(element, Question) and element.type in DISPLAY_TYPES:
                continue
            found = _field_of(element, number_)
            known = merged.get(name)
            merged[name] = found if known is None else _merge(known, found)
    return list(merged.values())


def _field_of(element: Question | Repeat, version: int) -> Field:
    if isinstance(element, Repeat):
        children = tuple(
            q for q in _repeat_questions(element.children) if q.type not in DISPLAY_TYPES
        )
        return Field(element.name, "repeat", element.label, (), children, (version,))
    return Field(element.name, element.type, element.label, element.choices, (), (version,))


def _child_field(question: Question) -> Field:
    return Field(question.name, question.type, question.label, question.choices)


def _repeat_questions(children) -> list[Question]:
    found: list[Question] = []
    for child in children:
        if isinstance(child, Question):
            found.append(child)
        else:
            found.extend(_repeat_questions(child.children))
    return found


def _merge(newer: Field, older: Field) -> Field:
    """``newer`` with ``older``'s extra choices, children and wording; mixed types -> text."""
    kind = newer.type if newer.type == older.type else "text"
    names = {c.name for c in newer.choices}
    choices = newer.choices + tuple(c for c in older.choices if c.name not in names)
    child_names = {q.name for q in newer.children}
    children = newer.children + tuple(q for q in older.children if q.name not in child_names)
    label = {**older.label, **{k: v for k, v in newer.label.items() if v}}
    return Field(newer.name, kind, label, choices, children, newer.versions + older.versions)


def build_layout(
    definitions: Sequence[tuple[int, Definition]],
    *,
    labels: str | None = None,
    choice_columns: bool = True,
) -> Layout:
    """The layout of an export of a survey with these versions (current first)."""
    current = definitions[0][1]
    languages: list[str] = []
    for _number, definition in definitions:
        languages.extend(code for code in definition.languages if code not in languages)
    return Layout(
        default_language=current.default_language,
        languages=tuple(languages),
        fields=merge_fields(definitions),
        labels=labels,
        choice_columns=choice_columns,
    )
