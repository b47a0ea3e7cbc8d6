"""The umbrella analyst's page, and the question bank as researchers see it.

Views stay thin: the figures come from :mod:`consult.umbrella.services`
(protected per partnership, pooled as sums of what is shown), the bank
from :mod:`forms.bank`.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from consult import db
from consult.auth.access import current_user, require_research, umbrella_partnerships
from consult.definitions import definition_of
from consult.i18n import current_language
from consult.umbrella import services
from consult.workspace import current_partnership_id
from forms.bank import load_bank, match_bank
from forms.model import localized

bp = Blueprint("umbrella", __name__)


@bp.app_context_processor
def _umbrella_navigation():
    return {"is_umbrella": lambda: bool(umbrella_partnerships())}


def wording(text) -> tuple[str, str]:
    """Bank wording in the reader's language: ``(words, lang)``, English standing in."""
    lang = current_language().code
    words, fell_back = localized(text, lang, "en")
    return words, ("en" if fell_back else lang)


@bp.route("/umbrella/")
def index():
    """Core indicators of the partnerships that share them with this analyst."""
    if current_user() is None:
        return redirect(url_for("auth.login", next=request.full_path))
    partnership_ids = umbrella_partnerships()
    if not partnership_ids:
        abort(403)
    view, changed = services.umbrella_view(db.session(), partnership_ids)
    if changed:
        db.commit()  # a release was made or re-derived (a respondent withdrew)
    return render_template("umbrella/index.html", view=view, bank=load_bank(), wording=wording)


@bp.route("/research/bank")
@require_research
def bank():
    """The shared question bank, and which questions of the partnership's surveys use it."""
    surveys = services.partnership_surveys(db.session(), current_partnership_id())
    matches = []
    for survey in surveys:
        if survey.current_version is not None:
            matches.append((survey, match_bank(definition_of(survey.current_version))))
    return render_template("umbrella/bank.html", bank=load_bank(), matches=matches, wording=wording)
