"""Flask's signed-cookie sessions, with their serializer built once per secret key.

Flask builds a new ``URLSafeTimedSerializer`` for every request; building it
costs about as much as checking the cookie. The serializer holds no per-request
state, so one per secret key (and fallback keys) serves every request.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    """:class:`SecureCookieSessionInterface` that reuses its serializer."""

    def __init__(self) -> None:
        self._serializer: tuple[tuple, object] | None = None

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = self._serializer
        if cached is None or cached[0] != keys:
            cached = (keys, super().get_signing_serializer(app))
            self._serializer = cached
        return cached[1]
