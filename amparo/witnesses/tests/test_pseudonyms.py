"""Pseudonyms everywhere outside the team (the issue's required test).

A protected witness with a detention case (obligations on the worklist), assigned to
Carmen; the protection team is Carmen and Samir, who protected her. Bernarda (a
supervisor of the whole agency) and Cosima (a case worker of Carmen's team, in an
agency that shares cases within teams) see the person but are not on the team: on
every page, API answer and referral packet they get, the pseudonym stands where the
name was, and no name, contact or place of origin appears. Carmen herself sees the
real identity on the protection page only: everywhere else, the record she works
with holds the pseudonym too.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from amparo.accounts.actions import issue_api_token
from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.cases.actions import add_case_member
from amparo.cases.tests.factories import ORAL_CONSENT, make_case
from amparo.people.models import Person
from amparo.people.queries import search_persons
from amparo.people.tests.factories import give_consent
from amparo.referrals import actions as referrals
from amparo.referrals import packet
from amparo.safeguards.tests.factories import ZONE, record
from amparo.services.tests.factories import make_provider, make_referral
from amparo.witnesses.tests.conftest import ALIAS, FAMILY, GIVEN, PLACE, secrets_in

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=30)
VIEWERS = ("boss", "colleague", "caseworker", "supervisor")
OFF_TEAM = ("boss", "colleague")
ALL_FIELDS = [
    "names",
    "sex",
    "birth",
    "nationalities",
    "origin",
    "languages",
    "contact",
    "case_types",
]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def witness_case(caseworker, witness):
    """Her detention case: its obligations are on the worklists."""
    case = make_case(caseworker, witness, types=("detention",))
    record(case, caseworker, "detention_started", T0, episode="ep1", time_zone=ZONE)
    return case


@pytest.fixture
def receiver(other_agency):
    return UserFactory(
        username="beatriz", agency=other_agency, role=User.Role.SUPERVISOR
    )


def _agreement(dpo, other_agency):
    return referrals.record_agreement(
        acting_user=dpo,
        to_agency=other_agency,
        purpose="Legal aid for witnesses",
        fields=ALL_FIELDS,
        safeguards="MoU of 2026, clause 4: confidentiality, no onward sharing.",
        valid_from=timezone.localdate() - timedelta(days=1),
        valid_until=timezone.localdate() + timedelta(days=365),
    )


def _pages(person, case):
    return [
        "/",
        "/people/",
        f"/people/?q={person.display_name}",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/edit/",
        f"/people/{person.pk}/consent/",
        "/cases/",
        f"/cases/{case.pk}/",
        "/obligations/?filter=all",
        "/obligations/?filter=overdue",
    ]


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _api(client, user):
    _token, raw = issue_api_token(user, name="tests", acting_user=user, scope="read")
    client.logout()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


@pytest.mark.parametrize("who", VIEWERS)
def test_every_page_shows_the_pseudonym_and_no_trace_of_the_identity(
    request, client, protection, witness, witness_case, who
):
    user = request.getfixturevalue(who)
    for url in _pages(witness, witness_case):
        page = _get(client, user, url)
        assert secrets_in(page) == [], (url, secrets_in(page))
        assert protection.pseudonym in page, url
    # The worklist row is the witness's, under the pseudonym.
    worklist = _get(client, user, "/obligations/?filter=all")
    assert witness_case.reference in worklist


@pytest.mark.parametrize("who", OFF_TEAM)
def test_the_protection_page_shows_only_the_pseudonym_off_the_team(
    request, client, protection, witness, who
):
    page = _get(
        client, request.getfixturevalue(who), f"/witnesses/people/{witness.pk}/"
    )
    assert secrets_in(page) == []
    assert protection.pseudonym in page
    assert "Ask to see who this is" in page


@pytest.mark.parametrize("who", ["caseworker", "supervisor"])
def test_the_team_sees_the_identity_on_the_protection_page_only(
    request, client, protection, witness, witness_case, who
):
    user = request.getfixturevalue(who)
    page = _get(client, user, f"/witnesses/people/{witness.pk}/")
    assert GIVEN in page and FAMILY in page and ALIAS in page and PLACE in page
    assert "555 0199" in page
    person_page = _get(client, user, f"/people/{witness.pk}/")
    assert secrets_in(person_page) == []
    assert "Identity and team" in person_page


@pytest.mark.parametrize("who", VIEWERS)
def test_the_api_gives_the_pseudonym(
    request, client, protection, witness, witness_case, who
):
    api = _api(client, request.getfixturevalue(who))
    answers = {
        "persons": api.get("/api/v1/persons/"),
        "person": api.get(f"/api/v1/persons/{witness.pk}"),
        "search": api.get("/api/v1/persons/", {"q": protection.pseudonym}),
        "cases": api.get("/api/v1/cases/"),
        "case": api.get(f"/api/v1/cases/{witness_case.pk}"),
        "person's cases": api.get("/api/v1/cases/", {"person": str(witness.pk)}),
    }
    for name, response in answers.items():
        assert response.status_code == 200, (name, response.content)
        text = response.content.decode()
        assert secrets_in(text) == [], name
        assert protection.pseudonym in text, name
    person = answers["person"].json()
    assert person["display_name"] == protection.pseudonym
    assert person["names"] == [
        {
            "given_names": protection.pseudonym,
            "family_names": "",
            "kind": "primary",
            "script": person["names"][0]["script"],
            "language": "",
        }
    ]
    assert (person["birth_date"], person["birth_date_precision"]) == (
        "1991-01-01",
        "year",
    )
    assert person["contact"] == "" and person["place_of_origin"] == ""
    assert [p["id"] for p in answers["search"].json()["items"]] == [str(witness.pk)]
    assert answers["case"].json()["person_name"] == protection.pseudonym


def test_search_by_the_real_name_finds_nobody_and_by_the_pseudonym_those_who_see(
    request, client, protection, witness
):
    """Real names are not in the search index while the person is protected (the
    names and search keys hold the pseudonym), so nobody finds her by her name, the
    team included: the team reaches her through her case or the pseudonym."""
    for who in (*VIEWERS, "outsider"):
        user = request.getfixturevalue(who)
        for query in (f"{GIVEN} {FAMILY}", GIVEN, FAMILY, ALIAS):
            assert search_persons(user, query) == [], (who, query)
        client.force_login(user)
        response = client.get("/people/", {"q": f"{GIVEN} {FAMILY}"})
        assert response.status_code == 200
        assert list(response.context["results"]) == []
        found = search_persons(user, protection.pseudonym)
        assert found == ([] if who == "outsider" else [witness]), who
    for who in VIEWERS:
        client.force_login(request.getfixturevalue(who))
        response = client.get("/people/", {"q": protection.pseudonym})
        assert list(response.context["results"]) == [witness]


def test_the_api_search_by_the_real_name_finds_nobody(client, protection, boss):
    api = _api(client, boss)
    for query in (f"{GIVEN} {FAMILY}", ALIAS):
        response = api.get("/api/v1/persons/", {"q": query})
        assert response.status_code == 200
        assert response.json()["items"] == []


def test_a_referral_to_another_agency_carries_the_pseudonym(
    client, protection, witness, witness_case, caseworker, dpo, other_agency, receiver
):
    _agreement(dpo, other_agency)
    give_consent(witness, caseworker, "referral")
    referral = referrals.send_referral(
        witness_case,
        acting_user=caseworker,
        to_agency=other_agency,
        kind="referral",
        fields=ALL_FIELDS,
        message="Needs a lawyer before she testifies.",
    )
    shared = packet.loads(referral.packet)
    assert secrets_in(referral.packet) == []
    assert [(n["given_names"], n["family_names"]) for n in shared["names"]] == [
        (protection.pseudonym, "")
    ]
    assert shared["contact"] == "" and shared["place_of_origin"] == ""
    assert shared["birth_date"] == "1991-01-01"
    assert shared["birth_date_precision"] == "year"
    # The receiving agency's page shows the pseudonym.
    page = _get(client, receiver, f"/referrals/{referral.pk}/")
    assert secrets_in(page) == [] and protection.pseudonym in page
    # Accepted, the receiving agency registers the pseudonym, not the person.
    referrals.accept_referral(referral, acting_user=receiver)
    theirs = Person.objects.get(agency=other_agency)
    assert theirs.display_name == protection.pseudonym
    assert theirs.contact == "" and theirs.place_of_origin == ""


def test_a_service_referral_carries_the_pseudonym(
    client, protection, witness, witness_case, caseworker, supervisor
):
    provider = make_provider(supervisor)
    give_consent(witness, caseworker, "referral")
    referral = make_referral(
        witness_case,
        caseworker,
        provider,
        fields=("names", "birth", "origin", "contact", "languages"),
    )
    shared = packet.loads(referral.packet)
    assert secrets_in(referral.packet) == []
    assert [n["given_names"] for n in shared["names"]] == [protection.pseudonym]
    assert shared["contact"] == "" and shared["place_of_origin"] == ""
    assert shared["birth_date"] == "1991-01-01"
    page = _get(client, caseworker, f"/services/referrals/{referral.pk}/")
    assert secrets_in(page) == []
    assert protection.pseudonym in page


def test_a_protected_case_member_appears_under_the_pseudonym_on_another_case(
    client, caseworker, colleague, witness, protect_witness
):
    """A case that is not the witness's own, and whose worker is not on the team,
    lists her among its members under the pseudonym."""
    other_case = make_case(colleague)
    add_case_member(
        other_case,
        witness,
        acting_user=colleague,
        relationship="sibling",
        lawful_basis=ORAL_CONSENT,
    )
    protection = protect_witness(witness)
    page = _get(client, colleague, f"/cases/{other_case.pk}/")
    assert secrets_in(page) == [] and protection.pseudonym in page


def test_the_referral_lists_show_no_identity(
    client, protection, witness, witness_case, caseworker, supervisor, dpo, other_agency
):
    _agreement(dpo, other_agency)
    give_consent(witness, caseworker, "referral")
    referrals.send_referral(
        witness_case,
        acting_user=caseworker,
        to_agency=other_agency,
        kind="referral",
        fields=ALL_FIELDS,
        message="Needs a lawyer before she testifies.",
    )
    make_referral(witness_case, caseworker, make_provider(supervisor))
    for who in (caseworker, supervisor):
        for url in ("/referrals/", "/services/referrals/"):
            assert secrets_in(_get(client, who, url)) == [], url


def test_a_referral_sent_before_the_protection_shows_no_identity_off_the_team(
    client, witness, witness_case, caseworker, boss, dpo, other_agency, protect_witness
):
    _agreement(dpo, other_agency)
    give_consent(witness, caseworker, "referral")
    referral = referrals.send_referral(
        witness_case,
        acting_user=caseworker,
        to_agency=other_agency,
        kind="referral",
        fields=ALL_FIELDS,
        message="Needs a lawyer before she testifies.",
    )
    protect_witness(witness)
    page = _get(client, boss, f"/referrals/{referral.pk}/")
    assert secrets_in(page) == []


def test_a_service_referral_sent_before_the_protection_shows_no_identity_off_the_team(
    client, witness, witness_case, caseworker, supervisor, boss, protect_witness
):
    give_consent(witness, caseworker, "referral")
    referral = make_referral(
        witness_case, caseworker, make_provider(supervisor), fields=("names", "contact")
    )
    protect_witness(witness)
    page = _get(client, boss, f"/services/referrals/{referral.pk}/")
    assert secrets_in(page) == []
