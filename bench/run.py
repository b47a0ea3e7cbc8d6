"""``make bench``: Consult under gunicorn against a bare Flask app, page weight, and every
other bench section; writes ``bench/RESULTS.md``.

    .venv/bin/python bench/run.py            # the real run (about 2 minutes)
    .venv/bin/python bench/run.py --smoke    # a tiny run that checks the machinery (< 60 s)

Both apps run under the same gunicorn settings on 127.0.0.1 (a free port);
Consult over a fresh SQLite file built with ``consult demo`` plus the
25-question form in ``bench/forms``. A Python load generator (processes x
threads, one keep-alive connection each) measures throughput and p50/p99
latency at 20 concurrent clients. Nothing leaves 127.0.0.1.

Each Consult endpoint is measured paired with bare Flask: after an unrecorded
warm-up round, short rounds alternate (bare Flask, Consult, bare Flask, ...,
Consult, bare Flask), so that both see the machine in the same state even when
its speed drifts during the run (a shared VM). The ratio is Consult's requests
per measured second over its rounds to bare Flask's over the rounds around them.

Other sections: every ``bench/bench_*.py`` with ``main(smoke: bool) -> str`` is
imported and its markdown appended; other ``bench/bench_*.py`` and
``bench/eval_*.py`` scripts run as subprocesses and their output is appended.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import datetime as dt
import http.client
import importlib.metadata
import importlib.util
import json
import multiprocessing
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = Path(sys.executable).parent
RESULTS = BENCH / "RESULTS.md"
SMOKE_RESULTS = BENCH / "out" / "RESULTS-smoke.md"
BROWSER_WEIGHTS = ROOT / "test-artifacts" / "page-weight.json"
LANGUAGES = ("en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so")
DEMO_SLUG = "needs-assessment"
FORM_25 = BENCH / "forms" / "one_page_25.md"
SLUG_25 = "one-page-25"
PAGE_BUDGET = 50 * 1024
SMOKE_BUDGET = 55.0  # seconds: the smoke run gives other sections what is left of this
P99_TARGET_MS = 100.0
# Run as a script, bench/ comes first on sys.path, where bench/forms/ would shadow the
# ``forms`` package as a namespace package: look from the project root instead.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != BENCH]

_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSS = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


@dataclass(frozen=True)
class Settings:
    clients: int
    processes: int
    warmup: float  # seconds, at the start of every round
    duration: float  # seconds measured per round
    rounds: int  # rounds of Consult, each between two of bare Flask
    languages: tuple[str, ...]

    @property
    def threads(self) -> int:
        return self.clients // self.processes


FULL = Settings(clients=20, processes=2, warmup=0.5, duration=3.5, rounds=3, languages=LANGUAGES)
SMOKE = Settings(clients=4, processes=2, warmup=0.2, duration=0.5, rounds=2, languages=("ar",))


def gunicorn_args() -> list[str]:
    """The same serving settings for both apps."""
    return [
        "--workers",
        str(os.cpu_count() or 1),
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--keep-alive",
        "30",
        "--backlog",
        "256",
        "--no-control-socket",
        "--graceful-timeout",
        "3",
        "--bind",
        "127.0.0.1:0",
    ]


# --------------------------------------------------------------------------- servers


class Server:
    """A gunicorn process serving ``app`` on a free port of 127.0.0.1."""

    def __init__(self, name: str, app: str, env: dict[str, str], log: Path, extra=()) -> None:
        self.name, self.app, self.env, self.log, self.extra = name, app, env, log, list(extra)
        self.process: subprocess.Popen | None = None
        self.port = 0

    def launch(self) -> None:
        command = [str(BIN / "gunicorn"), *gunicorn_args(), *self.extra, self.app]
        with self.log.open("wb") as sink:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.env, stdout=sink, stderr=subprocess.STDOUT
            )

    def wait_ready(self, probe: str = "/") -> None:
        # Importing the app reads a few hundred files: on a machine whose cores other
        # work keeps busy that alone has taken close to a minute.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and self.process.poll() is None:
            match = _LISTENING.search(self.log.read_text(errors="replace"))
            if match:
                self.port = int(match.group(1))
                break
            time.sleep(0.05)
        while self.port and time.monotonic() < deadline and self.process.poll() is None:
            try:
                status, _headers, _body = get(self.port, probe)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not start:\n{self.log.read_text()[-3000:]}")

    def start(self, probe: str = "/") -> None:
        self.launch()
        self.wait_ready(probe)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def get(port: int, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def consult_env(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CONSULT_DATABASE_URL": f"sqlite:///{workdir / 'consult.sqlite3'}",
        "CONSULT_INSTANCE_PATH": str(workdir / "instance"),
        "CONSULT_SECRET_KEY": "bench-secret-key-not-for-production",
        "CONSULT_RATELIMIT_ENABLED": "0",
    }


def build_database(env: dict[str, str]) -> str:
    """``consult demo``, then ``consult forms import`` of the 25-question form (``--open``),
    through the ``consult`` command line itself, in this process (one import, not two)."""
    import io
    from contextlib import redirect_stdout

    from consult.cli import cli

    saved = {k: os.environ.get(k) for k in env if k.startswith("CONSULT_")}
    os.environ.update({k: v for k, v in env.items() if k.startswith("CONSULT_")})
    output = io.StringIO()
    try:
        for args in (
            ["demo"],
            ["forms", "import", str(FORM_25), "--partnership", "demo-lip", "--open"],
        ):
            with redirect_stdout(output):
                cli.main(args=args, prog_name="consult", standalone_mode=False)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return output.getvalue().strip().splitlines()[-1]


# --------------------------------------------------------------------------- a session


class Browserless:
    """Cookies and forms over plain HTTP, for setting up one client's draft."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = self.cookie_header()
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers, data
        finally:
            connection.close()

    def consent(self, slug: str, lang: str) -> bytes:
        """Open the survey in ``lang`` and agree; return page 1's HTML."""
        status, _h, html = self.request("GET", f"/s/{slug}/?lang={lang}")
        if status != 200:
            raise RuntimeError(f"consent page of {slug}: HTTP {status}")
        token = _CSRF.search(html.decode()).group(1)
        form = urlencode({"csrf_token": token, "consent": "yes"}).encode()
        status, headers, _body = self.request(
            "POST",
            f"/s/{slug}/consent?lang={lang}",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise RuntimeError(f"consent to {slug}: HTTP {status}")
        status, _h, page = self.request("GET", f"/s/{slug}/p/1")
        if status != 200:
            raise RuntimeError(f"page 1 of {slug}: HTTP {status}")
        return page


# --------------------------------------------------------------------------- load


@dataclass
class Scenario:
    """One measured request: how a client prepares, and the request it repeats."""

    name: str
    port: int
    expect: int
    make_request: Callable[[dict], bytes]
    prepare: Callable[[int], dict] = lambda port: {}


@dataclass
class Measured:
    name: str
    requests: int = 0
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    duration: float = 0.0
    note: str = ""
    bare: Measured | None = None  # bare Flask, in the rounds alternating with these

    @property
    def rps(self) -> float:
        return self.requests / self.duration if self.duration else 0.0

    @property
    def ratio(self) -> float:
        """Requests per second to bare Flask's in the rounds alternating with these."""
        return self.rps / self.bare.rps if self.bare and self.bare.rps else 0.0

    def add(self, other: Measured) -> None:
        """Count one more round in."""
        self.requests += other.requests
        self.errors += other.errors
        self.statuses.update(other.statuses)
        self.latencies.extend(other.latencies)
        self.duration += other.duration
        self.note = self.note or other.note

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index] * 1000


