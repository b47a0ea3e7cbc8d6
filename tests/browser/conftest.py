"""Browser tests: Consult served for real by gunicorn, driven by Debian's Chromium.

Each test gets its own server process over its own fresh database (the
``database_url`` fixture: migrated, demo loaded) and its own browser context
(360x740 unless the test asks otherwise); the browser is shared by the session.
Screenshots of every step go to ``test-artifacts/screenshots/<test>/NN-step.png``.
Under ``CI=true`` a missing Chromium fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.processes import stop
from tests.system_packages import INSTALL_COMMAND, skip_missing

CHROMIUM = Path(os.environ.get("CONSULT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 360, "height": 740}
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
GUNICORN = Path(sys.executable).parent / "gunicorn"
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@dataclass
class LiveServer:
    """A running Consult: its base URL and the database it serves."""

    url: str
    database_url: str
    log: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _wait_for_port(process: subprocess.Popen, log: Path, deadline: float) -> int:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        match = _LISTENING.search(log.read_text(errors="replace")) if log.exists() else None
        if match:
            return int(match.group(1))
        time.sleep(0.05)
    raise RuntimeError("gunicorn did not start:\n" + log.read_text(errors="replace")[-4000:])


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError("Consult did not answer:\n" + log.read_text(errors="replace")[-4000:])


@pytest.fixture
def live_server(database_url, tmp_path):
    """Consult under gunicorn on 127.0.0.1 (a free port) over this test's database."""
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "CONSULT_DATABASE_URL": database_url,
        "CONSULT_SECRET_KEY": "browser-test-secret-key",
        "CONSULT_RATELIMIT_ENABLED": "0",
        "CONSULT_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    command = [
        str(GUNICORN),
        "--bind",
        "127.0.0.1:0",
        "--workers",
        "1",
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--no-control-socket",
        "--graceful-timeout",
        "2",
        "--error-logfile",
        "-",
        "consult:create_app()",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        port = _wait_for_port(process, log, deadline)
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url, process, log, deadline)
        yield LiveServer(url=url, database_url=database_url, log=log, process=process)
    finally:
        stop(process, 10)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: install Debian's Chromium to run the browser tests "
            f"with: {INSTALL_COMMAND}"
        )
        skip_missing(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def make_context(browser):
    """Open browser contexts (360x740 by default); all are closed after the test."""
    opened = []

    def make(**options):
        options.setdefault("viewport", dict(VIEWPORT))
        context = browser.new_context(**options)
        # A fresh server's first submission loads the text libraries (NLTK, SciPy): on a
        # machine shared with other work that alone has taken over 15 s.
        context.set_default_timeout(60_000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def context(make_context):
    """A fresh context at 360x740 with JavaScript on."""
    return make_context()


@pytest.fixture
def page(context):
    return context.new_page()


def _folder_name(nodeid_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", nodeid_name).strip("-")


class Screenshots:
    """Numbered screenshots of one test's steps."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def __call__(self, page, step: str, full_page: bool = True) -> Path:
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.count:02d}-{_folder_name(step)}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture(scope="session")
def screenshots_folder():
    """``test-artifacts/screenshots``, emptied once per session that takes screenshots."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    _TAKEN.append(SCREENSHOTS)
    return SCREENSHOTS


_TAKEN: list[Path] = []


@pytest.fixture
def shot(request, screenshots_folder):
    """``shot(page, "step")`` saves ``test-artifacts/screenshots/<test>/NN-step.png``."""
    return Screenshots(screenshots_folder / _folder_name(request.node.name))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _TAKEN:
        terminalreporter.write_sep("-", "browser test screenshots")
        terminalreporter.write_line(f"Screenshots of each step: {_TAKEN[0]}")
