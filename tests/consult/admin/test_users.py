"""/admin/users: invitations by one-time link or temporary password, roles per
partnership, deactivation at once, last sign-in, and every change in the audit log."""

from __future__ import annotations

import re
import socket
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult import db
from consult.auth.services import add_user, find_partnership, find_user
from consult.demo import DEMO_PARTNERSHIP
from consult.models import AuditEvent, Invitation, Partnership, Role, utcnow
from tests.conftest import csrf_from, sign_in

ADMIN = ("admin@demo.consult.local", "demo-admin-password")
RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")
NEW_PASSWORD = "a brand new password"
_LINK = re.compile(r'id="one-time-link"[^>]*value="([^"]+)"')


def _invite(client, email, role="committee", method="link", password=""):
    page = client.get("/admin/users/")
    return client.post(
        "/admin/users/invite",
        data={
            "csrf_token": csrf_from(page.text),
            "email": email,
            "display_name": "",
            "partnership_id": _partnership_id(page.text),
            "role": role,
            "method": method,
            "temporary_password": password,
        },
    )


def _partnership_id(html: str) -> str:
    return re.search(r'name="partnership_id" value="(\d+)"', html).group(1)


def _link(html: str) -> str:
    match = _LINK.search(html)
    assert match, "no one-time link on the page"
    return match.group(1).replace("http://localhost", "")


def _user_id(app, email):
    with app.app_context():
        return find_user(db.session(), email).id


def _post(client, path, **data):
    page = client.get(path.rsplit("/", 1)[0])
    return client.post(path, data={"csrf_token": csrf_from(page.text), **data})


def _audit_words(client) -> str:
    return client.get("/admin/audit").text


def test_invite_a_committee_member_by_link_who_signs_in_and_reads_summaries(app, client):
    sign_in(client, *ADMIN)
    answer = _invite(client, "New.Member@Example.org")
    assert answer.status_code == 200
    assert "new.member@example.org now has an account as Committee member" in answer.text
    link = _link(answer.text)
    assert "Give new.member@example.org this one-time link" in answer.text  # no mail server
    listing = client.get("/admin/users/").text
    assert "new.member@example.org" in listing and "Invited: link not used yet" in listing

    member = app.test_client()
    choose = member.get(link)
    assert choose.status_code == 200 and "Choose your password" in choose.text
    short = member.post(
        link,
        data={"csrf_token": csrf_from(choose.text), "new_password": "short", "again": "short"},
    )
    assert "Please use at least 12 characters." in short.text
    done = member.post(
        link,
        data={
            "csrf_token": csrf_from(choose.text),
            "new_password": NEW_PASSWORD,
            "again": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/committee/")
    assert member.get("/committee/").status_code == 200
    assert member.get("/research/").status_code == 403
    # The link worked once.
    assert app.test_client().get(link).status_code == 404

    listing = client.get("/admin/users/").text
    row = re.search(
        r'<tr id="user-\d+">\s*<th scope="row"><a[^>]*>new.member@example.org.*?</tr>',
        listing,
        re.S,
    ).group(0)
    assert "Active" in row and "never" not in row  # last sign-in is shown
    words = _audit_words(client)
    assert "invited new.member@example.org as Committee member with a one-time link" in words
    assert "chose a password with a one-time link" in words


def test_an_expired_or_replaced_link_no_longer_works(app, client):
    sign_in(client, *ADMIN)
    first = _link(_invite(client, "late@example.org").text)
    user_id = _user_id(app, "late@example.org")
    again = _post(client, f"/admin/users/{user_id}/reset", method="link", temporary_password="")
    second = _link(again.text)
    assert app.test_client().get(first).status_code == 404  # replaced
    with app.app_context():
        invitation = db.session().scalar(select(Invitation).where(Invitation.user_id == user_id))
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.commit()
    gone = app.test_client().get(second)
    assert gone.status_code == 404 and "no longer works" in gone.text


def test_a_temporary_password_must_be_changed_at_first_sign_in(app, client):
    sign_in(client, *ADMIN)
    short = _invite(client, "temp@example.org", role="researcher", method="password", password="x")
    assert short.status_code == 400
    assert "A temporary password needs at least 12 characters." in short.text
    answer = _invite(
        client,
        "temp@example.org",
        role="researcher",
        method="password",
        password="temporary-pass-1",
    )
    assert answer.status_code == 200 and "one-time-link" not in answer.text

    person = app.test_client()
    assert sign_in(person, "temp@example.org", "temporary-pass-1").status_code == 302
    for path in ("/research/", "/research/coding/", "/committee/"):
        response = person.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/account/password")
    page = person.get("/account/password")
    assert "You signed in with a temporary password" in page.text
    assert (
        person.post(
            "/research/partnership", data={"csrf_token": csrf_from(page.text), "partnership": "1"}
        ).status_code
        == 403
    )
    wrong = person.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(page.text),
            "current_password": "not it at all",
            "new_password": NEW_PASSWORD,
            "again": NEW_PASSWORD,
        },
    )
    assert "That is not your current password." in wrong.text
    changed = person.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(page.text),
            "current_password": "temporary-pass-1",
            "new_password": NEW_PASSWORD,
            "again": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert person.get("/research/").status_code == 200
    other = app.test_client()
    assert sign_in(other, "temp@example.org", "temporary-pass-1").status_code == 200  # refused
    assert sign_in(other, "temp@example.org", NEW_PASSWORD).status_code == 302
    words = _audit_words(client)
    assert (
        "created an account for temp@example.org as Researcher, with a temporary password" in words
    )
    assert "changed their password" in words


