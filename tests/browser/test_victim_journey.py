"""A victim of trafficking's assistance, in a real browser: the case worker screens the
person with the ILO/EC indicators; a supervisor, who did not screen, decides there are
reasonable grounds, which asks for medical, psychosocial and legal assistance to be
offered; the case worker records the person's consent to be referred, refers her to a
clinic and to a legal aid office from the case page, and records each service as
delivered. The medical and legal duties are met; the psychosocial one still waits."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import PASSWORD
from tests.browser.test_referral_journey import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
ZONE = "America/Mexico_City"
CLINIC = "Clínica San Rafael"
LAWYERS = "Abogados Sin Fronteras"
# The providers as the refer form offers them: with the services they give.
OFFERED = {
    CLINIC: f"{CLINIC} (Medical care, Psychosocial support)",
    LAWYERS: f"{LAWYERS} (Legal assistance)",
}
# Adults, labour exploitation: a positive deceptive recruitment (1 strong + 1 medium),
# exploitation (1 strong + 1 medium) and coercion at destination (2 strong).
INDICATORS = {
    "Deceptive recruitment (including transfer and transport)": [
        "Deceived about the nature of the job, location or employer (strong)",
        "Deceived about wages/earnings (medium)",
    ],
    "Exploitation": [
        "Excessive working days or hours (strong)",
        "Low or no salary (medium)",
    ],
    "Coercion at destination": [
        "Confiscation of documents (strong)",
        "Debt bondage (strong)",
    ],
}


@pytest.fixture
def victim_case(transactional_db: None) -> dict[str, object]:
    """Agency A: Carmen, case worker, and Sofía, supervisor of the whole agency, who
    keeps its directory (a clinic, and a legal aid office); Carmen's case for Selam."""
    from amparo.accounts.actions import create_agency, create_user
    from amparo.cases.tests.factories import make_case
    from amparo.people.tests.factories import make_person
    from amparo.services.tests.factories import make_provider

    agency = create_agency("Agency A", code="a")
    carmen = create_user(
        "carmen",
        agency=agency,
        role="caseworker",
        password=PASSWORD,
        first_name="Carmen",
        last_name="Ruiz",
    )
    sofia = create_user(
        "sofia",
        agency=agency,
        role="supervisor",
        password=PASSWORD,
        first_name="Sofía",
        last_name="Vega",
    )
    make_provider(sofia, name=CLINIC, services=("medical", "psychosocial"))
    make_provider(sofia, name=LAWYERS, services=("legal",))
    person = make_person(
        carmen, "Selam", "Tesfaye", sex="F", contact="+251 911 000 000"
    )
    return {"case": make_case(carmen, person=person), "person": person}


def safeguards(page: Page) -> Locator:
    return page.get_by_role("region", name="Safeguards and deadlines")


def duty(page: Page, due: str) -> Locator:
    """The row of the case page's obligation whose duty reads `due` (live or done)."""
    return safeguards(page).get_by_role("row").filter(has_text=due)


def refer(page: Page, provider: str, service: str, message: str) -> None:
    """From the case page: refer the person, sharing names and languages."""
    page.get_by_role("link", name="Refer to a service").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("to a service")
    page.get_by_role("combobox", name="Provider", exact=True).select_option(
        label=OFFERED[provider]
    )
    page.get_by_role("combobox", name="Service", exact=True).select_option(
        label=service
    )
    page.get_by_role("radio", name="Urgent").check()
    fields = page.get_by_role("group", name="Fields to share")
    fields.get_by_label("Names", exact=True).check()
    fields.get_by_label("Languages", exact=True).check()
    page.get_by_role("textbox", name="Message to the provider").fill(message)
    page.get_by_label("The person agreed to be referred to this provider").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_role("status")).to_contain_text("The referral is sent.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{service} → {provider}")


