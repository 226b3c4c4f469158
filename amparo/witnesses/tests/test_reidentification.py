"""Re-identification: someone who sees a protected person under the pseudonym asks,
with a reason and for 1 to 72 hours, to know who they are; two people of the agency
approve, one of them a legal officer; the requester then sees the identity until the
time runs out. Every step is audited, and no audit event holds the identity."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.witnesses import actions
from amparo.witnesses.models import Reidentification
from amparo.witnesses.queries import (
    current_reidentification,
    identity_for,
    pending_for,
    sees_identity,
)
from amparo.witnesses.tests.conftest import FAMILY, GIVEN, PLACE, secrets_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WHY = "The prosecutor must confirm who testifies on 5 March."


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def approver(agency):
    """A supervisor of agency A who is neither the requester nor on the team."""
    return UserFactory(username="silvio", agency=agency, role=User.Role.SUPERVISOR)


@pytest.fixture
def asked(protection, boss):
    """Bernarda (supervisor of the whole agency, off the team) asks for 8 hours."""
    return actions.request_reidentification(
        protection, acting_user=boss, reason=WHY, hours=8
    )


def _ask(protection, user, *, reason=WHY, hours=8):
    return actions.request_reidentification(
        protection, acting_user=user, reason=reason, hours=hours
    )


def _page(client, user, person):
    client.force_login(user)
    response = client.get(f"/witnesses/people/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- Asking ---------------------------------------------------------------------------


def test_a_user_off_the_team_asks_with_a_reason_and_a_time_limit(protection, boss):
    request = _ask(protection, boss, hours=8)
    assert (request.protection, request.requested_by, request.hours) == (
        protection,
        boss,
        8,
    )
    assert request.reason == WHY
    assert request.status == Reidentification.Status.PENDING
    assert request.expires_at is None and request.decided_at is None
    assert not sees_identity(boss, protection)
    (event,) = AuditEvent.objects.filter(action="witnesses.reidentification.requested")
    assert event.actor == boss and event.data == {"hours": 8}
    assert event.subject_id == str(request.pk)


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_request_needs_a_reason(protection, boss, reason):
    with pytest.raises(ValidationError) as caught:
        _ask(protection, boss, reason=reason)
    assert set(caught.value.message_dict) == {"reason"}
    assert not Reidentification.objects.exists()


@pytest.mark.parametrize("hours", [0, -1, 73, 1000])
def test_a_request_is_for_one_to_72_hours(protection, boss, hours):
    with pytest.raises(ValidationError) as caught:
        _ask(protection, boss, hours=hours)
    assert set(caught.value.message_dict) == {"hours"}
    assert not Reidentification.objects.exists()


@pytest.mark.parametrize("hours", [1, 72])
def test_the_limits_themselves_are_allowed(protection, boss, hours):
    assert _ask(protection, boss, hours=hours).hours == hours


@pytest.mark.parametrize("member", ["caseworker", "supervisor"])
def test_a_team_member_does_not_ask(request, protection, member):
    with pytest.raises(ValidationError) as caught:
        _ask(protection, request.getfixturevalue(member))
    assert "on the team" in " ".join(caught.value.message_dict["reason"])
    assert not Reidentification.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "statistician", "foreign_supervisor"])
def test_a_user_who_does_not_see_the_person_does_not_ask(request, protection, who):
    with pytest.raises(PermissionError):
        _ask(protection, request.getfixturevalue(who))
    assert not Reidentification.objects.exists()


def test_one_pending_request_per_user(protection, boss, colleague):
    _ask(protection, boss)
    with pytest.raises(ValidationError) as caught:
        _ask(protection, boss, hours=2)
    assert "already waits" in " ".join(caught.value.message_dict["reason"])
    # Another user may ask meanwhile.
    _ask(protection, colleague)
    assert Reidentification.objects.filter(requested_by=boss).count() == 1
    assert Reidentification.objects.count() == 2


# --- Deciding -------------------------------------------------------------------------


def test_the_requester_does_not_approve_their_own_request(asked, boss, legal_officer):
    with pytest.raises(PermissionError):
        actions.approve(asked, acting_user=boss)
    actions.approve(asked, acting_user=legal_officer)
    with pytest.raises(PermissionError):
        actions.approve(asked, acting_user=boss)
    asked.refresh_from_db()
    assert asked.status == "pending"
    assert list(asked.approvers.all()) == [legal_officer]
    assert asked not in pending_for(boss)


def test_the_same_approver_twice_is_refused(asked, legal_officer):
    actions.approve(asked, acting_user=legal_officer)
    with pytest.raises(ValidationError) as caught:
        actions.approve(asked, acting_user=legal_officer)
    assert "already approved" in " ".join(caught.value.messages)
    asked.refresh_from_db()
    assert asked.status == "pending" and asked.expires_at is None


def test_two_supervisors_are_not_enough(asked, approver, supervisor, boss):
    actions.approve(asked, acting_user=approver)
    with pytest.raises(ValidationError) as caught:
        actions.approve(asked, acting_user=supervisor)
    assert "must be a legal officer's" in " ".join(caught.value.messages)
    asked.refresh_from_db()
    assert asked.status == "pending" and asked.expires_at is None
    assert list(asked.approvers.all()) == [approver]
    assert not sees_identity(boss, asked.protection)
    assert (
        AuditEvent.objects.filter(action="witnesses.reidentification.approved").count()
        == 1
    )


def test_a_supervisor_and_a_legal_officer_approve(
    asked, approver, legal_officer, boss, protection
):
    actions.approve(asked, acting_user=approver)
    asked.refresh_from_db()
    assert asked.status == "pending" and asked.expires_at is None
    actions.approve(asked, acting_user=legal_officer)
    asked.refresh_from_db()
    assert asked.status == Reidentification.Status.APPROVED
    assert asked.decided_at == NOW
    assert asked.expires_at == NOW + timedelta(hours=8)
    assert set(asked.approvers.all()) == {approver, legal_officer}
    assert current_reidentification(boss, protection) == asked
    assert sees_identity(boss, protection)
    events = AuditEvent.objects.filter(
        action="witnesses.reidentification.approved"
    ).order_by("sequence")
    assert [(e.actor, e.data) for e in events] == [
        (approver, {"approvals": 1}),
        (legal_officer, {"approvals": 2}),
    ]
    assert {e.agency_id for e in events} == {protection.agency_id}


def test_the_time_counts_from_the_second_approval(
    asked, approver, legal_officer, boss, protection
):
    actions.approve(asked, acting_user=legal_officer)
    later = NOW + timedelta(hours=5)
    with time_machine.travel(later, tick=False):
        actions.approve(asked, acting_user=approver)
    asked.refresh_from_db()
    assert asked.status == "approved"
    assert asked.expires_at == later + timedelta(hours=8)


def test_two_legal_officers_approve_too(
    asked, legal_officer, second_legal_officer, boss, protection
):
    actions.approve(asked, acting_user=legal_officer)
    actions.approve(asked, acting_user=second_legal_officer)
    asked.refresh_from_db()
    assert asked.status == "approved"
    assert sees_identity(boss, protection)


def test_a_decided_request_takes_no_more_decisions(
    asked, approver, legal_officer, second_legal_officer
):
    actions.approve(asked, acting_user=approver)
    actions.approve(asked, acting_user=legal_officer)
    with pytest.raises(ValidationError) as caught:
        actions.approve(asked, acting_user=second_legal_officer)
    assert "already been decided" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError):
        actions.refuse(asked, acting_user=second_legal_officer, reason="Too late.")
    asked.refresh_from_db()
    assert asked.status == "approved" and asked.refused_by is None


def test_the_identity_is_shown_to_the_requester_until_it_expires(
    client, asked, approver, legal_officer, boss, witness, protection
):
    before = _page(client, boss, witness)
    assert secrets_in(before) == []
    actions.approve(asked, acting_user=approver)
    assert secrets_in(_page(client, boss, witness)) == []  # one approval: not yet
    actions.approve(asked, acting_user=legal_officer)
    page = _page(client, boss, witness)
    assert GIVEN in page and FAMILY in page and PLACE in page
    assert "1991" in page
    assert "this showing is recorded" in page
    viewed = AuditEvent.objects.filter(action="witnesses.identity.viewed")
    assert [(e.actor, e.subject_id) for e in viewed] == [(boss, str(protection.pk))]
    with time_machine.travel(NOW + timedelta(hours=8, seconds=-1), tick=False):
        assert GIVEN in _page(client, boss, witness)
    with time_machine.travel(NOW + timedelta(hours=8), tick=False):
        page = _page(client, boss, witness)
        assert secrets_in(page) == []
        assert protection.pseudonym in page
        assert identity_for(boss, protection) is None
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        assert secrets_in(_page(client, boss, witness)) == []
        assert current_reidentification(boss, protection) is None
    # Shown twice (now and a second before the end), never after.
    assert AuditEvent.objects.filter(action="witnesses.identity.viewed").count() == 2


def test_the_grant_is_the_requesters_alone(
    client, asked, approver, legal_officer, colleague, witness, protection
):
    actions.approve(asked, acting_user=approver)
    actions.approve(asked, acting_user=legal_officer)
    assert not sees_identity(colleague, protection)
    assert secrets_in(_page(client, colleague, witness)) == []


def test_a_refusal_needs_a_reason(asked, legal_officer, boss, protection):
    with pytest.raises(ValidationError) as caught:
        actions.refuse(asked, acting_user=legal_officer, reason="  ")
    assert set(caught.value.message_dict) == {"reason"}
    asked.refresh_from_db()
    assert asked.status == "pending"
    actions.refuse(asked, acting_user=legal_officer, reason="No hearing is set.")
    asked.refresh_from_db()
    assert asked.status == Reidentification.Status.REFUSED
    assert asked.refused_by == legal_officer and asked.decided_at == NOW
    assert asked.refusal_reason == "No hearing is set."
    assert asked.expires_at is None
    assert not sees_identity(boss, protection)
    (event,) = AuditEvent.objects.filter(action="witnesses.reidentification.refused")
    assert event.actor == legal_officer and event.data == {}
    # Refused, the requester may ask again.
    assert _ask(protection, boss).status == "pending"


def test_a_refusal_after_one_approval_ends_the_request(
    asked, approver, legal_officer, boss, protection
):
    actions.approve(asked, acting_user=approver)
    actions.refuse(asked, acting_user=legal_officer, reason="Not needed for trial.")
    asked.refresh_from_db()
    assert asked.status == "refused"
    with pytest.raises(ValidationError):
        actions.approve(asked, acting_user=legal_officer)
    assert not sees_identity(boss, protection)


@pytest.mark.parametrize(
    "who",
    [
        "foreign_supervisor",
        "foreign_legal_officer",
        "caseworker",
        "dpo",
        "statistician",
        "agency_admin",
        "enforcer",
    ],
)
def test_only_the_agencys_supervisors_and_legal_officers_decide(
    request, client, asked, who
):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionError):
        actions.approve(asked, acting_user=user)
    with pytest.raises(PermissionError):
        actions.refuse(asked, acting_user=user, reason="Not for you.")
    assert asked not in pending_for(user)
    client.force_login(user)
    for decision in ("approve", "refuse"):
        response = client.post(
            f"/witnesses/requests/{asked.pk}/{decision}/", {"reason": "No."}
        )
        assert response.status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending" and not asked.approvers.exists()
    assert not AuditEvent.objects.filter(
        action__in=[
            "witnesses.reidentification.approved",
            "witnesses.reidentification.refused",
        ]
    ).exists()


def test_every_step_is_audited_and_no_event_holds_the_identity(
    client, protection, witness, boss, colleague, approver, legal_officer
):
    granted = _ask(protection, boss, hours=2)
    actions.approve(granted, acting_user=approver)
    actions.approve(granted, acting_user=legal_officer)
    _page(client, boss, witness)
    refused = _ask(protection, colleague, reason=f"Is she {GIVEN} {FAMILY}?")
    actions.refuse(refused, acting_user=legal_officer, reason=f"Not {GIVEN}: no.")
    actions.end_protection(protection, acting_user=protection.started_by, reason="Over")
    actions_seen = list(
        AuditEvent.objects.filter(action__startswith="witnesses.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions_seen == [
        "witnesses.protection.started",
        "witnesses.reidentification.requested",
        "witnesses.reidentification.approved",
        "witnesses.reidentification.approved",
        "witnesses.identity.viewed",
        "witnesses.reidentification.requested",
        "witnesses.reidentification.refused",
        "witnesses.protection.ended",
    ]
    for event in AuditEvent.objects.all():
        text = json.dumps(event.data) + event.subject_type + event.subject_id
        assert secrets_in(text) == [], (event.action, event.data)
        assert WHY not in text and "Not for" not in text
