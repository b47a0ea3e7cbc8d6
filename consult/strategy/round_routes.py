"""Researcher pages of priority rounds: open a round on a publication, follow it, close it.

Admins and researchers of the publication's partnership only; another
partnership's publication or round is a 404. Researchers see how many
ballots were cast, never a ballot; results appear when the round closes.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from analysis.priorities import DEFAULT_BUDGET, METHODS, POINTS
from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.auth.services import record
from consult.i18n import current_language
from consult.strategy import rounds
from consult.strategy.gapmap import area_titles, current_gap_map
from consult.strategy.models import PriorityRound, RoundStatus
from consult.strategy.views import results_context

bp = Blueprint("rounds", __name__, url_prefix="/research/rounds")

MAX_BUDGET = 1000
DEFAULT_CHECKED_THEMES = 8
DEFAULT_CHECKED_GAPS = 4


def _round_or_404(round_id: int) -> PriorityRound:
    found = rounds.round_for(db.session(), round_id, research_partnerships())
    if found is None:
        abort(404)
    return found


def _audit(action: str, row: PriorityRound, detail: str) -> None:
    record(
        db.session(),
        action,
        user_id=current_user().id,
        partnership_id=row.partnership_id,
        target=f"priority_round:{row.id}",
        detail=detail,
    )


@bp.route("/")
@require_research
def index():
    session, partnerships = db.session(), research_partnerships()
    found = rounds.rounds_of(session, partnerships)
    return render_template(
        "strategy/rounds.html",
        rounds=found,
        publications=rounds.publications_of(session, partnerships),
        ballots={r.id: rounds.ballots_cast(session, r) for r in found},
    )


@bp.route("/new/<int:publication_id>", methods=["GET", "POST"])
@require_research
def open_round(publication_id: int):
    session = db.session()
    publication = rounds.publication_for(session, publication_id, research_partnerships())
    if publication is None:
        abort(404)
    lang, wanted = current_language().code, request.values.get("area")
    report, area, gaps = current_gap_map(session, publication, lang, wanted)
    offered = rounds.offered_options(report, gaps)
    errors: dict[str, str] = {}
    if request.method == "POST":
        settings, errors = _settings(publication, area, [o.key for o in offered])
        if not errors:
            row = rounds.open_round(session, publication, settings, current_user().id)
            _audit("open_priority_round", row, row.title)
            db.commit()
            return redirect(url_for("rounds.manage", round_id=row.id))
    return render_template(
        "strategy/round_form.html",
        publication=publication,
        report=report,
        gaps=gaps,
        area=area,
        areas=area_titles(report),
        themes=[o for o in offered if o.kind == "theme"],
        gap_options=[o for o in offered if o.kind == "gap"],
        errors=errors,
        form=request.form if request.method == "POST" else None,
        defaults=_default_choices(offered),
        default_budget=DEFAULT_BUDGET,
    )


def _default_choices(offered) -> set[str]:
    themes = [o.key for o in offered if o.kind == "theme"][:DEFAULT_CHECKED_THEMES]
    gaps = [o.key for o in offered if o.kind == "gap"][:DEFAULT_CHECKED_GAPS]
    return set(themes + gaps)


def _settings(publication, area, offered: list[str]):
    errors = {}
    title = request.form.get("title", "").strip()[:200]
    if not title:
        errors["title"] = _("Give the round a title.")
    method = request.form.get("method", "")
    if method not in METHODS:
        errors["method"] = _("Choose how members vote.")
    budget = None
    if method == POINTS:
        budget = _whole_number(request.form.get("budget", ""))
        if budget is None or not 1 <= budget <= MAX_BUDGET:
            errors["budget"] = _(
                "Give a whole number of points from 1 to %(most)s.", most=MAX_BUDGET
            )
    chosen = tuple(k for k in request.form.getlist("options") if k in offered)
    if not 2 <= len(chosen) <= rounds.MAX_OPTIONS:
        errors["options"] = _("Choose between 2 and %(most)s options.", most=rounds.MAX_OPTIONS)
    return rounds.RoundSettings(title, method, budget, area, chosen), errors


def _whole_number(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


@bp.route("/<int:round_id>")
@require_research
def manage(round_id: int):
    row = _round_or_404(round_id)
    session = db.session()
    return render_template(
        "strategy/round_manage.html",
        row=row,
        ballots=rounds.ballots_cast(session, row),
        eligible=rounds.eligible_voters(session, row.partnership_id),
        **results_context(row, current_language().code),
    )


@bp.route("/<int:round_id>/close", methods=["POST"])
@require_research
def close(round_id: int):
    row = _round_or_404(round_id)
    if row.status == RoundStatus.OPEN:
        session = db.session()
        result = rounds.close_round(session, row)
        _audit("close_priority_round", row, f"{result.ballots} of {result.eligible} ballots")
        db.commit()
    return redirect(url_for("rounds.manage", round_id=row.id))
