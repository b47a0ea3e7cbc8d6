"""When the database is busy, give the respondent back what they typed.

A survey page POST that fails with a locked or unavailable database answers
503 with ``Retry-After``. The page shown is the same survey page, filled with
the posted values, so that pressing the button again re-sends everything; if
even reading the survey fails, a plain form echoes every posted field back.
"""

from __future__ import annotations

import contextlib

from flask import render_template, request

from consult import db
from consult.survey.page_state import page_state
from consult.survey.presenter import page_context

HIDDEN_FIELDS = ("csrf_token", "_shown", "action")


def is_survey_page_post() -> bool:
    """True for a POST of a survey page (the answers are in the request)."""
    return request.method == "POST" and request.endpoint == "survey.page"


def busy_survey_page(message: str) -> str:
    """The survey page again, filled from the POST; else a form echoing every field."""
    try:
        return _survey_page_again(message)
    except Exception:  # noqa: BLE001 - the database may be down; fall back to the echo form
        with contextlib.suppress(Exception):
            db.connection().rollback()
        return _echo_form(message)


def _survey_page_again(message: str) -> str:
    """The page the POST came from, read as its view reads it (:func:`page_state`)."""
    connection = db.connection()
    connection.rollback()
    arguments = request.view_args or {}
    state = page_state(connection, arguments.get("slug", ""), int(arguments.get("number", 1)))
    if state is None:
        return _echo_form(message)
    context = page_context(
        state.survey, state.definition, state.draft, state.pages, state.number, request.form, []
    )
    context["revealed"] = []
    context["busy_message"] = message
    return render_template("survey/page.html", **context)


def _echo_form(message: str) -> str:
    fields = [
        (key, value)
        for key in request.form
        if key not in HIDDEN_FIELDS and not key.startswith("_")
        for value in request.form.getlist(key)
    ]
    hidden = [
        (key, value)
        for key in request.form
        if key.startswith("_") and key not in HIDDEN_FIELDS[:1]
        for value in request.form.getlist(key)
    ]
    return render_template(
        "survey/busy.html", message=message, fields=fields, hidden=hidden, action=request.path
    )
