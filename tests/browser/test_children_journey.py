"""An unaccompanied child's case, in a real browser: the case worker identifies the
child, appoints a guardian from the duty it raises, completes a best interests
assessment and submits a BID report; three other members of the team each sign the
undertaking of confidentiality, and the supervisor records the panel's decision."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
ZONE = "America/Mexico_City"
DECISION = "Stay in the country, in foster care with a family."
PANEL = {"diego": "Diego Luna", "elena": "Elena Mora", "sofia": "Sofía Vega"}


@pytest.fixture
def child_case(transactional_db: None) -> object:
    """One team of agency A (which shares cases within teams): Carmen, the case
    worker of the child's case; Diego and Elena, case workers; Sofía, the supervisor."""
    from amparo.accounts.actions import create_agency, create_team, create_user
    from amparo.cases.tests.factories import make_case
    from amparo.people.tests.factories import make_person

    agency = create_agency("Agency A", code="a", team_sharing=True)
    team = create_team(agency, "Children")
    carmen = create_user(
        "carmen",
        agency=agency,
        team=team,
        role="caseworker",
        password=PASSWORD,
        first_name="Carmen",
        last_name="Ruiz",
    )
    for username, name in PANEL.items():
        first, last = name.split()
        create_user(
            username,
            agency=agency,
            team=team,
            role="supervisor" if username == "sofia" else "caseworker",
            password=PASSWORD,
            first_name=first,
            last_name=last,
        )
    born = timezone.localdate() - timedelta(days=15 * 365)
    person = make_person(carmen, "Yonas", "Haile", sex="M", birth_date=born)
    return make_case(carmen, person=person, types=("general",))


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


def fill_when(page: Page, hours_ago: float) -> None:
    page.get_by_label("When").fill(_local(timezone.now() - timedelta(hours=hours_ago)))
    page.get_by_label("Time zone of that time").select_option(ZONE)


def start_fact(page: Page, kind: str) -> None:
    """From the case page, "Record a fact" and the kind's link."""
    page.get_by_role("link", name="Record a fact").click()
    page.get_by_role("link", name=kind, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(kind)


def record(page: Page, kind: str) -> None:
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Recorded: {kind}")


def safeguards(page: Page) -> Locator:
    return page.get_by_role("region", name="Safeguards and deadlines")


def child_section(page: Page) -> Locator:
    return page.get_by_role("region", name="Child and returns")


def test_unaccompanied_child_guardian_bia_and_bid(
    browser_page: Page, child_case
) -> None:
    page = browser_page
    case = child_case
    case_url = f"/cases/{case.pk}/"

    # The case worker identifies an unaccompanied child.
    log_in(page, "carmen")
    page.goto(case_url)
    expect(child_section(page)).to_have_count(0)
    start_fact(page, "Child identified: unaccompanied, separated or other")
    fill_when(page, hours_ago=5)
    # The label reads "Status *" (the star is aria-hidden): by role, as it is heard.
    page.get_by_role("combobox", name="Status", exact=True).select_option(
        label="Unaccompanied child"
    )
    page.get_by_label("Who the child is with").select_option(label="Nobody")
    record(page, "Child identified: unaccompanied, separated or other")
    guardian_duty = safeguards(page).get_by_role("row", name="Appoint a guardian")
    expect(guardian_duty).to_have_count(1)
    expect(child_section(page)).to_contain_text("Unaccompanied child · with Nobody")

    # The guardian, recorded from the duty itself.
    guardian_duty.get_by_role("link", name="Record what was done").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guardian appointed")
    expect(page.get_by_role("main")).to_contain_text("This meets: Appoint a guardian")
    fill_when(page, hours_ago=4)
    page.get_by_label("Guardian (a short id, e.g. G1)").fill("G1")
    page.get_by_label("Type of guardian").select_option(label="A non-relative")
    record(page, "Guardian appointed")
    expect(guardian_duty).to_have_count(0)  # no longer among the live duties
    safeguards(page).get_by_text("met or not applicable").click()
    met = (
        safeguards(page)
        .locator("details")
        .get_by_role("row", name="Appoint a guardian")
    )
    expect(met).to_contain_text("Met")
    expect(child_section(page)).to_contain_text("G1: A non-relative")

    # The best interests assessment, then the BID report.
    start_fact(page, "Best interests assessment (BIA) completed")
    fill_when(page, hours_ago=3)
    page.get_by_label("Form of assessment").select_option(label="Short")
    page.get_by_label("The child's views are recorded").check()
    record(page, "Best interests assessment (BIA) completed")
    expect(child_section(page)).to_contain_text("Short")
    expect(child_section(page)).to_contain_text("the child's views recorded")

    start_fact(page, "BID report submitted to a panel")
    fill_when(page, hours_ago=2)
    page.get_by_label("BID (a short id, e.g. B1)").fill("B1")
    page.get_by_label("What the BID is for").select_option(label="A durable solution")
    record(page, "BID report submitted to a panel")
    expect(child_section(page)).to_contain_text(
        "BID B1 · A durable solution · Report by Carmen Ruiz"
    )
    expect(child_section(page)).to_contain_text("Undertakings signed: 0 / 3")

    # Three other members of the team each sign the undertaking of confidentiality.
    for signed, username in enumerate(PANEL, start=1):
        log_in(page, username)
        page.goto(case_url)
        sign = child_section(page).get_by_role(
            "button", name="Sign the undertaking of confidentiality"
        )
        sign.click()
        expect(page.get_by_role("status")).to_contain_text(
            "You signed the undertaking of confidentiality for this BID."
        )
        expect(child_section(page)).to_contain_text(
            f"Undertakings signed: {signed} / 3"
        )
        expect(sign).to_have_count(0)

    # The supervisor records the panel's decision from the BIDs waiting for one.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="BID panels"
    ).click()
    row = page.get_by_role("row", name=case.reference)
    expect(row).to_contain_text("B1")
    expect(row).to_contain_text("A durable solution")
    expect(row).to_contain_text("Carmen Ruiz")
    expect(row).to_contain_text("3 / 3")
    row.get_by_role("link", name="Record the panel's decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "The BID panel's decision"
    )
    page.get_by_label("The panel's decision").fill(DECISION)
    members = page.get_by_role("group", name="Panel members who decided")
    for name in PANEL.values():
        members.get_by_label(name).check()
    page.get_by_role("button", name="Record the decision").click()

    expect(page).to_have_url(re.compile(f"{case_url}$"))
    expect(page.get_by_role("status")).to_contain_text(
        "The panel's decision is recorded."
    )
    expect(child_section(page)).to_contain_text(f"Decided: {DECISION}")
    expect(
        child_section(page).get_by_role("link", name="Record the panel's decision")
    ).to_have_count(0)
