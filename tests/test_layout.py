"""Imports point one way: consult imports forms and analysis, never the reverse."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"flask", "flask_babel", "flask_wtf", "sqlalchemy", "alembic", "consult", "werkzeug"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", ["forms", "analysis"])
def test_pure_packages_never_import_the_web_or_the_database(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN)
        for path in (ROOT / package).rglob("*.py")
        if imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}


CROSS_CUTTING_TESTS = {
    "test_access_matrix.py",  # every route, every role
    "test_app.py",  # create_app and its configuration
    "test_crash.py",  # a real server killed under load
    "test_csrf.py",  # one CSRF check before every view that takes a form
    "test_hostile_input.py",  # BLNS through every public input
    "test_cli_coverage.py",  # the command line across packages
    "test_ids_in_urls.py",  # every route's id converters
    "test_production.py",  # production settings: keys, cookies, HSTS
    "test_spreadsheet_safety.py",  # every CSV and XLSX Consult writes
    "test_trusted_proxies.py",  # rate limits behind a proxy, across the app
}
"""Tests of the whole application, at the top of tests/consult/."""


def test_consult_tests_mirror_the_source_tree():
    """tests/consult/<package>/ for a package, test_<module>.py for a module (or folder)."""
    tests = ROOT / "tests" / "consult"
    strays = [
        str(path.relative_to(ROOT))
        for path in tests.iterdir()
        if (
            path.is_dir()
            and (path / "__init__.py").exists()
            and not (ROOT / "consult" / path.name).is_dir()
        )
        or (
            path.name.startswith("test_")
            and path.suffix == ".py"
            and path.name not in CROSS_CUTTING_TESTS
            and not (ROOT / "consult" / path.name.removeprefix("test_")).exists()
            and not (ROOT / "consult" / path.stem.removeprefix("test_")).is_dir()
        )
    ]
    assert strays == [], (
        "put a package's tests in tests/consult/<package>/, a module's in "
        "tests/consult/test_<module>.py, or list a test of the whole app in CROSS_CUTTING_TESTS"
    )


def _package_imports() -> dict[str, set[str]]:
    """consult's feature packages (its folders) -> the others each imports, anywhere in it
    (a package's ``models`` module, its tables, is shared data and not counted)."""
    consult = ROOT / "consult"
    packages = {p.name for p in consult.iterdir() if (p / "__init__.py").exists()}
    graph: dict[str, set[str]] = {name: set() for name in packages}
    for name in packages:
        for path in (consult / name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    parts = node.module.split(".")
                    if parts[-1] == "models":
                        continue  # the tables are the shared layer: any package may read them
                    targets = [parts[1]] if parts[0] == "consult" and len(parts) > 1 else []
                    if node.module == "consult":
                        targets = [alias.name for alias in node.names]
                    graph[name] |= {t for t in targets if t in packages and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """A cycle of the graph as a path (empty when there is none)."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target, [*path, target])
                if found:
                    return found
        state[node] = "done"
        return []

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return []


def test_feature_packages_import_each_other_without_loops():
    """survey/ may use coding/, never the reverse; no chain of imports comes back."""
    graph = _package_imports()
    assert "coding" in graph["survey"]  # the check sees real imports
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_loop():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


SQL_CALL = re.compile(
    r"(?<![\w.])(?<!def )(select|insert|update|delete|text)\(|\.execute\(|\.scalars?\("
)


def route_modules() -> list[Path]:
    """Every module that defines views: ``routes.py``, ``*_routes.py`` and blueprints."""
    return sorted(
        path
        for path in (ROOT / "consult").rglob("*.py")
        if "migrations" not in path.parts and "@bp.route(" in path.read_text(encoding="utf-8")
    )


def test_no_route_module_holds_sql():
    """Views are thin: every statement lives in a service or query module."""
    offenders = {
        str(path.relative_to(ROOT)): SQL_CALL.search(source).group(0)
        for path in route_modules()
        if SQL_CALL.search(source := path.read_text(encoding="utf-8"))
        or "from sqlalchemy" in source
    }
    assert offenders == {}
    assert len(route_modules()) >= 20


def test_the_sql_check_sees_statements():
    assert SQL_CALL.search("db.session().scalars(select(Survey))")
    assert SQL_CALL.search("connection.execute(_SAVE)")
    assert not SQL_CALL.search("services.delete_survey(db, survey)")
    assert not SQL_CALL.search("def delete(slug: str):")
