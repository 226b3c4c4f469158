"""The labour pages through HTTP: each complaint type recorded through the form and read
back, the refusals shown on their fields with nothing saved, the employers' list and
the pattern of complaints against one, the status of a complaint, the ILO C189
checklist and its findings on the case page. Those who do not see the case get 404."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils.html import escape

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.actions import close_case
from amparo.cases.tests.factories import make_case
from amparo.labour import actions
from amparo.labour.codes import ComplaintType
from amparo.labour.models import Checklist, Complaint, Employer, RecruitmentCost
from amparo.labour.tests.typical import (
    NOW,
    RECEIVED,
    TYPICAL,
    expected,
    form_data,
    make_employer,
    make_recruiter,
    stored,
)
from amparo.safeguards.models import Obligation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return make_case(caseworker, types=("labour",))


@pytest.fixture
def employer(supervisor):
    return make_employer(supervisor)


@pytest.fixture
def recruiter(supervisor):
    return make_recruiter(supervisor)


@pytest.fixture
def complaint(case, caseworker, employer):
    return record(case, caseworker, "unpaid_wages", employer=employer)


def record(case, user, type_, **fields):
    from amparo.labour.entries import ComplaintEntry

    values = {"received_on": RECEIVED} | fields
    if type_ == "unpaid_wages":
        values = {"amount_owed": Decimal(1000), "currency": "USD"} | values
    return actions.record_complaint(
        case, ComplaintEntry(type=type_, **values), acting_user=user
    )


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def field_error(html: str, field: str) -> str:
    """The error shown under the form field `field` ("" when none)."""
    found = re.findall(rf'id="id_{field}_error"[^>]*>([^<]*)<', html)
    return " ".join(found)


def new_url(case) -> str:
    return f"/labour/cases/{case.pk}/complaints/new/"


CHECKLIST = {
    "recorded_on": "2026-03-01",
    "written_contract": "yes",
    "keeps_documents": "no",
    "weekly_rest": "yes",
    "paid_monthly": "yes",
    "no_fees_deducted": "no",
}


# --- Recording a complaint --------------------------------------------------------------


@pytest.mark.parametrize("type_", ComplaintType.values)
def test_each_complaint_type_round_trips_through_the_form(
    client, caseworker, case, employer, recruiter, type_
):
    assert set(TYPICAL) == set(ComplaintType.values)
    client.force_login(caseworker)
    html = page(client, new_url(case))
    assert "Record a labour complaint" in html
    response = client.post(new_url(case), form_data(type_, employer, recruiter))
    assert response.status_code == 302, field_errors(response)
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/labour/complaints/{complaint.pk}/"
    assert complaint.type == type_
    assert complaint.case == case
    assert complaint.status == "received"
    assert stored(complaint) == expected(type_)
    typical = TYPICAL[type_]
    assert complaint.employer == (employer if typical.get("employer") else None)
    assert complaint.recruiter == (recruiter if typical.get("recruiter") else None)
    # Its page shows it back.
    shown = page(client, response["Location"])
    assert escape(str(ComplaintType(type_).label)) in shown
    assert f'<bdi class="note-body">{expected(type_)["description"]}</bdi>' in shown
    for cost in expected(type_)["costs"]:
        assert f"{cost['amount']} {cost['currency']}" in shown


def field_errors(response) -> list[tuple[str, str]]:
    """Every field error on the page, for an assertion's message."""
    return re.findall(
        r'id="(id_[\w-]+_error)"[^>]*>([^<]*)<', response.content.decode()
    )


def rows(html: str) -> list[str]:
    """The complaints listed, by their received day (each row links to its page)."""
    return re.findall(r'href="/labour/complaints/[0-9a-f-]{36}/">([\d-]+)<', html)


