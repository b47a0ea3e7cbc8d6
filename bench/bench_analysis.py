"""Summary, publication, re-derivation and wave comparison time at 10,000 and 100,000 responses,
with peak memory.

Seeds a SQLite database with the demo survey, N responses (with breakdown
attributes) and two coded free-text units each, through SQLAlchemy Core.
The units' texts come from the hand-labelled evaluation set, coded once by
the real coder. Each measurement runs in a child process of its own so its
peak resident memory (``ru_maxrss``) is its own.

    .venv/bin/python bench/bench_analysis.py [--smoke]
    .venv/bin/python bench/bench_analysis.py --sizes 100000 --kinds summary   # one figure
"""

from __future__ import annotations

import argparse
import csv
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
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

SIZES = (10_000, 100_000)
SMOKE_SIZES = (1_000,)
TARGETS = {"summary": 2.0, "report": 15.0, "withdrawal": 15.0, "waves": 4.0}
KINDS = tuple(TARGETS)
MEMORY_TARGET_MB = 500
CHUNK = 5_000
EVAL = ROOT / "tests" / "analysis" / "data" / "eval_units.csv"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(url: str, count: int) -> float:
    """A database with ``count`` responses, two coded units each; returns seconds taken."""
    from sqlalchemy import insert, select

    from analysis.codebook import default_codebook
    from analysis.coding import Coder
    from analysis.records import TextUnit
    from consult import create_app, db
    from consult.coding.models import AutoCode, TextUnitRow
    from consult.coding.services import theme_keys_text
    from consult.demo import create_demo_database
    from consult.models import Response, Survey

    started = time.perf_counter()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        session = db.session()
        create_demo_database(audiences=False)  # the default codebook comes with it
        survey = session.scalar(select(Survey).where(Survey.slug == "needs-assessment"))
        ids = (survey.partnership_id, survey.id, survey.current_version_id)
    with EVAL.open(encoding="utf-8") as handle:
        texts = [(row["language"], row["text"]) for row in csv.DictReader(handle)]
    coder = Coder(default_codebook())
    coded = [coder.code(TextUnit("t", text, lang, "r")) for lang, text in texts]
    rng = random.Random(7)
    years = ["lt1", "y1_3", "y4_5", "y6_10", "gt10"]
    ages = ["a18_24", "a25_34", "a35_44", "a45_54", "a55_64", "a65_plus"]
    areas = ["downtown", "north", "south", "east", "west", "rural"]
    moment = datetime(2026, 1, 5, tzinfo=UTC)
    unit_id = 0
    with app.extensions["consult.engine"].begin() as connection:
        for start in range(1, count + 1, CHUNK):
            responses, units, codes = [], [], []
            for rid in range(start, min(count + 1, start + CHUNK)):
                attributes = {
                    "years_in_canada": rng.choice(years),
                    "age_band": rng.choice(ages),
                    "area": rng.choice(areas),
                }
                language = rng.choice(texts)[0]
                responses.append(
                    {
                        "id": rid,
                        "partnership_id": ids[0],
                        "survey_id": ids[1],
                        "survey_version_id": ids[2],
                        "instance_id": str(uuid.UUID(int=rng.getrandbits(128))),
                        "reference": f"A{rid:09d}",
                        "language": language,
                        "channel": "web",
                        "submitted_at": moment + timedelta(minutes=rid),
                        "attributes": attributes,
                    }
                )
                for question in ("hardest_part", "more_welcoming"):
                    unit_id += 1
                    index = rng.randrange(len(texts))
                    lang, text = texts[index]
                    units.append(
                        {
                            "id": unit_id,
                            "partnership_id": ids[0],
                            "source": "survey",
                            "survey_id": ids[1],
                            "response_id": rid,
                            "question": question,
                            "respondent_key": f"r{rid}",
                            "language": lang,
                            "text": text,
                            "attributes": attributes,
                            "coded_version": 1,
                            "theme_keys": theme_keys_text(m.theme for m in coded[index].matches),
                            "sentiment": 0.1 if lang in ("en", "fr") else None,
                        }
                    )
                    codes.extend(
                        {
                            "unit_id": unit_id,
                            "theme": m.theme,
                            "codebook_version": 1,
                            "evidence": [[e.start, e.end, e.matched, False] for e in m.evidence],
                        }
                        for m in coded[index].matches
                    )
            connection.execute(insert(Response), responses)
            connection.execute(insert(TextUnitRow), units)
            connection.execute(insert(AutoCode), codes)
    db.dispose(app)
    return time.perf_counter() - started


