"""A protected consular notice goes to a legal officer: an asylum seeker from a
country on the United States' mandatory-notification list, detained there. The case is
escalated in the same transaction as the fact that protects the person; only a legal
officer it is escalated to records the decision, and the duty follows it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amparo.cases.models import CaseEvent
from amparo.oversight.actions import answer_escalation
from amparo.oversight.models import Escalation
from amparo.safeguards.actions import record_fact, record_legal_decision
from amparo.safeguards.models import CaseFact
from amparo.safeguards.tests.factories import ZONE, detained_case, obligation, record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=3)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def protected(caseworker):
    case = detained_case(caseworker, T0, jurisdiction="united_states")
    record(case, caseworker, "nationality", T0, country="JAM", status="confirmed")
    record(case, caseworker, "asylum_status", T0, status="asylum_seeker")
    return case


def test_the_protected_notice_is_escalated_once(protected, caseworker):
    notice = obligation(protected, "consular.mandatory_notification", "JAM")
    assert notice.status == "escalated"
    escalation = Escalation.objects.get(case=protected)
    assert escalation.raised_by == caseworker and escalation.answered_at is None
    assert "JAM" in escalation.question
    assert CaseEvent.objects.filter(case=protected, kind="escalated").count() == 1
    # Another fact while it waits: no second escalation.
    record(protected, caseworker, "rights_informed", NOW, language="en")
    assert Escalation.objects.filter(case=protected).count() == 1


def test_a_case_without_a_protected_notice_is_not_escalated(caseworker):
    case = detained_case(caseworker, T0, jurisdiction="united_states")
    record(case, caseworker, "nationality", T0, country="JAM", status="confirmed")
    assert obligation(case, "consular.mandatory_notification", "JAM").status != (
        "escalated"
    )
    assert not Escalation.objects.filter(case=case).exists()


def test_a_case_worker_cannot_record_the_decision(protected, caseworker, client):
    with pytest.raises(ValidationError) as refused:
        record_fact(
            protected,
            acting_user=caseworker,
            kind="legal_review_completed",
            at=NOW,
            data={"country": "JAM", "decision": "notify"},
        )
    assert "legal officer" in str(refused.value.message_dict["kind"])
    client.force_login(caseworker)
    response = client.post(
        f"/obligations/cases/{protected.pk}/facts/new/",
        {
            "kind": "legal_review_completed",
            "at": "2026-03-02T12:00",
            "zone": ZONE,
            "data_country": "JAM",
            "data_decision": "notify",
        },
    )
    assert "legal officer" in response.content.decode()
    assert (
        client.post(
            f"/obligations/cases/{protected.pk}/legal-decision/",
            {"country": "JAM", "decision": "withhold"},
        ).status_code
        == 404
    )
    assert not CaseFact.objects.filter(kind="legal_review_completed").exists()
    # Its page offers no way to record it either: the legal officer decides.
    page = client.get(f"/cases/{protected.pk}/").content.decode()
    assert "kind=legal_review_completed" not in page


def test_the_legal_officer_decides_from_the_escalation(
    protected, legal_officer, client
):
    client.force_login(legal_officer)
    page = client.get(f"/oversight/cases/{protected.pk}/").content.decode()
    assert "Consular notices waiting for your decision" in page
    response = client.post(
        f"/obligations/cases/{protected.pk}/legal-decision/",
        {"country": "JAM", "decision": "withhold"},
    )
    assert response.status_code == 302
    decision = CaseFact.objects.get(case=protected, kind="legal_review_completed")
    assert decision.recorded_by == legal_officer
    assert decision.data == {
        "country": "JAM",
        "decision": "withhold",
        "about": "detention",
    }
    notice = obligation(protected, "consular.mandatory_notification", "JAM")
    assert notice.status == "met"  # withheld, by the person authorised to decide
    assert CaseEvent.objects.filter(
        case=protected, kind="fact_recorded", actor=legal_officer
    ).exists()


def test_a_notify_decision_leaves_the_notice_to_send(protected, legal_officer):
    record_legal_decision(
        protected, acting_user=legal_officer, country="JAM", decision="notify"
    )
    notice = obligation(protected, "consular.mandatory_notification", "JAM")
    assert notice.status in ("open", "overdue")


def test_no_decision_without_an_open_escalation(
    protected, legal_officer, outsider, supervisor, client
):
    for user in (outsider, supervisor):
        with pytest.raises(PermissionError):
            record_legal_decision(
                protected, acting_user=user, country="JAM", decision="notify"
            )
    escalation = Escalation.objects.get(case=protected)
    answer_escalation(escalation, acting_user=legal_officer, answer="Withhold.")
    with pytest.raises(PermissionError):
        record_legal_decision(
            protected, acting_user=legal_officer, country="JAM", decision="withhold"
        )
    client.force_login(legal_officer)
    assert (
        client.post(
            f"/obligations/cases/{protected.pk}/legal-decision/",
            {"country": "JAM", "decision": "withhold"},
        ).status_code
        == 404
    )
    assert not CaseFact.objects.filter(kind="legal_review_completed").exists()


def test_a_bad_decision_is_refused(protected, legal_officer, client):
    client.force_login(legal_officer)
    for data in ({"country": "MEX", "decision": "notify"}, {"country": "JAM"}):
        client.post(f"/obligations/cases/{protected.pk}/legal-decision/", data)
    assert not CaseFact.objects.filter(kind="legal_review_completed").exists()
