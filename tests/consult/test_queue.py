"""The background queue: SQLite under the instance folder by default, Redis when configured.

The Redis tests run the real thing: a throwaway ``redis-server`` on a private port,
web apps with ``CONSULT_QUEUE_URL`` pointing at it (each with an instance folder of
its own, where a SQLite queue would be were the URL ignored), and a real
``consult worker`` process, the command ``make run`` starts, on the same database.
"""

import contextlib
import http.cookiejar
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import select

from analysis.learning import Example
from consult import create_app, db
from consult.coding import learning
from consult.coding.background import retrain_key
from consult.coding.models import CoderTraining, TextUnitRow
from consult.queue import QUEUE_NAME, storage_for, without_password
from tests.conftest import csrf_from, sign_in
from tests.consult.coding.test_background import EVERY_EXAMPLE
from tests.consult.coding.test_queue import RESEARCHER, TWO_THEMES, _decide
from tests.consult.walker import complete
from tests.processes import consult_command, free_port, stop
from tests.system_packages import INSTALL_COMMAND, skip_missing


def test_the_queue_is_a_sqlite_file_in_the_instance_folder_by_default(tmp_path):
    storage, options = storage_for("", str(tmp_path))
    assert storage is SqliteStorage and options == {"filename": str(tmp_path / "queue.sqlite3")}


def test_a_redis_url_puts_the_queue_in_redis_for_several_servers(tmp_path):
    url = "redis://redis.internal:6379/1"
    assert storage_for(url, str(tmp_path)) == (RedisStorage, {"url": url})
    assert storage_for("sqlite:////srv/queue.db", str(tmp_path)) == (
        SqliteStorage,
        {"filename": "/srv/queue.db"},
    )


def test_another_url_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="CONSULT_QUEUE_URL"):
        storage_for("amqp://rabbit", str(tmp_path))


def test_the_worker_names_its_queue_without_the_password():
    assert without_password("redis://:s3cret@redis.internal:6379/1") == (
        "redis://:***@redis.internal:6379/1"
    )
    assert without_password("rediss://consult:s3cret@redis.internal/1") == (
        "rediss://consult:***@redis.internal/1"
    )
    assert without_password("redis://redis.internal:6379/1") == "redis://redis.internal:6379/1"


# --- The Redis path for real: a throwaway redis-server, a real `consult worker` ---------

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 120  # importing the app took close to a minute on a busy shared machine
WORK_TIMEOUT = 240  # the worker also loads the sentence encoder, embeds and retrains
QUEUE_KEY, RESULTS_KEY = f"huey.redis.{QUEUE_NAME}", f"huey.results.{QUEUE_NAME}"
PENDING = "The coder will learn from your latest reviews in the background"


def _wait_for(condition, seconds: float, process, log: Path) -> None:
    """Poll ``condition`` until it holds; fail with the log of ``process`` if that exits
    or ``seconds`` pass (a bound on a busy machine, not a measurement)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            state = "exited" if process.poll() is not None else f"not done in {seconds} s"
            pytest.fail(f"{log.stem} {state}:\n" + log.read_text(errors="replace")[-4000:])
        time.sleep(0.5)


@contextlib.contextmanager
def running(command: list[str], log: Path, env: dict | None = None):
    """A process (its output in ``log``) as a function that waits for a condition while
    it runs; stopped on leaving."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
        try:
            yield lambda condition, seconds=WORK_TIMEOUT: _wait_for(
                condition, seconds, process, log
            )
        finally:
            stop(process)


@pytest.fixture
def redis_url(tmp_path):
    """A private redis-server on 127.0.0.1, without persistence, its files in tmp_path."""
    server = shutil.which("redis-server")
    if server is None:
        skip_missing(f"redis-server is missing (the Redis queue tests): {INSTALL_COMMAND}")
    folder = tmp_path / "redis"
    folder.mkdir()
    port = free_port()
    command = [server, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder)]
    url = f"redis://127.0.0.1:{port}/0"
    with running(command, tmp_path / "redis-server.log") as until:
        until(lambda: _answers(url), 30)
        yield url


def _answers(url: str) -> bool:
    try:
        with redis.Redis.from_url(url, socket_timeout=2) as client:
            return bool(client.ping())
    except redis.ConnectionError:
        return False


def _queued(url: str) -> tuple[int, bool]:
    """(tasks in the queue in Redis, whether partnership 1's retraining is asked for)."""
    with redis.Redis.from_url(url) as client:
        return client.llen(QUEUE_KEY), bool(client.hexists(RESULTS_KEY, retrain_key(1)))


def _env(database_url: str, redis_url: str, instance: Path) -> dict:
    """A server's environment: the shared database and queue, an instance folder of its
    own (where its SQLite queue would be, were the URL ignored)."""
    return {
        **os.environ,
        "CONSULT_DATABASE_URL": database_url,
        "CONSULT_QUEUE_URL": redis_url,
        "CONSULT_INSTANCE_PATH": str(instance),
        "CONSULT_RATELIMIT_ENABLED": "0",
        "CONSULT_RETRAIN_DELAY_SECONDS": "0",
        "CONSULT_SECRET_KEY": "redis-queue-test-secret",
    }


