"""What a respondent's browser session holds, and how it leaves it.

A respondent is anonymous: the signed session cookie holds only the token of
each survey's draft, and after submitting, the reference just given (so the
"thank you" page and a focus-group sign-up can show or link it). On a shared
device (a library kiosk, an agency's tablet) the next person must not meet
it: the reference is kept for :data:`FINISHED_MINUTES` at most, and "Done"
on the thank-you page clears everything a respondent left
(:func:`forget_respondent`).
"""

from __future__ import annotations

import time

from flask import session

FINISHED_MINUTES = 30
"""How long after submitting the reference stays in the browser session."""

RESPONDENT_KEYS = ("drafts", "done", "focus_group_signup", "lang")
"""Everything a respondent's visit puts in the session."""


def draft_token(slug: str) -> str | None:
    """The token of this browser's draft of the survey, if any."""
    return session.get("drafts", {}).get(slug)


def remember_draft(slug: str, token: str) -> None:
    """Keep the draft's token, so the next page finds the draft."""
    session["drafts"] = {**session.get("drafts", {}), slug: token}


def forget_draft(slug: str) -> None:
    """Drop the survey's draft token (submitted, or gone)."""
    drafts = dict(session.get("drafts", {}))
    drafts.pop(slug, None)
    session["drafts"] = drafts


def remember_finished(slug: str, reference: str) -> None:
    """Keep the reference just given, for the thank-you page (for a while only)."""
    forget_draft(slug)
    session["done"] = {"slug": slug, "reference": reference, "at": int(time.time())}


def finished_reference(slug: str | None = None) -> str | None:
    """The reference this browser was given in the last :data:`FINISHED_MINUTES`
    (for the survey ``slug`` when given); an older one is dropped."""
    finished = session.get("done") or {}
    if not finished:
        return None
    if time.time() - finished.get("at", 0) > FINISHED_MINUTES * 60:
        session.pop("done", None)
        return None
    if slug is not None and finished.get("slug") != slug:
        return None
    return finished.get("reference")


def forget_respondent() -> None:
    """Clear everything a respondent's visit left in the session ("Done")."""
    for key in RESPONDENT_KEYS:
        session.pop(key, None)
