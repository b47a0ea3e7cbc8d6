"""Signing out ends a sign-in: a copied cookie is worth nothing afterwards.

Sign-ins live on the server (``sign_in`` rows); the cookie holds only a random
token. Sign-out, the idle and absolute timeouts, a new password and a role
change each end them. Tried with real cookies against the real app.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from consult import db
from consult.auth.models import SignIn
from consult.auth.services import find_user
from consult.models import Response, as_utc, utcnow
from tests.conftest import csrf_from, sign_in
from tests.consult.api.test_api import SUBMIT, submission

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
NEW_PASSWORD = "a-brand-new-password"


@pytest.fixture
def response_url(app, client):
    assert client.post(SUBMIT, json=submission()).status_code == 201
    with app.app_context():
        return f"/research/responses/{db.session().scalar(select(Response.id))}"


def _signed_in(app, who=RESEARCHER):
    client = app.test_client()
    assert sign_in(client, *who).status_code == 302
    return client


def _opens(client, url: str) -> bool:
    """True when ``url`` shows the page; False when it sends the browser to sign in."""
    page = client.get(url)
    if page.status_code == 302:
        assert "/login" in page.headers["Location"]
        return False
    assert page.status_code == 200, page.status_code
    return True


def _copy(client, app):
    """Another browser holding a copy of ``client``'s cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _sign_ins(app, email=RESEARCHER[0]) -> list[SignIn]:
    with app.app_context():
        user = find_user(db.session(), email)
        return list(db.session().scalars(select(SignIn).where(SignIn.user_id == user.id)))


def _age(app, **delta) -> None:
    """Move every sign-in's clock back: ``started=`` and ``seen=`` in minutes."""
    with app.app_context():
        values = {}
        if "started" in delta:
            values["started_at"] = utcnow() - timedelta(minutes=delta["started"])
        if "seen" in delta:
            values["last_seen_at"] = utcnow() - timedelta(minutes=delta["seen"])
        db.session().execute(update(SignIn).values(**values))
        db.commit()


def test_a_cookie_copied_before_sign_out_opens_nothing_after(app, response_url):
    researcher = _signed_in(app)
    thief = _copy(researcher, app)
    assert _opens(thief, response_url)  # the copy works while the sign-in lasts
    token = csrf_from(researcher.get("/research/").text)
    assert researcher.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not _opens(thief, response_url)
    assert not _opens(researcher, response_url)
    assert _sign_ins(app) == []


def test_signing_out_one_browser_leaves_the_others_signed_in(app, response_url):
    office, laptop = _signed_in(app), _signed_in(app)
    assert len(_sign_ins(app)) == 2
    office.post("/logout", data={"csrf_token": csrf_from(office.get("/research/").text)})
    assert _opens(laptop, response_url) and not _opens(office, response_url)


def test_the_cookie_holds_a_random_token_and_nothing_from_the_password(app):
    researcher = _signed_in(app)
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        password_hash = find_user(db.session(), RESEARCHER[0]).password_hash
    payload = serializer.loads(researcher.get_cookie("session").value)
    assert set(payload) <= {"sign_in", "csrf_token", "lang"}
    text = json.dumps(payload)
    salt_and_hash = password_hash.rsplit("$", 2)[-2:]
    assert not any(part[:8] in text for part in salt_and_hash)
    assert "user_id" not in payload
    again = _signed_in(app)
    assert serializer.loads(again.get_cookie("session").value)["sign_in"] != payload["sign_in"]


def test_a_new_password_ends_every_sign_in_of_the_account(app, runner, response_url):
    office, thief = _signed_in(app), None
    thief = _copy(office, app)
    result = runner.invoke(
        args=[
            "users",
            "add",
            RESEARCHER[0],
            "--role",
            "researcher",
            "--partnership",
            "demo-lip",
            "--password",
            NEW_PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert not _opens(office, response_url) and not _opens(thief, response_url)
    assert _opens(_signed_in(app, (RESEARCHER[0], NEW_PASSWORD)), response_url)


def test_a_role_change_ends_every_sign_in_of_the_account(app, runner, response_url):
    researcher = _signed_in(app)
    same_role = [
        "users",
        "role",
        RESEARCHER[0],
        "--role",
        "researcher",
        "--partnership",
        "demo-lip",
    ]
    assert runner.invoke(args=same_role).exit_code == 0
    assert _opens(researcher, response_url)  # nothing changed: still signed in
    demoted = [*same_role[:3], "--role", "committee", "--partnership", "demo-lip"]
    assert runner.invoke(args=demoted).exit_code == 0
    assert not _opens(researcher, "/committee/")  # signed out, not merely demoted
    assert _sign_ins(app) == []


def test_a_sign_in_idle_too_long_ends(app, response_url):
    researcher = _signed_in(app)
    idle = app.config["SIGN_IN_IDLE_MINUTES"]
    _age(app, seen=idle - 5)
    assert _opens(researcher, response_url)
    (row,) = _sign_ins(app)
    assert (utcnow() - as_utc(row.last_seen_at)).total_seconds() < 60  # marked seen again
    _age(app, seen=idle + 1)
    assert not _opens(researcher, response_url)
    assert _sign_ins(app) == []


def test_a_sign_in_ends_after_the_absolute_timeout_however_active(app, response_url):
    researcher = _signed_in(app)
    _age(app, started=app.config["SIGN_IN_MAX_HOURS"] * 60 + 1, seen=0)
    assert not _opens(researcher, response_url)


def test_timeouts_come_from_the_environment(monkeypatch, tmp_path):
    from consult import create_app

    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONSULT_SIGN_IN_IDLE_MINUTES", "15")
    monkeypatch.setenv("CONSULT_SIGN_IN_MAX_HOURS", "8")
    app = create_app()
    assert (app.config["SIGN_IN_IDLE_MINUTES"], app.config["SIGN_IN_MAX_HOURS"]) == (15, 8)


def test_a_deactivated_account_is_signed_out_at_once(app, response_url):
    researcher = _signed_in(app)
    with app.app_context():
        find_user(db.session(), RESEARCHER[0]).is_active = False
        db.commit()
    assert not _opens(researcher, response_url)
    assert _sign_ins(app) == []
