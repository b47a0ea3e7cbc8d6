"""A community's service inventory, read from CSV or XLSX and checked row by row.

The columns (a header row, in any order, names case-insensitive; see
docs/strategy.md):

========================  ========  =================================================
column                    required  holds
========================  ========  =================================================
``organisation``          yes       who runs the service
``service``               yes       the service's name (unique per organisation)
``languages``             yes       languages it is offered in: codes or names, ``;``
``themes``                no        codebook theme keys or labels it addresses, ``;``
``areas``                 no        areas it serves (choices of the area question),
                                    ``;``; empty or ``all``: the whole community
``description``           no        what it offers (themes are suggested from it)
``description_language``  no        the description's language (default ``en``)
``eligibility``           no        who may use it
``contact``               no        phone, email, address or website
========================  ========  =================================================

:func:`analysis.spreadsheet.read_rows` turns file bytes into rows of text;
:func:`parse_inventory` checks every row and returns either the services or every problem found,
each with its spreadsheet row number (the header is row 1) and column. The
caller imports nothing unless there is no problem at all. A cell exported
with a protective apostrophe (``'=...``, see consult/exports/cells.py)
reads back without it. Problems are codes; the web layer words them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

COLUMNS = (
    "organisation",
    "service",
    "description",
    "description_language",
    "themes",
    "languages",
    "areas",
    "eligibility",
    "contact",
)
"""The columns of an inventory file, in the order an export writes them."""

REQUIRED = ("organisation", "service", "languages")
ALIASES = {
    "organization": "organisation",
    "name": "service",
    "theme": "themes",
    "language": "languages",
    "area": "areas",
}
"""Other spellings accepted in a header."""

ALL_AREAS = "all"
"""Written in ``areas`` for a service open to the whole community (as is an empty cell)."""

LIMITS = {
    "organisation": 200,
    "service": 200,
    "description": 4000,
    "eligibility": 1000,
    "contact": 500,
}
MAX_ROWS = 5000
SEPARATOR = re.compile(r"[;\n|]")
_FORMULA_GUARD = re.compile(r"^'(?=\s*[=+\-@\t\r])")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: spreadsheet row (header = 1), column name and letter, code, details."""

    row: int
    column: str
    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    letter: str = ""


