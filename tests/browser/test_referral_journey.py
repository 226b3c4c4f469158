"""Sharing a case with another agency, in a real browser: the case worker records the
person's consent to be referred, refers the case with two chosen fields, and the other
agency's supervisor sees only those fields and accepts, which opens its own case."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def agencies(transactional_db: None) -> dict[str, object]:
    """Agency A (Carmen, case worker; Dina, DPO, with an agreement to share names and
    sex with agency B) and agency B (Beatriz, supervisor); Carmen's case for Selam."""
    from amparo.accounts.actions import create_agency, create_user
    from amparo.cases.tests.factories import make_case
    from amparo.people.tests.factories import make_person
    from amparo.referrals.actions import record_agreement

    a = create_agency("Agency A", code="a")
    b = create_agency("Agency B", code="b")
    carmen = create_user("carmen", agency=a, role="caseworker", password=PASSWORD)
    dina = create_user("dina", agency=a, role="dpo", password=PASSWORD)
    create_user(
        "beatriz",
        agency=b,
        role="supervisor",
        password=PASSWORD,
        first_name="Beatriz",
        last_name="Soto",
    )
    record_agreement(
        acting_user=dina,
        to_agency=b,
        purpose="Legal aid",
        fields=["names", "sex"],
        safeguards="MoU of 2026, clause 4: confidentiality, no onward sharing.",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=365),
    )
    person = make_person(
        carmen, "Selam", "Tesfaye", sex="F", contact="+251 911 000 000"
    )
    return {"case": make_case(carmen, person=person), "person": person}


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_consent_refer_and_accept(browser_page: Page, agencies) -> None:
    page = browser_page
    person, case = agencies["person"], agencies["case"]

    # The case worker records the person's consent to be referred.
    log_in(page, "carmen")
    page.goto(f"/people/{person.pk}/")
    consents = page.locator("#consents")
    expect(consents).to_contain_text("Referral or transfer to another agency:")
    page.get_by_role("link", name="Record or withdraw").click()
    page.get_by_label("Purpose").select_option(
        label="Referral or transfer to another agency"
    )
    page.get_by_label("Lawful basis").select_option(label="Consent")
    page.get_by_label("How consent was obtained").select_option(
        label="Written (signed form)"
    )
    page.get_by_label("Given by").select_option(label="The person")
    page.locator("#id_obtained_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("The lawful basis is recorded.")

    # She refers the case, sharing the names and sex only.
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Refer or transfer").click()
    page.get_by_label("Recipient agency").select_option(label="Agency B")
    page.get_by_label("Referral (we keep our case)").check()
    page.get_by_label("Names").check()
    page.get_by_label("Sex").check()
    page.get_by_label("Message to the recipient").fill("Needs a lawyer this week.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Referral (we keep our case): Agency A → Agency B"
    )
    expect(page.locator("dl").first).to_contain_text("Waiting for the recipient")

    # The other agency's supervisor sees what was shared, and nothing else.
    log_in(page, "beatriz")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Referrals"
    ).click()
    page.get_by_role("link", name=re.compile(r"\d")).first.click()
    shared = page.locator("#shared")
    expect(shared).to_contain_text("Selam Tesfaye")
    expect(page.locator("main")).not_to_contain_text("+251")
    expect(page.locator("main")).not_to_contain_text(case.reference)
    page.get_by_role("button", name="Accept").click()

    # Her agency's own case, opened from the copy.
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Case B-"))
    expect(page.locator("main")).to_contain_text("Selam Tesfaye")
