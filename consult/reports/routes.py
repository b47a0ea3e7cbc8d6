"""Publishing summaries (researchers) and reading them (committee members)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from analysis.charts import to_png, to_svg
from analysis.disclosure import CannotProtect
from analysis.report import report_from_dict
from consult import db
from consult.auth import services as audit
from consult.auth.access import (
    current_user,
    partnership_roles,
    require_research,
)
from consult.definitions import definition_of, title_in
from consult.i18n import current_language, normalise_code, use_language
from consult.reports import services
from consult.reports.build import ReportScope, report_languages
from consult.reports.comparisons import comparison_views
from consult.reports.models import Publication
from consult.reports.pdf import render_pdf
from consult.reports.render import charts_of, render_html, table_csvs
from consult.reports.report_text import report_in
from consult.surveys import surveys_of
from consult.waves.publication import audience_comparison, study_comparison
from consult.waves.services import studies_of, study_for
from consult.workspace import current_partnership_id

bp = Blueprint("reports", __name__)


@bp.route("/research/publications", methods=["GET", "POST"])
@require_research
def publications():
    pid = current_partnership_id()
    session = db.session()
    surveys = surveys_of(session, {pid})
    breakdowns = {
        q.name: q for s in surveys for q in definition_of(s.current_version).breakdown_questions()
    }
    errors, preview = {}, None
    if request.method == "POST":
        action = request.form.get("action", "publish")
        if action == "update":
            return _update(pid)
        scope, errors = _scope_from_form(pid, surveys, breakdowns)
        try:
            if not errors and action == "preview":
                preview = _preview_of(services.preview(session, scope))
            elif not errors:
                publication = _publish(scope)
                return redirect(url_for("reports.committee_view", publication_id=publication.id))
        except CannotProtect as refused:
            errors["surveys"] = cannot_protect_message(refused.reason)
    published = services.publications_of(session, {pid})
    return render_template(
        "reports/publications.html",
        surveys=surveys,
        studies=[s for s in studies_of(session, {pid}) if len(s.waves) > 1],
        breakdowns=breakdowns,
        published=published,
        errors=errors,
        form=request.form,
        title_of=title_in,
        other_languages=[code for code in report_languages() if code != "en"],
        preview=preview,
        preview_comparisons=comparison_views(preview.report) if preview else [],
        stale={p.id for p in published if services.is_stale(session, p)},
    )


def _preview_of(prepared):
    """What the researcher sees before publishing: the report, what is hidden and why."""
    from consult.reports.preview import preview_model

    return preview_model(prepared, current_language().code)


def _update(pid: int):
    """Re-derive one of the partnership's publications now (new version, fresh rounding)."""
    publication = db.session().get(Publication, request.form.get("publication", type=int) or 0)
    if publication is None or publication.partnership_id != pid:
        abort(404)
    try:
        services.rederive(db.session(), publication, report_languages())
    except CannotProtect as refused:
        flash(cannot_protect_message(refused.reason), "error")
        return redirect(url_for("reports.publications"))
    _audit("update_summary", publication)
    db.commit()
    return redirect(url_for("reports.publications"))


def cannot_protect_message(reason: str) -> str:
    """Why a summary cannot be published (or shown any more), in the current language."""
    threshold = int(max(3, current_app.config["SUPPRESSION_THRESHOLD"]))
    if reason == "too_few":
        return _(
            "This summary would describe fewer than %(n)s people, so it cannot be published "
            "without singling someone out. Choose a longer period or more surveys.",
            n=threshold,
        )
    return _(
        "With the partnership's earlier summaries, this summary would let someone work out a "
        "group of fewer than %(n)s people, however its numbers are rounded. Choose a period "
        "that differs more from the earlier summaries.",
        n=threshold,
    )


