"""tools/ensure_chromium.py, which `make test` runs to hand the browser tests a Chromium: the order it looks in."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "ensure_chromium.py"


def fake_browser(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def run(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT)], env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )


def test_chromium_path_comes_first_and_only_the_path_goes_to_stdout(tmp_path):
    chosen = fake_browser(tmp_path / "mine", "my-chromium")
    done = run(CHROMIUM_PATH=str(chosen))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{chosen}\n"
    assert "$CHROMIUM_PATH" in done.stderr


def test_a_chromium_path_that_is_no_program_falls_back_to_the_systems(tmp_path):
    system = fake_browser(tmp_path / "bin", "chromium")
    done = run(CHROMIUM_PATH=str(tmp_path / "missing"), PATH=f"{system.parent}{os.pathsep}{os.environ['PATH']}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(system)
    assert "is not an executable file" in done.stderr
