"""The supported XLSForm subset, written out from the code that decides it.

The README's table is this module's output (one source of truth): a test
fails when they drift. ``python -m forms.subset`` prints the table;
``python -m forms.subset --write README.md`` puts it between the README's
``<!-- subset:start -->`` and ``<!-- subset:end -->`` markers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from forms.model import ANSWERABLE_TYPES, COMPUTED_TYPES, DISPLAY_TYPES
from forms.xlsform_types import UNSUPPORTED_TYPES
from forms.xpath_functions import FUNCTIONS, REFUSED_FUNCTIONS

START, END = "<!-- subset:start -->", "<!-- subset:end -->"

UNSUPPORTED_REASONS = {
    "image": "needs a photo or picture upload",
    "photo": "needs a photo or picture upload",
    "audio": "needs a recording",
    "background-audio": "needs a recording",
    "video": "needs a recording",
    "file": "needs a file upload",
    "geopoint": "needs a location from the device's GPS",
    "geotrace": "needs a location from the device's GPS",
    "geoshape": "needs a location from the device's GPS",
    "start-geopoint": "needs a location from the device's GPS",
    "barcode": "needs the device's camera",
    "range": "needs a slider, which needs JavaScript",
    "nested_repeat": "the web pages do not show a repeat inside a repeat",
    "osm": "needs an OpenStreetMap editor",
    "select_one_from_file": "needs choices from a file attached to the form",
    "select_multiple_from_file": "needs choices from a file attached to the form",
    "select_one_external": "needs choices from a file attached to the form",
    "xml-external": "needs data attached to the form",
    "csv-external": "needs data attached to the form",
}
"""Why a web survey cannot use each unsupported type (what it needs)."""

COLUMNS = (
    "hint",
    "required",
    "required_message",
    "constraint",
    "constraint_message",
    "relevant",
    "calculation",
    "default",
    "choice_filter",
    "appearance",
    "repeat_count",
    "breakdown",
    "core",
)


def _code(names) -> str:
    return ", ".join(f"`{name}`" for name in sorted(names))


def table() -> str:
    """The supported-subset table as markdown."""
    refused = {}
    for kind in [*sorted(UNSUPPORTED_TYPES), "nested_repeat"]:
        refused.setdefault(UNSUPPORTED_REASONS[kind], []).append(kind)
    rows = [
        ("question types", _code(ANSWERABLE_TYPES | DISPLAY_TYPES | COMPUTED_TYPES), "yes"),
        ("metadata", "`start`, `end`, `today`", "recorded; other metadata ignored"),
        ("structure", "`begin_group`, `end_group`, `begin_repeat`, `end_repeat`", "yes"),
        ("columns", _code(COLUMNS), "yes (`breakdown` and `core` are Consult's own)"),
        ("functions", _code(FUNCTIONS), "yes, as the ODK XForms spec defines them"),
        ("paths", "`${name}`, `.`, `..`, `../name`, `current()/../name`, `/data/.../name`", "yes"),
    ]
    rows += [
        (
            "refused types",
            _code(kinds).replace("`nested_repeat`", "`begin_repeat` inside a repeat"),
            f"refused: {reason}; `--drop-unsupported` leaves them out",
        )
        for reason, kinds in refused.items()
    ]
    rows += [
        ("refused function", f"`{name}()`", f"refused: it {reason}")
        for name, reason in sorted(REFUSED_FUNCTIONS.items())
    ]
    rows.append(
        (
            "refused expressions",
            "other functions, predicates (`[...]`), unions (`a \\| b`)",
            "refused at import with sheet, row and column",
        )
    )
    lines = ["| feature | what | support |", "|---|---|---|"]
    lines += [f"| {feature} | {what} | {support} |" for feature, what, support in rows]
    return "\n".join(lines)


def write_into(path: Path) -> None:
    """Replace the text between the markers in ``path`` with :func:`table`."""
    text = path.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    path.write_text(f"{before}{START}\n{table()}\n{END}{after}", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a developer's command
    if sys.argv[1:2] == ["--write"]:
        write_into(Path(sys.argv[2]))
    else:
        print(table())
