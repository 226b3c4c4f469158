"""The referral pages through HTTP: send, receive, answer; agreements for the DPO."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import give_consent
from amparo.referrals import actions
from amparo.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(other_agency):
    return UserFactory(
        username="beatriz", agency=other_agency, role=User.Role.SUPERVISOR
    )


@pytest.fixture
def agreement(dpo, other_agency):
    return actions.record_agreement(
        acting_user=dpo,
        to_agency=other_agency,
        purpose="Legal aid",
        fields=["names", "sex", "case_types"],
        safeguards="Confidentiality clause 4",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=90),
    )


@pytest.fixture
def referral(caseworker, other_agency, agreement):
    case = make_case(caseworker)
    give_consent(case.primary_person, caseworker, "referral")
    return actions.send_referral(
        case,
        acting_user=caseworker,
        to_agency=other_agency,
        kind="referral",
        fields=["names", "case_types"],
        message="Please see her this week.",
    )


def test_sending_from_the_case(client, caseworker, other_agency, agreement):
    case = make_case(caseworker)
    client.force_login(caseworker)
    url = f"/referrals/new/{case.pk}/"
    assert client.get(url).status_code == 200
    form = {
        "to_agency": str(other_agency.pk),
        "kind": "referral",
        "share": ["names"],
        "message": "Legal aid needed",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "No consent or other lawful basis" in refused.content.decode()
    assert not Referral.objects.exists()
    give_consent(case.primary_person, caseworker, "referral")
    response = client.post(url, form)
    referral = Referral.objects.get()
    assert response["Location"] == f"/referrals/{referral.pk}/"


def test_the_recipient_sees_what_was_shared_and_accepts(client, referral, receiver):
    client.force_login(receiver)
    assert str(referral.pk) in client.get("/referrals/").content.decode()
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Amina" in page and "Please see her this week." in page
    # The sender's case reference is not the recipient's business.
    assert referral.case.reference not in page
    assert AuditEvent.objects.filter(
        action="referrals.referral.viewed", actor=receiver
    ).exists()
    response = client.post(f"/referrals/{referral.pk}/accept/", {"note": "Taken"})
    referral.refresh_from_db()
    assert response["Location"] == f"/cases/{referral.received_case_id}/"
    assert client.get(response["Location"]).status_code == 200


def test_an_unknown_answer_is_404(client, referral, receiver):
    client.force_login(receiver)
    assert client.post(f"/referrals/{referral.pk}/ignore/").status_code == 404


def test_the_senders_staff_cannot_accept(client, referral, supervisor):
    client.force_login(supervisor)
    assert client.post(f"/referrals/{referral.pk}/accept/").status_code == 403
    referral.refresh_from_db()
    assert referral.status == "pending"
    # The refusal is in the audit trail, filed under the supervisor's agency.
    refused = AuditEvent.objects.get(action="access.forbidden")
    assert (refused.actor, refused.subject_id, refused.data) == (
        supervisor,
        f"/referrals/{referral.pk}/accept/",
        {"method": "POST"},
    )


@pytest.mark.parametrize("persona", ["outsider", "statistician", "dpo", "enforcer"])
def test_others_get_404(client, request, referral, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert client.post(f"/referrals/{referral.pk}/withdraw/").status_code == 404
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_the_dpo_records_an_agreement(client, dpo, other_agency):
    client.force_login(dpo)
    form = {
        "to_agency": str(other_agency.pk),
        "purpose": "Shelter referrals",
        "share": ["names", "contact"],
        "safeguards": "MoU 2026",
        "valid_from": "2026-12-01",
        "valid_until": "2026-01-01",
    }
    refused = client.post("/referrals/agreements/", form)
    assert "The end comes before the start." in refused.content.decode()
    form["valid_until"] = "2027-12-01"
    assert client.post("/referrals/agreements/", form).status_code == 302
    assert client.get("/referrals/agreements/").status_code == 200


def test_only_the_dpo_manages_agreements(client, caseworker, agreement):
    client.force_login(caseworker)
    assert client.get("/referrals/agreements/").status_code == 404
    url = f"/referrals/agreements/{agreement.pk}/end/"
    assert client.post(url).status_code == 404
    agreement.refresh_from_db()
    assert agreement.ended_at is None