def child(kind: str, url: str, out: str) -> None:
    """Measure one summary, one publication or one re-derivation in this process; print JSON."""
    from consult import create_app, db

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context(), app.test_request_context("/?lang=en"):
        session = db.session()
        import matplotlib  # noqa: F401  (libraries loaded before measuring)
        import reportlab  # noqa: F401

        before = _rss_mb()
        figures = _measured(kind, session, out)
    figures.update({"peak_mb": _rss_mb(), "before_mb": before})
    print(json.dumps(figures))


BREAKDOWNS = ("years_in_canada", "age_band", "area")


def _measured(kind: str, session, out: str) -> dict:
    """Time ``kind``: a summary; publishing (every language, then the English files); or
    re-deriving that publication after a respondent withdrew (audited against it)."""
    from analysis.report import report_from_dict
    from consult import db
    from consult.coding.summary import Scope, summarise
    from consult.models import Response, utcnow
    from consult.reports import services
    from consult.reports.build import ReportScope, report_languages
    from consult.reports.render import write_report

    if kind == "summary":
        started = time.perf_counter()
        size = summarise(session, Scope(1, (1,)), BREAKDOWNS).respondents
        return {"seconds": time.perf_counter() - started, "size": size}
    if kind == "waves":
        return _waves(session)
    languages = report_languages()
    # the seeded responses are dated from January 2026, before the demo survey was made
    # (an open period starts when its first survey was created)
    scope = ReportScope(1, (1,), "Bench", BREAKDOWNS, since=datetime(2026, 1, 1, tzinfo=UTC))
    started = time.perf_counter()
    publication = services.publish(session, scope, languages, None)  # what publishing does
    db.commit()
    if kind == "report":
        write_report(report_from_dict(publication.snapshot["en"]), Path(out))
        seconds = time.perf_counter() - started
    else:
        session.get(Response, 1).withdrawn_at = utcnow()
        db.commit()
        started = time.perf_counter()
        assert services.refresh(session, publication, languages)  # what the next reader waits
        db.commit()
        seconds = time.perf_counter() - started
    report = report_from_dict(publication.snapshot["en"])
    return {
        "seconds": seconds,
        "size": report.respondents,
        "languages": len(languages),
        "draws": publication.versions[-1].draws,
    }


def _waves(session) -> dict:
    """Time a study of two waves: the seeded survey, and a copy of it (every response, unit
    and answer) as a second survey; each wave counted, protected and compared."""
    from sqlalchemy import text

    from consult import db
    from consult.auth.services import find_partnership
    from consult.coding.models import TextUnitRow
    from consult.definitions import definition_of
    from consult.demo import demo_form_bytes
    from consult.survey.services import import_survey
    from consult.waves import services

    partnership = find_partnership(session, "demo-lip")
    second = import_survey(session, partnership, demo_form_bytes(), "wave2.md", slug="wave-2")
    db.commit()
    shift = session.scalar(text("SELECT max(id) FROM response"))
    units = session.scalar(text("SELECT max(id) FROM text_unit"))
    for question in BREAKDOWNS:  # the seed stores breakdown answers as attributes only
        session.execute(
            text(
                "INSERT INTO answer (response_id, question, position, value) "
                "SELECT id, :q, 0, json_quote(json_extract(attributes, '$.' || :q)) "
                "FROM response WHERE survey_id = 1"
            ),
            {"q": question},
        )
    session.execute(
        text(
            "INSERT INTO response (id, partnership_id, survey_id, survey_version_id, "
            "instance_id, reference, language, channel, submitted_at, attributes) "
            "SELECT id + :shift, partnership_id, :survey, :version, instance_id || '-2', "
            "'B' || substr(reference, 2), language, channel, submitted_at, attributes "
            "FROM response WHERE survey_id = 1"
        ),
        {"shift": shift, "survey": second.survey.id, "version": second.version.id},
    )
    session.execute(
        text(
            "INSERT INTO answer (response_id, question, position, value) "
            "SELECT response_id + :shift, question, position, value FROM answer"
        ),
        {"shift": shift},
    )
    columns = [c.name for c in TextUnitRow.__table__.columns]
    copied = {"id": "id + :units", "response_id": "response_id + :shift", "survey_id": ":survey"}
    session.execute(
        text(
            f"INSERT INTO text_unit ({', '.join(columns)}) "
            f"SELECT {', '.join(copied.get(c, c) for c in columns)} "
            "FROM text_unit WHERE survey_id = 1"
        ),
        {"units": units, "shift": shift, "survey": second.survey.id},
    )
    db.commit()
    # libraries and definitions loaded before measuring, as in a serving process
    import scipy.stats  # noqa: F401

    definition_of(second.version)
    started = time.perf_counter()
    study = services.create_study(session, partnership.id, "Bench", None)
    services.add_wave(session, study, session.get(type(second.survey), 1), None, "1")
    services.add_wave(session, study, second.survey, None, "2")
    found = services.trend_of(session, study)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "size": sum(c.total for c in found.counts if c is not None)}


