"""Security headers on every response; requests carrying NUL characters are refused."""

from __future__ import annotations

import json

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


NUL = "\x00"


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _refuse_nul() -> None:
    """A NUL character cannot be typed in a browser and cannot be stored in PostgreSQL
    text: refuse it up front (400) on both backends rather than fail while storing."""
    if NUL in request.path or any(
        _has_nul(k) or _has_nul(v) for k, v in request.args.items(multi=True)
    ):
        _bad_request()
    if request.method in {"POST", "PUT", "PATCH"}:
        if request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            if any(_has_nul(k) or _has_nul(v) for k, v in request.form.items(multi=True)):
                _bad_request()
        elif request.is_json:
            raw = request.get_data(cache=True)
            if b"\\u0000" in raw or b"\x00" in raw:
                try:
                    parsed = json.loads(raw)
                except ValueError:
                    return  # not JSON: the view answers that
                if _has_nul(parsed):
                    _bad_request()


def _bad_request() -> None:
    from flask_babel import gettext as _

    from consult.api import errors as api_errors

    message = _("What you sent contains a character that is not allowed (NUL).")
    if api_errors.is_api_request():
        raise api_errors.ApiError(400, "bad_request", message)
    abort(400, description=message)


def init_app(app: Flask) -> None:
    """Refuse NUL characters; add the headers to every response."""
    app.before_request(_refuse_nul)
    app.after_request(_headers)