def _scope_from_form(pid, surveys, breakdowns):
    errors = {}
    title = request.form.get("title", "").strip()[:200]
    chosen = [s.id for s in surveys if str(s.id) in request.form.getlist("surveys")]
    if not title:
        errors["title"] = _("Give the summary a title.")
    if not chosen:
        errors["surveys"] = _("Choose at least one survey.")
    since, until = _date("since", errors), _date("until", errors)
    if since and until and since >= until:
        errors["until"] = _("The end date must be after the start date.")
    names = tuple(n for n in request.form.getlist("breakdowns") if n in breakdowns)
    titles = tuple(
        (code, request.form.get(f"title-{code}", "").strip()[:200])
        for code in report_languages()
        if code != "en" and request.form.get(f"title-{code}", "").strip()
    )
    scope = ReportScope(
        pid,
        tuple(chosen),
        title,
        names,
        since,
        until,
        include_focus_groups=request.form.get("focus_groups") == "yes",
        titles=titles,
        comparisons=_comparisons_from_form(pid, surveys, chosen, errors),
    )
    return scope, errors


def _comparisons_from_form(pid, surveys, chosen, errors) -> tuple[dict, ...]:
    """The waves of a study and the audiences to compare, as the form asks (see docs/waves.md)."""
    found = []
    study_id = request.form.get("study", type=int)
    if study_id:
        study = study_for(db.session(), study_id, {pid})
        if study is None or len(study.waves) < 2:
            errors["study"] = _("Choose a study with two waves or more.")
        else:
            found.append(study_comparison(study))
    if request.form.get("audiences") == "yes":
        picked = [s for s in surveys if s.id in chosen]
        if len(picked) < 2:
            errors["audiences"] = _("Choose two surveys or more to compare their audiences.")
        else:
            titles = {s.id: title_in(s, "en") for s in picked}
            found.append(audience_comparison(picked, titles))
    return tuple(found)


def _date(name: str, errors: dict) -> datetime | None:
    from datetime import UTC

    value = request.form.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        errors[name] = _("Please enter a date as year-month-day, for example 2024-05-31.")
        return None


def _publish(scope: ReportScope) -> Publication:
    user = current_user()
    publication = services.publish(db.session(), scope, report_languages(), user.id)
    _audit("publish_summary", publication)
    db.commit()
    return publication


def _audit(action: str, publication: Publication) -> None:
    audit.record(
        db.session(),
        action,
        user_id=current_user().id,
        partnership_id=publication.partnership_id,
        target=str(publication.id),
        detail=publication.title,
    )


def _readable(publication_id: int) -> Publication:
    user = current_user()
    if user is None:
        abort(401)
    publication = db.session().get(Publication, publication_id)
    if publication is None or publication.partnership_id not in partnership_roles():
        abort(404)
    if services.refresh(db.session(), publication, report_languages()):
        db.commit()  # a respondent it counted withdrew: it is read from its new version
    return publication


def _shown(publication_id: int) -> Publication:
    """A readable publication that is still shown (downloads and charts); 410 if withdrawn."""
    publication = _readable(publication_id)
    if publication.withdrawn_reason:
        abort(410)
    return publication


def published_languages(publication: Publication) -> tuple[str, ...]:
    """The languages a publication was frozen in, in picker order (older ones: en and fr)."""
    from consult.i18n import UI_LANGUAGES

    return tuple(code for code in UI_LANGUAGES if code in publication.snapshot)


def _report(publication: Publication):
    """The report in ``?lang=`` if published in it, else the reader's language, else English.

    An unknown or unpublished ``?lang=`` falls back the same way, never an error.
    """
    available = published_languages(publication)
    lang = normalise_code(request.args.get("lang"), available)
    if lang is None:
        reader = current_language().code
        lang = reader if reader in available else ("en" if "en" in available else available[0])
    return report_from_dict(publication.snapshot[lang])


@bp.route("/committee/")
def committee_index():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.full_path))
    published = services.publications_of(db.session(), set(partnership_roles()))
    return render_template(
        "reports/committee_index.html", published=published, title_of=_title_in_reader_language
    )