def _signed_out(client) -> bool:
    """True when the browser's next page sends it to sign in again."""
    response = client.get("/committee/")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_role_change_ends_the_persons_sign_ins_and_applies_at_once(app, client):
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    assert committee.get("/research/").status_code == 403
    sign_in(client, *ADMIN)
    user_id = _user_id(app, COMMITTEE[0])
    pid = _partnership_id(client.get(f"/admin/users/{user_id}").text)
    changed = _post(client, f"/admin/users/{user_id}/role", partnership_id=pid, role="researcher")
    assert changed.status_code == 302
    assert _signed_out(committee)  # the sign-in made with the old role has ended
    assert sign_in(committee, *COMMITTEE).status_code == 302
    assert committee.get("/research/").status_code == 200
    assert (
        "changed the role of committee@demo.consult.local from Committee member to Researcher"
        in (_audit_words(client))
    )
    removed = _post(client, f"/admin/users/{user_id}/role", partnership_id=pid, role="none")
    assert removed.headers["Location"].endswith("/admin/users/?changed=removed")
    assert _signed_out(committee)
    assert sign_in(committee, *COMMITTEE).status_code == 302
    assert committee.get("/research/").status_code == 403  # no role left anywhere
    assert client.get(f"/admin/users/{user_id}").status_code == 404  # no longer theirs


