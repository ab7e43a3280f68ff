"""Guard the architecture (docs/architecture.md): packages and sub-packages import one way only,
no module imports in a circle or takes another module's private names, and every third-party
library has one declared home."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("ontology", "kg", "ingest", "web")
#: Packages in order: each may import only those before it (ontology is data only).
PACKAGES = ("ontology", "kg", "ingest", "web")
#: The sub-packages of kg in layers: a module may import its own sub-package and lower layers only,
#: never a sibling of its own layer.
KG_LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"kg.errors", "kg.settings", "kg.memory"}),
    frozenset({"kg.rdf"}),
    frozenset({"kg.store"}),
    frozenset({"kg.read"}),
    frozenset({"kg.sparql", "kg.search", "kg.network"}),
)
#: Most modules directly in kg/ (the rest live in sub-packages that say what they are for).
KG_TOP_MODULES = 10
#: The one home of each third-party library we use: the modules or packages allowed to import it.
HOMES: dict[str, set[str]] = {
    "rdflib": {"kg", "ingest", "web.results_table"},  # the data model's terms; the editor parses graph answers
    "pyoxigraph": {"kg.store"},
    "pyshacl": {"kg.store.validate"},
    "whoosh": {"kg.search"},
    "networkx": {"kg.network.graph"},
    "pyvis": {"kg.network.views"},
    "pdfplumber": {"ingest.formats.pdf"},
    "docx": {"ingest.formats.word", "ingest.synthetic.files"},  # the reader; the generator's writer
    "flask": {"web"},
    "werkzeug": {"web.errors"},
    "click": {"web.cli"},
    "waitress": {"web.cli"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in OURS for p in (ROOT / package).rglob("*.py")}


def imported(path: Path) -> list[tuple[str, list[str]]]:
    """Return (module, names) for every import in a file, at any depth (function-level imports count);
    relative imports are resolved against the file's package."""
    found = []
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1]
            found.append((".".join([*base, *([node.module] if node.module else [])]), [a.name for a in node.names]))
    return found


def our_target(module: str, names: list[str]) -> set[str]:
    """Resolve an import to our modules: `from kg.store import base` names the module kg.store.base."""
    targets = {module} if module in MODULES else set()
    targets |= {f"{module}.{name}" for name in names if f"{module}.{name}" in MODULES}
    return targets


GRAPH = {name: set().union(*[our_target(m, n) for m, n in imported(path)] or [set()]) - {name}
         for name, path in MODULES.items()}


def in_prefix(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def kg_layer(module: str) -> tuple[int, str] | None:
    for level, group in enumerate(KG_LAYERS):
        for unit in group:
            if in_prefix(module, unit):
                return level, unit
    return None


def test_packages_import_one_way() -> None:
    for name, targets in GRAPH.items():
        package = PACKAGES.index(name.split(".")[0])
        for target in targets:
            assert PACKAGES.index(target.split(".")[0]) <= package, f"{name} imports {target}"


def test_kg_sub_packages_import_lower_layers_only() -> None:
    unplaced = [m for m in MODULES if m.startswith("kg.") and kg_layer(m) is None]
    assert not unplaced, f"modules of kg in no layer: {unplaced}"
    for name, targets in GRAPH.items():
        if not name.startswith("kg."):
            continue
        level, unit = kg_layer(name)  # type: ignore[misc]
        for target in targets:
            if target == "kg" or not target.startswith("kg."):
                continue
            their_level, their_unit = kg_layer(target)  # type: ignore[misc]
            assert their_unit == unit or their_level < level, f"{name} (layer {level}) imports {target}"


def test_the_generator_sits_on_top_of_ingest() -> None:
    for name, targets in GRAPH.items():
        if name.startswith("ingest.") and not in_prefix(name, "ingest.synthetic"):
            assert not any(in_prefix(t, "ingest.synthetic") for t in targets), f"{name} imports the generator"


def test_no_import_circles() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert not circles, f"modules importing each other in a circle: {circles}"


def test_no_module_imports_another_modules_private_names() -> None:
    for name, path in MODULES.items():
        for module, names in imported(path):
            if module.split(".")[0] in OURS:
                private = [n for n in names if n.startswith("_") and n != "__version__"]
                assert not private, f"{name} imports {private} from {module}"


def third_party(module: str) -> str | None:
    top = module.split(".")[0]
    return None if top in OURS or top in sys.stdlib_module_names or top == "__future__" else top


def test_every_third_party_library_has_one_declared_home() -> None:
    for name, path in MODULES.items():
        for module, _ in imported(path):
            library = third_party(module)
            if library is None:
                continue
            assert library in HOMES, f"{name} uses {library}, which has no declared home in HOMES"
            assert any(in_prefix(name, home) for home in HOMES[library]), (
                f"{name} imports {library}, whose home is {sorted(HOMES[library])}")


def test_kg_keeps_few_modules_at_its_top() -> None:
    top = [p.name for p in (ROOT / "kg").glob("*.py")]
    assert len(top) <= KG_TOP_MODULES, top


def test_errors_sit_at_the_bottom() -> None:
    assert GRAPH["kg.errors"] == set()


@pytest.mark.parametrize("package", ["kg", "ingest", "web"])
def test_modules_stay_small(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 450, path


@pytest.mark.parametrize("package", sorted({m.rsplit(".", 1)[0] for m in MODULES if m.count(".") >= 1}
                                           | {"kg", "ingest", "web"}))
def test_every_package_says_what_it_is_for(package: str) -> None:
    init = ROOT / package.replace(".", "/") / "__init__.py"
    assert init.exists() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), package
