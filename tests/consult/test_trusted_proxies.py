"""Rate limits key on the client: behind a configured number of trusted proxies, on the
address those proxies forwarded; with none configured (the default), never on a header
that anyone can send."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from flask import request

from consult import create_app, db
from consult.extensions import limiter
from tests.conftest import csrf_from

ONE = "203.0.113.5"
OTHER = "198.51.100.7"
SIGN_IN_LIMIT = 10  # per minute, on POST /login


@pytest.fixture
def make_app(database_url, monkeypatch):
    from consult.auth import services

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("dummy")
    monkeypatch.setattr(services, "DUMMY_HASH", cheap)
    made = []

    def build(**config):
        app = create_app(
            {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret", **config}
        )
        made.append(app)
        return app

    limiter.enabled = True
    limiter.reset()
    yield build
    limiter.reset()
    limiter.enabled = False
    for app in made:
        db.dispose(app)


def _bad_sign_in(client, forwarded_for: str) -> int:
    headers = {"X-Forwarded-For": forwarded_for}
    token = csrf_from(client.get("/login", headers=headers).text)
    data = {"email": "nobody@example.org", "password": "wrong password", "csrf_token": token}
    return client.post("/login", data=data, headers=headers).status_code


def test_trusted_proxies_are_off_by_default(app):
    assert app.config["TRUSTED_PROXIES"] == 0


def test_without_trusted_proxies_a_forwarded_header_changes_nothing(make_app):
    client = make_app().test_client()
    statuses = [_bad_sign_in(client, ONE) for _ in range(SIGN_IN_LIMIT)]
    assert statuses == [200] * SIGN_IN_LIMIT
    # The header is not believed: everyone behind this address shares one bucket,
    # and an attacker cannot get a fresh bucket by sending a new header.
    assert _bad_sign_in(client, OTHER) == 429


def test_behind_one_trusted_proxy_each_client_has_its_own_bucket(make_app):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    statuses = [_bad_sign_in(client, ONE) for _ in range(SIGN_IN_LIMIT)]
    assert statuses == [200] * SIGN_IN_LIMIT
    assert _bad_sign_in(client, ONE) == 429
    assert _bad_sign_in(client, OTHER) == 200  # another visitor is not locked out
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    assert _bad_sign_in(client, f"{OTHER}, {ONE}") == 429


def _with_scheme_route(app):
    @app.get("/_test/scheme")
    def scheme():
        return f"{request.scheme} {request.remote_addr}"

    return app


def test_a_trusted_proxy_also_gives_the_scheme(make_app):
    forwarded = {"X-Forwarded-For": ONE, "X-Forwarded-Proto": "https"}
    trusted = _with_scheme_route(make_app(TRUSTED_PROXIES=1)).test_client()
    assert trusted.get("/_test/scheme", headers=forwarded).text == f"https {ONE}"
    untrusted = _with_scheme_route(make_app()).test_client()
    assert untrusted.get("/_test/scheme", headers=forwarded).text == "http 127.0.0.1"
