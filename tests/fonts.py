"""Fonts for the report scripts: under CI=true a missing one fails the test instead of skipping."""

from __future__ import annotations

import os

import pytest

from analysis.fonts import missing_scripts

IN_CI = os.environ.get("CI", "").lower() == "true"
REPORT_SCRIPTS_LANGUAGES = ("ar", "zh-Hans", "pa", "ti", "uk")
"""One language per script the reports need beyond Latin."""


def require_script_fonts(languages: tuple[str, ...] = REPORT_SCRIPTS_LANGUAGES) -> None:
    """Skip (fail under CI=true) when no installed TrueType font draws one of the scripts."""
    missing = missing_scripts(languages, truetype_only=True)
    if not missing:
        return
    message = (
        f"no installed font draws {', '.join(missing)} script; install Debian's "
        "fonts-noto-core and fonts-wqy-microhei (.ci/run does)"
    )
    if IN_CI:
        pytest.fail(message + " (CI=true: font tests may not be skipped)")
    pytest.skip(message)
