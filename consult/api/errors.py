"""JSON errors for the API: ``{"error": code, "message": words, "errors"?: {...}}``.

Every error under ``/api/`` is JSON, worded in the request's language;
``consult/errors.py`` sends HTTP errors of API paths here.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from consult.i18n import UI_LANGUAGES, normalise_code, use_language

API_PREFIX = "/api/"

_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "busy",
}


class ApiError(Exception):
    """An error answered as JSON: status, code, message and optional field errors."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        errors: dict[str, str] | None = None,
        **extra: object,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.extra = extra


def is_api_request() -> bool:
    """True when the current request is for the JSON API."""
    return request.path.startswith(API_PREFIX)


def api_language(allowed: tuple[str, ...] = UI_LANGUAGES) -> str | None:
    """``?lang=``, else the best Accept-Language, among ``allowed``; never the session."""
    chosen = normalise_code(request.args.get("lang"), allowed)
    if chosen:
        return chosen
    for value, _quality in request.accept_languages:
        match = normalise_code(value, allowed) or normalise_code(value.split("-")[0], allowed)
        if match:
            return match
        if value.lower().startswith("zh") and "zh-Hans" in allowed:
            return "zh-Hans"
    return None


def ensure_api_language() -> None:
    """Word this API request's messages in its language (without setting a cookie)."""
    if getattr(request, "_consult_lang", None) is None:
        use_language(api_language() or "en", remember=False)


def json_error(
    status: int,
    code: str,
    message: str,
    errors: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    **extra: object,
):
    """A JSON error response."""
    body: dict[str, object] = {"error": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def api_error(error: ApiError):
    """The response for an :class:`ApiError` raised by a view."""
    ensure_api_language()
    return json_error(error.status, error.code, error.message, error.errors, **error.extra)


def http_error(error: HTTPException):
    """Any HTTP error (404, 405, 413, 429, 500…) of an API path, as JSON."""
    ensure_api_language()
    status = error.code or 500
    messages = {
        400: _("The request could not be understood."),
        404: _("There is nothing at this address."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        415: _("Send the request body as JSON."),
        429: _("Too many requests. Please wait a minute and try again."),
        503: _("The service is busy. Please wait a moment and try again."),
    }
    message = messages.get(status, _("Something went wrong on our side."))
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 429:
        headers["Retry-After"] = "60"
    return json_error(status, _CODES.get(status, "server_error"), message, headers=headers)


def database_busy():
    """A busy database (SQLite lock timeout) as a JSON 503 with Retry-After."""
    ensure_api_language()
    message = _("The service is busy. Please wait a moment and try again.")
    return json_error(503, "busy", message, headers={"Retry-After": "5"})
