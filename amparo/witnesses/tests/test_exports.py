"""Protected persons are never exported: an export of a case with a protected person
on it (the primary person or a member) is refused, and one approved before the
protection is not downloaded. The anonymisation of a protected person deletes the
protection, with the encrypted identity and the requests to see it."""

import pytest
from django.core.exceptions import ValidationError

from amparo.accounts.tests.factories import AgencyFactory
from amparo.audit.models import AuditEvent
from amparo.cases.actions import add_case_member
from amparo.cases.tests.factories import ORAL_CONSENT, make_case
from amparo.disclosures.actions import decide_export, download_export, request_export
from amparo.disclosures.models import ExportRequest
from amparo.disclosures.tests.factories import allow_sharing
from amparo.htcds.queries import cases_for_export
from amparo.people.models import Person
from amparo.people.tests.factories import make_person
from amparo.retention.actions import approve_erasure, request_erasure
from amparo.witnesses import actions
from amparo.witnesses.models import Protection, Reidentification
from amparo.witnesses.tests.conftest import secrets_in

pytestmark = pytest.mark.django_db

PURPOSE = "The shelter needs the file to admit her tonight."
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def shelter():
    return AgencyFactory(name="Safe Shelter", code="shelter")


def _export(case, user, shelter):
    return request_export(
        case, acting_user=user, purpose=PURPOSE, recipient_agency=shelter
    )


def _refused(case, user, shelter):
    """Refused on the case, and nothing saved."""
    requested = AuditEvent.objects.filter(action="disclosures.export.requested")
    events = requested.count()
    with pytest.raises(ValidationError) as caught:
        _export(case, user, shelter)
    assert set(caught.value.message_dict) == {"case"}
    assert "protected as a witness" in " ".join(caught.value.message_dict["case"])
    assert not ExportRequest.objects.exists()
    assert requested.count() == events


@pytest.mark.parametrize("who", ["caseworker", "supervisor", "boss"])
def test_the_case_of_a_protected_person_is_not_exported(
    request, witness, witness_case, caseworker, shelter, protect_witness, who
):
    allow_sharing(witness, caseworker)
    protect_witness(witness)
    _refused(witness_case, request.getfixturevalue(who), shelter)


def test_a_case_with_a_protected_member_is_not_exported(
    witness, caseworker, supervisor, shelter, protect_witness
):
    mother = make_person(caseworker, "Philomena", "Okafor")
    case = make_case(caseworker, mother)
    allow_sharing(mother, caseworker)
    add_case_member(
        case,
        witness,
        acting_user=caseworker,
        relationship="child",
        lawful_basis=ORAL_CONSENT,
    )
    # Before the protection, the case is exported.
    first = _export(case, caseworker, shelter)
    first.delete()
    protect_witness(witness)
    _refused(case, caseworker, shelter)
    _refused(case, supervisor, shelter)


def test_the_page_says_why_and_saves_nothing(
    client, witness, witness_case, caseworker, shelter, protect_witness
):
    allow_sharing(witness, caseworker)
    protect_witness(witness)
    client.force_login(caseworker)
    response = client.post(
        f"/disclosures/exports/new/{witness_case.pk}/",
        {"purpose": PURPOSE, "recipient": shelter.pk},
    )
    assert response.status_code == 200
    assert "protected as a witness" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_the_export_is_possible_again_once_the_protection_ends(
    witness, witness_case, caseworker, supervisor, shelter, protect_witness
):
    allow_sharing(witness, caseworker)
    protection = protect_witness(witness)
    _refused(witness_case, caseworker, shelter)
    actions.end_protection(protection, acting_user=supervisor, reason="Trial over.")
    export = _export(witness_case, caseworker, shelter)
    assert export.status == ExportRequest.Status.REQUESTED


def test_an_export_approved_before_the_protection_is_not_downloaded(
    witness, witness_case, caseworker, dpo, shelter, protect_witness
):
    allow_sharing(witness, caseworker)
    export = _export(witness_case, caseworker, shelter)
    export = decide_export(export, acting_user=dpo, approve=True)
    protect_witness(witness)
    with pytest.raises(ValidationError) as caught:
        download_export(
            export, acting_user=caseworker, passphrase=PASSPHRASE, again=PASSPHRASE
        )
    assert set(caught.value.message_dict) == {"case"}
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.APPROVED
    assert export.download_count == 0
    assert not AuditEvent.objects.filter(
        action="disclosures.export.downloaded"
    ).exists()


# --- Anonymisation --------------------------------------------------------------------


def test_anonymising_a_protected_person_deletes_the_protection(
    witness, caseworker, dpo, boss, protect_witness
):
    """The witness is on no case: the DPO's approval of the erasure anonymises her
    at once."""
    protection = protect_witness(witness)
    pending = actions.request_reidentification(
        protection, acting_user=boss, reason="The court asks who she is.", hours=4
    )
    erasure = request_erasure(
        witness, acting_user=caseworker, reason="She asked for it at the office."
    )
    approve_erasure(erasure, acting_user=dpo)
    person = Person.objects.get(pk=witness.pk)
    assert person.anonymised_at is not None
    assert not Protection.objects.filter(pk=protection.pk).exists()
    assert not Reidentification.objects.filter(pk=pending.pk).exists()
    assert secrets_in(person.display_name) == []
    assert protection.pseudonym not in person.display_name
    # The audit trail keeps that it existed.
    assert AuditEvent.objects.filter(
        action="witnesses.protection.started", subject_id=str(protection.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="retention.person.anonymised").exists()
    # An anonymised person is not protected again: there is nothing left to hide.
    with pytest.raises(ValidationError):
        actions.protect(
            person,
            acting_user=protection.started_by,
            kind="witness",
            reason="Testifies.",
            team=[],
        )


def test_the_htcds_export_leaves_a_protected_victim_witness_out(
    witness, caseworker, supervisor, protect_witness
):
    case = make_case(caseworker, witness, types=("victim",))
    other = make_case(
        caseworker, make_person(caseworker, "Philomena", "Okafor"), types=("victim",)
    )
    assert set(cases_for_export(supervisor)) == {case, other}
    protect_witness(witness)
    assert list(cases_for_export(supervisor)) == [other]
