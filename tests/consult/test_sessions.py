"""The cookie session's serializer is reused, but follows the secret key."""

from flask import session

from consult.sessions import CookieSessions


def _remember_and_read(app):
    @app.route("/_test/remember")
    def remember():
        session["seen"] = "yes"
        return "ok"

    @app.route("/_test/read")
    def read():
        return session.get("seen", "nothing")


def test_sessions_survive_requests_and_follow_a_new_secret_key(app):
    assert isinstance(app.session_interface, CookieSessions)
    _remember_and_read(app)
    client = app.test_client()
    client.get("/_test/remember")
    assert client.get("/_test/read").text == "yes"
    assert client.get("/_test/read").text == "yes"  # the reused serializer still reads it
    app.secret_key = "a-rotated-secret"
    assert client.get("/_test/read").text == "nothing"  # signed with the old key
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret"]
    assert client.get("/_test/read").text == "yes"  # the old key is accepted as a fallback
