"""Security headers on every response; requests carrying NUL characters are refused;
ids in URLs stay within the database's range; proxies are trusted only when configured."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask, Response, abort, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
"""The largest value of an ``Integer`` column on PostgreSQL (SQLite allows more)."""


def bounded_int(value: str) -> int:
    """A number from a query string or form within 0 to :data:`MAX_ID`; ``ValueError``
    otherwise. Pass as ``type=`` to ``request.args.get``, which then gives the default."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"out of range: {value}")
    return number


class IdConverter(IntegerConverter):
    """``<int:...>`` for ids and page numbers: 0 to :data:`MAX_ID`, or no match (404).

    Werkzeug's own converter accepts any number of digits, and a value the
    database cannot hold made the query fail (500) instead of finding nothing.
    """

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max=MAX_ID):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max)


def local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site (``/research/?page=2``), else ``None``:
    a "next" or "back" address taken from a request never leads elsewhere."""
    if target and target.startswith("/") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return None


def without_query(target: str, *names: str) -> str:
    """``target`` with the query parameters ``names`` left out."""
    parts = urlsplit(target)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in names]
    return urlunsplit(parts._replace(query=urlencode(kept)))


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
    if current_app.config.get("PRODUCTION"):
        # Browsers heed it only over HTTPS, and production serves nothing else.
        seconds = current_app.config["HSTS_SECONDS"]
        response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}")
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


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, take the client's address and
    scheme from the ``X-Forwarded-For`` and ``X-Forwarded-Proto`` values those
    proxies appended (Werkzeug's ``ProxyFix``), so that rate limits key on the
    client rather than on the proxy. 0 (the default) trusts no such header."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def init_app(app: Flask) -> None:
    """Bounded ids in URLs; trusted proxies; refuse NUL characters; headers on every
    response. Call before any blueprint is registered (converters bind then)."""
    app.url_map.converters["int"] = IdConverter
    trust_proxies(app)
    app.before_request(_refuse_nul)
    app.after_request(_headers)
