"""The service directory and referral pages through HTTP: the directory and its
keepers, the refer form and where its refusals show, what a referral page shows the
case team, and what a provider that is another agency on this Amparo sees: exactly the
fields chosen, nothing of the case. Everyone else gets 404."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from amparo.accounts.models import User
from amparo.accounts.tests.factories import AgencyFactory, UserFactory
from amparo.audit.models import AuditEvent
from amparo.people.tests.factories import give_consent
from amparo.services.models import Provider, ServiceReferral
from amparo.services.tests.factories import (
    MESSAGE,
    make_agreement,
    make_provider,
    make_referral,
    make_victim_case,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    case = make_victim_case(caseworker)
    give_consent(case.primary_person, caseworker, "referral")
    return case


@pytest.fixture
def clinic(supervisor):
    return make_provider(
        supervisor, name="Clínica San Rafael", services=("medical", "psychosocial")
    )


@pytest.fixture
def lawyers(supervisor):
    return make_provider(supervisor, name="Abogados Sin Fronteras", services=("legal",))


@pytest.fixture
def police(supervisor):
    return make_provider(supervisor, name="Policía Federal", enforcement=True)


@pytest.fixture
def referral(case, caseworker, clinic):
    return make_referral(case, caseworker, clinic, fields=("names",))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def field_error(html: str, field: str) -> str:
    """The error shown under the form field `field` ("" when none)."""
    found = re.findall(rf'id="id_{field}_error"[^>]*>([^<]*)<', html)
    return " ".join(found)


def shared_labels(html: str) -> list[str]:
    """The labels of what was shared, as the page lists them."""
    block = re.search(r'<dl class="row" id="shared">(.*?)</dl>', html, re.S)
    assert block, "no shared values on the page"
    return re.findall(r"<dt[^>]*>([^<]*)</dt>", block.group(1))


def refer_form(provider: Provider, **changes: object) -> dict[str, object]:
    return {
        "provider": str(provider.pk),
        "service": "medical",
        "urgency": "urgent",
        "share": ["names", "languages"],
        "message": MESSAGE,
        "person_agreed": "on",
    } | changes


# --- The directory ---------------------------------------------------------------------


def test_the_directory_lists_the_providers_and_filters_by_service(
    client, caseworker, clinic, lawyers, police
):
    client.force_login(caseworker)
    html = page(client, "/services/")
    for name in ("Clínica San Rafael", "Abogados Sin Fronteras", "Policía Federal"):
        assert name in html
    assert "Enforcement body: no referrals" in html
    assert "Tapachula, Chiapas" in html and "+52 962 000 0000" in html
    legal = page(client, "/services/?service=legal")
    assert "Abogados Sin Fronteras" in legal
    assert "Clínica San Rafael" not in legal
    psychosocial = page(client, "/services/?service=psychosocial")
    assert "Clínica San Rafael" in psychosocial
    assert "Abogados Sin Fronteras" not in psychosocial
    assert "No provider offers this service" in page(
        client, "/services/?service=consular"
    )
    # A case worker does not keep the directory.
    assert "/services/providers/new/" not in html
    assert f"/services/providers/{clinic.pk}/" not in html


def test_a_provider_out_of_the_directory_is_shown_to_its_keepers_only(
    client, caseworker, supervisor
):
    make_provider(supervisor, name="Old clinic", active=False)
    client.force_login(caseworker)
    assert "Old clinic" not in page(client, "/services/")
    client.force_login(supervisor)
    html = page(client, "/services/")
    assert "Old clinic" in html and "Out of the directory" in html


def test_every_protection_agency_sees_the_directory(
    client, statistician, outsider, clinic
):
    for user in (statistician, outsider):
        client.force_login(user)
        assert "Clínica San Rafael" in page(client, "/services/")


def test_an_enforcement_agency_does_not_see_the_directory(client, enforcer, clinic):
    client.force_login(enforcer)
    assert client.get("/services/").status_code == 404
    assert client.get("/services/providers/new/").status_code == 404


@pytest.mark.parametrize("keeper", ["supervisor", "agency_admin"])
def test_a_keeper_adds_a_provider(client, request, keeper, other_agency):
    client.force_login(request.getfixturevalue(keeper))
    assert "Add a provider" in page(client, "/services/providers/new/")
    response = client.post(
        "/services/providers/new/",
        {
            "name": "Casa del Migrante",
            "services": ["shelter", "legal"],
            "languages": ["es", "fr"],
            "area": "Tijuana",
            "contact": "casa@example.org",
            "amparo_agency": str(other_agency.pk),
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/services/"
    provider = Provider.objects.get()
    assert (provider.name, provider.services, provider.languages) == (
        "Casa del Migrante",
        ["legal", "shelter"],
        ["es", "fr"],
    )
    assert provider.amparo_agency == other_agency and provider.active


def test_a_duplicate_name_is_shown_on_the_name(client, supervisor, clinic):
    client.force_login(supervisor)
    response = client.post(
        "/services/providers/new/",
        {
            "name": "Clínica San Rafael",
            "services": ["medical"],
            "area": "x",
            "contact": "x",
        },
    )
    assert response.status_code == 200
    assert "already has a provider of this name" in field_error(
        response.content.decode(), "name"
    )
    assert Provider.objects.count() == 1


def test_a_keeper_changes_an_entry_of_their_agency(client, supervisor, clinic):
    client.force_login(supervisor)
    url = f"/services/providers/{clinic.pk}/"
    assert "Clínica San Rafael" in page(client, url)
    response = client.post(
        url,
        {
            "name": "Clínica San Rafael",
            "services": ["medical"],
            "area": "Tapachula",
            "contact": "+52 962 111 1111",
        },
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.services == ["medical"]
    assert clinic.contact == "+52 962 111 1111"
    assert not clinic.active  # the box was not ticked: taken out of the directory


@pytest.mark.parametrize("persona", ["caseworker", "statistician", "dpo", "outsider"])
def test_others_cannot_add_or_change_a_provider(client, request, persona, clinic):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/services/providers/new/").status_code == 404
    form = {"name": "X", "services": ["legal"], "area": "x", "contact": "x"}
    assert client.post("/services/providers/new/", form).status_code == 404
    url = f"/services/providers/{clinic.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, form).status_code == 404
    clinic.refresh_from_db()
    assert clinic.name == "Clínica San Rafael"
    assert Provider.objects.count() == 1


def test_another_agencys_keeper_does_not_change_our_entry(client, other_agency, clinic):
    client.force_login(
        UserFactory(username="bruno", agency=other_agency, role=User.Role.SUPERVISOR)
    )
    assert client.get(f"/services/providers/{clinic.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="access.denied", subject_id=str(clinic.pk)
    ).exists()


# --- Referring -------------------------------------------------------------------------


def test_the_case_page_offers_to_refer_and_lists_the_referrals(
    client, caseworker, referral
):
    client.force_login(caseworker)
    html = page(client, f"/cases/{referral.case_id}/")
    assert "Referrals to services" in html
    assert f"/services/cases/{referral.case_id}/refer/" in html
    assert f"/services/referrals/{referral.pk}/" in html


def test_referring_from_the_case(client, caseworker, case, clinic):
    client.force_login(caseworker)
    url = f"/services/cases/{case.pk}/refer/"
    html = page(client, url)
    assert "Clínica San Rafael (Medical care, Psychosocial support)" in html
    response = client.post(url, refer_form(clinic))
    referral = ServiceReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/services/referrals/{referral.pk}/"
    assert (referral.provider, referral.service, referral.urgency) == (
        clinic,
        "medical",
        "urgent",
    )
    assert referral.fields == ["languages", "names"]
    assert referral.person_agreed


def test_without_consent_the_form_says_so_and_nothing_is_sent(
    client, caseworker, clinic
):
    case = make_victim_case(caseworker)  # no consent for referral
    client.force_login(caseworker)
    response = client.post(f"/services/cases/{case.pk}/refer/", refer_form(clinic))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No consent or other lawful basis is recorded" in html
    assert "Record it on the person" in html
    assert not ServiceReferral.objects.exists()


def test_without_the_persons_agreement_the_box_says_so(
    client, caseworker, case, clinic
):
    client.force_login(caseworker)
    form = refer_form(clinic)
    del form["person_agreed"]
    response = client.post(f"/services/cases/{case.pk}/refer/", form)
    assert response.status_code == 200
    assert "Ask the person whether they agree" in field_error(
        response.content.decode(), "person_agreed"
    )
    assert not ServiceReferral.objects.exists()


def test_an_enforcement_body_is_refused_on_the_provider(
    client, caseworker, case, police
):
    client.force_login(caseworker)
    response = client.post(f"/services/cases/{case.pk}/refer/", refer_form(police))
    assert response.status_code == 200
    assert "enforcement body" in field_error(response.content.decode(), "provider")
    assert not ServiceReferral.objects.exists()


def test_a_service_the_provider_does_not_offer_is_refused_on_the_service(
    client, caseworker, case, lawyers
):
    client.force_login(caseworker)
    response = client.post(f"/services/cases/{case.pk}/refer/", refer_form(lawyers))
    assert "does not offer this service" in field_error(
        response.content.decode(), "service"
    )
    assert not ServiceReferral.objects.exists()


def test_a_provider_out_of_the_directory_cannot_be_chosen(
    client, caseworker, supervisor, case
):
    old = make_provider(supervisor, name="Old clinic", active=False)
    client.force_login(caseworker)
    url = f"/services/cases/{case.pk}/refer/"
    assert "Old clinic" not in page(client, url)
    response = client.post(url, refer_form(old))
    assert field_error(response.content.decode(), "provider")
    assert not ServiceReferral.objects.exists()


def test_the_case_team_sees_what_was_sent(client, caseworker, supervisor, referral):
    for user in (caseworker, supervisor):
        client.force_login(user)
        html = page(client, f"/services/referrals/{referral.pk}/")
        assert MESSAGE in html.replace("&#x27;", "'")
        assert shared_labels(html) == ["Names"]
        assert "Selam Tesfaye" in html
        assert "+251" not in html and "Eritrea" not in html
        assert f'href="/cases/{referral.case_id}/"' in html
        assert referral.case.reference in html
        assert "Close the referral" in html
    assert AuditEvent.objects.filter(
        action="services.referral.viewed", actor=caseworker
    ).exists()
    assert str(referral.pk) in page(client, "/services/referrals/")


def test_the_case_team_records_the_answers_of_a_provider_outside_amparo(
    client, caseworker, referral
):
    client.force_login(caseworker)
    url = f"/services/referrals/{referral.pk}/"
    assert "record what it told you" in page(client, url)
    response = client.post(f"{url}declined/", {"reason": ""}, follow=True)
    assert "This field is required." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert client.post(f"{url}accepted/").status_code == 302
    assert client.post(f"{url}delivered/").status_code == 302
    referral.refresh_from_db()
    assert referral.status == "delivered"
    html = page(client, url)
    assert re.search(r'id="referral-status">Service delivered<', html)
    # Delivered: nothing more to answer, but it can be closed.
    assert 'id="answer-form"' not in html
    assert client.post(f"{url}close/", {"note": "Done"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert "The copy of the shared values was removed" in page(client, url)


def test_an_unknown_move_is_404(client, caseworker, referral):
    client.force_login(caseworker)
    url = f"/services/referrals/{referral.pk}/"
    assert client.post(f"{url}teleported/").status_code == 404
    assert client.post(f"{url}sent/").status_code == 404
    assert client.get(f"{url}accepted/").status_code == 405
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_colleague_not_on_the_case_gets_404(client, agency, referral):
    colleague = UserFactory(username="cesar", agency=agency, role=User.Role.CASEWORKER)
    client.force_login(colleague)
    assert client.get(f"/services/cases/{referral.case_id}/refer/").status_code == 404
    assert client.get(f"/services/referrals/{referral.pk}/").status_code == 404
    assert client.post(f"/services/referrals/{referral.pk}/close/").status_code == 404


@pytest.mark.parametrize("persona", ["statistician", "dpo", "legal_officer"])
def test_roles_without_case_content_get_404(client, request, persona, referral):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        f"/services/cases/{referral.case_id}/refer/",
        "/services/referrals/",
        f"/services/referrals/{referral.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for move in ("accepted", "close"):
        response = client.post(f"/services/referrals/{referral.pk}/{move}/")
        assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_the_enforcer_gets_404_on_our_referral(client, enforcer, referral):
    client.force_login(enforcer)
    assert client.get(f"/services/cases/{referral.case_id}/refer/").status_code == 404
    assert client.get(f"/services/referrals/{referral.pk}/").status_code == 404
    assert client.post(f"/services/referrals/{referral.pk}/accepted/").status_code == (
        404
    )


# --- A provider that is another agency on this Amparo ----------------------------------


@pytest.fixture
def receiver(other_agency):
    """Agency B's supervisor: answers the referrals to agency B as a provider."""
    return UserFactory(
        username="beatriz", agency=other_agency, role=User.Role.SUPERVISOR
    )


