"""What the suite needs from Debian, and the one command that installs it.

`make test` runs ``scripts/system-packages test``, which installs Chromium, npm,
PostgreSQL, Redis and the report fonts when run as root. Otherwise the tests that need a
missing one skip with :data:`INSTALL_COMMAND` in their message, except under
``CI=true``, where a missing one fails them.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
INSTALL_COMMAND = "sudo scripts/system-packages test"


def skip_missing(message: str) -> None:
    """Skip the test for a missing system package (fail it under ``CI=true``)."""
    if IN_CI:
        pytest.fail(f"{message} (CI=true: such tests may not be skipped)")
    pytest.skip(message)
