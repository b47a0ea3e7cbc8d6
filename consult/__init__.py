"""Consult: the Flask application."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask_wtf import CSRFProtect

from consult import config as config_module
from consult import db, errors, i18n, queue, security, workspace
from consult.auth import access
from consult.catalogs import ensure_compiled
from consult.extensions import limiter
from consult.sessions import CookieSessions

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app from the environment, then ``test_config`` on top."""
    app = Flask(__name__, instance_path=_instance_path())
    app.session_interface = CookieSessions()
    app.config.update(config_module.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    config_module.check_production_safety(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    ensure_compiled(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    db.init_app(app)
    queue.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    access.init_app(app)
    errors.init_app(app)
    workspace.init_app(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _instance_path() -> str:
    return os.environ.get("CONSULT_INSTANCE_PATH") or str(Path.cwd() / "instance")


def _register_blueprints(app: Flask) -> None:
    from consult.admin.routes import bp as admin_bp
    from consult.admin.user_routes import bp as users_bp
    from consult.api.routes import bp as api_bp
    from consult.auth.routes import bp as auth_bp
    from consult.coding.agreement_routes import bp as agreement_bp
    from consult.coding.codebook_routes import bp as codebook_bp
    from consult.coding.insight_routes import bp as insight_bp
    from consult.coding.routes import bp as coding_bp
    from consult.exports.routes import bp as exports_bp
    from consult.focusgroups.routes import bp as focusgroups_bp
    from consult.reports.routes import bp as reports_bp
    from consult.research.manage import bp as manage_bp
    from consult.research.routes import bp as research_bp
    from consult.research.translation_routes import bp as translations_bp
    from consult.strategy.committee_routes import bp as priorities_bp
    from consult.strategy.inventory_routes import bp as services_bp
    from consult.strategy.round_routes import bp as rounds_bp
    from consult.survey.routes import bp as survey_bp
    from consult.survey.withdraw import bp as withdraw_bp
    from consult.umbrella.routes import bp as umbrella_bp
    from consult.waves.routes import bp as waves_bp

    app.register_blueprint(survey_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(research_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(translations_bp)
    app.register_blueprint(coding_bp)
    app.register_blueprint(codebook_bp)
    app.register_blueprint(agreement_bp)
    app.register_blueprint(insight_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(withdraw_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(focusgroups_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(services_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(priorities_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(waves_bp)
    app.register_blueprint(umbrella_bp)


def _register_cli(app: Flask) -> None:
    from consult.cli import register_commands

    register_commands(app)
