"""Guard the layering of DESIGN.md section 5: kg uses neither ingest nor web; only web imports Flask."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "kg": {"ingest", "web", "flask", "whoosh_web"},
    "ingest": {"web", "flask"},
    "ontology": {"kg", "ingest", "web", "flask"},
}
#: Each third-party library's one home module (STYLE.md point 3).
# pyoxigraph: the store, the remote store (its parsers) and the answers (its serialisers)
HOMES = {"pyoxigraph": {"kg/store.py", "kg/remote.py", "kg/answers.py"}, "pyshacl": {"kg/validate.py"},
         "pdfplumber": {"ingest/formats/pdf.py"},
         "docx": {"ingest/formats/word.py", "ingest/generate_files.py"}}  # the reader; the generator's writer


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_point_one_way(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        bad = imports(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("library", sorted(HOMES))
def test_third_party_libraries_stay_in_their_home_module(library: str) -> None:
    users = {str(p.relative_to(ROOT)) for package in ("kg", "ingest", "web")
             for p in (ROOT / package).rglob("*.py") if library in imports(p)}
    assert users <= HOMES[library]


def test_modules_stay_small() -> None:
    for package in ("kg", "ingest", "web"):
        for path in (ROOT / package).rglob("*.py"):
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 450, path
