"""The builders are pure: nothing in assessments/documents imports Django, the ORM or the app's Django modules."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "assessments" / "documents"
ALLOWED_APP_MODULES = {"assessments.body_map"}  # pure Python, shared with the web page
FORBIDDEN_TOP_LEVEL = {"django", "rest_framework", "drf_spectacular", "django_filters", "django_htmx", "clinic",
                       "patients", "psycopg"}  # fmt: skip


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, relative imports resolved against assessments.documents."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ["assessments", "documents"]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - (node.level - 1)] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names]  # `from assessments import models`
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "__import__",
            "import_module",
        ):
            found += [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return found


def test_no_django_orm_or_app_modules_are_imported():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 8
    problems = []
    for path in files:
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN_TOP_LEVEL:
                problems.append(f"{path.name}: {module}")
            elif top == "assessments":
                inside = module.startswith("assessments.documents") or module == "assessments"
                allowed = any(module == m or module.startswith(m + ".") for m in ALLOWED_APP_MODULES)
                if not (inside or allowed):
                    problems.append(f"{path.name}: {module}")
    assert problems == []


def test_the_import_walk_catches_what_it_should(tmp_path):
    sample = tmp_path / "probe.py"  # read as if it were in assessments/documents
    sample.write_text("import django\nfrom assessments import models\nfrom ..models import Visit\n", encoding="utf-8")
    found = imported_modules(sample)
    assert "django" in found
    assert "assessments.models" in found
    assert "assessments.models.Visit" in found


def test_building_a_pdf_loads_no_django_module():
    code = (
        "import sys\n"
        "from assessments.documents import build_home_care_pdf, build_progress_pdf\n"
        "from assessments.documents.samples import sample_home_care_sheet, sample_progress_report\n"
        "assert build_home_care_pdf(sample_home_care_sheet()).startswith(b'%PDF')\n"
        "assert build_progress_pdf(sample_progress_report()).startswith(b'%PDF')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')\n"
        "             or m in ('assessments.models', 'assessments.services', 'assessments.selectors'))\n"
        "sys.exit(bad and f'loaded: {bad}' or 0)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
