"""Configuration from the environment (``CONSULT_*`` variables)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.strip().isdigit() else default


def default_database_url(instance_path: str) -> str:
    """The embedded SQLite database under the instance folder."""
    return "sqlite:///" + str(Path(instance_path) / "consult.sqlite3")


def from_environment(instance_path: str) -> dict[str, object]:
    """The settings the environment gives, with safe defaults for development."""
    return {
        "SECRET_KEY": os.environ.get("CONSULT_SECRET_KEY", DEFAULT_SECRET_KEY),
        "DATABASE_URL": os.environ.get("CONSULT_DATABASE_URL")
        or default_database_url(instance_path),
        "PRODUCTION": _flag("CONSULT_PRODUCTION", False),
        "SESSION_COOKIE_SECURE": _flag("CONSULT_SECURE_COOKIES", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": _int("CONSULT_MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        "RATELIMIT_ENABLED": _flag("CONSULT_RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("CONSULT_RATELIMIT_STORAGE_URI", "memory://"),
        "DRAFT_DAYS": _int("CONSULT_DRAFT_DAYS", 30),
        "RATELIMIT_SIGNUP": os.environ.get("CONSULT_RATELIMIT_SIGNUP", "20 per hour"),
        "RATELIMIT_START": os.environ.get("CONSULT_RATELIMIT_START", "120 per hour"),
        "RATELIMIT_RESUME": os.environ.get("CONSULT_RATELIMIT_RESUME", "10 per minute;60 per hour"),
        "RATELIMIT_SUBMISSIONS": os.environ.get("CONSULT_RATELIMIT_SUBMISSIONS", "120 per minute"),
        "RATELIMIT_WITHDRAW": os.environ.get("CONSULT_RATELIMIT_WITHDRAW", "10 per minute"),
        "SUPPRESSION_THRESHOLD": _int("CONSULT_SUPPRESSION_THRESHOLD", 5),
        # Percent of a survey's wording a language needs before respondents are offered it.
        "LANGUAGE_COVERAGE_THRESHOLD": _int("CONSULT_LANGUAGE_COVERAGE_THRESHOLD", 90),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "SQLITE_BUSY_TIMEOUT_MS": _int("CONSULT_SQLITE_BUSY_TIMEOUT_MS", 5000),
    }


def check_production_safety(config: dict) -> None:
    """Refuse to run in production with the development secret key."""
    if config.get("PRODUCTION") and config.get("SECRET_KEY") == DEFAULT_SECRET_KEY:
        raise RuntimeError(
            "CONSULT_PRODUCTION is set but CONSULT_SECRET_KEY is the development default; "
            "set a long random CONSULT_SECRET_KEY."
        )