def measure(kind: str, url: str, folder: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, url, str(folder / f"out-{kind}")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "CONSULT_INSTANCE_PATH": str(folder / "instance")},
    )
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(smoke: bool = False, sizes=None, kinds=KINDS) -> str:
    """Seed each size, measure the summary and the full report; a markdown section."""
    rows = []
    languages: set[int] = {0}
    for count in sizes or (SMOKE_SIZES if smoke else SIZES):
        with tempfile.TemporaryDirectory(prefix="consult-bench-analysis-") as tmp:
            folder = Path(tmp)
            url = f"sqlite:///{folder / 'bench.sqlite3'}"
            seeded = seed(url, count)
            for kind in kinds:
                figures = measure(kind, url, folder)
                languages.add(figures.get("languages", 0))
                ok = figures["seconds"] < TARGETS[kind] and figures["peak_mb"] < MEMORY_TARGET_MB
                responses = f"2 × {count:,}" if kind == "waves" else f"{count:,}"
                units = 4 * count if kind == "waves" else 2 * count
                rows.append(
                    f"| {kind} | {responses} | {units:,} | {figures['seconds']:.2f} | "
                    f"< {TARGETS[kind]:.0f} s | {figures['peak_mb']:.0f} | "
                    f"{figures['before_mb']:.0f} | "
                    f"{seeded:.0f} | {'yes' if ok else '**no**'} |"
                )
    return "\n".join(
        [
            "## Theme summary, publication, re-derivation and waves",
            "",
            "Summary = respondents and their units' stored theme keys loaded from SQLite and "
            "aggregated (prevalence with Wilson intervals, three breakdowns, language, source, "
            "sentiment). "
            "Report = what publishing does — the summary aggregated once, its counts "
            "protected (random rounding, the exact integer audit) and worded in every report "
            f"language (all complete catalogues: {max(languages)} languages), stored with its "
            "version — then, for English, report.html, report.pdf, every chart as PNG and SVG, "
            "and the CSV tables. Withdrawal = after that publication, one respondent withdraws: "
            "the time to re-derive it (new draws, audited alone and against the first version "
            "by linear programs, every language), which the next reader waits for. Waves = a "
            "study of two waves (the survey and a copy of it, 2 × N responses with their "
            "units and breakdown answers): each wave counted (respondents, themes, every "
            "choice question of the first wave), protected with the ledger, and compared "
            "(shares, intervals, z and chi-square tests). Each in its own process.",
            "",
            "| what | responses | text units | seconds | target | peak MB | before MB "
            "| seed s | ok |",
            "|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Memory target: peak < {MEMORY_TARGET_MB} MB.",
            "",
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument(
        "--sizes", type=int, nargs="+", help="responses to seed (default 10,000 100,000)"
    )
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=KINDS)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "URL", "OUT"))
    arguments = parser.parse_args()
    if arguments.child:
        child(*arguments.child)
    else:
        print(main(arguments.smoke, arguments.sizes, tuple(arguments.kinds)))
