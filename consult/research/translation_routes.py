"""A survey's translations: how complete each language is, and which are offered.

Researchers see per language what is translated and what is missing, and choose to
offer a language below the completeness threshold (audited).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from consult import db
from consult.auth.access import current_user, require_research
from consult.auth.services import record
from consult.definitions import definition_of, title_in
from consult.i18n import language
from consult.research.forms import LanguageForm
from consult.research.import_messages import KIND_NAMES, missing_kind
from consult.research.manage import survey_or_404
from consult.survey.offered import coverage_of, offered_for, threshold
from forms.coverage import KINDS

bp = Blueprint("translations", __name__, url_prefix="/research/surveys")


@dataclass(frozen=True)
class LanguageRow:
    """One language of the translations page."""

    code: str
    coverage: object
    offered: bool
    meets: bool
    allowed: bool
    missing: list[tuple[str, str, str]]


@bp.route("/<slug>/translations")
@require_research
def translations(slug: str):
    survey = survey_or_404(slug)
    definition = definition_of(survey.current_version)
    coverage = coverage_of(definition)
    limit = threshold()
    offered = set(offered_for(survey))
    allowed = set(survey.languages_allowed or ())
    rows = [
        LanguageRow(
            code=code,
            coverage=found,
            offered=code in offered,
            meets=found.meets(limit),
            allowed=code in allowed,
            missing=[
                (m.element, missing_kind(m.kind), found.source_text[m]) for m in found.missing
            ],
        )
        for code, found in coverage.items()
    ]
    return render_template(
        "research/manage_translations.html",
        survey=survey,
        definition=definition,
        rows=rows,
        kinds=[(kind, KIND_NAMES[kind]) for kind in KINDS],
        threshold=limit,
        title=title_in(survey),
        language_of=language,
    )


@bp.route("/<slug>/languages", methods=["POST"])
@require_research
def languages(slug: str):
    survey = survey_or_404(slug)
    definition = definition_of(survey.current_version)
    form = LanguageForm()
    code = form.language.data
    if not form.validate() or code not in definition.languages:
        abort(400)
    if code == definition.default_language:
        abort(400)
    allowed = [c for c in (survey.languages_allowed or []) if c != code]
    allow = form.allow.data == "yes"
    if allow:
        allowed.append(code)
    survey.languages_allowed = allowed
    record(
        db.session(),
        "allow_language" if allow else "disallow_language",
        user_id=current_user().id,
        partnership_id=survey.partnership_id,
        target=survey.slug,
        detail=code,
    )
    db.commit()
    name = language(code).own_name
    if allow:
        flash(_("%(language)s is offered to respondents.", language=name))
    elif code in offered_for(survey):
        flash(_("%(language)s is still offered: enough of it is translated.", language=name))
    else:
        flash(_("%(language)s is no longer offered to respondents.", language=name))
    return redirect(url_for("translations.translations", slug=survey.slug))