def worker(database_url: str, redis_url: str, tmp_path: Path):
    """A real ``consult worker`` on the database and the queue (see :func:`running`)."""
    env = _env(database_url, redis_url, tmp_path / "worker")
    return running([*consult_command(), "worker"], tmp_path / "consult-worker.log", env)


@pytest.fixture
def web(database_url, redis_url, tmp_path, monkeypatch):
    """The web app on the Redis queue, as one server (an instance folder of its own)."""
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "web-a"))
    config = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret"}
    app = create_app(
        {**config, "RATELIMIT_ENABLED": False, "QUEUE_URL": redis_url, "RETRAIN_DELAY_SECONDS": 0}
    )
    yield app
    db.dispose(app)


def _trainings(app) -> list[CoderTraining]:
    with app.app_context():
        return db.session().scalars(select(CoderTraining)).all()


def _units(app) -> list[TextUnitRow]:
    with app.app_context():
        return db.session().scalars(select(TextUnitRow).order_by(TextUnitRow.id)).all()


def _retrained(app, url: str) -> bool:
    return _queued(url) == (0, False) and bool(_trainings(app))


@pytest.mark.slow
def test_a_review_in_the_web_app_waits_in_redis_until_a_real_worker_retrains(
    web, database_url, redis_url, tmp_path
):
    with web.app_context():  # past hand-coding, stored without asking for a retraining
        examples = [Example(t, "en", frozenset(k.split(";")) - {""}) for t, k in EVERY_EXAMPLE]
        learning.import_examples(db.session(), 1, examples, "past.csv")
        db.session().commit()
    client = web.test_client()
    complete(client, "needs-assessment", "en", text=TWO_THEMES)
    unit = _units(web)[-1]
    sign_in(client, *RESEARCHER)

    assert _decide(client, unit.id, "housing", "yes").status_code == 302

    assert _queued(redis_url) == (1, True)  # in Redis, not run inside the request
    assert PENDING in client.get("/research/coding/?lang=en").text  # read back from Redis
    assert _trainings(web) == []
    with worker(database_url, redis_url, tmp_path) as until:
        until(lambda: _retrained(web, redis_url))
        [started] = _trainings(web)
        until(lambda: all(u.learned_training == started.id for u in _units(web)))
    [training] = _trainings(web)
    assert (training.reviewed, training.imported) == (1, len(EVERY_EXAMPLE))
    assert learning.has_model(training) and training.recoded == len(_units(web))
    page = client.get("/research/coding/?lang=en").text
    assert PENDING not in page and "waiting for the learned model" not in page
    log = (tmp_path / "consult-worker.log").read_text()
    assert f"Consult worker: queue RedisStorage {redis_url}\n" in log


class Browser:
    """A researcher's browser on a server at ``base``: cookies kept, redirects followed."""

    def __init__(self, base: str) -> None:
        assert base.startswith("http://127.0.0.1:")
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as reply:
            return reply.read().decode()

    def post(self, path: str, form_on: str, data: dict) -> str:
        """Post ``data`` with the CSRF token of the page at ``form_on``; where it ended."""
        body = urllib.parse.urlencode({**data, "csrf_token": csrf_from(self.get(form_on))})
        with self.opener.open(self.base + path, body.encode(), timeout=30) as reply:
            return urllib.parse.urlsplit(reply.geturl()).path


def _serving(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/api/v1/surveys", timeout=5) as reply:  # noqa: S310
            return reply.status == 200
    except OSError:
        return False


@pytest.mark.slow
def test_two_servers_share_the_one_queue_in_redis_and_one_worker_serves_both(
    web, database_url, redis_url, tmp_path
):
    client = web.test_client()
    complete(client, "needs-assessment", "en", text=TWO_THEMES)
    unit = _units(web)[-1]
    port = free_port()
    serve = [*consult_command(), "run", "--host", "127.0.0.1", "--port", str(port)]
    env = _env(database_url, redis_url, tmp_path / "web-b")
    with running([*serve, "--no-reload"], tmp_path / "web-b.log", env) as until:
        base = f"http://127.0.0.1:{port}"
        until(lambda: _serving(base), STARTUP_TIMEOUT)
        other = Browser(base)
        email, password = RESEARCHER
        other.post("/login", "/login", {"email": email, "password": password})
        decision = {"theme": "housing", "decision": "yes", "next": "/research/coding/"}
        decide = f"/research/coding/units/{unit.id}/decide"
        assert other.post(decide, "/research/coding/?status=all", decision) == "/research/coding/"

        assert _queued(redis_url) == (1, True)  # server B's request
        sign_in(client, *RESEARCHER)
        assert PENDING in client.get("/research/coding/?lang=en").text  # seen on server A
        assert _decide(client, unit.id, "employment", "yes").status_code == 302
        assert _queued(redis_url) == (2, True)  # both servers' requests, in the one queue
        assert PENDING in other.get("/research/coding/?lang=en")

    with worker(database_url, redis_url, tmp_path) as until:
        until(lambda: _retrained(web, redis_url))
    [training] = _trainings(web)  # B's request superseded by A's later one: one retraining
    assert training.reviewed == 1  # the unit both servers reviewed
    assert PENDING not in client.get("/research/coding/?lang=en").text
