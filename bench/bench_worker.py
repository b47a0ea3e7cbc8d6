"""The background worker's resident memory, with the sentence encoder loaded and working.

A fresh demo database in a temporary folder; a real ``consult worker`` process
(the SQLite queue, as ``make run`` starts it). The bench imports labelled
examples (disaster messages, bench/data/) and stores keyword-coded units, as
submissions would; the import asks for a retraining (delay 0 here), which the
worker runs: it embeds every example and unit, learns and recodes them. Then
new units are stored and the worker's every-minute task codes them with the
model. Reported: the worker's resident memory after each step and its peak
(``VmHWM`` from /proc), and how long each step took (a shared machine).

    .venv/bin/python bench/bench_worker.py [--smoke]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.coding_data import disaster_sets  # noqa: E402

LIMIT_MB = 500
CONSULT = str(ROOT / ".venv" / "bin" / "consult")


def _memory(pid: int) -> dict[str, float]:
    """``VmRSS`` and ``VmHWM`` (peak) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def _store_units(texts: list[str], start: int) -> None:
    """Keyword-coded units of partnership 1, as a submission stores them."""
    from consult import create_app, db
    from consult.coding.models import TextUnitRow
    from consult.coding.services import code_unit, coder_for

    app = create_app()
    with app.app_context():
        session = db.session()
        coder, version = coder_for(session.connection(), 1)
        for i, text in enumerate(texts, start=start):
            unit = TextUnitRow(
                partnership_id=1,
                source="survey",
                question=f"bench-{i}",
                respondent_key=f"bench{i}",
                language="en",
                text=text,
            )
            session.add(unit)
            code_unit(session, unit, coder, version)
        session.commit()
    db.dispose(app)


def _import_examples(examples) -> None:
    from consult import create_app, db
    from consult.coding import background, learning

    app = create_app()
    with app.app_context():
        learning.import_examples(db.session(), 1, examples, "bench")
        db.commit()
        background.retrain_soon(1)
    db.dispose(app)


def _state() -> tuple[int, int]:
    """(trainings recorded, units waiting for the learned model)."""
    from consult import create_app, db
    from consult.coding import learning
    from consult.coding.models import CoderTraining

    app = create_app()
    with app.app_context():
        session = db.session()
        trainings = session.query(CoderTraining).count()
        waiting = learning.waiting_count(session, 1)
    db.dispose(app)
    return trainings, waiting


def _wait(condition, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(1.0)
    raise TimeoutError("the worker did not finish in time")


def main(smoke: bool = False) -> str:
    pool, test = disaster_sets()
    examples = pool[: 12 if smoke else 300]
    units = [e.text for e in test[: 5 if smoke else 200]]
    new_units = [e.text for e in test[300 : 305 if smoke else 350]]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_INSTANCE_PATH"] = folder
        os.environ["CONSULT_RETRAIN_DELAY_SECONDS"] = "0"
        os.environ.pop("CONSULT_DATABASE_URL", None)
        os.environ.pop("CONSULT_QUEUE_URL", None)
        subprocess.run([CONSULT, "demo"], check=True, stdout=subprocess.DEVNULL)
        _store_units(units, 0)
        log = (Path(folder) / "worker.log").open("wb")
        worker = subprocess.Popen([CONSULT, "worker"], stdout=log, stderr=subprocess.STDOUT)
        try:
            time.sleep(3)
            idle = _memory(worker.pid)
            _import_examples(examples)
            trained = _wait(lambda: _state() == (1, 0), 1800)
            after_training = _memory(worker.pid)
            _store_units(new_units, len(units))
            coded = None
            if not smoke:  # the every-minute task: up to a minute's wait
                coded = _wait(lambda: _state()[1] == 0, 300)
            final = _memory(worker.pid)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
            log.close()
            print((Path(folder) / "worker.log").read_text()[-3000:], file=sys.stderr)
    peak = final["VmHWM"]
    verdict = "met" if peak < LIMIT_MB else "NOT met"
    lines = [
        "## The worker's memory (bench/bench_worker.py)",
        "",
        f"A real `consult worker` (SQLite queue) on a demo database: {len(examples)} imported "
        f"disaster messages as examples, {len(units)} keyword-coded units, then "
        f"{len(new_units)} new units.",
        "",
        "| step | resident (MB) | took |",
        "|---|---:|---:|",
        f"| started, idle | {idle['VmRSS']:.0f} | |",
        f"| retrained (embedded {len(examples) + len(units)} texts, learned, recoded) "
        f"| {after_training['VmRSS']:.0f} | {trained:.0f} s |",
        f"| coded {len(new_units)} new units with the model "
        f"| {final['VmRSS']:.0f} | {'not run (smoke)' if coded is None else f'{coded:.0f} s'} |",
        "",
        f"Peak resident memory (VmHWM): **{peak:.0f} MB** (target < {LIMIT_MB} MB: {verdict}). "
        "The new units' time includes the wait for the every-minute task.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main("--smoke" in sys.argv))
