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


MIN_SECRET_KEY_BYTES = 32
"""The shortest secret key production accepts (``secrets.token_urlsafe(32)`` gives 43)."""

HSTS_SECONDS = 365 * 24 * 3600


def from_environment(instance_path: str) -> dict[str, object]:
    """The settings the environment gives, with safe defaults for development.

    In production (``CONSULT_PRODUCTION=1``) cookies are ``Secure`` unless
    ``CONSULT_SECURE_COOKIES=0`` asks otherwise, which
    :func:`check_production_safety` then refuses.
    """
    production = _flag("CONSULT_PRODUCTION", False)
    return {
        # An empty key would make every form fail: it counts as unset.
        "SECRET_KEY": os.environ.get("CONSULT_SECRET_KEY") or DEFAULT_SECRET_KEY,
        "DATABASE_URL": os.environ.get("CONSULT_DATABASE_URL")
        or default_database_url(instance_path),
        "PRODUCTION": production,
        "SESSION_COOKIE_SECURE": _flag("CONSULT_SECURE_COOKIES", production),
        # How many reverse proxies in front of Consult set X-Forwarded-For and
        # X-Forwarded-Proto (0: trust no such header; see docs/operations.md).
        "TRUSTED_PROXIES": _int("CONSULT_TRUSTED_PROXIES", 0),
        "HSTS_SECONDS": _int("CONSULT_HSTS_SECONDS", HSTS_SECONDS),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": _int("CONSULT_MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        "RATELIMIT_ENABLED": _flag("CONSULT_RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("CONSULT_RATELIMIT_STORAGE_URI", "memory://"),
        "DRAFT_DAYS": _int("CONSULT_DRAFT_DAYS", 30),
        # A sign-in ends after this long without a request, and this long after it began.
        "SIGN_IN_IDLE_MINUTES": max(_int("CONSULT_SIGN_IN_IDLE_MINUTES", 30), 1),
        "SIGN_IN_MAX_HOURS": max(_int("CONSULT_SIGN_IN_MAX_HOURS", 12), 1),
        # Expression work one request may do (forms.budget): nodes evaluated, then seconds.
        "EXPRESSION_BUDGET_STEPS": _int("CONSULT_EXPRESSION_BUDGET_STEPS", 2_000_000),
        "EXPRESSION_BUDGET_MS": _int("CONSULT_EXPRESSION_BUDGET_MS", 2000),
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
        # Invitations and password resets: one-time links, sent by email when a mail
        # server is set (else shown to the admin to pass on).
        "INVITATION_DAYS": _int("CONSULT_INVITATION_DAYS", 7),
        # How often `consult retention scheduled` (run by every server's timer) runs
        # retention; one server runs it each time (consult/jobs.py).
        "RETENTION_EVERY_HOURS": _int("CONSULT_RETENTION_EVERY_HOURS", 24),
        # The background queue (consult/queue.py): a SQLite file under the instance folder
        # unless a redis:// URL is given (several servers share one Redis).
        "QUEUE_URL": os.environ.get("CONSULT_QUEUE_URL", ""),
        # A researcher's reviews retrain the coder once they pause this long.
        "RETRAIN_DELAY_SECONDS": _int("CONSULT_RETRAIN_DELAY_SECONDS", 30),
        "SMTP_HOST": os.environ.get("CONSULT_SMTP_HOST", ""),
        "SMTP_PORT": _int("CONSULT_SMTP_PORT", 587),
        "SMTP_USER": os.environ.get("CONSULT_SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("CONSULT_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("CONSULT_SMTP_STARTTLS", True),
        "MAIL_FROM": os.environ.get("CONSULT_MAIL_FROM", ""),
    }


class UnsafeConfiguration(RuntimeError):
    """Production settings that Consult refuses to start with."""


def production_problems(config: dict) -> list[str]:
    """What makes ``config`` unsafe for production, one sentence each (empty: safe)."""
    problems = []
    key = config.get("SECRET_KEY") or ""
    key_bytes = len(key.encode("utf-8") if isinstance(key, str) else key)
    if key == DEFAULT_SECRET_KEY:
        problems.append("CONSULT_SECRET_KEY is not set (the development key is refused).")
    elif key_bytes < MIN_SECRET_KEY_BYTES:
        problems.append(
            f"CONSULT_SECRET_KEY has {key_bytes} bytes; it needs at least {MIN_SECRET_KEY_BYTES}."
        )
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append(
            "CONSULT_SECURE_COOKIES is off; production cookies must be Secure (serve over HTTPS)."
        )
    if not config.get("HSTS_SECONDS"):
        problems.append("CONSULT_HSTS_SECONDS is 0; production sends HSTS.")
    return problems


def check_production_safety(config: dict) -> None:
    """Refuse to run in production with a weak secret key or cookies sent over HTTP."""
    if not config.get("PRODUCTION"):
        return
    problems = production_problems(config)
    if problems:
        raise UnsafeConfiguration(
            "Consult will not start: CONSULT_PRODUCTION is set, but\n- "
            + "\n- ".join(problems)
            + "\nMake a key with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
