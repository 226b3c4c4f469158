"""Hostile and unusual text (the Big List of Naughty Strings and XSS polyglots from
../shared/data/fuzz) typed into every free-text field through the web forms is stored
exactly as typed and comes back escaped, never as markup."""

import html

import pytest

from amparo.cases.models import Case, Note
from amparo.cases.tests.factories import make_case
from amparo.core.text import has_control_characters
from amparo.people.models import Person
from amparo.safeguards.models import CaseFact

pytestmark = pytest.mark.django_db


def _samples(shared_data):
    polyglots = (
        (shared_data / "fuzz" / "seclists_XSS-Polyglots-Dmiessler.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    naughty = (
        (shared_data / "fuzz" / "blns.txt").read_text(encoding="utf-8").splitlines()
    )
    naughty = [line for line in naughty if line.strip() and not line.startswith("#")]
    chosen = [p for p in polyglots if p.strip()] + naughty[::15]
    # Surrounding white space is trimmed by design; control characters are refused
    # (tested elsewhere); both are left out here.
    return [
        s.strip()[:180]
        for s in chosen
        if s.strip() and not has_control_characters(s, multiline=True)
    ]


def _person_form(given, place, contact):
    return {
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-0-given_names": given,
        "names-0-family_names": "",
        "names-0-kind": "primary",
        "nationalities-TOTAL_FORMS": "0",
        "nationalities-INITIAL_FORMS": "0",
        "sex": "U",
        "birth_date_precision": "day",
        "place_of_origin": place,
        "contact": contact,
    }


def test_hostile_text_is_stored_verbatim_and_rendered_escaped(
    client, caseworker, shared_data
):
    client.force_login(caseworker)
    samples = _samples(shared_data)
    assert len(samples) > 40
    for text in samples:
        response = client.post("/people/register/", _person_form(text, text, text))
        assert response.status_code == 302, (text, response.status_code)
        person = Person.objects.get(pk=response["Location"].split("/")[2])
        assert person.names.get().given_names == text
        assert (person.place_of_origin, person.contact) == (text, text)
        opened = client.post(
            f"/cases/open/{person.pk}/",
            {
                "types": ["general"],
                "risk": "low",
                "reason": text,
                "assigned_to": caseworker.pk,
                "basis": "consent",
                "method": "oral",
                "given_by": "person",
            },
        )
        case = Case.objects.get(pk=opened["Location"].split("/")[2])
        client.post(f"/cases/{case.pk}/note/", {"body": text})
        assert case.opening_reason == text
        assert Note.objects.get(case=case).body == text
        escaped = html.escape(text)  # what Django's autoescape writes
        for url in (f"/people/{person.pk}/", f"/cases/{case.pk}/"):
            page = client.get(url).content.decode()
            assert escaped in page, (url, text)
            if "<" in text:
                assert text not in page, (url, text)
        for url in ("/cases/", "/"):
            page = client.get(url).content.decode()
            if "<" in text:
                assert text not in page, (url, text)


def test_hostile_text_in_the_data_protection_forms(
    client, caseworker, supervisor, dpo, other_agency, enforcement_agency, shared_data
):
    """Consent, referral, export, firewall override and erasure request: every free-text
    field keeps the text as typed and shows it escaped."""
    from datetime import timedelta

    from django.utils import timezone

    from amparo.cases.tests.factories import make_case
    from amparo.disclosures.models import ExportRequest, FirewallOverride
    from amparo.people.models import Consent
    from amparo.people.tests.factories import give_consent, make_person
    from amparo.referrals.actions import record_agreement
    from amparo.referrals.models import Referral
    from amparo.retention.models import ErasureRequest

    record_agreement(
        acting_user=dpo,
        to_agency=other_agency,
        purpose="Legal aid",
        fields=["names"],
        safeguards="MoU",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=30),
    )
    today = timezone.localdate().isoformat()
    # Every third sample: each goes through five forms, and the suite stays quick.
    for text in _samples(shared_data)[::3]:
        person = make_person(caseworker)
        case = make_case(caseworker, person=person)
        escaped = html.escape(text)
        client.force_login(caseworker)

        long_enough = text if len(text) >= 10 else text + " (padded)"
        client.post(
            f"/people/{person.pk}/consent/",
            {
                "purpose": "referral",
                "basis": "public_interest",
                "justification": long_enough,
                "child_views": text,
                "scope": text,
                "obtained_on": today,
            },
        )
        consent = Consent.objects.get(person=person, purpose="referral")
        assert (consent.justification, consent.child_views, consent.scope) == (
            long_enough,
            text,
            text,
        )
        page = client.get(f"/people/{person.pk}/consent/").content.decode()
        assert html.escape(long_enough) in page and escaped in page, text

        client.post(
            f"/referrals/new/{case.pk}/",
            {
                "to_agency": other_agency.pk,
                "kind": "referral",
                "share": ["names"],
                "message": text,
            },
        )
        referral = Referral.objects.get(case=case)
        assert referral.message == text
        page = client.get(f"/referrals/{referral.pk}/").content.decode()
        assert escaped in page, text

        give_consent(person, caseworker, "data_sharing")
        client.post(
            f"/disclosures/exports/new/{case.pk}/",
            {"recipient": other_agency.pk, "purpose": text},
        )
        export = ExportRequest.objects.get(case=case)
        assert export.purpose == text
        page = client.get(f"/disclosures/exports/{export.pk}/").content.decode()
        assert escaped in page, text

        client.post(f"/retention/erasure/request/{person.pk}/", {"reason": text})
        erasure = ErasureRequest.objects.get(person=person)
        assert erasure.reason == text

        client.force_login(supervisor)
        client.post(
            f"/disclosures/overrides/new/{case.pk}/",
            {
                "kind": "export",
                "recipient": enforcement_agency.pk,
                "legal_basis": "court_order",
                "explanation": text,
                "purpose": text,
                "subject_notice": "unsafe",
                "notice_explanation": text,
            },
        )
        override = FirewallOverride.objects.get(case=case)
        assert (override.legal_basis_explanation, override.purpose) == (text, text)
        assert override.notice_explanation == text
        page = client.get(f"/disclosures/overrides/{override.pk}/").content.decode()
        assert escaped in page, text

        client.force_login(dpo)
        page = client.get(f"/retention/erasure/{erasure.pk}/").content.decode()
        assert escaped in page, text


def test_hostile_text_in_a_safeguards_fact(client, caseworker, shared_data):
    client.force_login(caseworker)
    url_of = "/obligations/cases/{}/facts/new/"
    for number, text in enumerate(_samples(shared_data)[::3]):
        case = make_case(caseworker, types=("detention",))
        response = client.post(
            url_of.format(case.pk),
            {
                "kind": "detention_started",
                "at": "2026-03-02T10:00",
                "zone": "America/Mexico_City",
                "data_episode": f"E{number}",
                "data_place": text,
                "data_time_zone": "America/Mexico_City",
                "data_legal_basis": text,
            },
        )
        assert response.status_code == 302, (text, response.context["form"].errors)
        fact = CaseFact.objects.get(case=case)
        assert fact.data["place"] == fact.data["legal_basis"] == text
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert html.escape(text) in page, text
        if "<" in text:
            assert text not in page, text
