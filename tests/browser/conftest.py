"""Fixtures for real-browser tests: the app on a live server, Debian's Chromium driven by Playwright (sync API).

Use them like this::

    @pytest.mark.browser
    def test_something(logged_in_page, practitioner, live_app):
        patient = PatientFactory(clinic=practitioner.clinic)   # saved in the test database the server reads
        logged_in_page.goto(f"/patients/{patient.pk}/")          # relative URLs resolve against the live server
        expect(logged_in_page.get_by_role("heading", level=1)).to_have_text(patient.full_name)

Rows made after a page was shown appear only after page.goto()/page.reload(): `logged_in_page` already shows the list.

- `browser`         one Chromium for all of tests/browser (/usr/bin/chromium or $CHROMIUM_PATH); missing = failure.
- `live_app`        the base URL of pytest-django's live server; makes the test transactional and the catalog present.
- `page`            a fresh browser context and page (base_url = live_app); its last screen is saved as
                    test-artifacts/browser/<test name>.png when the test ends, passed or failed.
- `practitioner`    a clinic and a practitioner login in it (`.clinic`, `.user`, `.username`, `.password`).
- `sign_in`         sign_in(username, password=PASSWORD) signs `page` in through the real login form.
- `logged_in_page`  `page`, signed in as `practitioner` through the real login form, showing the patient list.

The live server shares the test database, so tests are transactional (the database is flushed after each one). The
clinical catalog is loaded by a data migration, so a flush would remove it: `live_app` loads it when it is missing,
and tests/conftest.py loads it again after the flush, so every test that follows still sees it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.conftest import ensure_catalog
from tests.factories import ClinicFactory, MembershipFactory

# `make test` finds or installs a Chromium (tools/ensure_chromium.py) and passes it as CHROMIUM_PATH.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium keeps calling home on a network that is closed here.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"  # the password tests.factories.UserFactory sets
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
TIMEOUT_MS = 10_000  # a step that has not happened after 10 s will not happen

expect.set_options(timeout=TIMEOUT_MS)


# --- the browser ---------------------------------------------------------------------------------------------------


# Package scope, not session: one Playwright and one Chromium for all of tests/browser (its tests run one after the
# other), stopped as soon as the last of them ends, so nothing of it outlives the browser tests (see below).
@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run the suite with `make test` (tools/ensure_chromium.py finds "
            "or installs one), or set CHROMIUM_PATH to a Chromium binary.",
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio loop running in the main thread from start() until stop(), and Django's
    # ORM refuses to run while it sees one: allow it for exactly that time (the ORM is still only used synchronously).
    # The variable must not outlive it: subprocesses of later tests inherit it (`check --deploy` reports async.E001).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    chromium = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


# --- the app ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def live_app(live_server: Any, django_db_blocker: Any) -> str:
    """The live server's base URL, e.g. http://localhost:41234 (no trailing slash)."""
    with django_db_blocker.unblock():
        ensure_catalog()
    return str(live_server.url)


# --- pages -----------------------------------------------------------------------------------------------------------


def _artifact_name(nodename: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", nodename)


@pytest.fixture
def page(browser: Browser, live_app: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh context (own cookies); relative URLs in goto() go to the live server."""
    context = browser.new_context(base_url=live_app, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            new_page.screenshot(path=str(ARTIFACTS / f"{_artifact_name(request.node.name)}.png"), full_page=True)
        except Exception as exc:  # a screenshot must never hide the test's own result
            print(f"could not save a screenshot for {request.node.nodeid}: {exc}")
        context.close()


@dataclass(frozen=True)
class Practitioner:
    clinic: Any
    membership: Any
    user: Any
    username: str
    password: str


@pytest.fixture
def practitioner(live_app: str) -> Practitioner:
    """A clinic with one practitioner who can sign in (saved where the live server sees it)."""
    clinic = ClinicFactory(name="Harbour Street Clinic")
    membership = MembershipFactory(clinic=clinic, user__username="sam.practitioner")
    return Practitioner(clinic, membership, membership.user, membership.user.username, PASSWORD)


def _sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def sign_in(page: Page) -> Callable[..., None]:
    """sign_in(username, password): sign `page` in through the real login form (waits until it has left it)."""

    def sign_in_page(username: str, password: str = PASSWORD) -> None:
        _sign_in(page, username, password)

    return sign_in_page


@pytest.fixture
def logged_in_page(page: Page, practitioner: Practitioner) -> Page:
    """`page` signed in as `practitioner`, showing the patient list."""
    _sign_in(page, practitioner.username, practitioner.password)
    expect(page).to_have_url(re.compile(r"/patients/$"))
    return page
