"""Modules use each other's public names only: no ``from graph.x import _helper``, no ``module._helper``.

A test file may reach into the private helpers of the module it is named after (``tests/test_recommend.py`` and
``graph/recommend.py``); nothing else may, the modules of the ``graph.ingest`` package included.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("graph", "cli", "tests", "benchmarks", "machine", "synth", "conftest")


def _sources() -> list[Path]:
    files = [ROOT / "cli.py", ROOT / "conftest.py"]
    for folder in ("graph", "tests", "benchmarks", "scripts"):
        files.extend(sorted((ROOT / folder).rglob("*.py")))
    return [f for f in files if f.exists()]


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _mirrored(path: Path) -> str | None:
    """The module a test file is named after: tests/test_recommend.py -> recommend."""
    if path.parent.name == "tests" and path.name.startswith("test_"):
        return path.stem[len("test_") :]
    return None


def private_imports(path: Path, source: str | None = None) -> list[str]:
    """Every use in ``path`` (or in ``source`` as if it were ``path``) of a private name of another project
    module, as ``file:line: text``."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    here = _module_name(path)
    mirrored = _mirrored(path)
    modules: dict[str, str] = {}  # local alias -> project module it names
    found = []

    def allowed(module: str) -> bool:
        if module == here or (mirrored is not None and module.split(".")[-1] == mirrored):
            return True
        return False

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PROJECT:
                    modules[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            if module.split(".")[0] not in PROJECT:
                continue
            for alias in node.names:
                if _private(alias.name) and not allowed(module):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {module} import {alias.name}")
                elif not _private(alias.name):
                    modules[alias.asname or alias.name] = f"{module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name):
            module = modules.get(node.value.id)
            if module is not None and not allowed(module):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr} ({module})")
    return found


def test_no_module_uses_a_private_name_of_another():
    found = [line for path in _sources() for line in private_imports(path)]
    assert found == [], "\n".join(found)


def test_the_check_sees_private_imports():
    source = "from .scoring import _hidden, features\nfrom graph import scoring\nscoring._other(1)\n_mine = 1\n"
    assert private_imports(ROOT / "graph" / "recommend.py", source) == [
        "graph/recommend.py:1: from graph.scoring import _hidden",
        "graph/recommend.py:3: scoring._other (graph.scoring)",
    ]


def test_doctests_do_not_depend_on_the_current_folder():
    """Doctests reach the fixtures through ``MINI``, ``HISTORY`` and ``REAL`` (the root conftest.py), never through
    ``tests.conftest`` or a path relative to the folder pytest runs in."""
    import re

    pattern = re.compile(r">>> .*(tests\.conftest|(open_model|load_dataset|Path)\([\"'](tests|data)/)")
    found = [
        f"{path.relative_to(ROOT)}:{k}: {line.strip()}"
        for path in sorted((ROOT / "graph").rglob("*.py"))
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == [], "\n".join(found)