def test_deactivating_signs_the_person_out_at_once_and_reactivating_lets_them_back(app, client):
    researcher = app.test_client()
    sign_in(researcher, *RESEARCHER)
    assert researcher.get("/research/").status_code == 200
    sign_in(client, *ADMIN)
    user_id = _user_id(app, RESEARCHER[0])
    assert _post(client, f"/admin/users/{user_id}/active", active="0").status_code == 302
    response = researcher.get("/research/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert sign_in(app.test_client(), *RESEARCHER).status_code == 200  # refused
    assert "Deactivated" in client.get("/admin/users/").text
    assert _post(client, f"/admin/users/{user_id}/active", active="1").status_code == 302
    assert sign_in(app.test_client(), *RESEARCHER).status_code == 302
    words = _audit_words(client)
    assert "deactivated the account of researcher@demo.consult.local" in words
    assert "let researcher@demo.consult.local sign in again" in words


@pytest.mark.parametrize("method", ["link", "password"])
def test_a_password_reset_ends_every_sign_in_of_the_account(app, client, method):
    researcher, copy = app.test_client(), app.test_client()
    sign_in(researcher, *RESEARCHER)
    sign_in(copy, *RESEARCHER)
    sign_in(client, *ADMIN)
    user_id = _user_id(app, RESEARCHER[0])
    password = "temporary-pass-2" if method == "password" else ""
    reset = _post(
        client, f"/admin/users/{user_id}/reset", method=method, temporary_password=password
    )
    assert reset.status_code == 200
    assert _signed_out(researcher) and _signed_out(copy)
    assert sign_in(app.test_client(), *RESEARCHER).status_code == 200  # old password refused
    assert client.get("/admin/users/").status_code == 200  # the admin stays signed in


def test_rules_an_admin_cannot_break(app, client):
    sign_in(client, *ADMIN)
    admin_id = _user_id(app, ADMIN[0])
    pid = _partnership_id(client.get(f"/admin/users/{admin_id}").text)
    # The last admin keeps the partnership administered, and nobody deactivates themselves.
    last = _post(client, f"/admin/users/{admin_id}/role", partnership_id=pid, role="researcher")
    assert last.status_code == 400 and "last active admin" in last.text
    self_off = _post(client, f"/admin/users/{admin_id}/active", active="0")
    assert self_off.status_code == 400 and "your own account" in self_off.text
    # An account that also belongs to another partnership is not the admin's to switch off.
    with app.app_context():
        session = db.session()
        other = Partnership(slug="other-lip", name="Other LIP")
        session.add(other)
        session.flush()
        researcher = find_user(session, RESEARCHER[0])
        add_user(session, RESEARCHER[0], RESEARCHER[1], Role.RESEARCHER, other)
        add_user(session, "other-admin@example.org", "other admin password", Role.ADMIN, other)
        researcher_id = researcher.id
        db.commit()
    elsewhere = _post(client, f"/admin/users/{researcher_id}/active", active="0")
    assert elsewhere.status_code == 400 and "you do not administer" in elsewhere.text
    # The other partnership's admin sees neither this partnership's people nor their pages.
    other_admin = app.test_client()
    sign_in(other_admin, "other-admin@example.org", "other admin password")
    listing = other_admin.get("/admin/users/").text
    assert RESEARCHER[0] in listing and COMMITTEE[0] not in listing
    assert other_admin.get(f"/admin/users/{_user_id(app, COMMITTEE[0])}").status_code == 404
    assert other_admin.get(f"/admin/users/{researcher_id}").status_code == 200


def test_inviting_an_existing_account_adds_the_role_and_keeps_the_password(app, client):
    with app.app_context():
        session = db.session()
        other = Partnership(slug="other-lip", name="Other LIP")
        session.add(other)
        add_user(session, "known@example.org", "known person password", Role.RESEARCHER, other)
        db.commit()
    sign_in(client, *ADMIN)
    answer = _invite(client, "known@example.org", role="committee")
    assert "already had an account" in answer.text and "one-time-link" not in answer.text
    assert (
        sign_in(app.test_client(), "known@example.org", "known person password").status_code == 302
    )
    again = _invite(client, "known@example.org")
    assert again.status_code == 400 and "already has a role in this partnership" in again.text
    with app.app_context():
        demo = find_partnership(db.session(), DEMO_PARTNERSHIP[0])
        roles = {
            m.partnership_id: m.role
            for m in find_user(db.session(), "known@example.org").memberships
        }
        assert roles[demo.id] == Role.COMMITTEE


def test_only_admins_reach_user_management(app, client):
    for account in (RESEARCHER, COMMITTEE):
        person = app.test_client()
        sign_in(person, *account)
        assert person.get("/admin/users/").status_code == 403
    anonymous = app.test_client().get("/admin/users/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port, keeping what it receives."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:  # a free port (the controller checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def test_the_invitation_is_emailed_when_a_mail_server_is_set(app, client, smtp_server):
    port, received = smtp_server
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False, MAIL_FROM="lip@example.org"
    )
    sign_in(client, *ADMIN)
    answer = _invite(client, "mailed@example.org")
    assert "Consult emailed this one-time link to mailed@example.org" in answer.text
    link = _link(answer.text)
    assert len(received) == 1
    message = received[0]
    assert message["To"] == "mailed@example.org" and message["From"] == "lip@example.org"
    assert link in message.get_payload(decode=True).decode()


def test_a_mail_server_that_refuses_never_loses_the_link(app, client):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    sign_in(client, *ADMIN)
    answer = _invite(client, "unmailed@example.org")
    assert "could not be sent" in answer.text
    assert app.test_client().get(_link(answer.text)).status_code == 200


def test_every_change_is_logged_with_its_data(app, client):
    sign_in(client, *ADMIN)
    _invite(client, "logged@example.org", role="researcher")
    with app.app_context():
        event = db.session().scalar(select(AuditEvent).where(AuditEvent.action == "invite_user"))
        assert event.data == {"email": "logged@example.org", "role": "researcher", "method": "link"}
        assert event.partnership_id is not None and event.user_id == _user_id(app, ADMIN[0])
