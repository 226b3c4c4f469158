"""Case actions: each writes its change, its timeline line and its audit event at once."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.cases import actions
from amparo.cases.models import Case, CaseEvent
from amparo.cases.queries import timeline
from amparo.cases.tests.factories import ORAL_CONSENT, make_case
from amparo.people.actions import update_person, withdraw_consent
from amparo.people.models import Person
from amparo.people.records import NameRecord, PersonRecord
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _audited(action, case):
    return AuditEvent.objects.filter(action=action, subject_id=str(case.pk)).count()


@time_machine.travel("2026-03-01 09:00Z", tick=False)
def test_open_case_numbers_it_and_assigns_the_opener(caseworker):
    first = make_case(caseworker, types=("child", "detention"))
    second = make_case(caseworker)
    assert first.reference == "A-2026-000001"
    assert second.reference == "A-2026-000002"
    assert first.assigned_to == caseworker
    assert sorted(t.code for t in first.types.all()) == ["child", "detention"]
    assert _audited("cases.case.opened", first) == 1
    assert timeline(first).get().kind == CaseEvent.Kind.OPENED


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"types": []}, "types"),
        ({"types": ["nonsense"]}, "types"),
        ({"risk": "extreme"}, "risk"),
        ({"reason": "  "}, "opening_reason"),
    ],
)
def test_open_case_refuses_bad_input_and_writes_nothing(caseworker, kwargs, field):
    person = make_person(caseworker)
    arguments = {"types": ["general"], "risk": "low", "reason": "Needs help."} | kwargs
    with pytest.raises(ValidationError) as raised:
        actions.open_case(person, acting_user=caseworker, **arguments)
    assert field in raised.value.message_dict
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="cases.").exists()


def test_cannot_assign_to_someone_of_another_agency(caseworker, outsider):
    case = make_case(caseworker)
    with pytest.raises(ValidationError):
        actions.assign_case(case, acting_user=caseworker, assignee=outsider)
    case.refresh_from_db()
    assert case.assigned_to == caseworker


def test_assign_note_status_risk_each_audited_and_on_the_timeline(
    caseworker, supervisor
):
    case = make_case(caseworker)
    actions.assign_case(case, acting_user=supervisor, assignee=supervisor)
    note = actions.add_note(
        case, acting_user=caseworker, body="Family found in Tripoli."
    )
    actions.change_case_status(case, acting_user=caseworker, status="assessed")
    actions.change_case_risk(case, acting_user=caseworker, risk="high")
    case.refresh_from_db()
    assert (case.assigned_to, case.status, case.risk) == (
        supervisor,
        "assessed",
        "high",
    )
    assert note.body == "Family found in Tripoli."
    for action in ("assigned", "note_added", "status_changed", "risk_changed"):
        assert _audited(f"cases.case.{action}", case) == 1
    assert [e.kind for e in timeline(case)][:4] == [
        "risk_changed",
        "status_changed",
        "note_added",
        "assigned",
    ]


def test_status_moves_one_step_forward_only(caseworker):
    case = make_case(caseworker)
    with pytest.raises(ValidationError):
        actions.change_case_status(case, acting_user=caseworker, status="in_progress")
    with pytest.raises(ValidationError):
        actions.change_case_status(case, acting_user=caseworker, status="closed")
    assert Case.objects.get().status == "open"


def test_empty_note_is_refused(caseworker):
    case = make_case(caseworker)
    with pytest.raises(ValidationError):
        actions.add_note(case, acting_user=caseworker, body="   ")
    assert not case.notes.exists()


def test_close_and_reopen(caseworker):
    case = make_case(caseworker)
    with pytest.raises(ValidationError):
        actions.close_case(case, acting_user=caseworker, reason="other", note="")
    actions.close_case(case, acting_user=caseworker, reason="goals_met")
    assert (case.status, case.closure_reason) == ("closed", "goals_met")
    assert case.closed_at is not None
    with pytest.raises(ValidationError):
        actions.close_case(case, acting_user=caseworker, reason="goals_met")
    actions.reopen_case(case, acting_user=caseworker, reason="New threat reported.")
    case.refresh_from_db()
    assert (case.status, case.closed_at, case.closure_reason) == ("open", None, "")
    assert _audited("cases.case.closed", case) == 1
    assert _audited("cases.case.reopened", case) == 1
    assert case.notes.get().body == "New threat reported."


def test_family_members_join_the_case(caseworker):
    case = make_case(caseworker)
    child = make_person(caseworker, "Saba", "Tekle")
    actions.add_case_member(
        case,
        child,
        acting_user=caseworker,
        relationship="child",
        lawful_basis=ORAL_CONSENT,
    )
    with pytest.raises(ValidationError):
        actions.add_case_member(
            case,
            child,
            acting_user=caseworker,
            relationship="child",
            lawful_basis=ORAL_CONSENT,
        )
    assert [m.person for m in case.members.all()] == [child]
    assert _audited("cases.case.member_added", case) == 1


def test_nobody_outside_the_agency_or_role_can_change_a_case(
    caseworker, outsider, statistician
):
    case = make_case(caseworker)
    for user in (outsider, statistician):
        with pytest.raises(PermissionError):
            actions.add_note(case, acting_user=user, body="x")
        with pytest.raises(PermissionError):
            actions.close_case(case, acting_user=user, reason="goals_met")
    assert not case.notes.exists()


def test_the_audit_log_is_append_only(caseworker):
    make_case(caseworker)
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(Exception, match="cannot be changed"):
        event.save()
    with pytest.raises(Exception, match="cannot be deleted"):
        AuditEvent.objects.all().delete()
    with pytest.raises(Exception, match="cannot be changed"):
        AuditEvent.objects.update(action="x")


def test_a_closed_case_cannot_be_changed_until_reopened(caseworker):
    case = make_case(caseworker)
    child = make_person(caseworker, "Saba", "Tekle")
    actions.close_case(case, acting_user=caseworker, reason="goals_met")
    for change in (
        lambda: actions.add_note(case, acting_user=caseworker, body="x"),
        lambda: actions.change_case_risk(case, acting_user=caseworker, risk="high"),
        lambda: actions.assign_case(case, acting_user=caseworker, assignee=None),
        lambda: actions.add_case_member(
            case,
            child,
            acting_user=caseworker,
            relationship="child",
            lawful_basis=ORAL_CONSENT,
        ),
    ):
        with pytest.raises(ValidationError, match="reopen it"):
            change()
    assert not case.members.exists()


def test_an_action_sees_the_state_another_request_committed(caseworker):
    """The second of two identical submissions works on the fresh row, not on its
    stale copy, and is refused."""
    case = make_case(caseworker)
    stale = Case.objects.get(pk=case.pk)
    actions.close_case(case, acting_user=caseworker, reason="goals_met")
    with pytest.raises(ValidationError, match="already closed"):
        actions.close_case(stale, acting_user=caseworker, reason="goals_met")
    assert _audited("cases.case.closed", case) == 1


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c, u: actions.add_note(c, acting_user=u, body="hi\x00there"), "body"),
        (lambda c, u: actions.add_note(c, acting_user=u, body="x" * 20_001), "body"),
        (
            lambda c, u: actions.close_case(
                c, acting_user=u, reason="other", note="\x1b[31m"
            ),
            "closure_note",
        ),
    ],
)
def test_control_characters_and_overlong_text_are_refused(caseworker, call, field):
    case = make_case(caseworker)
    with pytest.raises(ValidationError) as raised:
        call(case, caseworker)
    assert field in raised.value.message_dict
    assert Case.objects.get().status == "open"
    assert not case.notes.exists()


def test_notes_keep_line_breaks_and_tabs(caseworker):
    case = make_case(caseworker)
    note = actions.add_note(case, acting_user=caseworker, body="Line one\n\tLine two")
    assert note.body == "Line one\n\tLine two"


def test_an_anonymised_case_and_person_take_no_new_data(caseworker):
    case = make_case(caseworker)
    actions.close_case(case, acting_user=caseworker, reason="goals_met")
    Case.objects.filter(pk=case.pk).update(anonymised_at=timezone.now())
    with pytest.raises(ValidationError):
        actions.reopen_case(case, acting_user=caseworker, reason="New threat")
    person = case.primary_person
    Person.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
    with pytest.raises(ValidationError):
        make_case(caseworker, person=person)
    with pytest.raises(ValidationError):
        update_person(
            person,
            PersonRecord(names=[NameRecord(given_names="New", family_names="Name")]),
            acting_user=caseworker,
        )
    person.refresh_from_db()
    assert person.display_name != "New Name"


def test_reopening_needs_the_basis_for_case_management(caseworker):
    case = make_case(caseworker)
    actions.close_case(case, acting_user=caseworker, reason="goals_met")
    basis = case.primary_person.consents.get(purpose="case_management")
    withdraw_consent(basis, acting_user=caseworker, reason="Wants no follow-up")
    with pytest.raises(ValidationError) as refused:
        actions.reopen_case(case, acting_user=caseworker, reason="New threat")
    assert "consent" in refused.value.message_dict