@pytest.fixture
def received(client, case, caseworker, dpo, supervisor, other_agency):
    """Agency A refers its case to agency B, sharing names and languages, under the
    agreement agency A's DPO recorded (which would allow more)."""
    make_agreement(dpo, other_agency, fields=("names", "languages", "sex", "contact"))
    provider = make_provider(
        supervisor,
        name="Agency B legal aid",
        services=("legal",),
        amparo_agency=other_agency,
    )
    return make_referral(
        case, caseworker, provider, service="legal", fields=("names", "languages")
    )


def test_the_provider_agency_sees_exactly_the_fields_chosen(client, received, receiver):
    client.force_login(receiver)
    listed = page(client, "/services/referrals/")
    assert "Received by your agency as a provider" in listed
    assert f"/services/referrals/{received.pk}/" in listed
    assert received.case.reference not in listed
    html = page(client, f"/services/referrals/{received.pk}/")
    assert shared_labels(html) == ["Names", "Languages"]
    assert "Selam Tesfaye" in html
    assert "Tigrinya" in html and "English" in html
    # Nothing of the case, and none of the fields not chosen (though agreed).
    assert received.case.reference not in html
    assert f"/cases/{received.case_id}/" not in html
    assert "+251" not in html and "Eritrea" not in html and "asylum" not in html
    assert "Keren" not in html
    assert "Close the referral" not in html
    assert "record what it told you" not in html  # it answers for itself
    # The referral opens no door to the case or the person.
    assert client.get(f"/cases/{received.case_id}/").status_code == 404
    person_id = received.case.primary_person_id
    assert client.get(f"/people/{person_id}/").status_code == 404
    assert client.get(f"/services/cases/{received.case_id}/refer/").status_code == 404


