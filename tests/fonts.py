"""Fonts for the report scripts: under CI=true a missing one fails the test instead of skipping."""

from __future__ import annotations

from analysis.fonts import missing_scripts
from tests.system_packages import INSTALL_COMMAND, skip_missing

REPORT_SCRIPTS_LANGUAGES = ("ar", "zh-Hans", "pa", "ti", "uk")
"""One language per script the reports need beyond Latin."""


def require_script_fonts(languages: tuple[str, ...] = REPORT_SCRIPTS_LANGUAGES) -> None:
    """Skip (fail under CI=true) when no installed TrueType font draws one of the scripts."""
    missing = missing_scripts(languages, truetype_only=True)
    if not missing:
        return
    message = (
        f"no installed font draws {', '.join(missing)} script; install the report fonts "
        f"with: {INSTALL_COMMAND}"
    )
    skip_missing(message)
