"""One CSRF mechanism: Flask-WTF's app-wide CSRFProtect checks every form posted to every
view (the JSON API alone is exempt: no cookies), before the view runs."""

from __future__ import annotations

import re
from pathlib import Path

from werkzeug.routing import Rule

ROOT = Path(__file__).resolve().parents[2]


def _url(rule: Rule) -> str:
    """The rule's path with a harmless value for each variable part."""
    return re.sub(
        r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
        lambda m: "1" if m.group(1) == "int" else "x",
        rule.rule,
    )


def _form_rules(app) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.endpoint.startswith("api.")
    ]


def test_every_form_post_without_a_token_is_refused_before_its_view(app, client):
    rules = _form_rules(app)
    assert len(rules) >= 40
    refused = {rule.rule: client.post(_url(rule), data={"x": "1"}).status_code for rule in rules}
    assert {path: code for path, code in refused.items() if code != 400} == {}


def test_a_wrong_token_is_refused_too(app, client):
    for rule in _form_rules(app)[:10]:
        assert client.post(_url(rule), data={"csrf_token": "forged"}).status_code == 400


def test_no_view_checks_tokens_its_own_way():
    own_checks = re.compile(r"validate_csrf|CSRFProtect\(|_check_csrf|csrf_form")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "consult").rglob("*.py")
        if own_checks.search(path.read_text(encoding="utf-8"))
        and path != ROOT / "consult" / "__init__.py"
    ]
    assert offenders == []
