"""Referrals and transfers between agencies: the only way a case's data crosses an
agency's boundary, with an agreement, the person's consent and the chosen fields."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from amparo.accounts.models import User
from amparo.accounts.tests.factories import AgencyFactory, UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.models import Case, CaseEvent
from amparo.cases.tests.factories import make_case
from amparo.disclosures.actions import decide_override, request_override
from amparo.people.actions import withdraw_consent
from amparo.people.models import Person
from amparo.people.tests.factories import give_consent, make_person
from amparo.referrals import actions
from amparo.referrals.models import Referral

pytestmark = pytest.mark.django_db

MESSAGE = "Needs legal counsel on her asylum claim before Friday's hearing."


@pytest.fixture
def receiver(other_agency):
    """The supervisor of agency B who receives referrals."""
    return UserFactory(
        username="beatriz", agency=other_agency, role=User.Role.SUPERVISOR
    )


@pytest.fixture
def agreement(dpo, other_agency):
    return actions.record_agreement(
        acting_user=dpo,
        to_agency=other_agency,
        purpose="Legal aid for asylum seekers",
        fields=["names", "sex", "birth", "nationalities", "contact", "case_types"],
        safeguards="Art. 5 of the MoU of 2026: confidentiality, no onward sharing.",
        valid_from=timezone.localdate() - timedelta(days=30),
        valid_until=timezone.localdate() + timedelta(days=335),
    )


@pytest.fixture
def case(caseworker):
    person = make_person(
        caseworker,
        "Selam",
        "Tesfaye",
        sex="F",
        contact="+251 911 000 000",
        nationalities=("ERI",),
        migration_status="asylum_seeker",
    )
    return make_case(caseworker, person=person)


def _send(case, user, to_agency, **fields):
    values = {"kind": "referral", "fields": ["names", "sex"], "message": MESSAGE}
    return actions.send_referral(
        case, acting_user=user, to_agency=to_agency, **(values | fields)
    )


def test_a_referral_carries_only_the_chosen_fields(
    caseworker, case, other_agency, agreement
):
    give_consent(case.primary_person, caseworker, "referral")
    referral = _send(case, caseworker, other_agency)
    shared = referral.packet
    assert "Selam" in shared and "Tesfaye" in shared
    assert "+251" not in shared and "asylum" not in shared and "ERI" not in shared
    assert referral.fields == ["names", "sex"]
    assert referral.agreement == agreement
    assert referral.consent.purpose == "referral"


def test_what_is_shared_is_encrypted_at_rest(caseworker, case, other_agency, agreement):
    give_consent(case.primary_person, caseworker, "referral")
    _send(case, caseworker, other_agency)
    with connection.cursor() as cursor:
        cursor.execute("SELECT packet, message FROM referrals_referral")
        raw = " ".join(cursor.fetchone())
    assert "Selam" not in raw and "hearing" not in raw


def test_sending_is_audited_and_on_the_timeline_without_values(
    caseworker, case, other_agency, agreement
):
    give_consent(case.primary_person, caseworker, "referral")
    referral = _send(case, caseworker, other_agency)
    event = AuditEvent.objects.get(action="referrals.referral.sent")
    assert event.data["fields"] == ["names", "sex"]
    assert event.data["to_agency"] == str(other_agency.pk)
    assert "Selam" not in str(event.data) and MESSAGE not in str(event.data)
    line = case.events.get(kind=CaseEvent.Kind.REFERRED)
    assert line.data["referral"] == str(referral.pk)


def test_without_consent_nothing_is_sent(caseworker, case, other_agency, agreement):
    with pytest.raises(ValidationError) as refused:
        _send(case, caseworker, other_agency)
    assert "consent" in refused.value.message_dict
    consent = give_consent(case.primary_person, caseworker, "referral")
    withdraw_consent(consent, acting_user=caseworker, reason="She said no")
    with pytest.raises(ValidationError):
        _send(case, caseworker, other_agency)
    assert not Referral.objects.exists()


def test_without_an_agreement_in_force_nothing_is_sent(
    caseworker, dpo, case, other_agency, agreement
):
    give_consent(case.primary_person, caseworker, "referral")
    third = AgencyFactory(name="Agency C", code="c")
    with pytest.raises(ValidationError) as refused:
        _send(case, caseworker, third)
    assert "to_agency" in refused.value.message_dict
    actions.end_agreement(agreement, acting_user=dpo)
    with pytest.raises(ValidationError):
        _send(case, caseworker, other_agency)
    assert not Referral.objects.exists()


def test_an_agreement_that_has_expired_no_longer_counts(
    caseworker, case, other_agency, agreement, time_machine
):
    give_consent(case.primary_person, caseworker, "referral")
    time_machine.move_to(timezone.now() + timedelta(days=400))
    with pytest.raises(ValidationError):
        _send(case, caseworker, other_agency)


def test_fields_beyond_the_agreement_are_refused(
    caseworker, case, other_agency, agreement
):
    give_consent(case.primary_person, caseworker, "referral")
    with pytest.raises(ValidationError) as refused:
        _send(case, caseworker, other_agency, fields=["names", "migration_status"])
    assert "Migration status" in refused.value.message_dict["fields"][0]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "gift"}, "kind"),
        ({"fields": []}, "fields"),
        ({"fields": ["names", "soul"]}, "fields"),
        ({"message": "  "}, "message"),
    ],
)
def test_bad_input_names_the_field(
    caseworker, case, other_agency, agreement, fields, field
):
    give_consent(case.primary_person, caseworker, "referral")
    with pytest.raises(ValidationError) as refused:
        _send(case, caseworker, other_agency, **fields)
    assert field in refused.value.message_dict
    assert not Referral.objects.exists()


def test_one_pending_referral_per_recipient(caseworker, case, other_agency, agreement):
    give_consent(case.primary_person, caseworker, "referral")
    _send(case, caseworker, other_agency)
    with pytest.raises(ValidationError):
        _send(case, caseworker, other_agency)
    assert Referral.objects.count() == 1


def test_accepting_opens_the_recipients_own_case_from_the_packet(
    caseworker, case, other_agency, agreement, receiver
):
    give_consent(case.primary_person, caseworker, "referral")
    referral = _send(case, caseworker, other_agency, fields=["names", "case_types"])
    actions.accept_referral(referral, acting_user=receiver)
    referral.refresh_from_db()
    received = referral.received_case
    assert referral.status == "accepted" and referral.responded_by == receiver
    assert received.agency == other_agency and received.assigned_to == receiver
    person = received.primary_person
    assert person.agency == other_agency and person.display_name == "Selam Tesfaye"
    assert person.contact == "" and person.migration_status == ""
    assert received.opening_reason == MESSAGE
    assert received.events.filter(kind=CaseEvent.Kind.RECEIVED).exists()
    # A referral: the sender keeps its case open; its person is untouched.
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert Person.objects.filter(agency=case.agency).count() == 1


def test_a_transfer_closes_the_senders_case_when_accepted(
    caseworker, case, other_agency, agreement, receiver
):
    give_consent(case.primary_person, caseworker, "referral")
    referral = _send(case, caseworker, other_agency, kind="transfer")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN  # not before the answer
    actions.accept_referral(referral, acting_user=receiver)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.closure_reason == Case.ClosureReason.REFERRED


def test_a_declined_transfer_leaves_the_case_open(
    caseworker, case, other_agency, agreement, receiver
):
    give_consent(case.primary_person, caseworker, "referral")
    referral = _send(case, caseworker, other_agency, kind="transfer")
    with pytest.raises(ValidationError):
        actions.decline_referral(referral, acting_user=receiver, note="")
    actions.decline_referral(referral, acting_user=receiver, note="No capacity")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    with pytest.raises(ValidationError):  # answered once
        actions.accept_referral(referral, acting_user=receiver)


def test_only_the_recipients_supervisor_answers_and_only_the_sender_withdraws(
    caseworker, case, other_agency, agreement, receiver, outsider, supervisor
):
    give_consent(case.primary_person, caseworker, "referral")
    referral = _send(case, caseworker, other_agency)
    for user in (outsider, supervisor, caseworker):  # B's case worker; A's staff
        with pytest.raises(PermissionError):
            actions.accept_referral(referral, acting_user=user)
    with pytest.raises(PermissionError):
        actions.withdraw_referral(referral, acting_user=receiver)
    actions.withdraw_referral(referral, acting_user=caseworker)
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


def test_the_firewall_blocks_enforcement_agencies_whatever_the_consent(
    caseworker, dpo, case, enforcement_agency
):
    give_consent(case.primary_person, caseworker, "referral")
    with pytest.raises(ValidationError) as refused:
        _send(case, caseworker, enforcement_agency)
    assert "firewall" in refused.value.message_dict["recipient"][0]
    with pytest.raises(ValidationError):
        actions.record_agreement(
            acting_user=dpo,
            to_agency=enforcement_agency,
            purpose="x",
            fields=["names"],
            safeguards="x",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate(),
        )
    assert not Referral.objects.exists()


def test_an_approved_override_lets_one_referral_through(
    caseworker, supervisor, dpo, legal_officer, case, enforcement_agency, enforcer
):
    give_consent(case.primary_person, caseworker, "referral")
    override = request_override(
        case,
        acting_user=supervisor,
        kind="referral",
        recipient=enforcement_agency,
        legal_basis="court_order",
        explanation="Order 2026/114 of the district court",
        purpose="Identification of a victim's exploiter",
        subject_notice="given",
        fields=["names", "sex"],
    )
    decide_override(override, acting_user=legal_officer, decision="approve")
    decide_override(override, acting_user=dpo, decision="approve")
    # Only the fields the approvers saw may travel.
    with pytest.raises(ValidationError) as refused:
        _send(case, caseworker, enforcement_agency, fields=["names", "contact"])
    assert "fields" in refused.value.message_dict
    referral = _send(case, caseworker, enforcement_agency)
    override.refresh_from_db()
    assert referral.override == override and override.status == "used"
    # Single use: a second referral is blocked again.
    actions.withdraw_referral(referral, acting_user=caseworker)
    with pytest.raises(ValidationError):
        _send(case, caseworker, enforcement_agency)
    # The enforcement body can acknowledge it, but no case is opened there.
    second = Referral.objects.get()
    assert second.status == "withdrawn"


def test_agreements_are_recorded_by_the_dpo_only(caseworker, supervisor, other_agency):
    for user in (caseworker, supervisor):
        with pytest.raises(PermissionError):
            actions.record_agreement(
                acting_user=user,
                to_agency=other_agency,
                purpose="x",
                fields=["names"],
                safeguards="x",
                valid_from=timezone.localdate(),
                valid_until=timezone.localdate(),
            )


def test_the_copy_is_removed_once_answered(
    caseworker, case, other_agency, agreement, receiver
):
    give_consent(case.primary_person, caseworker, "referral")
    declined = _send(case, caseworker, other_agency)
    actions.decline_referral(declined, acting_user=receiver, note="Full")
    withdrawn = _send(case, caseworker, other_agency)
    actions.withdraw_referral(withdrawn, acting_user=caseworker)
    accepted = _send(case, caseworker, other_agency)
    actions.accept_referral(accepted, acting_user=receiver)
    for referral in (declined, withdrawn, accepted):
        referral.refresh_from_db()
        assert referral.packet == "{}"
        assert referral.fields == ["names", "sex"]  # what was shared stays known


def test_a_consent_withdrawn_before_the_answer_stops_the_acceptance(
    caseworker, case, other_agency, agreement, receiver
):
    consent = give_consent(case.primary_person, caseworker, "referral")
    referral = _send(case, caseworker, other_agency)
    withdraw_consent(consent, acting_user=caseworker, reason="No longer agrees")
    with pytest.raises(ValidationError):
        actions.accept_referral(referral, acting_user=receiver)
    assert not Person.objects.filter(agency=other_agency).exists()
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_a_transfer_closes_even_if_the_sender_has_since_left(
    caseworker, case, other_agency, agreement, receiver
):
    give_consent(case.primary_person, caseworker, "referral")
    referral = _send(case, caseworker, other_agency, kind="transfer")
    caseworker.role = User.Role.STATISTICIAN
    caseworker.save()
    actions.accept_referral(referral, acting_user=receiver)
    closed = case.events.get(kind=CaseEvent.Kind.CLOSED)
    assert closed.actor == receiver  # who accepted, not the sender
    assert closed.data == {"reason": "referred", "referral": str(referral.pk)}
    # Filed under the sending agency, so that its DPO sees it.
    event = AuditEvent.objects.get(action="cases.case.closed")
    assert event.agency_id == case.agency_id
