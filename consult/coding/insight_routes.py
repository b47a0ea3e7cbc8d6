"""Emerging themes among uncoded texts, and quotes researchers approve for committees."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from analysis.clusters import propose_clusters
from analysis.codebook import CodebookError, Theme, add_theme
from analysis.quotes import candidate_quotes, scrub_personal_details
from analysis.records import Evidence, ThemeMatch
from consult import db
from consult.auth import services as audit
from consult.auth.access import current_user, require_research, research_partnerships
from consult.coding import services
from consult.coding.codebook_routes import _check_csrf
from consult.coding.models import ApprovedQuote, TextUnitRow
from consult.i18n import current_language
from consult.security import bounded_int

bp = Blueprint("insight", __name__, url_prefix="/research")

MAX_UNITS_FOR_CLUSTERING = 5000


def _uncoded(pid: int) -> list[TextUnitRow]:
    units = (
        db.session()
        .scalars(
            select(TextUnitRow)
            .where(TextUnitRow.partnership_id == pid)
            .order_by(TextUnitRow.id.desc())
        )
        .all()
    )
    return [u for u in units if not services.effective_themes(u)][:MAX_UNITS_FOR_CLUSTERING]


@bp.route("/emerging")
@require_research
def emerging():
    pid = min(research_partnerships())
    units = {str(u.id): u for u in _uncoded(pid)}
    clusters = propose_clusters([services.as_record(u) for u in units.values()])
    return render_template(
        "coding/emerging.html",
        clusters=[
            (
                index,
                cluster,
                [units[i] for i in cluster.example_unit_ids],
                _main_language(cluster, units),
            )
            for index, cluster in enumerate(clusters)
        ],
        uncoded=len(units),
        error=request.args.get("error"),
    )


def _main_language(cluster, units) -> str:
    counts = Counter(units[i].language for i in cluster.unit_ids)
    return counts.most_common(1)[0][0] if counts else "en"


@bp.route("/emerging/theme", methods=["POST"])
@require_research
def make_theme():
    _check_csrf()
    pid = min(research_partnerships())
    codebook = services.current_codebook(db.session(), pid)
    key = request.form.get("key", "").strip().lower()[:60]
    label = request.form.get("label", "").strip()[:200]
    lang = request.form.get("language", "en")[:20]
    terms = [t.strip() for t in request.form.get("terms", "").split(",") if t.strip()][:20]
    try:
        new = add_theme(
            codebook, Theme(key=key, labels={"en": label or key}, patterns={lang: tuple(terms)})
        )
    except CodebookError:
        return redirect(url_for("insight.emerging", error="key"))
    user = current_user()
    services.save_codebook(
        db.session(), pid, new, user.id, f"new theme {key} from emerging cluster"
    )
    audit.record(
        db.session(), "codebook_edit", user_id=user.id, partnership_id=pid, detail=f"added {key}"
    )
    db.commit()
    return redirect(url_for("codebook.theme", key=key))


@bp.route("/quotes")
@require_research
def quotes():
    pid = min(research_partnerships())
    codebook = services.current_codebook(db.session(), pid)
    lang = current_language().code
    approved = (
        db.session()
        .scalars(
            select(ApprovedQuote)
            .where(ApprovedQuote.partnership_id == pid)
            .order_by(ApprovedQuote.theme)
        )
        .all()
    )
    taken = {(q.unit_id, q.theme) for q in approved}
    units = db.session().scalars(select(TextUnitRow).where(TextUnitRow.partnership_id == pid)).all()
    pairs = [
        (
            services.as_record(u),
            [ThemeMatch(t, _evidence(u, t)) for t in services.effective_themes(u)],
        )
        for u in units
    ]
    candidates = candidate_quotes(pairs, per_theme=5)
    return render_template(
        "coding/quotes.html",
        candidates={
            theme: [q for q in quotes_ if (int(q.unit_id), theme) not in taken]
            for theme, quotes_ in candidates.items()
        },
        approved=approved,
        theme_label=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
    )


def _evidence(unit: TextUnitRow, theme: str) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(start, end, matched, "")
        for code in unit.auto_codes
        if code.theme == theme
        for start, end, matched, _t in code.evidence
    )


@bp.route("/quotes/approve", methods=["POST"])
@require_research
def approve_quote():
    _check_csrf()
    pid = min(research_partnerships())
    unit = db.session().get(TextUnitRow, request.form.get("unit_id", type=bounded_int) or 0)
    theme = request.form.get("theme", "")
    if unit is None or unit.partnership_id != pid or theme not in services.effective_themes(unit):
        abort(400)
    text = scrub_personal_details(request.form.get("text", "")[:1000]).text.strip()
    if not text:
        abort(400)
    translation = request.form.get("translation", "").strip()[:1000] or None
    if translation:
        translation = scrub_personal_details(translation).text
    user = current_user()
    quote = db.session().scalar(
        select(ApprovedQuote).where(ApprovedQuote.unit_id == unit.id, ApprovedQuote.theme == theme)
    )
    if quote is None:  # approving twice (a double click) edits the same quote
        quote = ApprovedQuote(partnership_id=pid, unit_id=unit.id, theme=theme)
        db.session().add(quote)
    quote.text, quote.language, quote.translation = text, unit.language, translation
    quote.approved_by = user.id
    audit.record(db.session(), "approve_quote", user_id=user.id, partnership_id=pid, target=theme)
    db.commit()
    return redirect(url_for("insight.quotes"))


@bp.route("/quotes/<int:quote_id>/withdraw", methods=["POST"])
@require_research
def withdraw_quote(quote_id: int):
    _check_csrf()
    quote = db.session().get(ApprovedQuote, quote_id)
    if quote is None or quote.partnership_id not in research_partnerships():
        abort(404)
    db.session().delete(quote)
    db.commit()
    return redirect(url_for("insight.quotes"))
