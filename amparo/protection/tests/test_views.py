"""The trafficking screening page and the case page's section, through real HTTP: the
set is chosen, the indicators recorded as a fact, the suggestion shown with its
dimensions; the outsider is kept out and a closed case is not screened."""

from datetime import UTC, datetime

import pytest
import time_machine

from amparo.cases.actions import close_case
from amparo.cases.tests.factories import make_case
from amparo.safeguards.models import CaseFact, Obligation

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SUGGESTING = {
    "dimension_deceptive_recruitment": [
        "deceived_nature_of_job",
        "deceived_wages_earnings",
    ],
    "dimension_exploitation": ["excessive_working_days_or_hours", "low_or_no_salary"],
    "dimension_coercion_at_destination": [
        "confiscation_of_documents_destination",
        "debt_bondage_destination",
    ],
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def url(case, **query):
    base = f"/protection/cases/{case.pk}/screening/"
    return base + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def test_the_sets_are_offered_with_the_incomplete_ones_said_so(client, caseworker):
    case = make_case(caseworker)
    client.force_login(caseworker)
    page = client.get(url(case)).content.decode()
    assert "Adults, labour exploitation" in page
    assert "Children, sexual exploitation" in page
    assert "not scored" in page


def test_the_form_lists_the_sets_indicators_by_dimension_with_their_strength(
    client, caseworker
):
    case = make_case(caseworker)
    client.force_login(caseworker)
    page = client.get(url(case, set="adult_labour")).content.decode()
    assert "Deceptive recruitment (including transfer and transport)" in page
    assert "Deceived about the nature of the job, location or employer (strong)" in page


def test_recording_a_screening_shows_its_suggestion_and_asks_for_a_decision(
    client, caseworker
):
    case = make_case(caseworker)
    client.force_login(caseworker)
    response = client.post(
        url(case),
        {"set": "adult_labour", "information_source": "interview", **SUGGESTING},
    )
    assert response.status_code == 302
    fact = CaseFact.objects.get(case=case, kind="trafficking_screened")
    assert fact.data["indicator_set"] == "adult_labour"
    assert set(fact.data["indicators"]) == {c for v in SUGGESTING.values() for c in v}
    assert Obligation.objects.filter(
        case=case, rule_id="protection.identification", status="open"
    ).exists()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Suggestion: possible trafficking" in page
    assert "a suggestion, not an identification" in page


def test_a_code_not_in_the_set_is_refused_and_nothing_saved(client, caseworker):
    case = make_case(caseworker)
    client.force_login(caseworker)
    response = client.post(
        url(case),
        {
            "set": "adult_labour",
            "information_source": "interview",
            "dimension_exploitation": ["forced_tasks_or_clients"],
        },
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not CaseFact.objects.filter(case=case).exists()


def test_an_incomplete_set_is_recorded_without_a_suggestion(client, caseworker):
    case = make_case(caseworker)
    client.force_login(caseworker)
    client.post(
        url(case),
        {
            "set": "adult_sexual",
            "information_source": "interview",
            "dimension_coercion_at_destination": ["forced_tasks_or_clients"],
        },
    )
    assert CaseFact.objects.filter(case=case, kind="trafficking_screened").exists()
    assert not Obligation.objects.filter(case=case).exists()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "No suggestion: this set" in page


def test_the_outsider_gets_404_and_a_closed_case_is_not_screened(
    client, caseworker, outsider
):
    case = make_case(caseworker)
    client.force_login(outsider)
    assert client.get(url(case, set="adult_labour")).status_code == 404
    response = client.post(
        url(case), {"set": "adult_labour", "information_source": "interview"}
    )
    assert response.status_code == 404
    close_case(case, acting_user=caseworker, reason="goals_met")
    client.force_login(caseworker)
    response = client.get(url(case, set="adult_labour"), follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert not CaseFact.objects.filter(case=case).exists()
