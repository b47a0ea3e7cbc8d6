"""Problem codes of inventories and ballots, worded in the user's language."""

from __future__ import annotations

from flask_babel import gettext as _

from analysis.inventory import Problem
from analysis.priorities import BallotProblem


def inventory_problem(problem: Problem) -> str:
    """What is wrong with one cell, row or header of an inventory."""
    p = problem.params
    messages = {
        "empty_file": lambda: _(
            "The file is empty: it needs a header row and one row per service."
        ),
        "no_services": lambda: _("The file has a header row but no services."),
        "too_many_rows": lambda: _("The file has more than %(limit)s services.", limit=p["limit"]),
        "unknown_column": lambda: _(
            "Unknown column “%(column)s”. The columns are: %(known)s.",
            column=problem.column,
            known=p["known"],
        ),
        "duplicate_column": lambda: _(
            "The column “%(column)s” appears twice.", column=problem.column
        ),
        "missing_column": lambda: _("The column “%(column)s” is missing.", column=problem.column),
        "required": lambda: _("This cell is required."),
        "too_long": lambda: _("At most %(limit)s characters.", limit=p["limit"]),
        "unknown_language": lambda: _(
            "“%(value)s” is not a language Consult knows: write a code such as ar or fr, or a name "
            "such as Arabic or العربية.",
            value=p["value"],
        ),
        "unknown_theme": lambda: _(
            "“%(value)s” is not a theme of the codebook: write a theme key such as housing, or "
            "its name.",
            value=p["value"],
        ),
        "unknown_area": lambda: _(
            "“%(value)s” is not an area of the survey. Areas: %(known)s, or all.",
            value=p["value"],
            known=p["known"],
        ),
        "duplicate_service": lambda: _(
            "This organisation and service are already on row %(first)s.", first=p["first"]
        ),
        "service_exists": lambda: _("Another service of this organisation already has this name."),
    }
    return messages.get(problem.code, lambda: problem.code)()


def file_problem(code: str) -> str:
    """Why an uploaded file could not be read as a table."""
    if code == "encoding":
        return _("The file is not UTF-8 text. Save it as CSV UTF-8, or as XLSX.")
    if code == "empty":
        return _("The file is empty: it needs a header row and one row per service.")
    return _("The file could not be read. Upload a CSV or XLSX file.")


def ballot_problem(problem: BallotProblem, labels: dict[str, str]) -> str:
    """What is wrong with a ballot, naming the option concerned."""
    option = labels.get(problem.option or "", problem.option or "")
    messages = {
        "empty_ballot": lambda: _("Rank at least one option, or give it points."),
        "duplicate_rank": lambda: _(
            "Two options have the same place: %(option)s. Give each a different place.",
            option=option,
        ),
        "bad_rank": lambda: _("The place given to %(option)s is not possible.", option=option),
        "unknown_option": lambda: _("This round does not offer that option."),
        "negative_points": lambda: _("Points cannot be negative: %(option)s.", option=option),
        "over_budget": lambda: _("You gave more points than you have."),
        "not_a_number": lambda: _("Write a whole number of points for %(option)s.", option=option),
        "round_closed": lambda: _(
            "This round is closed: ballots can no longer be cast or changed."
        ),
    }
    return messages.get(problem.code, lambda: problem.code)()