def test_the_provider_agency_accepts_and_delivers(client, received, receiver):
    client.force_login(receiver)
    url = f"/services/referrals/{received.pk}/"
    assert client.post(f"{url}accepted/").status_code == 302
    assert client.post(f"{url}delivered/").status_code == 302
    received.refresh_from_db()
    assert received.status == "delivered"
    assert received.accepted_at == received.delivered_at == NOW
    # But does not close the sender's referral.
    assert client.post(f"{url}close/").status_code == 403
    received.refresh_from_db()
    assert received.status == "delivered"


def test_the_sender_does_not_answer_for_the_provider_agency(
    client, caseworker, received
):
    client.force_login(caseworker)
    url = f"/services/referrals/{received.pk}/"
    assert 'id="answer-form"' not in page(client, url)
    assert client.post(f"{url}accepted/").status_code == 403
    received.refresh_from_db()
    assert received.status == "sent"


def test_the_provider_agencys_case_worker_gets_404(client, outsider, received):
    # The outsider is a case worker of agency B: supervisors answer for it.
    client.force_login(outsider)
    url = f"/services/referrals/{received.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}accepted/").status_code == 404
    assert str(received.pk) not in page(client, "/services/referrals/")
    received.refresh_from_db()
    assert received.status == "sent"


@pytest.mark.parametrize("role", [User.Role.CASEWORKER, User.Role.SUPERVISOR])
def test_a_third_agency_gets_404_on_every_url_with_our_ids(
    client, received, clinic, role
):
    third = AgencyFactory(name="Agency C", code="c")
    client.force_login(UserFactory(username="celia", agency=third, role=role))
    case_id, referral_id = received.case_id, received.pk
    for url in (
        f"/services/cases/{case_id}/refer/",
        f"/services/referrals/{referral_id}/",
        f"/services/providers/{clinic.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/services/cases/{case_id}/refer/", refer_form(clinic)).status_code
        == 404
    )
    for move in ("accepted", "delivered", "declined", "close"):
        response = client.post(
            f"/services/referrals/{referral_id}/{move}/", {"reason": "x"}
        )
        assert response.status_code == 404, move
    assert str(referral_id) not in page(client, "/services/referrals/")
    received.refresh_from_db()
    assert received.status == "sent"
    assert ServiceReferral.objects.count() == 1


def test_fields_beyond_the_agreement_are_refused_on_the_fields(
    client, caseworker, case, received
):
    client.force_login(caseworker)
    form = refer_form(
        received.provider, service="legal", share=["names", "nationalities"]
    )
    response = client.post(f"/services/cases/{case.pk}/refer/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "does not cover: Nationalities" in html
    assert ServiceReferral.objects.count() == 1  # the fixture's only
    assert "does not cover" in field_error(html, "share")
