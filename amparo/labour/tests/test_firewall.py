"""The firewall on referrals to a labour inspectorate (CMW General Comment No. 2; ECRI
GPR 16; domain-standards §7.4): a worker's migration status goes to an inspectorate
only with the worker's consent. Under any other lawful basis for referral, a referral
that shares `migration_status` is refused on `fields` and nothing is saved; without
that field it goes under any basis, and its packet never holds the status."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.people.actions import record_consent, withdraw_consent
from amparo.people.tests.factories import give_consent
from amparo.referrals import packet
from amparo.safeguards.models import CaseFact
from amparo.services.models import ServiceReferral
from amparo.services.tests.factories import (
    make_provider,
    make_referral,
    make_victim_case,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STATUS = "asylum_seeker"  # the person's migration status (make_victim_case)
OTHER_BASES = [
    "vital_interest",
    "public_interest",
    "legitimate_interest",
    "legal_obligation",
]
WITH_STATUS = ("names", "contact", "migration_status")
WITHOUT_STATUS = ("names", "contact", "languages", "nationalities", "origin")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return make_victim_case(caseworker)


@pytest.fixture
def inspectorate(supervisor):
    return make_provider(
        supervisor,
        name="Inspección Federal del Trabajo, Tapachula",
        services=("labour_inspection",),
    )


def basis(case, user, code: str):
    """The person's lawful basis for referral: their consent, or another basis with
    its justification."""
    if code == "consent":
        return give_consent(case.primary_person, user, "referral")
    return record_consent(
        case.primary_person,
        acting_user=user,
        purpose="referral",
        basis=code,
        obtained_on=timezone.localdate(),
        justification="She cannot be reached and the employer threatens the crew.",
    )


def counts() -> tuple[int, int, int]:
    return (
        ServiceReferral.objects.count(),
        CaseFact.objects.count(),
        AuditEvent.objects.count(),
    )


def refer(case, user, provider, fields, service="labour_inspection", agreed=True):
    return make_referral(
        case,
        user,
        provider,
        service=service,
        urgency="urgent",
        fields=fields,
        person_agreed=agreed,
    )


def assert_refused(case, user, provider, field, fields, **changes) -> str:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        refer(case, user, provider, fields, **changes)
    assert set(caught.value.message_dict) == {field}, caught.value.message_dict
    assert counts() == before
    return " ".join(caught.value.message_dict[field])


@pytest.mark.parametrize("code", OTHER_BASES)
def test_the_status_does_not_go_to_an_inspectorate_without_consent(
    case, caseworker, inspectorate, code
):
    basis(case, caseworker, code)
    message = assert_refused(case, caseworker, inspectorate, "fields", WITH_STATUS)
    assert "only with their consent" in message
    # The status alone is refused too.
    assert_refused(case, caseworker, inspectorate, "fields", ("migration_status",))


def test_with_the_persons_consent_the_status_goes(case, caseworker, inspectorate):
    consent = basis(case, caseworker, "consent")
    referral = refer(case, caseworker, inspectorate, WITH_STATUS)
    referral.refresh_from_db()
    assert referral.consent == consent
    assert referral.person_agreed
    assert referral.fields == sorted(WITH_STATUS)
    assert packet.loads(referral.packet)["migration_status"] == STATUS
    assert CaseFact.objects.filter(case=case, kind="service_referred").count() == 1


def test_consent_without_the_persons_agreement_to_these_fields_is_refused(
    case, caseworker, inspectorate
):
    basis(case, caseworker, "consent")
    assert_refused(
        case, caseworker, inspectorate, "person_agreed", WITH_STATUS, agreed=False
    )


def test_a_withdrawn_consent_replaced_by_vital_interest_stops_the_status(
    case, caseworker, inspectorate
):
    consent = basis(case, caseworker, "consent")
    refer(case, caseworker, inspectorate, WITH_STATUS)
    withdraw_consent(consent, acting_user=caseworker, reason="Afraid of the employer")
    basis(case, caseworker, "vital_interest")
    assert_refused(case, caseworker, inspectorate, "fields", WITH_STATUS)


@pytest.mark.parametrize("code", ["consent", *OTHER_BASES])
def test_without_the_status_a_referral_goes_under_any_basis(
    case, caseworker, inspectorate, code
):
    basis(case, caseworker, code)
    referral = refer(case, caseworker, inspectorate, WITHOUT_STATUS)
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert "migration_status" not in referral.fields
    shared = packet.loads(referral.packet)
    assert "migration_status" not in shared
    assert shared["contact"] == "+251 911 000 000"
    assert STATUS not in referral.packet
    sent = AuditEvent.objects.get(action="services.referral.sent")
    assert "migration_status" not in sent.data["fields"]
    assert STATUS not in str(sent.data)


@pytest.mark.parametrize("code", ["consent", *OTHER_BASES])
def test_the_packet_never_holds_the_status_when_it_is_not_chosen(
    case, caseworker, inspectorate, code
):
    basis(case, caseworker, code)
    for fields in (("names",), ("nationalities",), WITHOUT_STATUS):
        referral = refer(case, caseworker, inspectorate, fields)
        referral.refresh_from_db()
        assert set(packet.loads(referral.packet)).isdisjoint({"migration_status"})
        assert STATUS not in referral.packet


def test_other_services_are_not_behind_this_firewall(case, caseworker, supervisor):
    """The rule is about inspectorates: a legal-aid provider may receive the status
    under another lawful basis (its own referral rules apply)."""
    legal_aid = make_provider(supervisor, name="Clínica Jurídica", services=("legal",))
    basis(case, caseworker, "vital_interest")
    referral = refer(case, caseworker, legal_aid, WITH_STATUS, service="legal")
    assert packet.loads(referral.packet)["migration_status"] == STATUS


def test_the_firewall_holds_for_an_inspectorate_asked_for_another_service(
    case, caseworker, supervisor
):
    inspectorate = make_provider(
        supervisor,
        name="Secretaría del Trabajo, oficina de Tapachula",
        services=("labour_inspection", "legal"),
    )
    basis(case, caseworker, "vital_interest")
    assert_refused(
        case, caseworker, inspectorate, "fields", WITH_STATUS, service="legal"
    )
