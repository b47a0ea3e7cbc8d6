"""Emerging themes among uncoded texts, and quotes researchers approve for committees."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, redirect, render_template, request, url_for

from analysis.clusters import propose_clusters
from analysis.codebook import CodebookError, Theme, add_theme
from analysis.quotes import marked_segments
from consult import db
from consult.auth import services as audit
from consult.auth.access import current_user, require_research, research_partnerships
from consult.coding import queries, quote_words, services
from consult.coding import quotes as quote_services
from consult.coding.models import TextUnitRow
from consult.i18n import current_language
from consult.security import bounded_int
from consult.workspace import current_partnership_id

bp = Blueprint("insight", __name__, url_prefix="/research")

MAX_UNITS_FOR_CLUSTERING = 5000


def _uncoded(pid: int) -> list[TextUnitRow]:
    units = queries.latest_units(db.session(), pid)
    return [u for u in units if not services.effective_themes(u)][:MAX_UNITS_FOR_CLUSTERING]


@bp.route("/emerging")
@require_research
def emerging():
    pid = current_partnership_id()
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
    pid = current_partnership_id()
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
    pid = current_partnership_id()
    candidates = quote_services.candidates(db.session(), pid)
    shown = [int(q.unit_id) for quotes in candidates.values() for q in quotes]
    return render_template(
        "coding/quotes.html",
        candidates=candidates,
        originals=quote_services.originals_with_passages(db.session(), pid, shown),
        approved=quote_services.approved(db.session(), pid),
        **_quote_words(pid),
    )


def _quote_words(pid: int) -> dict:
    codebook = services.current_codebook(db.session(), pid)
    lang = current_language().code
    return {
        "theme_label": lambda key: codebook.theme(key).label(lang) if key in codebook else key,
        "kind_label": quote_words.kind_label,
        "reason_label": quote_words.reason_label,
        "segments": marked_segments,
    }


@bp.route("/quotes/approve", methods=["POST"])
@require_research
def approve_quote():
    """Approve a quote once every flag is generalised or kept, or with an override (audited).

    "Apply and preview" shows the quote with the choices applied, without approving.
    """
    pid = current_partnership_id()
    theme = request.form.get("theme", "")
    unit = quote_services.approvable_unit(
        db.session(), pid, request.form.get("unit_id", type=bounded_int) or 0, theme
    )
    text = request.form.get("text", "")[:1000]
    if unit is None or not text.strip():
        abort(400)
    translation = request.form.get("translation", "").strip()[:1000] or None
    choices = {
        key.removeprefix("resolve:"): value
        for key, value in request.form.items()
        if key.startswith("resolve:")
    }
    submitted = quote_services.review(db.session(), unit, text, translation, choices)
    override = request.form.get("override") == "1"
    preview = "preview" in request.form
    if preview or (submitted.unresolved and not override):
        return _review_page(unit, theme, submitted, choices, preview), 200 if preview else 422
    quote_services.approve(db.session(), unit, theme, submitted, current_user().id, override)
    db.commit()
    return redirect(url_for("insight.quotes") + f"#q-{theme}")  # back where the quote was


def _review_page(unit, theme: str, submitted, choices, preview: bool) -> str:
    """The one quote again, with what was typed, the choices made and what is left."""
    shown = submitted.quote if preview else None
    return render_template(
        "coding/quote_review.html",
        unit=unit,
        theme=theme,
        text=shown.text if shown else request.form.get("text", "")[:1000],
        translation=(
            submitted.translation.text
            if preview and submitted.translation
            else request.form.get("translation", "")[:1000]
        ),
        flags=[f for f in submitted.flags if not (preview and f in submitted.quote.generalised)],
        removed=submitted.quote.removed,
        unresolved=() if preview else submitted.unresolved,
        choices=choices,
        original=quote_services.originals_with_passages(
            db.session(), unit.partnership_id, [unit.id]
        ).get(unit.id, unit.text),
        **_quote_words(unit.partnership_id),
    )


@bp.route("/quotes/<int:quote_id>/withdraw", methods=["POST"])
@require_research
def withdraw_quote(quote_id: int):
    if not quote_services.withdraw(db.session(), research_partnerships(), quote_id):
        abort(404)
    db.commit()
    return redirect(url_for("insight.quotes"))
