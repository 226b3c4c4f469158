"""The erasure request: a case worker asks, the agency's data-protection officer sees
what would go, what must stay and what blocks it, and decides."""

import pytest
import time_machine
from django.db import IntegrityError, transaction

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.actions import add_case_member, close_case
from amparo.cases.models import Case, Note
from amparo.cases.tests.factories import ORAL_CONSENT
from amparo.people.models import NameKey, Person
from amparo.people.tests.factories import make_person
from amparo.retention import actions
from amparo.retention.actions import (
    approve_erasure,
    reject_erasure,
    request_erasure,
    run_retention,
)
from amparo.retention.models import ErasureRequest

pytestmark = pytest.mark.django_db


def _ask(person, user, reason="She asked for it at the office on 3 March."):
    return request_erasure(person, acting_user=user, reason=reason)


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


# --- Filing a request ------------------------------------------------------------------


def test_a_case_worker_files_a_request_from_the_person_page(client, caseworker):
    person = make_person(caseworker, "Zenobia", "Quartermain")
    client.force_login(caseworker)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert f'href="/retention/erasure/request/{person.pk}/"' in page
    form = client.get(f"/retention/erasure/request/{person.pk}/")
    assert form.status_code == 200
    assert "The audit trail" in form.content.decode()  # what is kept, listed
    response = client.post(
        f"/retention/erasure/request/{person.pk}/", {"reason": "She asked for it."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    erasure = ErasureRequest.objects.get()
    assert (erasure.person, erasure.requested_by, erasure.status) == (
        person,
        caseworker,
        "requested",
    )
    assert erasure.reason == "She asked for it."
    (event,) = _events("retention.erasurerequest.requested")
    assert event.data == {"person": str(person.pk)}


def test_a_request_needs_a_reason_and_only_one_waits_at_a_time(client, caseworker):
    person = make_person(caseworker)
    client.force_login(caseworker)
    url = f"/retention/erasure/request/{person.pk}/"
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    client.post(url, {"reason": "Asked for it."})
    again = client.post(url, {"reason": "Asked again."})
    assert again.status_code == 400
    assert "already requested" in again.content.decode()
    assert ErasureRequest.objects.count() == 1


def test_the_database_refuses_two_pending_requests(caseworker):
    erasure = _ask(make_person(caseworker), caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.create(
            agency=erasure.agency,
            person=erasure.person,
            requested_by=caseworker,
            reason="x",
        )


@pytest.mark.parametrize(
    "persona",
    [
        "statistician",
        "legal_officer",
        "agency_admin",
        "dpo",
        "sysadmin",
        "outsider",
        "enforcer",
    ],
)
def test_nobody_else_can_file_one(client, caseworker, persona, request):
    person = make_person(caseworker)
    client.force_login(request.getfixturevalue(persona))
    url = f"/retention/erasure/request/{person.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert not ErasureRequest.objects.exists()


def test_a_case_worker_who_cannot_see_the_person_cannot_file_one(
    client, caseworker, agency
):
    colleague = UserFactory(username="cleo", agency=agency, role=User.Role.CASEWORKER)
    person = make_person(caseworker)  # Carmen's, not shared within the team
    client.force_login(colleague)
    assert client.get(f"/retention/erasure/request/{person.pk}/").status_code == 404


# --- The officer's view -----------------------------------------------------------------


def test_the_officer_lists_pending_requests_and_sees_what_would_go(
    client, caseworker, dpo, population
):
    p = population
    erasure = _ask(p.zenobia, caseworker)
    client.force_login(dpo)
    assert 'href="/retention/"' in client.get("/").content.decode()
    overview = client.get("/retention/").content.decode()
    assert f"/retention/erasure/{erasure.pk}/" in overview
    assert "AMPARO_RETENTION_CLOSED_CASE_DAYS" in overview
    page = client.get(f"/retention/erasure/{erasure.pk}/").content.decode()
    # What goes: the person's record and her closed case, in counts, never values.
    assert p.closed.reference in page
    assert "notes deleted: 1; timeline lines reduced: 4" in page
    assert "2 names" in page
    # What stays.
    assert "The audit trail" in page
    assert "Zenobia" not in page and "Quartermain" not in page
    assert not _events("access.denied")
    (viewed,) = _events("retention.erasurerequest.viewed")
    assert viewed.actor == dpo


def test_the_officer_sees_what_blocks_an_erasure(client, caseworker, dpo, population):
    erasure = _ask(population.thaddeus, caseworker)
    client.force_login(dpo)
    page = client.get(f"/retention/erasure/{erasure.pk}/").content.decode()
    assert 'id="blockers"' in page
    assert f"Case {population.open.reference} (Open), the person's own case" in page


def test_a_membership_of_an_open_case_blocks_too(client, caseworker, dpo, population):
    add_case_member(
        population.open,
        population.cornelius,
        acting_user=caseworker,
        relationship="sibling",
        lawful_basis=ORAL_CONSENT,
    )
    erasure = _ask(population.cornelius, caseworker)
    client.force_login(dpo)
    page = client.get(f"/retention/erasure/{erasure.pk}/").content.decode()
    assert "on which the person is a family or group member" in page


@pytest.mark.parametrize(
    "persona",
    [
        "caseworker",
        "supervisor",
        "statistician",
        "legal_officer",
        "agency_admin",
        "sysadmin",
        "outsider",
        "enforcer",
    ],
)
def test_only_the_officer_sees_requests(client, caseworker, persona, request):
    erasure = _ask(make_person(caseworker), caseworker)
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/retention/").status_code == 404
    assert client.get(f"/retention/erasure/{erasure.pk}/").status_code == 404
    decide = client.post(
        f"/retention/erasure/{erasure.pk}/decide/", {"decision": "approve"}
    )
    assert decide.status_code == 404
    erasure.refresh_from_db()
    assert erasure.status == "requested"


def test_another_agencys_officer_gets_404(client, caseworker, other_agency):
    erasure = _ask(make_person(caseworker), caseworker)
    theirs = UserFactory(username="dora", agency=other_agency, role=User.Role.DPO)
    client.force_login(theirs)
    assert client.get("/retention/").status_code == 200
    assert str(erasure.pk) not in client.get("/retention/").content.decode()
    assert client.get(f"/retention/erasure/{erasure.pk}/").status_code == 404
    response = client.post(
        f"/retention/erasure/{erasure.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionError):
        approve_erasure(erasure, acting_user=theirs)
    erasure.refresh_from_db()
    assert erasure.status == "requested"
    assert _events("access.denied")


# --- Deciding -------------------------------------------------------------------------


def test_approval_erases_the_person_and_their_cases_at_once(
    client, caseworker, dpo, population
):
    p = population
    erasure = _ask(p.zenobia, caseworker)
    client.force_login(dpo)
    with time_machine.travel("2026-02-01 12:00Z", tick=False):
        response = client.post(
            f"/retention/erasure/{erasure.pk}/decide/",
            {"decision": "approve", "decision_note": "Art. 17; no legal hold."},
        )
    assert response.status_code == 302
    erasure.refresh_from_db()
    assert (erasure.status, erasure.decided_by, erasure.reason) == (
        "completed",
        dpo,
        "",
    )
    assert erasure.decision_note == "Art. 17; no legal hold."
    zenobia = Person.objects.get(pk=p.zenobia.pk)
    assert zenobia.display_name == "Anonymised" and zenobia.contact == ""
    assert not NameKey.objects.filter(person=zenobia).exists()
    case = Case.objects.get(pk=p.closed.pk)
    assert case.anonymised_at is not None and case.opening_reason == ""
    assert not Note.objects.filter(case=case).exists()
    # A member of her case is another person: not erased with her.
    assert Person.objects.get(pk=p.ignatia.pk).anonymised_at is None
    actions_done = [
        e.action
        for e in AuditEvent.objects.filter(actor=dpo).order_by("sequence")
        if e.action.startswith("retention.")
    ]
    assert actions_done[-4:] == [
        "retention.erasurerequest.approved",
        "retention.case.anonymised",
        "retention.person.anonymised",
        "retention.erasurerequest.completed",
    ]
    completed = _events("retention.erasurerequest.completed")[0]
    assert completed.data == {"person": str(p.zenobia.pk), "cases": [str(p.closed.pk)]}
    assert _events("retention.person.anonymised")[0].data == {
        "erasure_request": str(erasure.pk)
    }


def test_a_second_approval_changes_nothing(client, caseworker, dpo, population):
    erasure = _ask(population.zenobia, caseworker)
    approve_erasure(erasure, acting_user=dpo)
    events = AuditEvent.objects.count()
    before = Person.objects.get(pk=population.zenobia.pk).updated_at
    again = approve_erasure(erasure, acting_user=dpo)
    assert again.status == "completed"
    client.force_login(dpo)
    response = client.post(
        f"/retention/erasure/{erasure.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() == events
    assert Person.objects.get(pk=population.zenobia.pk).updated_at == before


def test_a_blocked_approval_waits_for_the_case_to_close(caseworker, dpo, population):
    p = population
    erasure = _ask(p.thaddeus, caseworker)
    approve_erasure(erasure, acting_user=dpo, note="Approved; case still open.")
    erasure.refresh_from_db()
    assert erasure.status == "approved"
    assert Person.objects.get(pk=p.thaddeus.pk).anonymised_at is None
    (approved,) = _events("retention.erasurerequest.approved")
    assert approved.data == {
        "person": str(p.thaddeus.pk),
        "blocked_by": [str(p.open.pk)],
    }
    assert run_retention(now=p.open.opened_at, batch_size=10)["erasure_request"] == 0
    close_case(p.open, acting_user=caseworker, reason="goals_met")
    counts = run_retention(now=p.open.opened_at, batch_size=10)
    assert counts["erasure_request"] == 1
    erasure.refresh_from_db()
    assert erasure.status == "completed"
    assert Person.objects.get(pk=p.thaddeus.pk).anonymised_at is not None
    assert Case.objects.get(pk=p.open.pk).anonymised_at is not None
    # Done by the run: no actor, and a second run finds nothing more to do.
    assert _events("retention.erasurerequest.completed")[0].actor is None
    assert run_retention(now=p.open.opened_at, batch_size=10)["erasure_request"] == 0


def test_a_rejection_needs_a_note_and_is_final(client, caseworker, dpo):
    person = make_person(caseworker)
    erasure = _ask(person, caseworker)
    client.force_login(dpo)
    url = f"/retention/erasure/{erasure.pk}/decide/"
    missing = client.post(url, {"decision": "reject", "decision_note": ""})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    assert (
        client.post(
            url, {"decision": "reject", "decision_note": "Legal hold: court case."}
        ).status_code
        == 302
    )
    erasure.refresh_from_db()
    assert (erasure.status, erasure.decided_by) == ("rejected", dpo)
    events = AuditEvent.objects.count()
    again = reject_erasure(erasure, acting_user=dpo, note="Again.")
    assert again.decision_note == "Legal hold: court case."
    assert AuditEvent.objects.count() == events
    late = client.post(url, {"decision": "approve"}, follow=True)
    assert "This request was already rejected." in late.content.decode()
    erasure.refresh_from_db()
    assert erasure.status == "rejected"
    assert Person.objects.get(pk=person.pk).anonymised_at is None
    # Rejected, a new request may be filed.
    _ask(person, caseworker)


def test_the_requester_cannot_decide_their_own_request(client, supervisor, agency):
    """A supervisor who asked, and has since become the agency's DPO."""
    person = make_person(supervisor)
    erasure = _ask(person, supervisor)
    User.objects.filter(pk=supervisor.pk).update(role=User.Role.DPO, team=None)
    supervisor.refresh_from_db()
    with pytest.raises(PermissionError):
        approve_erasure(erasure, acting_user=supervisor)
    client.force_login(supervisor)
    page = client.get(f"/retention/erasure/{erasure.pk}/").content.decode()
    assert "another data-protection officer decides" in page
    response = client.post(
        f"/retention/erasure/{erasure.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403
    erasure.refresh_from_db()
    assert erasure.status == "requested"
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.filter(pk=erasure.pk).update(
            status="approved", decided_by=supervisor, decided_at=erasure.created_at
        )


def test_an_approval_that_fails_halfway_writes_nothing(
    caseworker, dpo, population, monkeypatch
):
    erasure = _ask(population.zenobia, caseworker)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "_anonymise_person", fail)
    with pytest.raises(RuntimeError):
        approve_erasure(erasure, acting_user=dpo)
    erasure.refresh_from_db()
    assert erasure.status == "requested"
    assert Case.objects.get(pk=population.closed.pk).anonymised_at is None
    assert Note.objects.filter(case=population.closed).exists()
    assert not _events("retention.erasurerequest.approved")


def test_an_already_anonymised_person_cannot_be_asked_for_again(
    client, caseworker, dpo, population
):
    erasure = _ask(population.zenobia, caseworker)
    approve_erasure(erasure, acting_user=dpo)
    client.force_login(caseworker)
    page = client.get(f"/people/{population.zenobia.pk}/").content.decode()
    assert "/retention/erasure/request/" not in page
    response = client.post(
        f"/retention/erasure/request/{population.zenobia.pk}/", {"reason": "Again"}
    )
    assert response.status_code == 400
    assert "already erased" in response.content.decode()