@pytest.mark.parametrize(
    ("type_", "changes", "field", "message"),
    [
        (
            "unpaid_wages",
            {"amount_owed": "-5"},
            "amount_owed",
            "An amount cannot be negative.",
        ),
        (
            "unpaid_wages",
            {"currency": "XYZ"},
            "currency",
            "Select a valid choice.",
        ),
        (
            "unpaid_wages",
            {"amount_owed": "100", "amount_recovered": "150"},
            "recovery_note",
            "More was recovered than was owed",
        ),
        (
            "document_retention",
            {"received_on": "2026-03-03"},
            "received_on",
            "The date is in the future.",
        ),
        (
            "unpaid_wages",
            {"period_start": "2026-01-01", "period_end": "2025-12-01"},
            "period_end",
            "The end comes before the start.",
        ),
        (
            "unpaid_wages",
            {"amount_owed": ""},
            "amount_owed",
            "Give the amount owed.",
        ),
        (
            "unpaid_wages",
            {"monthly_income": "10.001"},
            "monthly_income",
            "At most 12 digits and 2 decimals.",
        ),
    ],
)
def test_bad_input_shows_on_its_field_and_saves_nothing(
    client, caseworker, case, employer, recruiter, type_, changes, field, message
):
    client.force_login(caseworker)
    data = form_data(type_, employer, recruiter) | changes
    response = client.post(new_url(case), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in field_error(html, field), field_errors(response)
    assert 'aria-invalid="true"' in html
    assert not Complaint.objects.exists()
    assert not RecruitmentCost.objects.exists()


def test_a_bad_cost_shows_on_its_row(client, caseworker, case, employer, recruiter):
    client.force_login(caseworker)
    costs = expected("recruitment_fees")["costs"]
    # The first row left empty: the second cost entered is the action's `costs.1`
    # but the form's row 2.
    data = form_data("recruitment_fees", employer, recruiter, costs=[])
    for row, cost in ((1, costs[0]), (2, costs[1] | {"amount": "-80"})):
        for name, value in cost.items():
            data[f"costs-{row}-{name}"] = "" if value is None else str(value)
    response = client.post(new_url(case), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "An amount cannot be negative." in field_error(html, "costs-2-amount")
    assert field_error(html, "costs-1-amount") == ""
    assert not Complaint.objects.exists()
    # A currency that is not ISO 4217 is refused on its row.
    data["costs-2-amount"] = "80"
    data["costs-2-currency"] = "ABC"
    html = client.post(new_url(case), data).content.decode()
    assert "Select a valid choice." in field_error(html, "costs-2-currency")
    assert not Complaint.objects.exists()
    # Recruitment fees need at least one cost.
    data = form_data("recruitment_fees", employer, recruiter, costs=[])
    html = client.post(new_url(case), data).content.decode()
    assert 'id="costs_error"' in html
    assert "List at least one cost the worker paid." in html
    assert not Complaint.objects.exists()


def test_only_the_agencys_own_employers_can_be_chosen(
    client, caseworker, case, outsider
):
    theirs = make_employer(outsider, name="Another agency's farm")
    client.force_login(caseworker)
    html = page(client, new_url(case))
    assert "Another agency&#x27;s farm" not in html
    assert "Another agency's farm" not in html
    data = form_data("excessive_hours", None, None) | {"employer": str(theirs.pk)}
    html = client.post(new_url(case), data).content.decode()
    assert "Select a valid choice." in field_error(html, "employer")
    assert not Complaint.objects.exists()


def test_a_recruiter_is_not_offered_as_the_employer(
    client, caseworker, case, recruiter
):
    client.force_login(caseworker)
    data = form_data("excessive_hours", None, None) | {"employer": str(recruiter.pk)}
    html = client.post(new_url(case), data).content.decode()
    assert "Select a valid choice." in field_error(html, "employer")


def test_a_document_confiscation_asks_for_a_trafficking_screening(
    client, caseworker, case, employer
):
    client.force_login(caseworker)
    client.post(new_url(case), form_data("document_retention", employer, None))
    assert Obligation.objects.get(
        case=case, rule_id="labour.trafficking_screening"
    ).status in {"open", "overdue"}


# --- The complaint's page and its status -----------------------------------------------


def test_a_complaint_moves_from_received_to_closed(client, caseworker, complaint):
    client.force_login(caseworker)
    url = f"/labour/complaints/{complaint.pk}/"
    html = page(client, url)
    assert 'id="status-form"' in html
    # Referred: to whom is required.
    html = client.post(url, {"status": "referred", "on": "2026-02-25"}).content.decode()
    assert "Say to whom it was referred." in field_error(html, "referred_to")
    complaint.refresh_from_db()
    assert complaint.status == "received"
    steps = [
        {"status": "referred", "on": "2026-02-25", "referred_to": "inspectorate"},
        {"status": "mediation", "on": "2026-02-26"},
        {
            "status": "resolved",
            "on": "2026-02-28",
            "outcome": "The employer paid in two instalments.",
            "amount_recovered": "1200",
            "recovery_note": "Interest ordered by the inspectorate.",
        },
        {"status": "closed", "on": "2026-03-01"},
    ]
    for step in steps:
        response = client.post(url, step)
        assert response.status_code == 302, field_errors(response)
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert complaint.referred_to == "inspectorate"
    assert complaint.referred_on == date(2026, 2, 25)
    assert complaint.mediation_on == date(2026, 2, 26)
    assert complaint.resolved_on == date(2026, 2, 28)
    assert complaint.amount_recovered == 1200
    assert complaint.recovered_on == date(2026, 2, 28)
    assert complaint.closed_on == date(2026, 3, 1)
    html = page(client, url)
    assert "Labour inspectorate" in html
    assert "The employer paid in two instalments." in html
    assert "Interest ordered by the inspectorate." in html
    # Closed: nowhere left to go.
    assert 'id="status-form"' not in html


@pytest.mark.parametrize(
    ("step", "field", "message"),
    [
        ({"status": "closed", "on": "2026-02-25"}, "status", "Select a valid choice."),
        (
            {"status": "mediation", "on": "2026-02-10"},
            "on",
            "between the complaint&#x27;s and today",
        ),
        ({"status": "resolved", "on": "2026-02-25"}, "outcome", "Say how it was"),
        (
            {
                "status": "resolved",
                "on": "2026-02-25",
                "outcome": "Paid",
                "amount_recovered": "1500",
            },
            "recovery_note",
            "More was recovered than was owed",
        ),
    ],
)
def test_a_wrong_move_shows_on_its_field(
    client, caseworker, complaint, step, field, message
):
    client.force_login(caseworker)
    response = client.post(f"/labour/complaints/{complaint.pk}/", step)
    assert response.status_code == 200
    assert message in field_error(response.content.decode(), field)
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_reading_a_complaint_is_audited(client, caseworker, complaint):
    client.force_login(caseworker)
    page(client, f"/labour/complaints/{complaint.pk}/")
    assert AuditEvent.objects.filter(
        action="labour.complaint.viewed", subject_id=str(complaint.pk)
    ).exists()


# --- Employers and the pattern across workers ------------------------------------------


def test_a_case_worker_adds_an_employer_and_sees_the_pattern(
    client, caseworker, supervisor, employer
):
    client.force_login(caseworker)
    html = page(client, "/labour/employers/")
    assert "Finca El Sol" in html
    form = {
        "kind": "agency",
        "name": "Reclutadora del Sur",
        "country": "GTM",
        "sector": "N",
        "licence": "RL-2231",
    }
    response = client.post("/labour/employers/", form)
    added = Employer.objects.get(name="Reclutadora del Sur")
    assert response["Location"] == f"/labour/employers/{added.pk}/"
    assert (added.kind, added.country, added.sector, added.licence) == (
        "agency",
        "GTM",
        "N",
        "RL-2231",
    )
    assert added.agency == caseworker.agency
    # Recorded once per agency.
    html = client.post("/labour/employers/", form).content.decode()
    assert "is recorded" in field_error(html, "name")
    assert Employer.objects.filter(name="Reclutadora del Sur").count() == 1
    # Two workers' complaints against the same employer: one page shows both.
    case_a = make_case(caseworker)
    case_b = make_case(supervisor)
    record(case_a, caseworker, "unpaid_wages", employer=employer)
    record(case_b, supervisor, "document_retention", employer=employer)
    record(case_b, supervisor, "excessive_hours", recruiter=added)
    client.force_login(supervisor)
    html = page(client, f"/labour/employers/{employer.pk}/")
    assert case_a.reference in html and case_b.reference in html
    assert "<td>Unpaid or underpaid wages</td>" in html
    assert "<td>Identity documents confiscated or retained</td>" in html
    assert "<td>Excessive hours or no weekly rest</td>" not in html
    only = page(client, f"/labour/employers/{employer.pk}/?type=document_retention")
    assert case_b.reference in only and case_a.reference not in only
    # A recruiter's page lists the complaints that came through them.
    html = page(client, f"/labour/employers/{added.pk}/")
    assert "<td>Excessive hours or no weekly rest</td>" in html
    assert "<td>Unpaid or underpaid wages</td>" not in html


def test_a_complaint_is_shown_only_to_those_who_see_its_case(
    client, caseworker, agency, employer, complaint
):
    # Another case worker of the same agency: the employer is the agency's, the
    # worker's case is not hers.
    colleague = UserFactory(username="clara", agency=agency, role=User.Role.CASEWORKER)
    client.force_login(colleague)
    assert "Finca El Sol" in page(client, f"/labour/employers/{employer.pk}/")
    assert complaint.case.reference not in page(
        client, f"/labour/employers/{employer.pk}/"
    )
    assert complaint.case.reference not in page(client, "/labour/complaints/")
    assert client.get(f"/labour/complaints/{complaint.pk}/").status_code == 404


def test_the_complaints_list_filters_and_pages(
    client, caseworker, case, employer, recruiter
):
    other = make_employer(caseworker, name="Hotel Playa")
    Complaint.objects.bulk_create(
        Complaint(
            case=case,
            agency=case.agency,
            type="excessive_hours" if i % 2 else "abusive_housing",
            employer=employer if i < 55 else other,
            received_on=date(2026, 1, 1) + timedelta(days=i % 40),
            recorded_by=caseworker,
        )
        for i in range(60)
    )
    client.force_login(caseworker)
    first = page(client, "/labour/complaints/")
    assert len(rows(first)) == 50
    assert "Next page" in first
    cursor = re.search(r"after=([\w-]+)", first)
    assert cursor
    second = page(client, f"/labour/complaints/?after={cursor.group(1)}")
    assert len(rows(second)) == 10
    assert "Next page" not in second
    # Newest first, across the pages.
    days = rows(first) + rows(second)
    assert days == sorted(days, reverse=True)
    assert days[0] == "2026-02-09"
    # Filtered by employer and type.
    html = page(client, f"/labour/complaints/?employer={other.pk}")
    assert len(rows(html)) == 5
    html = page(
        client,
        f"/labour/complaints/?employer={employer.pk}&type=abusive_housing",
    )
    assert "Excessive hours or no weekly rest</td>" not in html
    assert html.count("<td>Abusive housing</td>") == 28
    # A cursor not given out by the server starts over.
    response = client.get("/labour/complaints/?after=nonsense")
    assert response.status_code == 302


def test_the_nav_links_to_labour_for_those_who_work_on_cases(
    client, caseworker, statistician
):
    client.force_login(caseworker)
    assert 'href="/labour/complaints/"' in page(client, "/")
    client.force_login(statistician)
    assert 'href="/labour/complaints/"' not in page(client, "/")


# --- The ILO C189 checklist and the case page -------------------------------------------


def test_the_checklist_findings_show_on_the_case_page(client, caseworker, case):
    client.force_login(caseworker)
    html = page(client, f"/cases/{case.pk}/")
    assert 'id="labour-heading"' in html
    assert f"/labour/cases/{case.pk}/complaints/new/" in html
    assert f"/labour/cases/{case.pk}/checklist/" in html
    html = page(client, f"/labour/cases/{case.pk}/checklist/")
    assert html.count('type="radio"') == 10
    response = client.post(f"/labour/cases/{case.pk}/checklist/", CHECKLIST)
    assert response["Location"] == f"/cases/{case.pk}/"
    checklist = Checklist.objects.get()
    assert (checklist.keeps_documents, checklist.no_fees_deducted) == (False, False)
    assert checklist.written_contract and checklist.weekly_rest
    html = page(client, f"/cases/{case.pk}/")
    findings = html.split('id="labour-findings"')[1].split("</div>")[0]
    assert "Does not keep their own travel and identity documents." in findings
    assert "ILO C189 art. 9(c)" in findings
    assert "Agency fees deducted from pay." in findings
    assert "ILO C189 art. 15(1)(e)" in findings
    assert "No weekly rest" not in findings
    # The findings ask for a screening for trafficking.
    assert Obligation.objects.filter(
        case=case, rule_id="labour.trafficking_screening"
    ).exists()


def test_a_checklist_needs_every_answer(client, caseworker, case):
    client.force_login(caseworker)
    data = CHECKLIST | {"weekly_rest": "", "recorded_on": "2026-03-05"}
    html = client.post(f"/labour/cases/{case.pk}/checklist/", data).content.decode()
    assert "Answer yes or no." in field_error(html, "weekly_rest")
    assert "The date is in the future." in field_error(html, "recorded_on")
    assert not Checklist.objects.exists()


def test_the_case_page_lists_its_complaints(client, caseworker, case, complaint):
    client.force_login(caseworker)
    html = page(client, f"/cases/{case.pk}/")
    section = html.split('id="labour-heading"')[1].split("</section>")[0]
    assert f"/labour/complaints/{complaint.pk}/" in section
    assert "Unpaid or underpaid wages" in section
    assert "Finca El Sol" in section


def test_a_closed_case_offers_no_new_record(client, caseworker, case, complaint):
    close_case(case, acting_user=caseworker, reason="goals_met")
    client.force_login(caseworker)
    html = page(client, f"/cases/{case.pk}/")
    assert f"/labour/cases/{case.pk}/complaints/new/" not in html
    assert f"/labour/cases/{case.pk}/checklist/" not in html
    assert 'id="status-form"' not in page(client, f"/labour/complaints/{complaint.pk}/")
    # Posting anyway is refused, with the reason.
    response = client.post(
        f"/labour/cases/{case.pk}/checklist/", CHECKLIST
    ).content.decode()
    assert "The case is closed" in response
    assert not Checklist.objects.exists()


# --- Who may see what -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "statistician", "enforcer"])
def test_those_who_do_not_see_the_case_get_404(
    client, request, persona, case, employer, complaint
):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        f"/labour/complaints/{complaint.pk}/",
        f"/labour/employers/{employer.pk}/",
        new_url(case),
        f"/labour/cases/{case.pk}/checklist/",
    ):
        assert client.get(url).status_code == 404, url
    posted = client.post(new_url(case), form_data("excessive_hours", employer, None))
    assert posted.status_code == 404
    posted = client.post(f"/labour/cases/{case.pk}/checklist/", CHECKLIST)
    assert posted.status_code == 404
    moved = client.post(
        f"/labour/complaints/{complaint.pk}/",
        {"status": "referred", "on": "2026-02-25", "referred_to": "court"},
    )
    assert moved.status_code == 404
    assert Complaint.objects.count() == 1
    assert not Checklist.objects.exists()
    complaint.refresh_from_db()
    assert complaint.status == "received"
    # The lists: 404 for a role that works on no case; the outsider sees only
    # their own agency's (none of agency A's).
    for url in ("/labour/complaints/", "/labour/employers/"):
        response = client.get(url)
        if persona == "outsider":
            assert response.status_code == 200
            assert "Finca El Sol" not in response.content.decode()
        else:
            assert response.status_code == 404


def test_the_pages_read_right_to_left_in_arabic(
    client, caseworker, case, employer, recruiter
):
    client.force_login(caseworker)
    client.post(new_url(case), form_data("sexual_harassment", employer, recruiter))
    complaint = Complaint.objects.get()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = page(client, f"/labour/complaints/{complaint.pk}/")
    assert 'dir="rtl"' in html
    description = TYPICAL["sexual_harassment"]["description"]
    assert f'<bdi class="note-body">{description}</bdi>' in html
    assert "<bdi>Finca El Sol</bdi>" in html
    form = page(client, new_url(case))
    assert 'name="description" cols="40" rows="3" dir="auto"' in form
    # Currencies are named in Arabic (ISO 4217 through pycountry's iso-codes).
    assert '<option value="USD">USD — الدولار الأمريكي</option>' in form
    for url in ("/labour/complaints/", "/labour/employers/", f"/cases/{case.pk}/"):
        assert 'dir="rtl"' in page(client, url)
