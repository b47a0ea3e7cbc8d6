"""What every template keeps: staff tables scroll in a focusable, named region; newcomer
pages load no script."""

from __future__ import annotations

import re
from pathlib import Path

from tests.consult.walker import complete

TEMPLATES = Path(__file__).resolve().parents[2] / "consult" / "templates"
STANDALONE = {"reports/_standalone.html"}
"""Downloaded documents (a report or a strategy draft as one HTML file), not pages."""
_REGION = re.compile(r"<div\b[^>]*\bclass=\"table-wrap\"[^>]*>")


def _standalone(text: str) -> bool:
    return any(f'extends "{name}"' in text for name in STANDALONE)


def test_every_staff_table_scrolls_in_a_focusable_named_region():
    """At 360 px a wide table scrolls inside its region; keyboard users reach it by Tab
    and screen readers hear its name (axe's scrollable-region-focusable)."""
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if _standalone(text) or path.relative_to(TEMPLATES).parts[0] == "survey":
            continue
        regions = _REGION.findall(text)
        if text.count("<table") != len(regions):
            missing.append(f"{path.relative_to(TEMPLATES)}: a table outside a .table-wrap")
        for region in regions:
            if not all(a in region for a in ('tabindex="0"', 'role="region"', "aria-label")):
                missing.append(f"{path.relative_to(TEMPLATES)}: {region}")
    assert missing == []


def test_newcomer_pages_load_no_script(client):
    """Scripts are for staff pages only: a newcomer's page never asks for one."""
    pages = [client.get("/?lang=en"), client.get("/focus-groups?lang=ar")]
    done = complete(client, "needs-assessment", "fa")
    pages.append(done)
    for page in pages:
        assert page.status_code == 200
        assert "<script" not in page.text
    survey_templates = [*TEMPLATES.joinpath("survey").rglob("*.html")]
    assert survey_templates
    for path in [*survey_templates, TEMPLATES / "index.html"]:
        assert "<script" not in path.read_text(encoding="utf-8"), path
