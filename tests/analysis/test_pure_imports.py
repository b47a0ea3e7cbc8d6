"""analysis/ stays pure: it never imports the web layer or the database."""

import ast
from pathlib import Path

import analysis

FORBIDDEN = {"flask", "sqlalchemy", "consult", "flask_babel", "flask_wtf"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_analysis_imports_no_web_or_database_package():
    package = Path(analysis.__file__).parent
    sources = list(package.rglob("*.py"))
    assert sources
    for source in sources:
        assert not imported_roots(source) & FORBIDDEN, source
