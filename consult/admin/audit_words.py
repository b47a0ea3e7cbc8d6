"""The audit log in words: each event as a sentence in the reader's language.

An event is stored with an action code (``approve_quote``), a target and a
detail written when it happened (``housing unit 12``; ``format=xlsx rows=40``;
``draft -> open``), and, for events written since the structured column
exists, ``data`` (``{"theme": "housing", "count": 3}``). :func:`describe`
reads whichever the event has and says what happened, as the rest of a
sentence whose subject is the person in the log's "Who" column ("approved a
quote for Housing", "exported 40 responses of needs-2026 as XLSX"), with
plurals from the catalogue (``ngettext``). An action it does not know is
shown as its code with the stored detail, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.workspace import role_label

ThemeLabel = Callable[[int | None, str], str]
"""(partnership id, theme key) -> the theme's label in the reader's language."""


@dataclass(frozen=True)
class Event:
    """What :func:`describe` reads of an audit event."""

    action: str
    target: str
    detail: str
    partnership_id: int | None = None
    data: Mapping | None = None


def action_names() -> dict[str, str]:
    """Every known action, as the filter on the audit log names it."""
    return {
        "sign_in": _("Sign-ins"),
        "sign_in_failed": _("Failed sign-ins"),
        "sign_out": _("Sign-outs"),
        "view_response": _("Views of a response"),
        "export_responses": _("Exports"),
        "import_survey": _("Survey imports"),
        "survey_status": _("Surveys opened or closed"),
        "allow_language": _("Languages offered"),
        "disallow_language": _("Languages withdrawn"),
        "publish_summary": _("Publications"),
        "approve_quote": _("Quotes approved"),
        "approve_quote_override": _("Quotes approved despite flags"),
        "codebook_edit": _("Codebook edits"),
        "retention_change": _("Retention changes"),
        "contact_change": _("Contact details of the partnership"),
        "retention_delete_responses": _("Responses deleted by retention"),
        "retention_delete_contacts": _("Contacts deleted by retention"),
        "retention_delete_drafts": _("Drafts deleted by retention"),
        "purge_contacts": _("Contacts deleted by retention"),
        "role_change": _("Role changes"),
        "focus_group_create": _("Focus-group sessions created"),
        "focus_group_update": _("Focus-group sessions changed"),
        "delete_contact": _("Contacts deleted"),
        "export_contacts": _("Contact lists exported"),
        "invite_user": _("Invitations"),
        "remove_member": _("People removed from a partnership"),
        "deactivate_user": _("Accounts deactivated"),
        "reactivate_user": _("Accounts reactivated"),
        "reset_password": _("Password resets"),
        "archive_survey": _("Surveys archived"),
        "unarchive_survey": _("Surveys brought back from the archive"),
        "delete_survey": _("Surveys deleted"),
        "update_summary": _("Publications updated"),
        "open_priority_round": _("Priority rounds opened"),
        "close_priority_round": _("Priority rounds closed"),
        "import_services": _("Service inventory imports"),
        "edit_service": _("Services edited"),
        "delete_service": _("Services deleted"),
        "export_services": _("Service inventory exports"),
        "bulk_review": _("Codes reviewed in bulk"),
        "undo_bulk_review": _("Bulk reviews undone"),
        "accept_invitation": _("Invitations accepted"),
        "change_password": _("Password changes"),
        "umbrella_share": _("Core indicators shared with umbrella analysts"),
        "umbrella_update": _("Core indicators updated for umbrella analysts"),
        "umbrella_stop": _("Sharing of core indicators stopped"),
    }


def action_name(action: str) -> str:
    """The action in words, or its code when unknown."""
    return action_names().get(action, action)


def describe(event: Event, theme_label: ThemeLabel) -> str:
    """What happened, as the predicate of a sentence whose subject is the actor."""
    wording = _WORDING.get(event.action)
    if wording is not None:
        try:
            return wording(event, theme_label)
        except (KeyError, ValueError, TypeError):
            pass  # an older entry written differently: fall back to code and detail
    return " — ".join(part for part in (event.action, event.target, event.detail) if part)


def _number(text: str, pattern: str) -> int:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(text)
    return int(match.group(1))


def _field(detail: str, name: str) -> str:
    """``xlsx`` from ``format=xlsx rows=40`` for ``name="format"``."""
    match = re.search(rf"(?:^|\s){re.escape(name)}=(\S+)", detail)
    if match is None:
        raise ValueError(detail)
    return match.group(1)


def _days(value: str) -> str:
    if value in {"none", "None", ""}:
        return _("until deleted by hand")
    days = int(value)
    return ngettext("%(num)d day", "%(num)d days", days)


_SETTING_NAMES = {
    "response_retention_days": lambda: _("survey responses"),
    "contact_retention_days": lambda: _("focus-group contact details"),
}


def _retention_change(event: Event, _label: ThemeLabel) -> str:
    parts = []
    for change in event.detail.split(";"):
        name, _colon, values = change.strip().partition(":")
        old, _arrow, new = values.strip().partition("->")
        parts.append(
            _(
                "kept %(what)s for %(new)s instead of %(old)s",
                what=_SETTING_NAMES[name.strip()](),
                new=_days(new.strip()),
                old=_days(old.strip()),
            )
        )
    return "; ".join(parts)


def _survey_status(event: Event, _label: ThemeLabel) -> str:
    old, _arrow, new = event.detail.partition(" -> ")
    if new.strip() == "open":
        return _("opened the survey %(survey)s", survey=event.target)
    if new.strip() == "closed":
        return _("closed the survey %(survey)s", survey=event.target)
    return _("changed the status of the survey %(survey)s", survey=event.target)


def _theme_of(event: Event, label: ThemeLabel) -> str:
    data = event.data or {}
    key = data.get("theme") or event.target.split(" unit ")[0]
    return label(event.partnership_id, key)


def _export(event: Event, _label: ThemeLabel) -> str:
    rows = int(_field(event.detail, "rows"))
    file_format = _field(event.detail, "format").upper()
    return ngettext(
        "exported %(num)d row of %(survey)s as %(format)s",
        "exported %(num)d rows of %(survey)s as %(format)s",
        rows,
        survey=event.target,
        format=file_format,
    )


def _count(event: Event) -> int:
    data = event.data or {}
    if "count" in data:
        return int(data["count"])
    return _number(event.detail, r"(\d+)")


_WORDING: dict[str, Callable[[Event, ThemeLabel], str]] = {
    "umbrella_share": lambda e, t: _(
        "shared the core indicators of %(partnership)s with umbrella analysts", partnership=e.target
    ),
    "umbrella_update": lambda e, t: _(
        "updated the core indicators of %(partnership)s shared with umbrella analysts",
        partnership=e.target,
    ),
    "umbrella_stop": lambda e, t: _(
        "stopped sharing the core indicators of %(partnership)s with umbrella analysts",
        partnership=e.target,
    ),
    "sign_in": lambda e, t: _("signed in"),
    "sign_in_failed": lambda e, t: _("failed to sign in as %(email)s", email=e.target),
    "sign_out": lambda e, t: _("signed out"),
    "view_response": lambda e, t: _("opened the response %(reference)s", reference=e.target),
    "export_responses": _export,
    "import_survey": lambda e, t: _("imported the survey %(survey)s", survey=e.target),
    "survey_status": _survey_status,
    "allow_language": lambda e, t: _(
        "offered %(language)s on %(survey)s before its translation was complete",
        language=e.detail,
        survey=e.target,
    ),
    "disallow_language": lambda e, t: _(
        "stopped offering %(language)s on %(survey)s", language=e.detail, survey=e.target
    ),
    "publish_summary": lambda e, t: _("published the summary “%(title)s”", title=e.detail),
    "approve_quote": lambda e, t: _("approved a quote for %(theme)s", theme=_theme_of(e, t)),
    "approve_quote_override": lambda e, t: _(
        "approved a quote for %(theme)s despite unresolved flags", theme=_theme_of(e, t)
    ),
    "codebook_edit": lambda e, t: (
        _("edited the codebook (%(note)s)", note=e.detail) if e.detail else _("edited the codebook")
    ),
    "retention_change": _retention_change,
    "contact_change": lambda e, t: _("changed how newcomers reach the partnership"),
    "retention_delete_responses": lambda e, t: ngettext(
        "deleted %(num)d response past its retention period",
        "deleted %(num)d responses past their retention period",
        _count(e),
    ),
    "retention_delete_contacts": lambda e, t: ngettext(
        "deleted %(num)d focus-group contact past its retention period",
        "deleted %(num)d focus-group contacts past their retention period",
        _count(e),
    ),
    "purge_contacts": lambda e, t: ngettext(
        "deleted %(num)d focus-group contact past its retention period",
        "deleted %(num)d focus-group contacts past their retention period",
        _count(e),
    ),
    "retention_delete_drafts": lambda e, t: ngettext(
        "deleted %(num)d expired draft", "deleted %(num)d expired drafts", _count(e)
    ),
    "role_change": lambda e, t: _role_change(e),
    "invite_user": lambda e, t: _invite(e),
    "remove_member": lambda e, t: _("removed %(email)s from the partnership", email=e.target),
    "deactivate_user": lambda e, t: _("deactivated the account of %(email)s", email=e.target),
    "reactivate_user": lambda e, t: _("let %(email)s sign in again", email=e.target),
    "reset_password": lambda e, t: (
        _("gave %(email)s a temporary password", email=e.target)
        if (e.data or {}).get("method") == "password"
        else _("gave %(email)s a new one-time link", email=e.target)
    ),
    "accept_invitation": lambda e, t: _("chose a password with a one-time link"),
    "change_password": lambda e, t: _("changed their password"),
    "archive_survey": lambda e, t: _("archived the survey %(survey)s", survey=e.target),
    "unarchive_survey": lambda e, t: _(
        "brought the survey %(survey)s back from the archive", survey=e.target
    ),
    "delete_survey": lambda e, t: _("deleted the survey %(survey)s", survey=e.target),
    "update_summary": lambda e, t: _("updated the summary “%(title)s”", title=e.detail),
    "open_priority_round": lambda e, t: _("opened the priority round “%(title)s”", title=e.detail),
    "close_priority_round": lambda e, t: _close_round(e),
    "import_services": lambda e, t: _(
        "imported the service inventory from %(file)s: %(added)s added, %(updated)s updated",
        file=e.target,
        added=_number(e.detail, r"added (\d+)"),
        updated=_number(e.detail, r"updated (\d+)"),
    ),
    "edit_service": lambda e, t: _("saved the service “%(name)s”", name=e.detail),
    "delete_service": lambda e, t: _("deleted the service “%(name)s”", name=e.detail),
    "export_services": lambda e, t: _(
        "exported the service inventory as %(format)s", format=e.target.upper()
    ),
    "bulk_review": lambda e, t: _bulk_review(e, t),
    "undo_bulk_review": lambda e, t: ngettext(
        "took back the decision on %(theme)s for %(num)d text",
        "took back the decisions on %(theme)s for %(num)d texts",
        _count(e),
        theme=_theme_of(e, t),
    ),
    "focus_group_create": lambda e, t: _(
        "created the focus-group session “%(title)s”", title=e.detail
    ),
    "focus_group_update": lambda e, t: _("changed a focus-group session"),
    "delete_contact": lambda e, t: _("deleted the contact details of a focus-group sign-up"),
    "export_contacts": lambda e, t: ngettext(
        "exported the contact list of a focus-group session (%(num)d sign-up)",
        "exported the contact list of a focus-group session (%(num)d sign-ups)",
        _count(e),
    ),
}


def _role_change(event: Event) -> str:
    data = event.data or {}
    role = data.get("role") or event.detail
    if data.get("old"):
        return _(
            "changed the role of %(email)s from %(old)s to %(new)s",
            email=event.target,
            old=role_label(data["old"]),
            new=role_label(role),
        )
    return _("gave %(email)s the role %(role)s", email=event.target, role=role_label(role))


def _invite(event: Event) -> str:
    data = event.data or {}
    role = role_label(data["role"])
    method = data.get("method")
    if method == "password":
        return _(
            "created an account for %(email)s as %(role)s, with a temporary password",
            email=event.target,
            role=role,
        )
    if method == "link":
        return _(
            "invited %(email)s as %(role)s with a one-time link", email=event.target, role=role
        )
    return _(
        "gave %(email)s, who already had an account, the role %(role)s",
        email=event.target,
        role=role,
    )


def _close_round(event: Event) -> str:
    ballots = _number(event.detail, r"(\d+) of")
    eligible = _number(event.detail, r"of (\d+)")
    return ngettext(
        "closed a priority round: %(num)d ballot of %(eligible)d",
        "closed a priority round: %(num)d ballots of %(eligible)d",
        ballots,
        eligible=eligible,
    )


def _bulk_review(event: Event, label: ThemeLabel) -> str:
    theme, count = _theme_of(event, label), _count(event)
    if (event.data or {}).get("present"):
        return ngettext(
            "confirmed %(theme)s on %(num)d text at once",
            "confirmed %(theme)s on %(num)d texts at once",
            count,
            theme=theme,
        )
    return ngettext(
        "rejected %(theme)s on %(num)d text at once",
        "rejected %(theme)s on %(num)d texts at once",
        count,
        theme=theme,
    )
