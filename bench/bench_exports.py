"""Time the researcher exports (CSV, XLSX, SPSS .sav) on 100,000 responses.

Run: ``.venv/bin/python bench/bench_exports.py`` (``--smoke`` for 1,000
responses). ``main(smoke)`` returns a markdown section.

The demo needs-assessment survey is loaded into a temporary SQLite database
and filled with Core bulk inserts (random but valid answers: every choice
question, one to three options per multiple choice, free text in several
languages and scripts for most respondents, some formula-like text). Each
format is then exported by ``consult export`` code in a child process of
its own, so the peak resident memory reported (``ru_maxrss``) belongs to
that export alone; the child also reports its memory before the export
started (Python, Flask, pandas and friends loaded), so the export's own
share is visible.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FULL, SMOKE = 100_000, 1_000
TARGETS = {"csv": 10.0, "xlsx": 60.0, "sav": 60.0}
MEMORY_TARGET_MB = 500
INSERT_CHUNK = 5_000

TEXTS = [
    "Rent is too high and the waiting list for social housing is years long.",
    "Finding a family doctor. We have been on the list since we arrived.",
    "My engineering degree is not recognised, I work in a warehouse now.",
    "Le logement coûte trop cher et les cours de français sont complets.",
    "الحصول على عمل في مجال تخصصي صعب جدا، والسكن غالي.",
    "找工作很难，因为我的学历不被承认。",
    "ਬੱਸਾਂ ਘੱਟ ਚਲਦੀਆਂ ਹਨ ਅਤੇ ਸਰਦੀਆਂ ਵਿੱਚ ਬਹੁਤ ਔਖਾ ਹੁੰਦਾ ਹੈ।",
    "Mahirap maghanap ng bahay na abot-kaya malapit sa trabaho.",
    "=1+1 is what my landlord thinks rent should grow by",
    "-",
]


def _rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _answers(definition, rng: random.Random, serial: int) -> dict[str, object]:
    answers: dict[str, object] = {}
    for name, field in definition.top_level_fields().items():
        kind = getattr(field, "type", "repeat")
        if kind == "select_one":
            if rng.random() < 0.9:
                answers[name] = rng.choice(field.choices).name
        elif kind == "select_multiple":
            if rng.random() < 0.8:
                picked = rng.sample(field.choices, k=min(len(field.choices), rng.randint(1, 3)))
                answers[name] = [c.name for c in picked]
        elif kind == "integer":
            answers[name] = rng.randint(0, 5)
        elif kind == "text" and rng.random() < 0.6:
            # Unique text, as real comments are (no cache can share them).
            answers[name] = f"{rng.choice(TEXTS)} [{serial}]"
    return answers


def seed(url: str, count: int) -> float:
    """Create the demo database at ``url`` with ``count`` responses; return seconds taken."""
    from sqlalchemy import insert, select

    from consult import create_app, db
    from consult.definitions import definition_of
    from consult.demo import create_demo_database
    from consult.models import Answer, Response, Survey

    started = time.perf_counter()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        session = db.session()
        create_demo_database(audiences=False)  # the default codebook comes with it
        survey = session.scalar(select(Survey).where(Survey.slug == "needs-assessment"))
        definition = definition_of(survey.current_version)
        order = {q.name: i for i, q in enumerate(definition.iter_questions())}
        ids = (survey.partnership_id, survey.id, survey.current_version_id)
    rng = random.Random(20261101)
    languages = list(definition.languages)
    moment = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    engine = app.extensions["consult.engine"]
    with engine.begin() as connection:
        for start in range(1, count + 1, INSERT_CHUNK):
            end = min(count + 1, start + INSERT_CHUNK)
            responses, answers = [], []
            for response_id in range(start, end):
                submitted = moment + timedelta(minutes=response_id)
                responses.append(
                    {
                        "id": response_id,
                        "partnership_id": ids[0],
                        "survey_id": ids[1],
                        "survey_version_id": ids[2],
                        "instance_id": str(uuid.UUID(int=rng.getrandbits(128))),
                        "reference": f"B{response_id:09d}",
                        "language": rng.choice(languages),
                        "channel": "web",
                        "started_at": submitted - timedelta(minutes=12),
                        "submitted_at": submitted,
                        "withdrawn_at": submitted if response_id % 500 == 0 else None,
                    }
                )
                for name, value in _answers(definition, rng, response_id).items():
                    answers.append(
                        {
                            "response_id": response_id,
                            "question": name,
                            "position": order.get(name, 0),
                            "value": value,
                        }
                    )
            connection.execute(insert(Response), responses)
            connection.execute(insert(Answer), answers)
    db.dispose(app)
    return time.perf_counter() - started


def child(fmt: str, url: str, out: str) -> None:
    """Run one export in this process and print its figures as JSON."""
    from consult import create_app, db
    from consult.exports import ExportOptions
    from consult.exports.services import export_to_file
    from consult.survey.services import survey_by_slug

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, "needs-assessment")
        import pandas  # noqa: F401  (loaded before measuring, as the sav export needs it)
        import pyreadstat  # noqa: F401
        import xlsxwriter  # noqa: F401

        before = _current_rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        job, _exporter = export_to_file(session, survey, fmt, ExportOptions(), Path(out))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        db.commit()
    figures = {
        "rows": job.rows,
        "columns": len(job.layout.columns),
        "seconds": seconds,
        "cpu": cpu,
        "before_mb": before,
        "peak_mb": _rss_mb(),
        "size_mb": Path(out).stat().st_size / 1024 / 1024,
    }
    print(json.dumps(figures))


def measure(fmt: str, url: str, folder: Path) -> dict:
    """Figures of one export, run in a child process of its own."""
    out = folder / f"export.{fmt}"
    done = subprocess.run(
        [sys.executable, __file__, "--child", fmt, url, str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "CONSULT_INSTANCE_PATH": str(folder / "instance")},
    )
    if done.returncode != 0:
        raise RuntimeError(f"{fmt} export failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(smoke: bool = False) -> str:
    """Seed, export in each format, and return the figures as a markdown section."""
    count = SMOKE if smoke else FULL
    with tempfile.TemporaryDirectory(prefix="consult-bench-exports-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("CONSULT_INSTANCE_PATH", str(folder / "instance"))
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        seeded = seed(url, count)
        results = {fmt: measure(fmt, url, folder) for fmt in ("csv", "xlsx", "sav")}
    lines = [
        "## Researcher exports",
        "",
        f"{count:,} responses of the demo needs-assessment survey in SQLite "
        f"(seeded in {seeded:.1f} s; every 500th withdrawn, so left out). "
        "Each export runs in its own process; memory is that process's peak resident "
        "set, and 'before' is the same process with the app and libraries loaded. "
        f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end "
        "(wall-clock seconds stretch on a busy machine; CPU seconds do not).",
        "",
        "| format | rows | columns | seconds | CPU s | target | peak MB | before MB "
        "| file MB | ok |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for fmt, r in results.items():
        ok = r["seconds"] < TARGETS[fmt] and r["peak_mb"] < MEMORY_TARGET_MB
        lines.append(
            f"| {fmt} | {r['rows']:,} | {r['columns']} | {r['seconds']:.1f} | {r['cpu']:.1f} | "
            f"< {TARGETS[fmt]:.0f} s | {r['peak_mb']:.0f} | {r['before_mb']:.0f} | "
            f"{r['size_mb']:.1f} | {'yes' if ok else '**no**'} |"
        )
    lines.append("")
    lines.append(f"Memory target: peak < {MEMORY_TARGET_MB} MB per export process.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    else:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--smoke", action="store_true", help="1,000 responses only")
        print(main(parser.parse_args().smoke))
