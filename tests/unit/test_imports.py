"""The import structure holds: every third-party import is a declared dependency of the part that
makes it, the domain package never imports Airflow, nothing in production imports the simulator,
and the domain package's modules import each other without cycles."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"ai_visibility", "ai_visibility_airflow", "tests", "process_org", "schedule_orgs"}
DOMAIN = ROOT / "include" / "ai_visibility"
SIMULATOR = DOMAIN / "simulator"


def _normalise(requirement: str) -> str:
    name = re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    core = {_normalise(r) for r in project["project"]["dependencies"]}
    airflow = core | {_normalise(r) for r in project["project"]["optional-dependencies"]["airflow"]}
    dev = airflow | {_normalise(r) for r in project["dependency-groups"]["dev"]}
    return {"core": core, "airflow": airflow, "dev": dev}


def _part(path: Path) -> str:
    relative = path.relative_to(ROOT).parts
    if relative[0] == "tests":
        return "dev"
    return "core" if relative[:2] == ("include", "ai_visibility") else "airflow"


def _python_files() -> Iterator[Path]:
    for folder in ("include", "dags", "plugins", "tests"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def _imports(path: Path, module_level_only: bool = False) -> Iterator[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if module_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT / "include").with_suffix("").parts).removesuffix(".__init__")


def test_every_third_party_import_is_declared_for_the_part_that_imports_it() -> None:
    declared = _declared()
    providers = packages_distributions()
    undeclared = set()
    for path in _python_files():
        for module in _imports(path):
            top = module.split(".")[0]
            if top in FIRST_PARTY or top in sys.stdlib_module_names:
                continue
            distributions = {_normalise(d) for d in providers.get(top, [])}
            if not distributions & declared[_part(path)]:
                undeclared.add(f"{path.relative_to(ROOT)} imports {module} (from {sorted(distributions) or '?'})")
    assert sorted(undeclared) == []


def test_the_domain_package_never_imports_airflow_or_its_adapters() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in DOMAIN.rglob("*.py")
        for module in _imports(path)
        if module.split(".")[0] in ("airflow", "ai_visibility_airflow")
    ]
    assert leaks == []


def test_no_production_module_imports_the_simulator() -> None:
    production = [p for folder in ("include", "dags", "plugins") for p in (ROOT / folder).rglob("*.py")]
    importers = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in production
        if not path.is_relative_to(SIMULATOR)
        for module in _imports(path)
        if module == "ai_visibility.simulator" or module.startswith("ai_visibility.simulator.")
    ]
    assert importers == []


# What each package's docstring says it may import from the domain package (besides itself).
ALLOWED = {
    "ai_visibility.ai": {"ai_visibility.errors", "ai_visibility.env_connections"},
    "ai_visibility.db": {"ai_visibility.errors", "ai_visibility.env_connections"},
    "ai_visibility.extraction": {"ai_visibility.ai", "ai_visibility.errors"},
    "ai_visibility.evaluation": {"ai_visibility.extraction"},
    "ai_visibility.demo": set(),
    "ai_visibility.report": set(),
}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_what_its_docstring_allows(package: str) -> None:
    allowed = {package, *ALLOWED[package]}
    folder = ROOT / "include" / Path(*package.split("."))
    outside = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in folder.rglob("*.py")
        for module in _imports(path)
        if module.startswith("ai_visibility") and not any(module == a or module.startswith(a + ".") for a in allowed)
    ]
    assert outside == []


def test_the_domain_modules_import_each_other_without_cycles() -> None:
    graph = {
        _module_name(path): {m for m in _imports(path, module_level_only=True) if m.startswith("ai_visibility.")}
        for path in DOMAIN.rglob("*.py")
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done or module not in graph:
            return
        if module in visiting:
            pytest.fail("import cycle: " + " -> ".join([*visiting[visiting.index(module) :], module]))
        visiting.append(module)
        for imported in graph[module]:
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in graph:
        visit(module)


@pytest.mark.parametrize("package", ["extraction", "ai"])
def test_extraction_and_the_ai_layer_load_nothing_that_touches_a_database(package: str) -> None:
    modules = sorted(_module_name(p) for p in (DOMAIN / package).rglob("*.py"))
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'psycopg')"
        " or m.startswith('ai_visibility.db'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
