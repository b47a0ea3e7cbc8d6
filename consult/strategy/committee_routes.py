"""Committee pages: a publication's gap map, priority rounds, ballots and the strategy draft.

Any member of the owning partnership reads the gap map, a round and, once
it is closed, its results and draft; only its committee members vote.
Another partnership's publication or round is a 404. Pages work without
JavaScript: a ballot is one form of drop-downs or number fields.
"""

from __future__ import annotations

import base64
from functools import wraps

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from analysis.charts import to_svg
from analysis.priorities import RANK, BallotProblem, ranking_from_places
from analysis.trend_report import AUDIENCES
from consult import db
from consult.auth.access import current_user, partnership_roles
from consult.i18n import current_language, use_language
from consult.reports.comparisons import comparison_views
from consult.reports.routes import published_languages
from consult.strategy import rounds
from consult.strategy.draft import draft_of, draft_words, render_draft_html
from consult.strategy.draft_docx import render_draft_docx
from consult.strategy.draft_pdf import render_draft_pdf
from consult.strategy.gapmap import area_titles, current_gap_map, gap_charts, gap_texts, method_text
from consult.strategy.messages import ballot_problem
from consult.strategy.models import PriorityRound, RoundStatus
from consult.strategy.need import report_language
from consult.strategy.views import results_context

bp = Blueprint("priorities", __name__, url_prefix="/committee")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHOWN_GAPS = 10


def signed_in(view):
    """Send anonymous users to sign in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def _round_or_404(round_id: int) -> PriorityRound:
    found = rounds.round_for(db.session(), round_id, partnership_roles())
    if found is None:
        abort(404)
    return found


def _reading_language(publication) -> str:
    """``?lang=`` if the publication exists in it, else the reader's, else English."""
    wanted = request.args.get("lang") or current_language().code
    return report_language(publication, wanted)


@bp.route("/<int:publication_id>/gaps")
@signed_in
def gap_map(publication_id: int):
    session = db.session()
    publication = rounds.publication_for(session, publication_id, partnership_roles())
    if publication is None:
        abort(404)
    lang = _reading_language(publication)
    use_language(lang)
    report, area, gaps = current_gap_map(session, publication, lang, request.args.get("area"))
    charts = gap_charts(gaps, lang, report.base)
    images = {
        c.name: "data:image/svg+xml;base64," + base64.b64encode(to_svg(c)).decode() for c in charts
    }
    return render_template(
        "strategy/gap_map.html",
        publication=publication,
        report=report,
        gaps=gaps,
        largest=gaps.ranked[:SHOWN_GAPS],
        tables=list(zip(gaps.tables, charts, strict=True)),
        images=images,
        area=area,
        areas=area_titles(report),
        languages=published_languages(publication),
        texts=gap_texts(report.base),
        method=method_text(),
        comparisons=[v for v in comparison_views(report) if v.kind == AUDIENCES],
    )


@bp.route("/rounds/")
@signed_in
def round_index():
    return render_template(
        "strategy/committee_rounds.html",
        rounds=rounds.rounds_of(db.session(), partnership_roles()),
        publications=rounds.publications_of(db.session(), partnership_roles()),
    )


@bp.route("/rounds/<int:round_id>", methods=["GET", "POST"])
@signed_in
def ballot(round_id: int):
    row = _round_or_404(round_id)
    user, session = current_user(), db.session()
    voter = rounds.may_vote(partnership_roles(), row)
    context = results_context(row, current_language().code)
    keys = [o.key for o in context["options"]]
    problems: list[BallotProblem] = []
    typed = None
    if request.method == "POST":
        if not voter:
            abort(403)
        typed = _typed(keys)
        choices, problems = _ballot_from(row, keys, typed)
        if not problems:
            problems = rounds.cast(session, row, user.id, choices)
        if not problems:
            db.commit()
            return redirect(url_for("priorities.ballot", round_id=row.id, saved=1))
    own = rounds.ballot_of(session, row, user.id) if voter else None
    return render_template(
        "strategy/ballot.html",
        row=row,
        voter=voter,
        current=typed if typed is not None else _as_fields(row, own.choices if own else None),
        errors=[ballot_problem(p, context["labels"]) for p in problems],
        saved=request.args.get("saved") == "1" and own is not None,
        has_ballot=own is not None,
        ballots=rounds.ballots_cast(session, row),
        eligible=rounds.eligible_voters(session, row.partnership_id),
        **context,
    )


def _typed(keys: list[str]) -> dict[str, str]:
    """What the member wrote or chose for each option (fields ``option-1`` … in option order)."""
    return {key: request.form.get(f"option-{i}", "").strip() for i, key in enumerate(keys, 1)}


def _ballot_from(row: PriorityRound, keys: list[str], typed: dict[str, str]):
    """A ranking (places to order) or points by option, and the problems found on the way."""
    problems: list[BallotProblem] = []
    values: dict[str, int | None] = {}
    for key in keys:
        try:
            values[key] = int(typed[key]) if typed[key] else None
        except ValueError:  # int() reads every script's digits (Arabic-Indic, Persian …)
            values[key] = None
            problems.append(
                BallotProblem("bad_rank" if row.method == RANK else "not_a_number", key)
            )
    if row.method == RANK:
        ranking, found = ranking_from_places(values, keys)
        return ranking, problems + found
    return {k: v for k, v in values.items() if v}, problems


def _as_fields(row: PriorityRound, choices) -> dict[str, str]:
    """What each option's field shows for a stored ballot: its place or its points."""
    if not choices:
        return {}
    if row.method == RANK:
        return {key: str(place) for place, key in enumerate(choices, start=1)}
    return {key: str(points) for key, points in choices.items()}


@bp.route("/rounds/<int:round_id>/strategy.<kind>")
@signed_in
def draft(round_id: int, kind: str):
    row = _round_or_404(round_id)
    if kind not in {"html", "pdf", "docx"}:
        abort(404)
    if row.status != RoundStatus.CLOSED:
        return Response(_("The draft exists once the round is closed."), status=409)
    built = draft_of(row, _reading_language(row.publication))
    name = f"strategy-{row.id}-{built.language}.{kind}"
    if kind == "html":
        body, mimetype = render_draft_html(row, built), "text/html"
    elif kind == "pdf":
        body, mimetype = render_draft_pdf(built, draft_words(row, built)), "application/pdf"
    else:
        body, mimetype = render_draft_docx(built, draft_words(row, built)), DOCX
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
