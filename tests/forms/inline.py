"""Write XLSForms inline as markdown tables, the way pyxform's own tests do."""

from __future__ import annotations

import textwrap


def md_form(text: str) -> bytes:
    """A markdown XLSForm as the bytes an upload would carry."""
    return textwrap.dedent(text).strip().encode("utf-8")