def _read_response(reader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; its status and whether the server keeps the connection."""
    status_line = reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split(b" ", 2)[1])
    length, chunked, keep = 0, False, True
    while True:
        line = reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            keep = False
    if chunked:
        while True:
            size = int(reader.readline().split(b";")[0].strip(), 16)
            reader.read(size + 2)
            if size == 0:
                break
    elif length:
        reader.read(length)
    return status, keep


def _client(scenario: Scenario, settings: Settings, ready, go, clock, out: list) -> None:
    try:
        state = scenario.prepare(scenario.port)
    except Exception as error:  # noqa: BLE001 - reported, never hidden
        out.append(("setup-error", f"{type(error).__name__}: {error}"))
        ready.wait()
        return
    ready.wait()
    go.wait()
    start = clock[0]
    begin, end = start + settings.warmup, start + settings.warmup + settings.duration
    connection = reader = None
    latencies, statuses, errors, count = [], Counter(), 0, 0
    while True:
        now = time.monotonic()
        if now >= end or count >= 1_000_000:
            break
        if connection is None:
            connection = socket.create_connection(("127.0.0.1", scenario.port), timeout=10)
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            reader = connection.makefile("rb")
        payload = scenario.make_request(state)
        began = time.monotonic()
        try:
            connection.sendall(payload)
            status, keep = _read_response(reader)
        except (OSError, ValueError, IndexError):
            connection.close()
            connection = None
            if began >= begin:
                errors += 1
            continue
        finished = time.monotonic()
        count += 1
        if not keep:
            connection.close()
            connection = None
        if begin <= began and finished <= end:
            latencies.append(finished - began)
            statuses[status] += 1
    if connection is not None:
        connection.close()
    out.append(("ok", latencies, statuses, errors))


def _process(scenario: Scenario, settings: Settings, barrier, queue) -> None:
    ready = threading.Barrier(settings.threads + 1)
    go = threading.Event()
    clock = [0.0]
    out: list = []
    threads = [
        threading.Thread(target=_client, args=(scenario, settings, ready, go, clock, out))
        for _ in range(settings.threads)
    ]
    for thread in threads:
        thread.start()
    ready.wait()
    barrier.wait()
    clock[0] = time.monotonic()
    go.set()
    for thread in threads:
        thread.join()
    queue.put(out)


def measure(scenario: Scenario, settings: Settings) -> Measured:
    """``settings.clients`` keep-alive clients for warmup + duration seconds."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(settings.processes + 1)
    queue = context.Queue()
    processes = [
        context.Process(target=_process, args=(scenario, settings, barrier, queue))
        for _ in range(settings.processes)
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=120)
    result = Measured(scenario.name, duration=settings.duration)
    setup_errors = []
    for _ in processes:
        for item in queue.get(timeout=settings.warmup + settings.duration + 120):
            if item[0] == "setup-error":
                setup_errors.append(item[1])
                continue
            _kind, latencies, statuses, errors = item
            result.latencies.extend(latencies)
            result.statuses.update(statuses)
            result.errors += errors
    for process in processes:
        process.join(timeout=30)
    result.requests = sum(n for s, n in result.statuses.items() if s == scenario.expect)
    result.errors += sum(n for s, n in result.statuses.items() if s != scenario.expect)
    if setup_errors:
        result.note = "setup failed: " + "; ".join(sorted(set(setup_errors)))
    return result


def paired(scenario: Scenario, bare: Scenario, settings: Settings) -> Measured:
    """``scenario`` in ``settings.rounds`` rounds, each between two rounds of ``bare``
    (bare, scenario, bare, ..., bare), so that a machine whose speed drifts slows both
    alike: the totals of ``scenario``'s rounds, with those of ``bare``'s as ``.bare``.
    An unrecorded round first warms every worker (forms parsed, caches filled).
    Clients prepare afresh in every round."""
    measure(scenario, replace(settings, warmup=0.0, duration=2 * settings.warmup))
    total = Measured(scenario.name, bare=Measured(bare.name))
    total.bare.add(measure(bare, settings))
    for number in range(1, settings.rounds + 1):
        measured = measure(scenario, settings)
        with contextlib.suppress(OSError):
            get(scenario.port, "/")  # queued behind what the round left: idle after
        yardstick = measure(bare, settings)
        total.add(measured)
        total.bare.add(yardstick)
        say(
            f"    round {number}: {scenario.name} {measured.rps:,.0f} req/s, "
            f"then bare Flask {yardstick.rps:,.0f} req/s"
        )
    return total


def get_request(path: str, host: str = "127.0.0.1") -> Callable[[dict], bytes]:
    def make(state: dict) -> bytes:
        cookie = f"Cookie: {state['cookie']}\r\n" if state.get("cookie") else ""
        return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{cookie}\r\n").encode()

    return make


def draft_for(slug: str, lang: str = "en") -> Callable[[int], dict]:
    def prepare(port: int) -> dict:
        session = Browserless(port)
        session.consent(slug, lang)
        return {"cookie": session.cookie_header()}

    return prepare


# --------------------------------------------------------------------------- the API


def api_answers(port: int) -> tuple[dict | None, str]:
    """Valid answers to the demo survey from its API description, or why there are none."""
    try:
        status, _h, body = get(port, f"/api/v1/surveys/{DEMO_SLUG}?lang=en")
    except OSError as error:
        return None, f"not available ({error})"
    return _answers(status, body)


def api_answers_from(response) -> tuple[dict | None, str]:
    """The same from a Flask test client response."""
    return _answers(response.status_code, response.data)


def _answers(status: int, body: bytes) -> tuple[dict | None, str]:
    if status != 200:
        return None, f"not available (GET /api/v1/surveys/{DEMO_SLUG} answered {status})"
    answers: dict[str, object] = {}

    def walk(questions) -> None:
        for question in questions:
            if question.get("children") and question.get("type") not in {"repeat"}:
                walk(question["children"])
                continue
            kind = question.get("type", "")
            choices = [c["name"] for c in question.get("choices") or []]
            if question.get("required"):
                if kind.startswith("select_one") and choices:
                    answers[question["name"]] = choices[0]
                elif kind.startswith("select_multiple") and choices:
                    answers[question["name"]] = [choices[0]]
                elif kind in {"integer", "decimal"}:
                    answers[question["name"]] = 2
                else:
                    answers[question["name"]] = "Rent is too high."
            elif question.get("name") == "hardest_part":
                answers["hardest_part"] = "Finding a family doctor and paying rent are hard."

    walk(json.loads(body).get("questions", []))
    return answers, ""


def api_post(answers: dict, lang: str = "en") -> Callable[[dict], bytes]:
    path = f"/api/v1/surveys/{DEMO_SLUG}/responses"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: {length}\r\n\r\n"
    )

    def make(_state: dict) -> bytes:
        body = json.dumps(
            {"instance_id": str(uuid.uuid4()), "language": lang, "answers": answers}
        ).encode()
        return head.format(length=len(body)).encode() + body

    return make


