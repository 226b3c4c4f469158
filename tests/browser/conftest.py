"""Fixtures for the real-browser tests: Debian's Chromium driven by Playwright.

The browser is the system one (`apt-get install chromium`, or the binary named by
AMPARO_CHROMIUM), never one downloaded by `playwright install`. Where it is missing the
tests skip, unless AMPARO_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an asyncio event loop in the test thread (on a greenlet).
# Django sees that running loop and refuses the test thread's own, synchronous,
# database work (the fixtures' create_user, pytest-django's flush after each
# transactional test) with SynchronousOnlyOperation, although no coroutine ever
# touches the database. The live server answers requests in its own thread, without a
# loop. So allowing "async-unsafe" calls is safe here; it is set for the browser tests
# only, never in settings.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("AMPARO_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
FAVICON = "/favicon.ico"
PASSWORD = "correct-horse-battery-staple-42"


def _require_chromium() -> None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = (
        f"Chromium not found at {CHROMIUM}: install it (`apt-get install chromium`) "
        "or set AMPARO_CHROMIUM to a Chromium binary"
    )
    if os.environ.get("AMPARO_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (AMPARO_REQUIRE_BROWSER=1)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One Chromium per test module (it takes about a second to start); stopped at the
    module's end so that no event loop outlives the browser tests."""
    _require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(
    chromium: Browser, live_server: LiveServer, transactional_db: None
) -> Iterator[Page]:
    """A fresh page, with its own cookies, on the live server (which needs
    transactional_db: the server thread sees only committed data).

    At teardown, errors if any request of the page failed or answered 4xx/5xx, or the
    page logged an error: a missing stylesheet or a broken script shows up here."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []

    def on_response(response: Response) -> None:
        # Chromium asks for /favicon.ico by itself; the app has none (a 404).
        if response.status >= 400 and not response.url.endswith(FAVICON):
            problems.append(f"{response.status} {response.url}")

    def on_console(message: ConsoleMessage) -> None:
        source = message.location.get("url", "")
        if message.type == "error" and not source.endswith(FAVICON):
            problems.append(f"console error: {message.text} ({source})")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("requestfailed", lambda request: problems.append(f"failed {request.url}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def caseworker_login(transactional_db: None) -> tuple[str, str]:
    """A case worker of a new agency, made through the real actions; returns the
    username and password to log in with."""
    from amparo.accounts.actions import create_agency, create_user
    from amparo.accounts.models import User

    agency = create_agency("Agency A", code="a")
    create_user(
        "carmen",
        agency=agency,
        role=User.Role.CASEWORKER,
        password=PASSWORD,
        first_name="Carmen",
        last_name="Ruiz",
    )
    return "carmen", PASSWORD


@pytest.fixture
def artifacts() -> Path:
    """test-artifacts/ (gitignored), for screenshots to look at after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
