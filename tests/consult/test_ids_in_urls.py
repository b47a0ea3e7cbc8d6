"""Ids in URLs beyond what the database holds find nothing (404), never a server error.

Every route of the app with a number in its path is requested with numbers
too large for PostgreSQL's ``integer`` and for SQLite's 64-bit integers, by
an anonymous visitor and by the demo admin (who may reach every staff page).
"""

from __future__ import annotations

import re

import pytest

from consult.demo import DEMO_ACCOUNTS
from consult.security import MAX_ID
from tests.conftest import csrf_from, sign_in

HUGE = ["9223372036854775808", str(MAX_ID + 1), "1" + "0" * 40]
_INT = re.compile(r"<int:(\w+)>")
_OTHER = re.compile(r"<(?:\w+:)?(\w+)>")


def _urls_with_ids(app, value: str) -> list[tuple[str, str]]:
    """(method, url) of every route whose path has a number, each number set to ``value``."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not _INT.search(rule.rule):
            continue
        path = _INT.sub(value, rule.rule)
        path = _OTHER.sub(lambda m: "needs-assessment" if m.group(1) == "slug" else "csv", path)
        urls += [(method, path) for method in sorted(rule.methods & {"GET", "POST"})]
    return urls


def test_every_numbered_route_is_checked(app):
    urls = _urls_with_ids(app, "1")
    paths = {path for _method, path in urls}
    assert "/focus-groups/1/signup" in paths
    assert any(path.startswith("/committee/1/") for path in paths)
    assert "/research/responses/1" in paths
    assert len(paths) >= 20


@pytest.mark.parametrize("value", HUGE)
def test_out_of_range_ids_answer_404_to_everyone(app, value):
    anonymous = app.test_client()
    admin = app.test_client()
    email, password, _role = DEMO_ACCOUNTS[0]
    sign_in(admin, email, password)
    token = csrf_from(admin.get("/research/").text)
    for method, url in _urls_with_ids(app, value):
        for client in (admin, anonymous):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            assert response.status_code == 404, (method, url, response.status_code)


def test_ids_in_range_still_reach_their_views(client):
    assert client.get("/focus-groups/999/signup").status_code == 404  # no such group
    assert client.get(f"/focus-groups/{MAX_ID}/signup").status_code == 404
    assert client.get("/s/needs-assessment/p/1").status_code in {200, 302}


def test_out_of_range_numbers_in_query_strings_and_forms_are_ignored(app):
    admin = app.test_client()
    email, password, _role = DEMO_ACCOUNTS[0]
    sign_in(admin, email, password)
    token = csrf_from(admin.get("/research/").text)
    huge = HUGE[0]
    for url in [
        f"/research/surveys/needs-assessment/responses?page={huge}",
        f"/admin/audit?page={huge}",
        f"/research/coding/?page={huge}",
        f"/research/codebook/?partnership={huge}",
    ]:
        assert admin.get(url).status_code == 200, url
    approve = {"csrf_token": token, "unit_id": huge, "theme": "housing", "text": "x"}
    assert admin.post("/research/quotes/approve", data=approve).status_code == 400
    made = admin.post("/research/agreement/", data={"csrf_token": token, "size": huge})
    assert made.status_code < 500
