"""Concurrent duplicate submissions against a real gunicorn server with 4 workers.

Every instance id is posted twice at the same moment from different
threads: exactly one response per instance id must be stored, both replies
must carry the same reference, and no reply may be a 5xx. Runs on the
suite's database (SQLite file or PostgreSQL) through ``database_url``.
Traffic goes to 127.0.0.1 only; the server is always stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.db import make_engine
from consult.models import Response
from tests.processes import consult_command, free_port, stop

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
SLUG = "needs-assessment"
INSTANCES = 200  # each sent twice: 400 submissions
THREADS = 20
REQUEST_TIMEOUT = 30
TRAFFIC_TIMEOUT = 50
STARTUP_TIMEOUT = 120  # importing the app took close to a minute on a busy shared machine
LANGUAGES = ("ar", "fr", "en", "zh-Hans")


def gunicorn_command(port: int) -> list[str]:
    from gunicorn.config import KNOWN_SETTINGS

    command = [sys.executable, "-m", "gunicorn", "--workers", "4", "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5"]
    # --preload with the production entry point (docs/operations.md): the app, its
    # catalogues and the sentiment lexicons are loaded once, before the workers fork,
    # so no worker's first submission spends seconds importing TextBlob and NLTK.
    command += ["--preload"]
    if any("--no-control-socket" in (s.cli or []) for s in KNOWN_SETTINGS):
        command.append("--no-control-socket")  # gunicorn >= 25 would share ~/.gunicorn
    return [*command, "consult.wsgi:app"]


def request(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    assert url.startswith("http://127.0.0.1:")
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as reply:  # noqa: S310
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        payload = error.read()
        try:
            return error.code, json.loads(payload)
        except ValueError:
            return error.code, {"raw": payload.decode("utf-8", "replace")}


@pytest.fixture
def server(database_url, tmp_path):
    env = {
        **os.environ,
        "CONSULT_DATABASE_URL": database_url,
        "CONSULT_INSTANCE_PATH": str(tmp_path / "instance"),
        "CONSULT_RATELIMIT_ENABLED": "0",
        "CONSULT_SECRET_KEY": "server-test-secret",
    }
    # The fixture's database has the demo already; `consult demo` must keep it as it is.
    demo = subprocess.run(
        [*consult_command(), "demo"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert "already present" in demo.stdout
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            gunicorn_command(port),
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_ready(process, base, log_path)
            yield base, log_path
        finally:
            stop(process)


def _wait_until_ready(process, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("gunicorn exited:\n" + log_path.read_text(errors="replace"))
        try:
            status, _body = request("GET", f"{base}/api/v1/surveys")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("gunicorn did not answer in time:\n" + log_path.read_text(errors="replace"))


def test_concurrent_duplicate_submissions_store_each_instance_once(server, database_url):
    base, log_path = server
    started = time.monotonic()
    described = request("GET", f"{base}/api/v1/surveys/{SLUG}")
    assert described[0] == 200
    version = described[1]["version"]
    ids = [str(uuid.uuid4()) for _ in range(INSTANCES)]
    barriers = {instance: threading.Barrier(2, timeout=10) for instance in ids}
    tasks = [(i, instance) for i, instance in enumerate(ids) for _copy in range(2)]

    def send(task):
        index, instance = task
        body = {
            "instance_id": instance,
            "language": LANGUAGES[index % len(LANGUAGES)],
            "version": version,
            "answers": {
                "years_in_canada": "y1_3",
                "age_band": "a25_34",
                "area": "north",
                "children": index % 4,
                "employment_status": "employed" if index % 2 else "looking",
            },
        }
        with contextlib.suppress(threading.BrokenBarrierError):
            barriers[instance].wait()  # both copies leave together
        status, reply = request("POST", f"{base}/api/v1/surveys/{SLUG}/responses", body)
        return instance, status, reply

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(send, tasks, timeout=TRAFFIC_TIMEOUT))
    log = log_path.read_text(errors="replace")

    by_instance: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for instance, status, reply in results:
        assert status < 500, (status, reply, log[-3000:])
        assert status in (200, 201), (status, reply)
        by_instance[instance].append((status, reply))
    assert len(by_instance) == INSTANCES
    for instance, replies in by_instance.items():
        assert sorted(status for status, _ in replies) == [200, 201], replies
        references = {reply["reference"] for _, reply in replies}
        assert len(references) == 1, replies
        assert all(reply["instance_id"] == instance for _, reply in replies)

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            total = connection.scalar(select(func.count()).select_from(Response))
            rows = connection.execute(select(Response.instance_id, Response.reference))
            stored = {instance: reference for instance, reference in rows}
    finally:
        engine.dispose()
    assert total == INSTANCES
    assert set(stored) == set(ids)
    for instance, replies in by_instance.items():
        assert stored[instance] == replies[0][1]["reference"]
    assert "Traceback" not in log
    assert time.monotonic() - started < TRAFFIC_TIMEOUT + 10