def test_screen_identify_refer_and_deliver(browser_page: Page, victim_case) -> None:
    page = browser_page
    person, case = victim_case["person"], victim_case["case"]
    case_url = f"/cases/{case.pk}/"  # type: ignore[attr-defined]

    # The case worker screens the person from the case page.
    log_in(page, "carmen")
    page.goto(case_url)
    page.get_by_role("link", name="Screen for trafficking").click()
    page.get_by_role("link", name="Adults, labour exploitation").click()
    for dimension, indicators in INDICATORS.items():
        group = page.get_by_role("group", name=dimension, exact=True)
        for indicator in indicators:
            group.get_by_label(indicator, exact=True).check()
    page.get_by_label("Source of the information").select_option(label="Interview")
    page.get_by_role("button", name="Record the screening").click()
    expect(page).to_have_url(re.compile(f"{case_url}$"))
    protection = page.get_by_role("region", name="Trafficking and crime")
    expect(protection).to_contain_text("Suggestion: possible trafficking")
    expect(duty(page, "Decide whether there are reasonable grounds")).to_have_count(1)

    # A supervisor, who did not screen, decides: reasonable grounds, positive.
    log_in(page, "sofia")
    page.goto(case_url)
    page.get_by_role("link", name="Record a fact").click()
    page.get_by_role(
        "link", name="Identification decision: victim of trafficking", exact=True
    ).click()
    now = timezone.now().astimezone(ZoneInfo(ZONE))
    page.get_by_label("When").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Time zone of that time").select_option(ZONE)
    page.get_by_role("combobox", name="Stage", exact=True).select_option(
        label="Reasonable grounds"
    )
    page.get_by_role("combobox", name="Finding", exact=True).select_option(
        label="Positive"
    )
    page.get_by_label("Decided by (authority)").fill("Sofía Vega, supervisor")
    page.get_by_label("Reasons").fill("The interview and the confiscated passport.")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Recorded: Identification decision: victim of trafficking"
    )
    for kind in ("medical", "psychosocial", "legal"):
        expect(duty(page, f"Offer {kind} assistance")).to_contain_text("Open")

    # The case worker records the person's consent to be referred.
    log_in(page, "carmen")
    page.goto(f"/people/{person.pk}/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Record or withdraw").click()
    page.get_by_label("Purpose").select_option(
        label="Referral or transfer to another agency"
    )
    page.get_by_label("Lawful basis").select_option(label="Consent")
    page.get_by_label("How consent was obtained").select_option(label="Oral")
    page.get_by_label("Given by").select_option(label="The person")
    page.locator("#id_obtained_on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("The lawful basis is recorded.")

    # She refers Selam to the clinic and to the legal aid office, and records each
    # service as delivered on the referral's page.
    for provider, service in ((CLINIC, "Medical care"), (LAWYERS, "Legal assistance")):
        page.goto(case_url)
        refer(page, provider, service, f"{service} for Selam, please, this week.")
        expect(page.locator("#referral-status")).to_have_text("Sent")
        expect(page.locator("#shared")).to_contain_text("Selam Tesfaye")
        expect(page.locator("main")).not_to_contain_text("+251")
        page.get_by_role("button", name="Service delivered").click()
        expect(page.get_by_role("status")).to_contain_text("The referral is updated.")
        expect(page.locator("#referral-status")).to_have_text("Service delivered")

    # On the case page: both referrals delivered; medical and legal assistance met.
    page.goto(case_url)
    referrals = page.get_by_role("region", name="Referrals to services")
    for provider in (CLINIC, LAWYERS):
        expect(referrals.get_by_role("row").filter(has_text=provider)).to_contain_text(
            "Service delivered"
        )
    safeguards(page).get_by_text("met or not applicable").click()
    for kind in ("medical", "legal"):
        row = (
            safeguards(page)
            .locator("details")
            .get_by_role("row")
            .filter(has_text=f"Offer {kind} assistance")
        )
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Met")
    # Psychosocial support was not offered: still a live duty.
    live = safeguards(page).locator("table").first
    expect(
        live.get_by_role("row").filter(has_text="Offer psychosocial assistance")
    ).to_contain_text("Open")
