"""The layers hold: no file imports a part that docs/architecture.json says it must never reach (style.md, "Shape").

Bottom-up: clinic < catalog < patients < assessments < operations; the engine (assessments/engine/) imports nothing of
the project. A file belongs to the part whose listed path holds it most closely; every import counts, a lazy one
inside a function too.
"""

import ast
import json
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOARD = json.loads((ROOT / "docs" / "architecture.json").read_text(encoding="utf-8"))

# Imports that break a rule today, each with who removes it. The test fails when one is gone: strike it here then.
PENDING: set[tuple[str, str]] = set()  # imports that break a rule and are known, each with the reason


def part_of(path: str) -> str | None:
    """The part whose longest listed path holds `path` (a file, or a folder ending in /)."""
    holders = [
        (len(listed), name)
        for name, part in BOARD["parts"].items()
        for listed in part["is"]
        if path == listed or (listed.endswith("/") and path.startswith(listed))
    ]
    return max(holders)[1] if holders else None


def files_of(part: str) -> list[str]:
    found = {
        path.relative_to(ROOT).as_posix()
        for listed in BOARD["parts"][part]["is"]
        for path in ((ROOT / listed).rglob("*.py") if listed.endswith("/") else [ROOT / listed])
    }
    return sorted(path for path in found if part_of(path) == part)


def _module_file(module: str) -> str | None:
    stem = module.replace(".", "/")
    for candidate in (f"{stem}.py", f"{stem}/__init__.py"):
        if (ROOT / candidate).is_file():
            return candidate
    return None


@cache
def imported_files(path: str) -> frozenset[str]:
    """The files of this tree that the module at `path` imports."""
    package = Path(path).parent.parts
    modules: list[str] = []
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            modules.append(module)
            modules.extend(f"{module}.{alias.name}" for alias in node.names)
    return frozenset(file for file in map(_module_file, modules) if file is not None)


def broken(source: str, target: str) -> list[tuple[str, str]]:
    return [
        (file, imported)
        for file in files_of(source)
        for imported in imported_files(file)
        if part_of(imported) == target
    ]


def test_every_part_holds_files() -> None:
    assert all(files_of(part) for part in ("Base", "Catalog", "Patients", "Assessments", "Engine", "Operations"))


@pytest.mark.parametrize(("source", "target", "why"), BOARD["never"], ids=[f"{s}-{t}" for s, t, _ in BOARD["never"]])
def test_no_part_imports_what_it_must_never_reach(source: str, target: str, why: str) -> None:
    assert [pair for pair in broken(source, target) if pair not in PENDING] == [], why


def test_every_pending_import_is_still_there() -> None:
    every_broken = {pair for source, target, _ in BOARD["never"] for pair in broken(source, target)}
    assert PENDING - every_broken == set(), "Fixed: strike these from PENDING."
