"""Find a Chromium for the browser tests, installing one if need be; print its path.

`make test` runs this before the suite and hands the path to the tests as CHROMIUM_PATH. In order:

1. $CHROMIUM_PATH, when it names an executable file;
2. the system's Chromium (chromium, chromium-browser, google-chrome on PATH);
3. Playwright's own Chromium: already downloaded, else `playwright install chromium`;
4. Debian's or Ubuntu's package (`apt-get install chromium`), when running as root.

If none works it says what was tried and how to fix it, and exits with status 1. Messages go to stderr; stdout
carries only the path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_TIMEOUT = 600


def say(message: str) -> None:
    print(f"ensure_chromium: {message}", file=sys.stderr)


def executable(path: str | None) -> str | None:
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def from_environment() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", "").strip()
    if path and not executable(path):
        say(f"CHROMIUM_PATH={path} is not an executable file; looking elsewhere")
    return executable(path)


def from_system() -> str | None:
    for name in SYSTEM_NAMES:
        found = executable(shutil.which(name))
        if found:
            return found
    return None


def playwright_chromium() -> str | None:
    """The Chromium that Playwright downloaded into its own cache, if it is there."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as playwright:
        return executable(playwright.chromium.executable_path)


def from_playwright() -> str | None:
    found = playwright_chromium()
    if found:
        return found
    say("downloading Playwright's Chromium (python -m playwright install chromium)")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            stdout=sys.stderr,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        say(f"playwright install failed: {error}")
        return None
    if done.returncode != 0:
        say(f"playwright install exited with {done.returncode}")
        return None
    return playwright_chromium()


def from_apt() -> str | None:
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() != 0:
        say("not root, so not trying apt-get install chromium")
        return None
    say("installing the system's Chromium (apt-get install chromium)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update", "-qq"], env=env, stdout=sys.stderr, timeout=INSTALL_TIMEOUT, check=True)
        for package in ("chromium", "chromium-browser"):
            install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]
            installed = subprocess.run(install, env=env, stdout=sys.stderr, timeout=INSTALL_TIMEOUT, check=False)
            if installed.returncode == 0:
                break
    except (OSError, subprocess.SubprocessError) as error:
        say(f"apt-get failed: {error}")
        return None
    return from_system()


FINDERS: tuple[tuple[str, Callable[[], str | None]], ...] = (
    ("$CHROMIUM_PATH", from_environment),
    ("the system's Chromium", from_system),
    ("Playwright's Chromium", from_playwright),
    ("apt-get install chromium", from_apt),
)


def main() -> int:
    for label, finder in FINDERS:
        path = finder()
        if path:
            say(f"using {path} ({label})")
            print(path)
            return 0
    say(
        "no Chromium found or installed; the browser tests need one. Tried: "
        + ", ".join(label for label, _ in FINDERS)
        + ". Install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary."
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