def try_api(port: int) -> tuple[Callable[[dict], bytes] | None, str]:
    answers, why = api_answers(port)
    if answers is None:
        return None, why
    make = api_post(answers)
    raw = make({})
    head, _, body = raw.partition(b"\r\n\r\n")
    # The first submission loads the text libraries (NLTK, SciPy): slow on a busy machine.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            "POST",
            f"/api/v1/surveys/{DEMO_SLUG}/responses",
            body=body,
            headers={"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
    finally:
        connection.close()
    if response.status == 404:
        return None, "not available (POST answered 404)"
    if response.status != 201:
        return None, f"not available (POST answered {response.status}: {text[:300]})"
    return make, ""


def warm_up(port: int, make_request: Callable[[dict], bytes], connections: int) -> None:
    """A few requests at once, so that every worker has done its first (slow) one."""

    def once() -> None:
        with (
            contextlib.suppress(OSError, ValueError, IndexError),
            socket.create_connection(("127.0.0.1", port), timeout=30) as connection,
        ):
            connection.sendall(make_request({}))
            _read_response(connection.makefile("rb"))

    threads = [threading.Thread(target=once) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --------------------------------------------------------------------------- CPU per request


def cpu_costs(env: dict[str, str], count: int) -> list[tuple[str, float, float]]:
    """CPU milliseconds per request inside one process (Flask's test client, no HTTP):
    what each endpoint itself costs, much less swayed by other work on the machine
    than requests per second are. Rows: (endpoint, CPU ms, bare Flask / this)."""
    from consult import create_app, db

    spec = importlib.util.spec_from_file_location("bench_bare_app", BENCH / "bare_app.py")
    bare_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bare_module)
    app = create_app(
        {
            "DATABASE_URL": env["CONSULT_DATABASE_URL"],
            "SECRET_KEY": env["CONSULT_SECRET_KEY"],
            "RATELIMIT_ENABLED": False,
        }
    )

    def cost(client, method: str, path: str, body=None) -> float:
        send = getattr(client, method)
        for _ in range(max(5, count // 10)):
            send(path, **body()) if body else send(path)
        started = time.process_time()
        for _ in range(count):
            response = send(path, **body()) if body else send(path)
        assert response.status_code in (200, 201), (path, response.status_code)
        return (time.process_time() - started) / count * 1000

    def consented(slug: str):
        client = app.test_client()
        html = client.get(f"/s/{slug}/?lang=en").text
        token = _CSRF.search(html).group(1)
        client.post(f"/s/{slug}/consent?lang=en", data={"csrf_token": token, "consent": "yes"})
        return client

    rows = [("bare Flask `GET /`", cost(bare_module.app.test_client(), "get", "/"))]
    rows.append(("survey page", cost(consented(DEMO_SLUG), "get", f"/s/{DEMO_SLUG}/p/1")))
    rows.append(("25-question page", cost(consented(SLUG_25), "get", f"/s/{SLUG_25}/p/1")))
    client = app.test_client()
    answers, _why = api_answers_from(client.get(f"/api/v1/surveys/{DEMO_SLUG}?lang=en"))
    if answers is not None:

        def body() -> dict:
            instance = str(uuid.uuid4())
            return {"json": {"instance_id": instance, "language": "en", "answers": answers}}

        path = f"/api/v1/surveys/{DEMO_SLUG}/responses"
        rows.append(("API POST", cost(client, "post", path, body)))
    db.dispose(app)
    bare_ms = rows[0][1]
    return [(name, ms, bare_ms / ms) for name, ms in rows]


def cpu_section(rows: list[tuple[str, float, float]], count: int) -> str:
    lines = [
        "## CPU per request, in process",
        "",
        f"{count} requests each through Flask's test client in one process (no HTTP, no "
        "gunicorn), timed with `time.process_time()`: what the endpoint itself costs, "
        "whatever else the machine is doing. Not a target; it explains the ratios above "
        "(gunicorn adds the same fixed cost to both apps).",
        "",
        "| endpoint | CPU ms per request | bare Flask ÷ this |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {ms:.2f} | {ratio:.3f} |" for name, ms, ratio in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- page weight


def page_weights(port: int, languages) -> list[dict]:
    """HTML + CSS bytes of the front page, consent page and page 1, per language."""
    rows = []
    css_cache: dict[str, int] = {}

    def css_bytes(html: bytes) -> int:
        total = 0
        for href in _CSS.findall(html.decode()):
            if href not in css_cache:
                css_cache[href] = len(get(port, href)[2])
            total += css_cache[href]
        return total

    for lang in languages:
        session = Browserless(port)
        _s, _h, index = session.request("GET", f"/?lang={lang}")
        _s, _h, consent = session.request("GET", f"/s/{DEMO_SLUG}/?lang={lang}")
        page = session.consent(DEMO_SLUG, lang)
        rows.append(
            {
                "lang": lang,
                "index": (len(index), css_bytes(index)),
                "consent": (len(consent), css_bytes(consent)),
                "page 1": (len(page), css_bytes(page)),
            }
        )
    session = Browserless(port)
    page = session.consent(SLUG_25, "en")
    rows.append({"lang": "en (25 questions)", "page 1": (len(page), css_bytes(page))})
    return rows


# --------------------------------------------------------------------------- report


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    versions = []
    for package in ("consult", "Flask", "Werkzeug", "Jinja2", "SQLAlchemy", "gunicorn"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{package} {importlib.metadata.version(package)}")
    return [
        f"- CPU: {cpu}; {os.cpu_count()} cores",
        f"- Memory: {memory or 'unknown'}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}; {', '.join(versions)}",
        f"- SQLite {__import__('sqlite3').sqlite_version} (WAL), a file in a temporary folder",
    ]


_T0 = time.monotonic()


def say(message: str) -> None:
    """Progress on stderr, with the seconds since the start."""
    print(f"[{time.monotonic() - _T0:5.1f} s] {message}", file=sys.stderr, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def throughput_section(rows: list[tuple], settings: Settings) -> str:
    lines = [
        f"## Throughput and latency at {settings.clients} concurrent clients",
        "",
        f"gunicorn `{' '.join(gunicorn_args()[:-2])}` for both apps; "
        f"{settings.processes} load-generator processes x {settings.threads} threads, one "
        "keep-alive connection each. Each row is measured paired with bare Flask `GET /`: "
        f"after an unrecorded warm-up round, {settings.rounds} rounds of the endpoint, each "
        "between two of bare Flask (bare, endpoint, bare, ..., endpoint, bare), every round "
        f"{settings.warmup:g} s warm-up then {settings.duration:g} s measured, so that both "
        "see the machine in the same state. The ratio is the endpoint's requests per "
        "measured second over its rounds to bare Flask's over the rounds around them; p50 "
        "and p99 are over all the endpoint's rounds. The load "
        "generator shares the machine's cores with the servers, so absolute figures are "
        "conservative and move with other work on the machine; the ratios are the point.",
        "",
        "| endpoint | requests/s | bare Flask requests/s | ratio to bare Flask | target "
        "| p50 ms | p99 ms | p99 target | result |",
        "|---|---:|---:|---:|---|---:|---:|---|---|",
    ]
    for label, m, target, why in rows:
        if m is None:
            lines.append(f"| {label} | {why} | | | ≥ {target:.2f} | | | < 100 | not run |")
            continue
        p99 = m.percentile(0.99)
        errors = m.errors + m.bare.errors
        passed = m.ratio >= target and p99 < P99_TARGET_MS and errors == 0 and not m.note
        extra = f" ({m.errors} errors)" if m.errors else ""
        extra += f" ({m.bare.errors} bare Flask errors)" if m.bare.errors else ""
        extra += f" ({m.note})" if m.note else ""
        lines.append(
            f"| {label}{extra} | {m.rps:,.0f} | {m.bare.rps:,.0f} | {m.ratio:.2f} | "
            f"≥ {target:.2f} | {m.percentile(0.5):.1f} | {p99:.1f} | < {P99_TARGET_MS:.0f} | "
            f"{verdict(passed)} |"
        )
    return "\n".join(lines)


def weight_section(rows: list[dict]) -> str:
    lines = [
        "## Page weight per language (plain HTTP GET: HTML + CSS bytes)",
        "",
        "Response bodies as served (no compression), HTML plus the stylesheet it links; "
        f"the budget is {PAGE_BUDGET // 1024} KB per page, nothing else is loaded.",
        "",
        "| language | front page | consent | survey page 1 | result |",
        "|---|---:|---:|---:|---|",
    ]

    def cell(value):
        if not value:
            return "—"
        html, css = value
        return f"{html + css:,} ({html:,} + {css:,})"

    for row in rows:
        totals = [sum(row[k]) for k in ("index", "consent", "page 1") if row.get(k)]
        ok = max(totals) <= PAGE_BUDGET
        lines.append(
            f"| {row['lang']} | {cell(row.get('index'))} | {cell(row.get('consent'))} | "
            f"{cell(row.get('page 1'))} | {verdict(ok)} |"
        )
    return "\n".join(lines)


def browser_weight_section() -> str:
    if not BROWSER_WEIGHTS.exists():
        return (
            "## Page weight in Chromium\n\nNo figures yet: run "
            "`.venv/bin/pytest tests/browser/test_page_weight.py` (it writes "
            f"`{BROWSER_WEIGHTS.relative_to(ROOT)}`)."
        )
    data = json.loads(BROWSER_WEIGHTS.read_text())
    when = dt.datetime.fromtimestamp(BROWSER_WEIGHTS.stat().st_mtime, dt.UTC)
    budget = data.get("budget", PAGE_BUDGET)
    lines = [
        "## Page weight in Chromium (bytes on the wire)",
        "",
        "From `tests/browser/test_page_weight.py` (CDP `encodedDataLength`, headers and "
        f"bodies, cache off) run at {when:%Y-%m-%d %H:%M} UTC; budget {budget:,} B.",
        "",
        "| language | pages measured | smallest | largest | result |",
        "|---|---:|---:|---:|---|",
    ]
    for lang, pages in data.get("bytes", {}).items():
        sizes = list(pages.values())
        largest = max(pages, key=pages.get)
        lines.append(
            f"| {lang} | {len(sizes)} | {min(sizes):,} | {max(sizes):,} ({largest}) | "
            f"{verdict(max(sizes) <= budget)} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- other sections


def _takes_smoke(path: Path) -> bool:
    """Whether the script defines ``main(smoke...)`` (read, not imported)."""
    try:
        tree = ast.parse(path.read_text())
    except SyntaxError:
        return False
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "main":
            names = [a.arg for a in node.args.args + node.args.kwonlyargs]
            return "smoke" in names
    return False


_CALL_MAIN = (
    "import importlib.util, pathlib, sys\n"
    "spec = importlib.util.spec_from_file_location('bench_section', sys.argv[1])\n"
    "module = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\n"
    "text = module.main(smoke=sys.argv[2] == 'smoke')\n"
    "pathlib.Path(sys.argv[3]).write_text(text or '', encoding='utf-8')\n"
)


def _section(path: Path, smoke: bool, timeout: float) -> str:
    """One script's markdown: ``main(smoke)``'s return value, else the script's output.

    Each runs in its own process, so a slow or broken one cannot take the others down.
    """
    with tempfile.TemporaryDirectory() as scratch:
        returned = Path(scratch) / "section.md"
        if _takes_smoke(path):
            mode = "smoke" if smoke else "full"
            command = [sys.executable, "-c", _CALL_MAIN, str(path), mode, str(returned)]
        elif smoke and "--smoke" not in path.read_text():
            return f"## {path.name}\n\nSkipped in the smoke run (no `--smoke` option)."
        else:
            command = [sys.executable, str(path)] + (["--smoke"] if smoke else [])
        try:
            done = subprocess.run(  # noqa: S603
                command, cwd=ROOT, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            return f"## {path.name}\n\nDid not finish within {timeout:.0f} s."
        text = returned.read_text() if returned.exists() else done.stdout
    text = text.strip()
    if done.returncode:
        failed = done.stderr[-2000:]
        text += f"\n\nFailed (exit status {done.returncode}):\n\n```\n{failed}\n```"
    if not text.lstrip().startswith("#"):
        text = f"## {path.name}\n\n{text}"
    return text


def other_sections(smoke: bool, deadline: float) -> list[str]:
    """Every bench/bench_*.py and bench/eval_*.py, in name order."""
    scripts = sorted(BENCH.glob("bench_*.py")) + sorted(BENCH.glob("eval_*.py"))
    sections = []
    for path in scripts:
        started = time.monotonic()
        timeout = max(5.0, deadline - started) if smoke else 3600.0
        text = _section(path, smoke, timeout)
        took = time.monotonic() - started
        say(f"  {path.name}: {took:.1f} s")
        sections.append(f"{text.strip()}\n\n_(`bench/{path.name}`, {took:.0f} s)_")
    return sections


# --------------------------------------------------------------------------- main


def consult_runs(port: int, run_one: Callable[[Scenario], Measured]):
    """The survey page, the 25-question page and the API POST against Consult on ``port``:
    ``(page, page25, api, why)`` (``api`` is ``None`` with ``why`` when it cannot run)."""
    page = run_one(
        Scenario("survey page", port, 200, get_request(f"/s/{DEMO_SLUG}/p/1"), draft_for(DEMO_SLUG))
    )
    page25 = run_one(
        Scenario(
            "25-question page", port, 200, get_request(f"/s/{SLUG_25}/p/1"), draft_for(SLUG_25)
        )
    )
    make_post, why = try_api(port)
    api = None
    if make_post is not None:
        warm_up(port, make_post, 2 * (os.cpu_count() or 1))  # once, before all its rounds
        api = run_one(Scenario("API POST", port, 201, make_post))
    else:
        say(f"  API POST: {why}")
    return page, page25, api, why


def result_rows(page, page25, api, why: str, database: str) -> list[tuple]:
    return [
        (f"survey page `GET /s/{DEMO_SLUG}/p/1` (6 questions, en), {database}", page, 0.20, ""),
        (f"25-question page `GET /s/{SLUG_25}/p/1`, {database}", page25, 0.15, ""),
        (f"API `POST /api/v1/surveys/{DEMO_SLUG}/responses`, {database}", api, 0.10, why),
    ]


def postgres_runs(workdir: Path, run_one) -> tuple[list[tuple], str]:
    """The same three measurements with Consult on PostgreSQL, when a cluster can be had."""
    spec = importlib.util.spec_from_file_location("bench_pg", BENCH / "pg.py")
    pg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pg)
    with pg.throwaway_postgres() as (url, why):
        if url is None:
            return [], f"not run: {why}"
        say(f"PostgreSQL ({why})...")
        env = {**consult_env(workdir), "CONSULT_DATABASE_URL": url}
        build_database(env)
        server = Server("Consult on PostgreSQL", "consult:create_app()", env, workdir / "pg.log")
        try:
            server.start()
            page, page25, api, api_why = consult_runs(server.port, run_one)
        finally:
            server.stop()
        return result_rows(page, page25, api, api_why, why), (
            f"the same gunicorn settings over a throwaway {why} cluster on 127.0.0.1 "
            "(default durability: fsync on), built with the same commands"
        )


def run(smoke: bool, started: float, http_only: bool = False, postgres: bool = True) -> str:
    settings = SMOKE if smoke else FULL
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="consult-bench-"))
    servers: list[Server] = []
    try:
        env = consult_env(workdir)
        bare = Server(
            "bare Flask",
            "bare_app:app",
            {**os.environ},
            workdir / "bare.log",
            extra=["--pythonpath", str(BENCH)],
        )
        servers.append(bare)
        bare.launch()
        say("Building the database (consult demo, forms import)...")
        imported = build_database(env)
        consult = Server("Consult", "consult:create_app()", env, workdir / "consult.log")
        servers.append(consult)
        consult.launch()
        bare.wait_ready()
        consult.wait_ready()
        say(f"Consult on :{consult.port}, bare Flask on :{bare.port}")

        yardstick = Scenario("bare Flask", bare.port, 200, get_request("/"))

        def run_one(scenario: Scenario) -> Measured:
            measured = paired(scenario, yardstick, settings)
            say(
                f"  {scenario.name}: {measured.rps:,.0f} req/s to bare Flask's "
                f"{measured.bare.rps:,.0f} (ratio {measured.ratio:.2f}), "
                f"p50 {measured.percentile(0.5):.1f} ms, p99 {measured.percentile(0.99):.1f} ms"
                + (f", statuses {dict(measured.statuses)}" if measured.errors else "")
                + (f", {measured.note}" if measured.note else "")
            )
            return measured

        page, page25, api, why = consult_runs(consult.port, run_one)
        say("Page weight...")
        weights = page_weights(consult.port, settings.languages)
        consult.stop()
        postgres_rows, postgres_note = [], "not run (smoke run)" if smoke else "not asked for"
        if postgres and not smoke:
            postgres_rows, postgres_note = postgres_runs(workdir, run_one)
        load_after = os.getloadavg()
        for server in servers:
            server.stop()
        say("CPU per request, in process...")
        cpu_count_requests = 10 if smoke else 300
        cpu_rows = cpu_costs(env, cpu_count_requests)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    rows = result_rows(page, page25, api, why, "SQLite") + postgres_rows
    now = dt.datetime.now(dt.UTC)
    parts = [
        "# Consult benchmarks",
        "",
        f"Written by `make {'bench-smoke' if smoke else 'bench'}` (`bench/run.py"
        f"{' --smoke' if smoke else ''}`) on {now:%Y-%m-%d %H:%M} UTC. "
        + ("A smoke run: tiny and not a measurement. " if smoke else "")
        + f"The 25-question form: {imported}",
        "",
        "## Machine",
        "",
        *machine(),
        "- Load average (1, 5, 15 min) before: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after the HTTP runs: "
        + ", ".join(f"{x:.2f}" for x in load_after)
        + " (other work on the machine shares its cores with the benchmark)",
        "",
        throughput_section(rows, settings),
        "",
        f"PostgreSQL: {postgres_note}.",
        "",
        weight_section(weights),
        "",
        cpu_section(cpu_rows, cpu_count_requests),
        "",
        browser_weight_section(),
    ]
    if not http_only:
        say("Other sections...")
        for section in other_sections(smoke, deadline=started + SMOKE_BUDGET):
            parts += ["", section]
    return "\n".join(parts).rstrip() + "\n"


KEPT_SECTIONS = ("## Load and crash tests",)
"""Sections written by the slow tests (test_crash.py), not by this run: carried over."""


def _kept_sections(path: Path) -> str:
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    kept = []
    for heading in KEPT_SECTIONS:
        start = text.find(heading)
        if start < 0:
            continue
        end = text.find("\n## ", start + len(heading))
        end = text.find("\n# ", start) if end < 0 else end
        kept.append(text[start:] if end < 0 else text[start:end])
    return "".join("\n" + section.rstrip() + "\n" for section in kept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny run (< 60 s)")
    parser.add_argument("--output", type=Path, help="where to write the markdown")
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="only the HTTP and CPU sections, printed (written only with --output)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()
    started = time.monotonic()
    report = run(args.smoke, started, http_only=args.http_only, postgres=not args.no_postgres)
    if args.http_only and args.output is None:
        print(report)
        return 0
    output = args.output or (SMOKE_RESULTS if args.smoke else RESULTS)
    output.parent.mkdir(parents=True, exist_ok=True)
    report += _kept_sections(output)
    output.write_text(report)
    print(report)
    print(f"Wrote {output} in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
