"""Consent and other lawful bases, per purpose: recorded, required, withdrawn."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from amparo.accounts.actions import issue_api_token
from amparo.audit.models import AuditEvent
from amparo.people.actions import record_consent, withdraw_consent
from amparo.people.models import Consent
from amparo.people.queries import require_basis
from amparo.people.tests.factories import give_consent, make_person

pytestmark = pytest.mark.django_db

REASON = "Unaccompanied child in danger; no guardian reachable tonight."


def _basis(person, user, **fields):
    values = {
        "purpose": "referral",
        "basis": "vital_interest",
        "justification": REASON,
        "obtained_on": timezone.localdate(),
    }
    if fields.get("obtained_on") == "tomorrow":
        fields["obtained_on"] = timezone.localdate() + timedelta(days=1)
    return record_consent(person, acting_user=user, **(values | fields))


def test_an_action_needing_a_purpose_is_refused_until_a_basis_is_recorded(caseworker):
    person = make_person(caseworker)
    with pytest.raises(ValidationError) as refused:
        require_basis(person, "referral")
    assert "consent" in refused.value.message_dict
    consent = give_consent(person, caseworker, "referral")
    assert require_basis(person, "referral") == consent
    with pytest.raises(ValidationError):
        require_basis(person, "tracing")  # consent is per purpose


def test_withdrawal_ends_the_basis_and_allows_a_new_one(caseworker):
    person = make_person(caseworker)
    consent = give_consent(person, caseworker, "referral")
    withdraw_consent(consent, acting_user=caseworker, reason="Changed her mind")
    with pytest.raises(ValidationError):
        require_basis(person, "referral")
    consent.refresh_from_db()
    assert consent.withdrawn_by == caseworker
    assert consent.withdrawal_reason == "Changed her mind"
    # A second withdrawal changes nothing.
    again = withdraw_consent(consent, acting_user=caseworker, reason="again")
    assert again.withdrawal_reason == "Changed her mind"
    assert _basis(person, caseworker).basis == "vital_interest"


def test_one_active_basis_per_purpose(caseworker):
    person = make_person(caseworker)
    give_consent(person, caseworker, "referral")
    with pytest.raises(ValidationError) as refused:
        _basis(person, caseworker)
    assert "purpose" in refused.value.message_dict
    assert person.consents.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"basis": "consent", "method": "", "given_by": "person"}, "method"),
        ({"basis": "consent", "method": "oral", "given_by": ""}, "given_by"),
        ({"basis": "public_interest", "justification": "short"}, "justification"),
        ({"basis": "magic"}, "basis"),
        ({"purpose": "marketing"}, "purpose"),
        ({"obtained_on": "tomorrow"}, "obtained_on"),
        ({"language": "klingon"}, "language"),
        ({"justification": "bad\x00text here"}, "justification"),
    ],
)
def test_an_incomplete_basis_names_the_field_and_stores_nothing(
    caseworker, fields, field
):
    person = make_person(caseworker)
    with pytest.raises(ValidationError) as refused:
        _basis(person, caseworker, **fields)
    assert field in refused.value.message_dict
    assert not Consent.objects.exists()


def test_roles_without_case_work_and_other_agencies_cannot_record(
    caseworker, statistician, outsider, dpo
):
    person = make_person(caseworker)
    for user in (statistician, outsider, dpo):
        with pytest.raises(PermissionError):
            give_consent(person, user, "referral")
    assert not Consent.objects.exists()


def test_recording_and_withdrawing_are_audited_without_the_justification(caseworker):
    person = make_person(caseworker)
    consent = _basis(person, caseworker)
    withdraw_consent(consent, acting_user=caseworker, reason="Guardian found")
    events = list(
        AuditEvent.objects.filter(action__startswith="people.consent.").order_by(
            "sequence"
        )
    )
    assert [e.action for e in events] == [
        "people.consent.recorded",
        "people.consent.withdrawn",
    ]
    assert events[0].data == {
        "consent": str(consent.pk),
        "purpose": "referral",
        "basis": "vital_interest",
    }
    assert all(e.subject_id == str(person.pk) for e in events)
    assert REASON not in str([e.data for e in events])


def test_the_justification_and_child_views_are_encrypted_at_rest(caseworker):
    person = make_person(caseworker)
    consent = _basis(
        person,
        caseworker,
        child_views="She wants to stay with her aunt",
        scope="Shelter run by the Sisters of Mercy",
    )
    withdraw_consent(consent, acting_user=caseworker, reason="Her uncle objected")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT justification, child_views, scope, withdrawal_reason"
            " FROM people_consent"
        )
        raw = " ".join(cursor.fetchone())
    assert "guardian" not in raw and "aunt" not in raw
    assert "Mercy" not in raw and "uncle" not in raw


def test_the_person_page_shows_each_purpose_and_the_form_records(client, caseworker):
    person = make_person(caseworker)
    give_consent(person, caseworker, "case_management")
    client.force_login(caseworker)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Case management:" in page and "none recorded" in page
    response = client.post(
        f"/people/{person.pk}/consent/",
        {
            "purpose": "tracing",
            "basis": "consent",
            "method": "written",
            "given_by": "guardian",
            "child_views": "Agrees",
            "language": "ti",
            "obtained_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    consent = person.consents.get(purpose="tracing")
    assert (consent.given_by, consent.language, consent.recorded_by) == (
        "guardian",
        "ti",
        caseworker,
    )


def test_the_form_shows_what_is_missing_and_stores_nothing(client, caseworker):
    person = make_person(caseworker)
    client.force_login(caseworker)
    response = client.post(
        f"/people/{person.pk}/consent/",
        {"purpose": "tracing", "basis": "consent", "obtained_on": "2020-01-01"},
    )
    assert response.status_code == 200
    assert "Say how consent was obtained." in response.content.decode()
    assert not person.consents.exists()


def test_withdrawing_from_the_page(client, caseworker):
    person = make_person(caseworker)
    consent = give_consent(person, caseworker, "tracing")
    client.force_login(caseworker)
    url = f"/people/{person.pk}/consent/{consent.pk}/withdraw/"
    assert client.post(url, {"reason": ""}).status_code == 302
    consent.refresh_from_db()
    assert consent.active
    client.post(url, {"reason": "No longer wishes to be traced"})
    consent.refresh_from_db()
    assert not consent.active


def test_a_consent_of_another_person_is_404_under_this_one(client, caseworker):
    person = make_person(caseworker)
    other = make_person(caseworker, "Saba", "Tekle")
    consent = give_consent(other, caseworker, "tracing")
    client.force_login(caseworker)
    url = f"/people/{person.pk}/consent/{consent.pk}/withdraw/"
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_an_outsider_gets_404(client, caseworker, outsider):
    person = make_person(caseworker)
    consent = give_consent(person, caseworker, "tracing")
    client.force_login(outsider)
    assert client.get(f"/people/{person.pk}/consent/").status_code == 404
    url = f"/people/{person.pk}/consent/{consent.pk}/withdraw/"
    assert client.post(url, {"reason": "x"}).status_code == 404
    consent.refresh_from_db()
    assert consent.active


def test_the_api_records_lists_and_withdraws(api, caseworker):
    person = make_person(caseworker)
    url = f"/api/v1/persons/{person.pk}/consents"
    refused = api.post(
        url,
        {"purpose": "tracing", "basis": "consent", "obtained_on": "2026-01-05"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert {d["field"] for d in refused.json()["detail"]} == {"method", "given_by"}
    created = api.post(
        url,
        {
            "purpose": "tracing",
            "basis": "consent",
            "method": "oral",
            "given_by": "person",
            "obtained_on": "2026-01-05",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    consent_id = created.json()["id"]
    assert [c["id"] for c in api.get(url).json()] == [consent_id]
    withdrawn = api.post(
        f"{url}/{consent_id}/withdraw",
        {"reason": "Found her family"},
        content_type="application/json",
    )
    assert withdrawn.json()["withdrawn_at"] is not None


def test_the_api_gives_an_outsider_404(client, caseworker, outsider):
    person = make_person(caseworker)
    consent = give_consent(person, caseworker, "tracing")
    token = issue_api_token(
        outsider, name="t", acting_user=outsider, scope="read_write"
    )[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/persons/{person.pk}/consents"
    assert client.get(url, **headers).status_code == 404
    response = client.post(
        f"{url}/{consent.pk}/withdraw",
        {"reason": "x"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.active
