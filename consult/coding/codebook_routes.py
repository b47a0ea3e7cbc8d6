"""Editing the codebook: labels, definitions, patterns per language, add, merge, split.

Every saved edit is a new codebook version; units are recoded with
``consult recode`` (or the button here for small partnerships).
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from analysis.codebook import (
    CodebookError,
    Theme,
    add_theme,
    default_codebook,
    merge_themes,
    split_theme,
)
from consult import db
from consult.auth import services as audit
from consult.auth.access import current_user, require_research
from consult.coding import learning, services
from consult.coding.quality_words import theme_words
from consult.i18n import UI_LANGUAGES, current_language, language
from consult.workspace import current_partnership_id

bp = Blueprint("codebook", __name__, url_prefix="/research/codebook")

DEFAULT_KEYS = frozenset(default_codebook().keys)
MAX_PATTERNS_TEXT = 20_000


def _partnership_id() -> int:
    return current_partnership_id()


@bp.route("/")
@require_research
def index():
    pid = _partnership_id()
    codebook = services.current_codebook(db.session(), pid)
    lang = current_language().code
    training = learning.latest_training(db.session(), pid)
    return render_template(
        "coding/codebook.html",
        codebook=codebook,
        training=training,
        quality=_quality(training, codebook, lang),
        versions=services.codebook_history(db.session(), pid),
        lang=lang,
        default_keys=DEFAULT_KEYS,
        error=request.args.get("error"),
    )


def _quality(training, codebook, lang):
    """Each theme's precision and recall in words (``[]`` before any training)."""
    if training is None:
        return []
    estimates = learning.estimates(training)
    return [theme_words(estimates.get(t.key), t.key, t.label(lang)) for t in codebook.themes]


@bp.route("/themes/<key>", methods=["GET", "POST"])
@require_research
def theme(key: str):
    pid = _partnership_id()
    codebook = services.current_codebook(db.session(), pid)
    if key not in codebook:
        abort(404)
    current = codebook.theme(key)
    errors: dict[str, str] = {}
    values = _theme_values(current)
    if request.method == "POST":
        values = _posted_theme_values()
        edited, errors = _apply_theme_edit(current, values)
        if not errors:
            new = _next_version(codebook, [edited if t.key == key else t for t in codebook.themes])
            _save(pid, new, f"edited {key}")
            return redirect(url_for("codebook.index"))
    return render_template(
        "coding/theme.html",
        theme=current,
        values=values,
        errors=errors,
        languages=[language(code) for code in UI_LANGUAGES],
    )


def _theme_values(theme: Theme) -> dict[str, str]:
    values = {}
    for code in UI_LANGUAGES:
        values[f"label_{code}"] = theme.labels.get(code, "")
        values[f"definition_{code}"] = theme.definitions.get(code, "")
        values[f"patterns_{code}"] = "\n".join(theme.patterns.get(code, ()))
    return values


def _posted_theme_values() -> dict[str, str]:
    return {
        name: request.form.get(name, "")[:MAX_PATTERNS_TEXT]
        for code in UI_LANGUAGES
        for name in (f"label_{code}", f"definition_{code}", f"patterns_{code}")
    }


def _apply_theme_edit(theme: Theme, values: dict[str, str]):
    labels = {c: values[f"label_{c}"].strip() for c in UI_LANGUAGES if values[f"label_{c}"].strip()}
    definitions = {
        c: values[f"definition_{c}"].strip()
        for c in UI_LANGUAGES
        if values[f"definition_{c}"].strip()
    }
    patterns = {
        c: tuple(line.strip() for line in values[f"patterns_{c}"].splitlines() if line.strip())
        for c in UI_LANGUAGES
    }
    errors = {}
    if not labels.get("en"):
        errors["label_en"] = _("Give the theme an English label.")
    try:
        edited = replace(
            theme,
            labels=labels,
            definitions=definitions,
            patterns={c: p for c, p in patterns.items() if p},
        )
    except CodebookError as error:
        lang = next((c for c, p in patterns.items() if error.params.get("pattern") in p), "en")
        errors[f"patterns_{lang}"] = _(
            "This pattern is not valid: %(pattern)s", pattern=error.params.get("pattern", "")
        )
        edited = theme
    return edited, errors


def _next_version(codebook, themes):
    return replace(codebook, version=codebook.version + 1, themes=tuple(themes))


def _save(pid: int, codebook, note: str) -> None:
    user = current_user()
    services.save_codebook(db.session(), pid, codebook, user.id, note)
    audit.record(db.session(), "codebook_edit", user_id=user.id, partnership_id=pid, detail=note)
    db.commit()


@bp.route("/add", methods=["POST"])
@require_research
def add():
    pid = _partnership_id()
    codebook = services.current_codebook(db.session(), pid)
    key = request.form.get("key", "").strip().lower()[:60]
    label = request.form.get("label", "").strip()[:200]
    patterns = tuple(p.strip() for p in request.form.get("patterns", "").split(",") if p.strip())
    lang = request.form.get("language", "en")
    if lang not in UI_LANGUAGES or not label:
        return redirect(url_for("codebook.index", error="add"))
    try:
        new = add_theme(codebook, Theme(key=key, labels={"en": label}, patterns={lang: patterns}))
    except CodebookError:
        return redirect(url_for("codebook.index", error="key"))
    _save(pid, new, f"added {key}")
    return redirect(url_for("codebook.index"))


@bp.route("/merge", methods=["POST"])
@require_research
def merge():
    pid = _partnership_id()
    codebook = services.current_codebook(db.session(), pid)
    keys = [k for k in request.form.getlist("keys") if k in codebook]
    into = request.form.get("into", "")
    if into not in keys or any(k in DEFAULT_KEYS and k != into for k in keys):
        return redirect(url_for("codebook.index", error="merge"))
    try:
        new = merge_themes(codebook, keys, into)
    except CodebookError:
        return redirect(url_for("codebook.index", error="merge"))
    _save(pid, new, f"merged {', '.join(keys)} into {into}")
    return redirect(url_for("codebook.index"))


@bp.route("/split", methods=["POST"])
@require_research
def split():
    pid = _partnership_id()
    codebook = services.current_codebook(db.session(), pid)
    key = request.form.get("key", "")
    new_key = request.form.get("new_key", "").strip().lower()[:60]
    label = request.form.get("label", "").strip()[:200]
    lang = request.form.get("language", "en")
    moved = tuple(p.strip() for p in request.form.get("patterns", "").split(",") if p.strip())
    if key not in codebook or not label or lang not in UI_LANGUAGES or not moved:
        return redirect(url_for("codebook.index", error="split"))
    try:
        part = Theme(key=new_key, labels={"en": label}, patterns={lang: moved})
        new = split_theme(codebook, key, [part])
    except CodebookError:
        return redirect(url_for("codebook.index", error="split"))
    _save(pid, new, f"split {new_key} from {key}")
    return redirect(url_for("codebook.index"))
