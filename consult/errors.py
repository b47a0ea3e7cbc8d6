"""Error pages in the user's language; a busy database is a 503 with Retry-After."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from consult.api import errors as api_errors
from consult.survey import busy
from forms.budget import BudgetExceeded, end_budget, start_budget


def _page(status: int, title: str, message: str, headers: dict | None = None):
    body = render_template("error.html", status=status, title=title, message=message)
    return body, status, headers or {}


def _http_error(error: HTTPException):
    if api_errors.is_api_request():
        return api_errors.http_error(error)
    titles = {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        409: _("This survey is not open."),
        413: _("What you sent is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
    }
    title = titles.get(error.code or 500, _("Something went wrong."))
    return _page(error.code or 500, title, "")


def _csrf_error(error: CSRFError):
    message = _("Your page was open for too long or was sent twice. Please try again.")
    return _page(400, _("The form could not be sent."), message)


def _database_busy(error: OperationalError):
    if api_errors.is_api_request():
        return api_errors.database_busy()
    message = _("The service is busy. Please wait a moment and send the page again.")
    if busy.is_survey_page_post():
        return busy.busy_survey_page(message), 503, {"Retry-After": "5"}
    return _page(503, _("Please try again."), message, {"Retry-After": "5"})


def _start_budget() -> None:
    """One budget of expression work per request (``forms.budget``)."""
    config = current_app.config
    g.expression_budget = start_budget(
        config["EXPRESSION_BUDGET_STEPS"], config["EXPRESSION_BUDGET_MS"] / 1000
    )


def _end_budget(_error: BaseException | None = None) -> None:
    token = g.pop("expression_budget", None)
    if token is not None:
        end_budget(token)


def _too_complex(error: BudgetExceeded):
    """A form whose checks need more work than a request may do: 422, nothing lost."""
    message = _(
        "This survey's checks need more work than the server allows for one page. "
        "The answers on this page were not saved; please tell the survey's organisers."
    )
    if api_errors.is_api_request():
        return api_errors.api_error(api_errors.ApiError(422, "too_complex", message))
    return _page(422, _("This survey is too complex to check."), message)


def init_app(app: Flask) -> None:
    """Register the error handlers and the per-request expression budget."""
    app.before_request(_start_budget)
    app.teardown_request(_end_budget)
    app.register_error_handler(BudgetExceeded, _too_complex)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_busy)
    app.register_error_handler(api_errors.ApiError, api_errors.api_error)
