"""A locked database answers 503 with Retry-After and keeps what the respondent typed."""

from __future__ import annotations

import re
import sqlite3

import pytest
from markupsafe import escape
from sqlalchemy.engine import make_url

from consult import create_app, db
from tests.consult.walker import fields_of, fill, start

pytestmark = pytest.mark.sqlite_only  # holds an exclusive SQLite lock

TYPED = 'Je cherche un médecin <depuis> 2 ans & "personne" ne répond — لا أحد'


@pytest.fixture
def busy_app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": False,
            "SQLITE_BUSY_TIMEOUT_MS": 100,
        }
    )
    yield app
    db.dispose(app)


def _page_with_text(client):
    """Walk to the first page with a free-text field; return (page, its form data, text names)."""
    page = start(client, "needs-assessment")
    for _ in range(30):
        fields = fields_of(page.text)
        texts = [n for n, kind in fields.texts.items() if kind in {"textarea", "text"}]
        action = re.search(r'action="([^"]+/p/\d+)"', page.text).group(1)
        data = fill(fields, TYPED)
        if texts:
            return action, data, texts
        response = client.post(action, data=data)
        assert response.status_code in {200, 302}
        page = client.get(response.headers["Location"]) if response.status_code == 302 else response
    raise AssertionError("no page with a text field")


def _lock(database_url):
    holder = sqlite3.connect(make_url(database_url).database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_locked_database_gives_503_with_the_typed_text(busy_app, database_url):
    client = busy_app.test_client()
    action, data, texts = _page_with_text(client)
    holder = _lock(database_url)
    try:
        response = client.post(action, data=data)
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "The service is busy" in response.text
    assert str(escape(TYPED)) in response.text
    assert TYPED not in response.text  # escaped, never raw
    # The same page, with its form: sending it again now works.
    fields = fields_of(response.text)
    assert set(texts) <= set(fields.texts)
    again = client.post(action, data=fill(fields, TYPED))
    assert again.status_code == 302


def test_when_even_reading_fails_the_posted_fields_are_echoed(busy_app, database_url, monkeypatch):
    from consult.survey import busy

    def broken(message):
        raise RuntimeError("database down")

    monkeypatch.setattr(busy, "_survey_page_again", broken)
    client = busy_app.test_client()
    action, data, texts = _page_with_text(client)
    holder = _lock(database_url)
    try:
        response = client.post(action, data=data)
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert str(escape(TYPED)) in response.text
    echoed = fields_of(response.text)
    assert set(texts) <= set(echoed.texts)
    assert echoed.csrf
    assert f'action="{action}"' in response.text


def test_other_pages_get_the_plain_503(busy_app, database_url):
    client = busy_app.test_client()
    page = client.get("/s/needs-assessment/?lang=en")
    token = fields_of(page.text).csrf
    holder = _lock(database_url)
    try:
        response = client.post(
            "/s/needs-assessment/consent", data={"csrf_token": token, "consent": "yes"}
        )
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
