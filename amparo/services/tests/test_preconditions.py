"""What recording a referral's facts refuses when they come from elsewhere than the
referral's own actions (the case-file API, the fact form): a `service_referred` or a
`service_referral_updated` must say what a referral of this case in the database says.
After every refusal nothing is saved: the case's facts and obligations are as they
were."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import give_consent
from amparo.safeguards.models import CaseFact, Obligation
from amparo.safeguards.tests.factories import refused
from amparo.services import actions
from amparo.services.tests.factories import make_provider, make_referral

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=2)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    case = make_case(caseworker)
    give_consent(case.primary_person, caseworker, "referral")
    return case


@pytest.fixture
def referral(case, caseworker, supervisor):
    """An urgent medical referral of the case, sent at NOW (its fact is recorded)."""
    clinic = make_provider(supervisor, services=("medical", "legal"))
    return make_referral(case, caseworker, clinic, urgency="urgent")


def sent(referral, **changes: str) -> dict[str, str]:
    return {
        "referral": str(referral.pk),
        "service": referral.service,
        "urgency": referral.urgency,
    } | changes


# --- service_referred ------------------------------------------------------------------


def test_a_referral_nobody_sent_is_refused(case, caseworker):
    message = refused(
        case,
        caseworker,
        "service_referred",
        NOW,
        "kind",
        referral=str(uuid.uuid4()),
        service="medical",
        urgency="urgent",
    )
    assert "sending it from the case's referrals" in message
    assert not Obligation.objects.filter(
        case=case, rule_id="services.urgent_referral"
    ).exists()


def test_a_referral_that_is_not_an_id_is_refused(case, caseworker):
    refused(
        case,
        caseworker,
        "service_referred",
        NOW,
        "kind",
        referral="R1",
        service="medical",
        urgency="urgent",
    )


def test_another_cases_referral_is_refused(referral, caseworker):
    other = make_case(caseworker)
    refused(other, caseworker, "service_referred", NOW, "kind", **sent(referral))
    refused(
        other,
        caseworker,
        "service_referral_updated",
        NOW,
        "kind",
        referral=str(referral.pk),
        status="accepted",
    )


@pytest.mark.parametrize(
    "changes", [{"service": "legal"}, {"urgency": "routine"}, {"service": "shelter"}]
)
def test_a_service_or_urgency_other_than_the_referrals_is_refused(
    referral, caseworker, changes
):
    message = refused(
        referral.case,
        caseworker,
        "service_referred",
        NOW,
        "kind",
        **sent(referral, **changes),
    )
    assert "does not match the referral" in message


def test_the_same_referral_is_not_recorded_twice(referral, caseworker):
    refused(
        referral.case, caseworker, "service_referred", NOW, "kind", **sent(referral)
    )
    assert CaseFact.objects.filter(kind="service_referred").count() == 1


# --- service_referral_updated ------------------------------------------------------------


def test_a_move_of_a_referral_nobody_sent_is_refused(case, caseworker):
    refused(
        case,
        caseworker,
        "service_referral_updated",
        NOW,
        "kind",
        referral=str(uuid.uuid4()),
        status="accepted",
    )


@pytest.mark.parametrize("status", ["accepted", "delivered", "declined", "closed"])
def test_a_move_the_referral_never_made_is_refused(referral, caseworker, status):
    message = refused(
        referral.case,
        caseworker,
        "service_referral_updated",
        NOW,
        "kind",
        referral=str(referral.pk),
        status=status,
    )
    assert "does not match the referral's status" in message
    # The urgent referral still waits for the provider.
    duty = Obligation.objects.get(
        case=referral.case, rule_id="services.urgent_referral"
    )
    assert duty.status == "open"


def test_a_status_the_referral_has_left_is_refused(referral, caseworker):
    actions.answer_referral(referral, acting_user=caseworker, status="accepted")
    actions.answer_referral(referral, acting_user=caseworker, status="delivered")
    refused(
        referral.case,
        caseworker,
        "service_referral_updated",
        NOW,
        "kind",
        referral=str(referral.pk),
        status="accepted",
    )


def test_the_schema_refuses_a_status_it_does_not_know(referral, caseworker):
    refused(
        referral.case,
        caseworker,
        "service_referral_updated",
        NOW,
        "data.status",
        referral=str(referral.pk),
        status="sent",
    )


def test_a_backdated_copy_of_a_late_acceptance_is_refused(referral, caseworker):
    # Accepted 30 hours after it was sent: met late.
    with time_machine.travel(NOW + timedelta(hours=30), tick=False):
        actions.answer_referral(referral, acting_user=caseworker, status="accepted")
        duty = Obligation.objects.get(
            case=referral.case, rule_id="services.urgent_referral"
        )
        assert duty.met_at == NOW + timedelta(hours=30)
        # The same move again, through record_fact, dated an hour after sending.
        refused(
            referral.case,
            caseworker,
            "service_referral_updated",
            NOW + timedelta(hours=1),
            "kind",
            referral=str(referral.pk),
            status="accepted",
        )
        duty.refresh_from_db()
        assert duty.met_at == NOW + timedelta(hours=30)


def test_the_referrals_own_facts_are_recorded(referral, caseworker):
    actions.answer_referral(referral, acting_user=caseworker, status="accepted")
    facts = CaseFact.objects.filter(case=referral.case).order_by("kind")
    assert [(f.kind, f.data) for f in facts] == [
        (
            "service_referral_updated",
            {"referral": str(referral.pk), "status": "accepted"},
        ),
        ("service_referred", sent(referral)),
    ]


def test_the_api_refuses_a_referral_nobody_sent(api, case):
    response = api.post(
        f"/api/v1/cases/{case.pk}/facts",
        {
            "kind": "service_referred",
            "at": NOW.isoformat(),
            "data": {
                "referral": str(uuid.uuid4()),
                "service": "medical",
                "urgency": "urgent",
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert [e["field"] for e in response.json()["detail"]] == ["kind"]
    assert not CaseFact.objects.filter(case=case).exists()


def test_the_api_refuses_a_move_the_referral_never_made(api, referral):
    response = api.post(
        f"/api/v1/cases/{referral.case_id}/facts",
        {
            "kind": "service_referral_updated",
            "at": NOW.isoformat(),
            "data": {"referral": str(referral.pk), "status": "delivered"},
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert not CaseFact.objects.filter(kind="service_referral_updated").exists()