@dataclass(frozen=True, slots=True)
class ServiceRecord:
    """One checked row of the inventory."""

    row: int
    organisation: str
    service: str
    languages: tuple[str, ...]
    themes: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    """Area keys served; empty: the whole community."""
    description: str = ""
    description_language: str = "en"
    eligibility: str = ""
    contact: str = ""


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What cells may name: themes and areas (any accepted name -> key) and languages.

    ``theme_names`` and ``area_names`` map case-folded names (keys, labels
    in every language) to keys; an empty ``area_names`` accepts any area as
    written (the partnership has no area question yet). ``language`` turns
    a code or name into a code, or None.
    """

    theme_names: Mapping[str, str]
    language: Callable[[str], str | None]
    area_names: Mapping[str, str] = field(default_factory=dict)


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def parse_inventory(
    rows: Sequence[Sequence[str]], vocabulary: Vocabulary
) -> tuple[list[ServiceRecord], list[Problem]]:
    """Check every row; return the services (only when there is no problem) and the problems."""
    rows = [[_clean(c) for c in row] for row in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows or not any(rows[0]):
        return [], [Problem(1, "", "empty_file")]
    columns, problems = _header(rows[0])
    if problems:
        return [], problems
    if len(rows) - 1 > MAX_ROWS:
        return [], [Problem(MAX_ROWS + 2, "", "too_many_rows", {"limit": str(MAX_ROWS)})]
    letters = {name: column_letter(i) for name, i in columns.items()}
    records, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        cells = {name: row[i] if i < len(row) else "" for name, i in columns.items()}
        record, found = _record(number, cells, vocabulary)
        if record is not None:
            key = (record.organisation.casefold(), record.service.casefold())
            if key in seen:
                found.append(Problem(number, "service", "duplicate_service", {"first": seen[key]}))
            seen.setdefault(key, str(number))
            records.append(record)
        problems += [replace(p, letter=letters.get(p.column, "")) for p in found]
    if not records and not problems:
        problems.append(Problem(2, "", "no_services"))
    return ([] if problems else records), problems


def _clean(cell) -> str:
    text = "" if cell is None else str(cell).strip()
    return _FORMULA_GUARD.sub("", text)


def _header(cells: Sequence[str]) -> tuple[dict[str, int], list[Problem]]:
    columns: dict[str, int] = {}
    problems = []
    for index, raw in enumerate(cells):
        if not raw:
            continue
        name = raw.casefold().replace(" ", "_")
        name = ALIASES.get(name, name)
        letter = column_letter(index)
        if name not in COLUMNS:
            problems.append(
                Problem(1, raw, "unknown_column", {"known": ", ".join(COLUMNS)}, letter)
            )
        elif name in columns:
            problems.append(Problem(1, raw, "duplicate_column", {}, letter))
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            problems.append(Problem(1, name, "missing_column"))
    return columns, problems


def _record(
    row: int, cells: Mapping[str, str], vocabulary: Vocabulary
) -> tuple[ServiceRecord | None, list[Problem]]:
    problems = [Problem(row, name, "required") for name in REQUIRED if not cells.get(name)]
    for name, limit in LIMITS.items():
        if len(cells.get(name, "")) > limit:
            problems.append(Problem(row, name, "too_long", {"limit": str(limit)}))
    languages, found = _languages(row, "languages", cells.get("languages", ""), vocabulary)
    problems += found
    description_language = "en"
    if cells.get("description_language"):
        named, found = _languages(
            row, "description_language", cells["description_language"], vocabulary
        )
        problems += found
        description_language = named[0] if named else "en"
    themes, found = _named(row, "themes", cells.get("themes", ""), vocabulary.theme_names)
    problems += found
    areas, found = _areas(row, cells.get("areas", ""), vocabulary.area_names)
    problems += found
    if problems:
        return None, problems
    record = ServiceRecord(
        row=row,
        organisation=cells["organisation"],
        service=cells["service"],
        languages=languages,
        themes=themes,
        areas=areas,
        description=cells.get("description", ""),
        description_language=description_language,
        eligibility=cells.get("eligibility", ""),
        contact=cells.get("contact", ""),
    )
    return record, []


def split_list(cell: str) -> list[str]:
    """The items of a list cell (separated by ``;``, ``|`` or new lines), stripped."""
    return [item.strip() for item in SEPARATOR.split(cell) if item.strip()]


def _languages(row: int, column: str, cell: str, vocabulary: Vocabulary):
    codes, problems = [], []
    for item in split_list(cell):
        code = vocabulary.language(item)
        if code is None:
            problems.append(Problem(row, column, "unknown_language", {"value": item}))
        elif code not in codes:
            codes.append(code)
    return tuple(codes), problems


def _named(row: int, column: str, cell: str, names: Mapping[str, str]):
    keys, problems = [], []
    for item in split_list(cell):
        key = names.get(item.casefold())
        if key is None:
            problems.append(Problem(row, column, "unknown_theme", {"value": item}))
        elif key not in keys:
            keys.append(key)
    return tuple(keys), problems


def _areas(row: int, cell: str, names: Mapping[str, str]):
    items = split_list(cell)
    if not items or any(item.casefold() == ALL_AREAS for item in items):
        return (), []
    if not names:
        return tuple(dict.fromkeys(item.casefold() for item in items)), []
    keys, problems = [], []
    for item in items:
        key = names.get(item.casefold())
        if key is None:
            known = ", ".join(sorted(set(names.values())))
            problems.append(Problem(row, "areas", "unknown_area", {"value": item, "known": known}))
        elif key not in keys:
            keys.append(key)
    return tuple(keys), problems


def names_to_keys(pairs: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """``{case-folded name: key}`` from ``(key, names)`` pairs; the key names itself too."""
    mapping: dict[str, str] = {}
    for key, names in pairs:
        mapping.setdefault(key.casefold(), key)
        for name in names:
            if name and name.strip():
                mapping.setdefault(name.strip().casefold(), key)
    return mapping


def export_rows(records: Iterable[ServiceRecord]) -> list[list[str]]:
    """A header and one row per service, in :data:`COLUMNS` order (lists joined by ``;``)."""
    rows = [list(COLUMNS)]
    for r in records:
        rows.append(
            [
                r.organisation,
                r.service,
                r.description,
                r.description_language,
                "; ".join(r.themes),
                "; ".join(r.languages),
                "; ".join(r.areas) if r.areas else ALL_AREAS,
                r.eligibility,
                r.contact,
            ]
        )
    return rows
