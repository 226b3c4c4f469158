"""The witness-protection pages through real HTTP: the person page's line, protecting
through the form, asking to re-identify, deciding on /witnesses/requests/, changing
the team and ending; and 404 for everyone who may not be there."""

import pytest
from django.urls import reverse

from amparo.accounts.actions import issue_api_token
from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.people.tests.factories import make_person
from amparo.witnesses import actions
from amparo.witnesses.models import Protection, Reidentification
from amparo.witnesses.tests.conftest import FAMILY, GIVEN, REASON, secrets_in

pytestmark = pytest.mark.django_db

WHY = "The prosecutor must confirm who testifies on 5 March."


def _person_url(person, change=""):
    return f"/witnesses/people/{person.pk}/" + (f"{change}/" if change else "")


def _messages(response):
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def asked(protection, boss):
    return actions.request_reidentification(
        protection, acting_user=boss, reason=WHY, hours=4
    )


# --- The person page ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "shown"),
    [("supervisor", True), ("boss", True), ("caseworker", False), ("colleague", False)],
)
def test_only_supervisors_see_protect_as_a_witness(
    request, client, witness, witness_case, who, shown
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(f"/people/{witness.pk}/").content.decode()
    assert ("Protect as a witness" in page) is shown
    assert (f'href="{_person_url(witness)}"' in page) is shown


@pytest.mark.parametrize(
    ("who", "link"),
    [
        ("caseworker", "Identity and team"),
        ("supervisor", "Identity and team"),
        ("boss", "Ask to see who this is"),
        ("colleague", "Ask to see who this is"),
    ],
)
def test_a_protected_persons_page_says_so_with_the_pseudonym(
    request, client, protection, witness, who, link
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(f"/people/{witness.pk}/").content.decode()
    assert 'id="protection"' in page and protection.pseudonym in page
    assert link in page and f'href="{_person_url(witness)}"' in page
    assert "Protect as a witness" not in page


@pytest.mark.parametrize(("who", "shown"), [("caseworker", True), ("boss", False)])
def test_each_showing_of_the_identity_is_audited(
    request, client, protection, witness, who, shown
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for _ in range(2):
        page = client.get(_person_url(witness)).content.decode()
        assert (GIVEN in page) is shown
    viewed = AuditEvent.objects.filter(action="witnesses.identity.viewed")
    assert [(e.actor, e.subject_id) for e in viewed] == (
        [(user, str(protection.pk))] * 2 if shown else []
    )
    for event in viewed:
        assert event.data == {}


# --- Protecting through the form ------------------------------------------------------


def test_a_supervisor_protects_through_the_form(
    client, witness, witness_case, supervisor, caseworker, boss, legal_officer, outsider
):
    client.force_login(supervisor)
    form = client.get(_person_url(witness))
    assert form.status_code == 200
    workers = set(form.context["forms"]["protect"].fields["team"].queryset)
    assert workers == {caseworker, supervisor, boss}
    assert legal_officer not in workers and outsider not in workers
    response = client.post(
        _person_url(witness),
        {"kind": "victim_witness", "reason": REASON, "team": [caseworker.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == _person_url(witness)
    protection = Protection.objects.get()
    assert (protection.kind, protection.reason) == ("victim_witness", REASON)
    assert set(protection.team.all()) == {caseworker, supervisor}
    page = client.get(_person_url(witness)).content.decode()
    assert protection.pseudonym in page
    assert GIVEN in page and FAMILY in page  # Samir is on the team
    assert "The person is protected." in page


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"reason": ""}, {"kind", "reason"}),
        ({"kind": "witness", "reason": "   "}, {"reason"}),
        ({"kind": "informant", "reason": REASON}, {"kind"}),
        ({"kind": "witness", "reason": REASON, "team": ["999999"]}, {"team"}),
        ({"kind": "witness", "reason": REASON, "team": ["outsider"]}, {"team"}),
        ({"kind": "witness", "reason": REASON, "team": ["legal_officer"]}, {"team"}),
    ],
)
def test_the_form_shows_errors_on_their_fields_and_protects_nobody(
    request, client, witness, supervisor, data, fields
):
    if "team" in data and not data["team"][0].isdigit():
        data = {**data, "team": [request.getfixturevalue(data["team"][0]).pk]}
    client.force_login(supervisor)
    response = client.post(_person_url(witness), data)
    assert response.status_code == 200
    form = response.context["forms"]["protect"]
    assert set(form.errors) == fields
    page = response.content.decode()
    for field in fields:
        assert f'id="id_{field}_error"' in page
    assert not Protection.objects.exists()
    witness.refresh_from_db()
    assert witness.display_name == f"{GIVEN} {FAMILY}"


@pytest.mark.parametrize("who", ["caseworker", "colleague"])
def test_a_case_worker_does_not_protect(request, client, witness, witness_case, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_person_url(witness)).status_code == 404
    data = {"kind": "witness", "reason": REASON}
    assert client.post(_person_url(witness), data).status_code == 404
    assert not Protection.objects.exists()


@pytest.mark.parametrize("who", ["statistician", "dpo", "agency_admin", "sysadmin"])
def test_roles_that_do_not_work_on_cases_get_404_on_protect(
    request, client, witness, witness_case, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_person_url(witness)).status_code == 404
    data = {"kind": "witness", "reason": REASON}
    assert client.post(_person_url(witness), data).status_code == 404
    assert not Protection.objects.exists()


def test_a_protected_person_is_not_protected_again_through_the_form(
    client, protection, witness, boss
):
    client.force_login(boss)
    response = client.post(_person_url(witness), {"kind": "witness", "reason": REASON})
    assert response.status_code in {403, 404}
    assert list(Protection.objects.all()) == [protection]


# --- Asking to re-identify ------------------------------------------------------------


def test_a_user_off_the_team_asks_through_the_form(client, protection, witness, boss):
    client.force_login(boss)
    page = client.get(_person_url(witness)).content.decode()
    assert f'action="{_person_url(witness, "request")}"' in page
    response = client.post(
        _person_url(witness, "request"), {"reason": WHY, "hours": "4"}, follow=True
    )
    assert response.redirect_chain == [(_person_url(witness), 302)]
    request = Reidentification.objects.get()
    assert (request.requested_by, request.hours, request.reason) == (boss, 4, WHY)
    page = response.content.decode()
    assert "Your request waits for two approvals." in page
    assert "waits for two approvals, one of them a legal officer's" in page
    assert secrets_in(page) == []
    again = client.post(
        _person_url(witness, "request"), {"reason": WHY, "hours": "2"}, follow=True
    )
    assert "already waits for approval" in _messages(again)
    assert Reidentification.objects.count() == 1


@pytest.mark.parametrize(
    "data", [{"reason": WHY, "hours": "0"}, {"reason": WHY, "hours": "73"}, {}]
)
def test_a_bad_request_is_refused_with_a_message(
    client, protection, witness, boss, data
):
    client.force_login(boss)
    response = client.post(_person_url(witness, "request"), data, follow=True)
    assert response.status_code == 200
    assert _messages(response)
    assert not Reidentification.objects.exists()


def test_a_bad_request_message_shows_no_error_code(client, protection, witness, boss):
    client.force_login(boss)
    response = client.post(
        _person_url(witness, "request"), {"reason": WHY, "hours": "73"}, follow=True
    )
    shown = _messages(response)
    assert "72" in shown
    assert "max_value" not in shown


@pytest.mark.parametrize("member", ["caseworker", "supervisor"])
def test_a_team_member_does_not_ask(request, client, protection, witness, member):
    client.force_login(request.getfixturevalue(member))
    page = client.get(_person_url(witness)).content.decode()
    assert f'action="{_person_url(witness, "request")}"' not in page
    response = client.post(
        _person_url(witness, "request"), {"reason": WHY, "hours": "4"}, follow=True
    )
    assert "You are on the team" in _messages(response)
    assert not Reidentification.objects.exists()


# --- Deciding on /witnesses/requests/ -------------------------------------------------


def test_the_requests_page_lists_what_waits_for_the_user(
    client, asked, protection, legal_officer, boss
):
    client.force_login(legal_officer)
    response = client.get("/witnesses/requests/")
    assert response.status_code == 200
    page = response.content.decode()
    assert protection.pseudonym in page and WHY in page
    assert f'action="/witnesses/requests/{asked.pk}/approve/"' in page
    assert f'action="/witnesses/requests/{asked.pk}/refuse/"' in page
    assert secrets_in(page) == []
    # The requester does not decide on their own request.
    client.force_login(boss)
    assert asked not in client.get("/witnesses/requests/").context["requests"]


def test_two_approvals_through_the_page_show_the_identity_to_the_requester(
    client, asked, witness, supervisor, legal_officer, boss
):
    client.force_login(supervisor)
    response = client.post(f"/witnesses/requests/{asked.pk}/approve/")
    assert response.status_code == 302
    assert response["Location"] == "/witnesses/requests/"
    asked.refresh_from_db()
    assert asked.status == "pending" and list(asked.approvers.all()) == [supervisor]
    client.force_login(legal_officer)
    response = client.post(f"/witnesses/requests/{asked.pk}/approve/", follow=True)
    assert "Your decision is recorded." in _messages(response)
    asked.refresh_from_db()
    assert asked.status == "approved"
    client.force_login(boss)
    page = client.get(_person_url(witness)).content.decode()
    assert GIVEN in page and FAMILY in page


def test_a_second_supervisor_is_told_a_legal_officer_must_approve(
    client, asked, supervisor, agency
):
    other = UserFactory(username="silvio", agency=agency, role=User.Role.SUPERVISOR)
    actions.approve(asked, acting_user=other)
    client.force_login(supervisor)
    response = client.post(f"/witnesses/requests/{asked.pk}/approve/", follow=True)
    assert "must be a legal officer's" in _messages(response)
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_refusing_through_the_page_needs_a_reason(client, asked, legal_officer):
    client.force_login(legal_officer)
    response = client.post(
        f"/witnesses/requests/{asked.pk}/refuse/", {"reason": ""}, follow=True
    )
    assert "required" in _messages(response).lower()
    asked.refresh_from_db()
    assert asked.status == "pending"
    response = client.post(
        f"/witnesses/requests/{asked.pk}/refuse/", {"reason": "No hearing is set."}
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.refused_by) == ("refused", legal_officer)
    assert asked.refusal_reason == "No hearing is set."
    # Decided, it is no longer on the page, nor can it be decided again.
    assert asked not in client.get("/witnesses/requests/").context["requests"]
    assert client.post(f"/witnesses/requests/{asked.pk}/approve/").status_code == 404


def test_an_unknown_decision_is_404(client, asked, legal_officer):
    client.force_login(legal_officer)
    response = client.post(f"/witnesses/requests/{asked.pk}/maybe/")
    assert response.status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending" and not asked.approvers.exists()


@pytest.mark.parametrize("who", ["caseworker", "dpo", "statistician", "agency_admin"])
def test_the_requests_page_is_for_supervisors_and_legal_officers(
    request, client, asked, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/witnesses/requests/").status_code == 404
    assert client.post(f"/witnesses/requests/{asked.pk}/approve/").status_code == 404
    asked.refresh_from_db()
    assert not asked.approvers.exists()


# --- The team and the end -------------------------------------------------------------


def test_a_team_supervisor_changes_the_team_and_ends_through_the_page(
    client, protection, witness, supervisor, caseworker, colleague
):
    client.force_login(supervisor)
    page = client.get(_person_url(witness)).content.decode()
    assert f'action="{_person_url(witness, "team")}"' in page
    assert f'action="{_person_url(witness, "end")}"' in page
    response = client.post(_person_url(witness, "team"), {"team": [colleague.pk]})
    assert response.status_code == 302
    assert set(protection.team.all()) == {colleague, supervisor}
    # Off the team, Carmen no longer sees who the person is; Cosima, on it, does.
    client.force_login(caseworker)
    assert secrets_in(client.get(_person_url(witness)).content.decode()) == []
    client.force_login(colleague)
    assert GIVEN in client.get(_person_url(witness)).content.decode()
    client.force_login(supervisor)
    response = client.post(_person_url(witness, "end"), {"reason": ""}, follow=True)
    assert "required" in _messages(response).lower()
    assert Protection.objects.get().ended_at is None
    response = client.post(
        _person_url(witness, "end"), {"reason": "Trial over."}, follow=True
    )
    assert "The protection has ended." in _messages(response)
    witness.refresh_from_db()
    assert witness.display_name == f"{GIVEN} {FAMILY}"
    assert Protection.objects.get().ended_at is not None
    # The person page offers protection again.
    assert (
        "Protect as a witness" in client.get(f"/people/{witness.pk}/").content.decode()
    )


@pytest.mark.parametrize("who", ["caseworker", "boss"])
def test_no_one_but_a_team_supervisor_changes_the_team_or_ends(
    request, client, protection, witness, colleague, who
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(_person_url(witness)).content.decode()
    assert f'action="{_person_url(witness, "end")}"' not in page
    for change, data in (("team", {"team": [colleague.pk]}), ("end", {"reason": "x"})):
        response = client.post(_person_url(witness, change), data)
        assert response.status_code in {403, 404}, change
    assert Protection.objects.get().ended_at is None
    assert colleague not in protection.team.all()


# --- Nobody else gets in --------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["outsider", "foreign_supervisor", "foreign_legal_officer", "enforcer"]
)
def test_other_agencies_get_404_on_every_witnesses_url(
    request, client, asked, protection, witness, caseworker, who
):
    unprotected = make_person(caseworker, "Philomena", "Okafor")
    user = request.getfixturevalue(who)
    client.force_login(user)
    for person in (witness, unprotected):
        assert client.get(_person_url(person)).status_code == 404
        data = {"kind": "witness", "reason": REASON}
        assert client.post(_person_url(person), data).status_code == 404
        for change in ("request", "team", "end", "other"):
            data = {"reason": WHY, "hours": "4", "team": []}
            response = client.post(_person_url(person, change), data)
            assert response.status_code == 404, (person, change)
    for decision in ("approve", "refuse"):
        response = client.post(
            f"/witnesses/requests/{asked.pk}/{decision}/", {"reason": "No."}
        )
        assert response.status_code == 404
    listing = client.get("/witnesses/requests/")
    if listing.status_code == 200:  # a decider of their own agency: nothing of ours
        assert list(listing.context["requests"]) == []
        assert protection.pseudonym not in listing.content.decode()
    else:
        assert listing.status_code == 404
    assert Protection.objects.count() == 1 and Protection.objects.get().ended_at is None
    asked.refresh_from_db()
    assert asked.status == "pending" and not asked.approvers.exists()
    assert Reidentification.objects.count() == 1
    assert AuditEvent.objects.filter(actor=user, action="access.denied").exists()


def test_the_enforcer_gets_404_on_the_requests_page(client, enforcer, asked):
    client.force_login(enforcer)
    response = client.get("/witnesses/requests/")
    assert response.status_code in {200, 404}
    if response.status_code == 200:
        assert list(response.context["requests"]) == []


def test_urls_with_bad_ids_are_404(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/witnesses/people/not-a-uuid/").status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/witnesses/people/{missing}/").status_code == 404
    assert client.post(f"/witnesses/requests/{missing}/approve/").status_code == 404


# --- The record of a protected person through the other pages -------------------------


def _edit_form(given, family):
    return {
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-0-given_names": given,
        "names-0-family_names": family,
        "names-0-kind": "primary",
        "nationalities-TOTAL_FORMS": "0",
        "nationalities-INITIAL_FORMS": "0",
        "sex": "F",
        "birth_date_precision": "day",
    }


def test_the_api_refuses_to_replace_a_protected_record(
    client, protection, witness, caseworker
):
    _token, raw = issue_api_token(
        caseworker, name="tests", acting_user=caseworker, scope="read_write"
    )
    response = client.put(
        f"/api/v1/persons/{witness.pk}",
        {"names": [{"given_names": GIVEN, "family_names": FAMILY}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert "protected as a witness" in response.content.decode()
    witness.refresh_from_db()
    assert witness.display_name == protection.pseudonym


def test_the_edit_page_refuses_to_change_a_protected_record_with_a_message(
    client, protection, witness, caseworker
):
    client.force_login(caseworker)
    response = client.post(
        reverse("people:edit", args=[witness.pk]), _edit_form(GIVEN, FAMILY)
    )
    assert response.status_code == 200
    assert "protected as a witness" in response.content.decode()
    witness.refresh_from_db()
    assert witness.display_name == protection.pseudonym
