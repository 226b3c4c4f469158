"""A detention's deadlines, in a real browser: the case worker records that the person
was detained, sees the duties it raises on the case page and in her overdue list,
records the screening from the obligation itself, and sees it met."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_referral_journey import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
ZONE = "America/Mexico_City"


@pytest.fixture
def detention_case(transactional_db: None) -> object:
    from amparo.accounts.actions import create_agency, create_user
    from amparo.cases.tests.factories import make_case
    from amparo.people.tests.factories import make_person
    from tests.browser.conftest import PASSWORD

    agency = create_agency("Agency A", code="a")
    carmen = create_user("carmen", agency=agency, role="caseworker", password=PASSWORD)
    person = make_person(carmen, "Wilmer", "Castro", sex="M")
    return make_case(carmen, person=person, types=("detention",))


def _local(moment: object) -> str:
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")  # type: ignore[attr-defined]


def test_record_a_detention_and_meet_a_duty_from_the_worklist(
    browser_page: Page, detention_case
) -> None:
    page = browser_page
    case = detention_case
    detained_at = timezone.now() - timedelta(hours=30)

    log_in(page, "carmen")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Record a fact").click()
    page.get_by_role("link", name="Detention began").click()
    page.get_by_label("When").fill(_local(detained_at))
    page.get_by_label("Time zone of that time").select_option(ZONE)
    page.get_by_label("Place of detention").fill("Estación migratoria, Tapachula")
    page.get_by_label("Time zone of the place").select_option(ZONE)
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Recorded: Detention began")

    # The duties it raised, on the case page; the screening (24 h) is overdue.
    section = page.locator("section", has=page.locator("#safeguards-heading"))
    expect(section).to_contain_text("Vulnerability screening")
    expect(section).to_contain_text("First review of detention")
    expect(page.locator(".timeline")).to_contain_text("Safeguards fact recorded")

    # The overdue list, and the screening recorded from it.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Deadlines"
    ).click()
    page.get_by_role("link", name="Overdue").click()
    row = page.get_by_role("row", name="Vulnerability screening")
    expect(row).to_contain_text(case.reference)
    row.get_by_role("link", name="Record what was done").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Vulnerability screened"
    )
    expect(page.get_by_label("Detention episode")).to_have_value("E1")
    page.get_by_label("When").fill(_local(timezone.now() - timedelta(hours=1)))
    page.get_by_label("Positive: the person is vulnerable").check()
    page.get_by_role("button", name="Record", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Vulnerability screened")
    # Met, late; a positive screen raises the review of alternatives.
    section = page.locator("section", has=page.locator("#safeguards-heading"))
    expect(section).to_contain_text("Review of alternatives to detention")
    page.get_by_text("met or not applicable").click()
    expect(section.locator("details")).to_contain_text("late")
