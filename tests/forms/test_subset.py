"""The README's supported-subset table is generated from the code: they never drift."""

from __future__ import annotations

from pathlib import Path

from forms.subset import END, START, UNSUPPORTED_REASONS, table
from forms.xlsform_types import UNSUPPORTED_TYPES
from forms.xpath_functions import FUNCTIONS, REFUSED_FUNCTIONS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_table_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    shown = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert shown == table(), "run: python -m forms.subset --write README.md"


def test_the_table_names_every_function_and_every_refusal_with_a_reason():
    generated = table()
    assert all(f"`{name}`" in generated for name in FUNCTIONS)
    assert all(f"`{name}()`" in generated for name in REFUSED_FUNCTIONS)
    assert set(UNSUPPORTED_TYPES) < set(UNSUPPORTED_REASONS)
    assert all(f"`{kind}`" in generated for kind in UNSUPPORTED_TYPES)
