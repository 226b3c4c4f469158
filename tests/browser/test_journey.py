"""The key journey of a case worker, in a real browser: log in, register a person
with a name in two scripts, open a case, add a note, find the person again by another
spelling and by the Arabic script; then the same case page in Arabic (right to left)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    # The live server serves static files from the apps through staticfiles' finders;
    # nothing is collected into STATIC_ROOT for tests, so WhiteNoise, starting in the
    # live server, warns that STATIC_ROOT does not exist. Harmless here and only here.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"  # --bs-primary, the navbar's background
NOTE = "Met at the shelter.\nNeeds a lawyer before the hearing on Monday."


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Carmen Ruiz")


def assert_styled(page: Page) -> None:
    """Bootstrap and amparo.css are served and applied, not just linked."""
    navbar = page.get_by_role("navigation", name="Main")
    expect(navbar).to_have_css("background-color", BOOTSTRAP_PRIMARY)
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_have_css("position", "absolute")  # .visually-hidden-focusable


def search(page: Page, query: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="People"
    ).click()
    page.get_by_label("Find a person by name, in any spelling or script").fill(query)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=f"Results for “{query}”")).to_be_visible()


def test_register_open_case_note_and_find(
    browser_page: Page, caseworker_login: tuple[str, str], artifacts: Path
) -> None:
    page = browser_page
    log_in(page, *caseworker_login)
    assert_styled(page)

    # Register the person, with his name as he writes it in Arabic too.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Register a person"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a person")
    first = page.get_by_role("group", name="Name 1")
    expect(first.get_by_label("Kind")).to_have_value("primary")
    first.get_by_label("Given names").fill("Mohamed")
    first.get_by_label("Family names").fill("Al Hassan")
    second = page.get_by_role("group", name="Name 2")
    second.get_by_label("Given names").fill("محمد")
    second.get_by_label("Family names").fill("الحسن")
    second.get_by_label("Kind").select_option("transliteration")
    second.get_by_label("Language of the name").select_option("ar")
    page.get_by_role("combobox", name="Sex", exact=True).select_option("M")
    page.screenshot(path=artifacts / "register-form.png", full_page=True)
    page.get_by_role("button", name="Register", exact=True).click()

    # The person's page.
    expect(page).to_have_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("status")).to_have_text("The person is registered.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mohamed Al Hassan")
    names = page.locator("main ul").first.get_by_role("listitem")
    expect(names).to_have_count(2)
    expect(names.nth(0)).to_contain_text("Mohamed Al Hassan")
    expect(names.nth(1)).to_contain_text("محمد الحسن")
    expect(names.nth(1)).to_contain_text("Other spelling or script")
    expect(page.locator("dt:text-is('Sex') + dd")).to_have_text("Male")

    # Open a case.
    page.get_by_role("link", name="Open a case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Open a case for Mohamed Al Hassan"
    )
    page.get_by_role("group", name="Case types").get_by_label("Detention").check()
    page.get_by_label("Risk level").select_option(label="High")
    page.get_by_label("Reason for opening").fill(
        "Held at the border post without access to a lawyer."
    )
    # He has no lawful basis for case management recorded yet: it comes with the case.
    page.get_by_label("Lawful basis for case management").select_option(label="Consent")
    page.get_by_label("How consent was obtained").select_option(label="Oral")
    page.get_by_label("Given by").select_option(label="The person")
    page.get_by_role("button", name="Open the case").click()

    # The case page.
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Case \S+$"))
    reference = heading.inner_text().removeprefix("Case ")
    expect(page.get_by_role("status")).to_have_text(f"Case {reference} is open.")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Risk: High")
    expect(main).to_contain_text("Types: Detention")
    expect(main).to_contain_text(
        "Reason for opening: Held at the border post without access to a lawyer."
    )
    notes = page.get_by_role("region", name="Notes")
    timeline = page.get_by_role("region", name="Timeline")
    expect(notes).to_contain_text("No notes yet.")
    expect(timeline.get_by_role("listitem")).to_have_text([re.compile("Case opened")])

    # Add a note.
    notes.get_by_label("New note").fill(NOTE)
    notes.get_by_role("button", name="Add note").click()
    notes = page.get_by_role("region", name="Notes")
    timeline = page.get_by_role("region", name="Timeline")
    note = notes.get_by_role("article")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Carmen Ruiz")
    expect(note.locator(".note-body")).to_have_text(NOTE)
    expect(timeline.get_by_role("listitem")).to_have_text(
        [re.compile("Note added"), re.compile("Case opened")]
    )
    expect(timeline.get_by_role("listitem").first).to_contain_text("Carmen Ruiz")
    assert_styled(page)
    case_url = page.url
    page.screenshot(path=artifacts / "case-en.png", full_page=True)

    # Find him again by another spelling, and by the Arabic script.
    search(page, "Muhammad Alhassan")
    result = page.get_by_role("link", name="Mohamed Al Hassan")
    expect(result).to_have_count(1)
    search(page, "محمد الحسن")
    expect(page.get_by_role("link", name="Mohamed Al Hassan")).to_have_count(1)
    page.screenshot(path=artifacts / "search-arabic.png", full_page=True)
    page.get_by_role("link", name="Mohamed Al Hassan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mohamed Al Hassan")
    expect(page.get_by_role("link", name=reference)).to_be_visible()

    # The case page in Arabic reads right to left, with Bootstrap's RTL stylesheet.
    page.goto(case_url)
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.url == case_url
    expect(page.locator('link[href$="bootstrap.rtl.min.css"]')).to_have_count(1)
    navbar = page.get_by_role("navigation").first
    expect(navbar).to_have_css("background-color", BOOTSTRAP_PRIMARY)
    expect(page.locator("body")).to_have_css("direction", "rtl")
    expect(page.locator(".note-body").last).to_have_text(NOTE)
    page.screenshot(path=artifacts / "case-ar.png", full_page=True)


def test_login_by_keyboard(
    browser_page: Page, caseworker_login: tuple[str, str]
) -> None:
    """From the top of the login page, Tab reaches the skip link first, then the
    username, the password and the Log in button in that order; Enter submits."""
    page = browser_page
    username, password = caseworker_login
    page.goto("/accounts/login/")
    assert_styled(page)
    # The login form puts the focus in the username field on load (Django's
    # autofocus), past the skip link; go back to the top of the document.
    # Focusing the body moves Chromium's sequential-focus starting point there.
    page.evaluate(
        """() => {
        const body = document.body;
        body.tabIndex = -1;
        body.focus();
        body.removeAttribute("tabindex");
    }"""
    )

    wanted = ["skip", "username", "password", "submit"]
    reached: list[str] = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                """() => {
                const el = document.activeElement;
                if (el.matches('a[href="#main"]')) return 'skip';
                if (el.name === 'username') return 'username';
                if (el.name === 'password') return 'password';
                if (el.matches('button[type=submit]')
                    && el.textContent.trim() === 'Log in') return 'submit';
                return el.tagName.toLowerCase();
            }"""
            )
        )
        if reached[-1] == "skip":
            # The skip link shows itself when it has the focus.
            skip = page.get_by_role("link", name="Skip to main content")
            expect(skip).to_be_focused()
            expect(skip).to_have_css("position", "static")
        if reached[-1] == "submit":
            break
    assert reached[0] == "skip", reached
    assert [r for r in reached if r in wanted] == wanted, reached

    # Back to the password field, type, and submit with Enter.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Carmen Ruiz")
