"""Production mode refuses to start without a strong key and Secure cookies, and sends HSTS."""

from __future__ import annotations

import secrets

import pytest

from consult import create_app, db
from consult.config import DEFAULT_SECRET_KEY, UnsafeConfiguration
from consult.demo import DEMO_ACCOUNTS
from tests.conftest import sign_in

STRONG_KEY = secrets.token_urlsafe(32)  # 43 bytes


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONSULT_PRODUCTION", "1")
    for name in ("CONSULT_SECRET_KEY", "CONSULT_SECURE_COOKIES", "CONSULT_HSTS_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("key", "said"),
    [
        (None, "not set"),
        ("", "not set"),
        ("x", "has 1 bytes; it needs at least 32"),
        ("a" * 31, "has 31 bytes"),
    ],
)
def test_production_refuses_a_missing_or_short_secret_key(production_env, key, said):
    if key is not None:
        production_env.setenv("CONSULT_SECRET_KEY", key)
    with pytest.raises(UnsafeConfiguration, match=said) as refused:
        create_app()
    assert "CONSULT_SECRET_KEY" in str(refused.value)
    assert "secrets.token_urlsafe" in str(refused.value)  # says how to make one


def test_production_refuses_cookies_without_secure(production_env):
    production_env.setenv("CONSULT_SECRET_KEY", STRONG_KEY)
    production_env.setenv("CONSULT_SECURE_COOKIES", "0")
    with pytest.raises(UnsafeConfiguration, match="CONSULT_SECURE_COOKIES is off"):
        create_app()


def test_production_lists_every_problem_at_once(production_env):
    production_env.setenv("CONSULT_SECRET_KEY", "short")
    production_env.setenv("CONSULT_SECURE_COOKIES", "0")
    production_env.setenv("CONSULT_HSTS_SECONDS", "0")
    with pytest.raises(UnsafeConfiguration) as refused:
        create_app()
    message = str(refused.value)
    assert "CONSULT_SECRET_KEY" in message and "CONSULT_SECURE_COOKIES" in message
    assert "CONSULT_HSTS_SECONDS" in message


def test_a_key_counts_in_bytes_not_characters(production_env):
    production_env.setenv("CONSULT_SECRET_KEY", "é" * 16)  # 16 characters, 32 bytes
    assert create_app().config["PRODUCTION"]


def test_production_serves_secure_cookies_and_hsts(production_env, database_url):
    production_env.setenv("CONSULT_SECRET_KEY", STRONG_KEY)
    production_env.setenv("CONSULT_DATABASE_URL", database_url)
    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    try:
        assert app.config["SESSION_COOKIE_SECURE"]
        client = app.test_client()
        page = client.get("/")
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
        email, password, _role = DEMO_ACCOUNTS[0]
        signed_in = sign_in(client, email, password)
        cookie = signed_in.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        db.dispose(app)


def test_development_has_no_hsts_and_an_empty_key_means_the_development_key(
    monkeypatch, tmp_path, client
):
    assert "Strict-Transport-Security" not in client.get("/").headers
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("CONSULT_PRODUCTION", raising=False)
    monkeypatch.setenv("CONSULT_SECRET_KEY", "")
    assert create_app().config["SECRET_KEY"] == DEFAULT_SECRET_KEY


def test_the_command_line_says_why_it_will_not_start(production_env):
    from click.testing import CliRunner

    from consult.cli import cli

    production_env.setenv("CONSULT_SECRET_KEY", "x")
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 1
    assert "Consult will not start" in result.output
    assert "Traceback" not in result.output
