"""The engine is pure: it imports nothing outside the Python standard library and itself (style.md principle 1)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ENGINE_DIR = Path(__file__).resolve().parents[2] / "assessments" / "engine"
MODULES = sorted(ENGINE_DIR.glob("*.py"))


def imported_names(path: Path) -> list[tuple[int, str]]:
    """Top-level package of every absolute import in the module (relative imports stay inside the engine)."""
    names: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.lineno, node.module))
    return names


def test_the_engine_package_has_modules_to_check() -> None:
    assert {"analysis.py", "catalog.py", "planner.py", "types.py", "__init__.py"} <= {p.name for p in MODULES}


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_engine_module_imports_only_the_standard_library_or_the_engine(path: Path) -> None:
    foreign = [
        f"{path.name}:{line} imports {name}"
        for line, name in imported_names(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != "__future__"
        and not name.startswith("assessments.engine")
    ]
    assert foreign == []
