"""The respondent wing has one data regime: Core statements on the request's connection
(no ORM session), SQL only in its service modules, and one commit per request."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import event

from tests.consult.walker import fields_of, fill, start

ROOT = Path(__file__).resolve().parents[3]
WING = [
    *sorted((ROOT / "consult" / "survey").glob("*.py")),
    *sorted((ROOT / "consult" / "api").glob("*.py")),
]
ROUTE_MODULES = ["survey/routes.py", "survey/withdraw.py", "survey/busy.py", "api/routes.py"]
SERVICES_OF_STORED_SURVEYS = "survey/services.py"  # researchers' imports, with a session
SQL = re.compile(r"(?<![\w.])(select|insert|update|delete|text)\(|\.execute\(|\.scalars?\(")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT / "consult"))


def test_the_respondent_wing_holds_no_orm_session_and_no_bridge():
    for path in WING:
        if _name(path) == SERVICES_OF_STORED_SURVEYS:
            continue
        source = path.read_text(encoding="utf-8")
        assert "db.session()" not in source, _name(path)
        assert "consult.connections" not in source, _name(path)
        assert "isinstance(survey" not in source and "isinstance(draft" not in source


def test_route_modules_hold_no_sql():
    for name in ROUTE_MODULES:
        source = (ROOT / "consult" / name).read_text(encoding="utf-8")
        assert "sqlalchemy" not in source, name
        assert not SQL.search(source), (name, SQL.search(source))


def test_the_checks_see_sql_and_sessions():
    assert SQL.search("connection.execute(_SAVE, values)")
    assert SQL.search("select(Survey)")
    assert SQL.search((ROOT / "consult" / "survey" / "records.py").read_text(encoding="utf-8"))


class _Commits:
    """Commits on the app's engines (both pools), counted per request."""

    def __init__(self, app):
        self.engines = {
            app.extensions["consult.engine"],
            app.extensions["consult.autocommit_engine"],
        }
        self.count = 0

    def _commit(self, _connection):
        self.count += 1

    def __enter__(self):
        for engine in self.engines:
            event.listen(engine, "commit", self._commit)
        return self

    def __exit__(self, *_exc):
        for engine in self.engines:
            event.remove(engine, "commit", self._commit)


def test_every_page_posted_commits_once_up_to_the_submission(app, client):
    page = start(client, "needs-assessment", "en")
    posts = 0
    with _Commits(app) as commits:
        for _ in range(60):
            action = re.search(r'action="([^"]+/p/\d+)"', page.text).group(1)
            before = commits.count
            response = client.post(action, data=fill(fields_of(page.text), "Rent is too high."))
            posts += 1
            assert commits.count - before == 1, (action, commits.count - before)
            if response.status_code == 200:
                page = response  # skip logic showed more questions on the same page
                continue
            assert response.status_code == 302, response.text[:2000]
            if response.headers["Location"].endswith("/done"):
                break
            before = commits.count
            page = client.get(response.headers["Location"])
            assert commits.count == before  # a page shown writes nothing
        else:
            raise AssertionError("survey did not finish")
    assert posts >= 3
    assert client.get(response.headers["Location"]).status_code == 200