def _title_in_reader_language(publication: Publication) -> tuple[str, bool]:
    """The publication's title in the reader's language, and whether it is the English
    one standing in for it."""
    titles = (publication.scope or {}).get("titles") or {}
    code = current_language().code
    if code == "en" or titles.get(code):
        return titles.get(code) or publication.title, False
    return publication.title, True


@bp.route("/committee/<int:publication_id>")
def committee_view(publication_id: int):
    if current_user() is None:
        return redirect(url_for("auth.login", next=request.full_path))
    publication = _readable(publication_id)
    if publication.withdrawn_reason:
        return render_template("reports/withdrawn.html", publication=publication), 410
    report = _report(publication)
    use_language(report.language)
    return render_html(
        report,
        standalone=False,
        publication=publication,
        languages=published_languages(publication),
    )


@bp.route("/committee/<int:publication_id>/report.<kind>")
def committee_download(publication_id: int, kind: str):
    if current_user() is None:
        return redirect(url_for("auth.login", next=request.full_path))
    report = _report(_shown(publication_id))
    name = f"summary-{publication_id}-{report.language}"
    if kind == "pdf":
        return Response(
            render_pdf(report),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
        )
    if kind == "html":
        return Response(
            render_html(report),
            mimetype="text/html",
            headers={"Content-Disposition": f'attachment; filename="{name}.html"'},
        )
    if kind == "csv":
        return Response(
            table_csvs(report)["findings.csv"],
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    abort(404)


@bp.route("/committee/<int:publication_id>/chart-<name>.<kind>")
def committee_chart(publication_id: int, name: str, kind: str):
    if current_user() is None:
        abort(401)
    report = _report(_shown(publication_id))
    chart = next((c for c in charts_of(report) if c.name == name), None)
    if chart is None or kind not in {"png", "svg"}:
        abort(404)
    data = to_png(chart) if kind == "png" else to_svg(chart)
    return Response(data, mimetype="image/png" if kind == "png" else "image/svg+xml")


def register_cli(app) -> None:
    """Add ``consult report`` to the command line."""
    import click
    from flask.cli import with_appcontext

    languages = report_languages(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))

    @app.cli.command("report")
    @click.argument("slug")
    @click.option("--lang", type=click.Choice(languages), default="en", show_default=True)
    @click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
    @click.option(
        "--breakdown",
        "breakdowns",
        multiple=True,
        help="Breakdown question (repeatable; default: all).",
    )
    @click.option(
        "--study",
        "study_id",
        type=int,
        default=None,
        help="Also show this study's change over time (docs/waves.md).",
    )
    @with_appcontext
    def report_command(
        slug: str, lang: str, out_dir: str, breakdowns: tuple[str, ...], study_id: int | None
    ) -> None:
        """Write the committee report of SLUG: report.html, report.pdf, charts, CSV tables."""
        from consult.reports.render import write_report
        from consult.survey.services import survey_by_slug

        session = db.session()
        survey = survey_by_slug(session, slug)
        if survey is None:
            raise click.ClickException(f"No survey with slug {slug!r}.")
        definition = definition_of(survey.current_version)
        names = breakdowns or tuple(q.name for q in definition.breakdown_questions())
        title = title_in(survey, lang)
        comparisons = ()
        if study_id is not None:
            study = study_for(session, study_id, {survey.partnership_id})
            if study is None or len(study.waves) < 2:
                raise click.ClickException(f"No study {study_id} with two waves or more.")
            comparisons = (study_comparison(study),)
        scope = ReportScope(
            survey.partnership_id, (survey.id,), title, names, comparisons=comparisons
        )
        with app.test_request_context(f"/?lang={lang}"):  # templates read the request's language
            report = report_in(services.preview(session, scope), lang)  # audited like a publication
            written = write_report(report, Path(out_dir))
        for path in written:
            click.echo(str(path))
