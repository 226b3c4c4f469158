"""Every write to a case. One transaction each, with its audit event and its line on
the case's timeline. Each action locks the case row first, so two submissions of the
same change (a double click, two colleagues) apply once, in turn, never both."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Agency, User
from amparo.audit.actions import record as audit
from amparo.cases import workflow
from amparo.cases.models import Case, CaseEvent, CaseMember, CaseType, Note
from amparo.core.text import clean_text
from amparo.people.actions import record_consent, refuse_anonymised
from amparo.people.models import Consent, Person
from amparo.people.queries import lawful_basis as lawful_basis_for
from amparo.people.queries import require_basis

MAX_NOTE_LENGTH = 20_000
MAX_REASON_LENGTH = 5_000


def _check_actor(user: User, agency_id: uuid.UUID | None) -> None:
    if not user.works_on_cases or user.agency_id != agency_id:
        raise PermissionError("This user may not change this agency's cases.")


def _lock(case: Case, user: User, *, open_only: bool = True) -> None:
    """Check the actor, lock the case row and reload it, so the checks that follow see
    the state no concurrent change can alter before this transaction ends."""
    _check_actor(user, case.agency_id)
    _lock_row(case, open_only=open_only)


def _lock_row(case: Case, *, open_only: bool = True) -> None:
    """`_lock` for an actor its caller has checked by another rule (a legal officer
    deciding on an escalated case)."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
    case.refresh_from_db()
    if case.anonymised_at is not None:
        # Its data were removed for good; new data would escape retention.
        raise ValidationError(
            {"status": _("This case has been anonymised; it can no longer change.")}
        )
    if open_only and case.status == Case.Status.CLOSED:
        raise ValidationError(
            {"status": _("The case is closed; reopen it to change it.")}
        )


def _log(case: Case, user: User, kind: str, data: dict[str, Any] | None = None) -> None:
    now = timezone.now()
    CaseEvent.objects.create(
        case=case, occurred_at=now, actor=user, kind=kind, data=data or {}
    )
    # Touch the case so that "recently updated" lists see every change.
    Case.objects.filter(pk=case.pk).update(updated_at=now)
    # Filed under the case's agency: an answer from another agency's user (referrals)
    # belongs to this case's trail.
    audit(user, f"cases.case.{kind}", case, data, agency_id=case.agency_id)


def _ensure_basis(
    person: Person, user: User, lawful_basis: dict[str, Any] | None
) -> None:
    """The person's basis for case management: the active one, or `lawful_basis` (the
    fields of `record_consent`) recorded now; a ValidationError on "consent" without."""
    if lawful_basis is not None and not lawful_basis_for(
        person, Consent.Purpose.CASE_MANAGEMENT
    ):
        record_consent(
            person,
            acting_user=user,
            purpose=Consent.Purpose.CASE_MANAGEMENT,
            **({"obtained_on": timezone.localdate()} | lawful_basis),
        )
    require_basis(person, Consent.Purpose.CASE_MANAGEMENT)


def _check_assignee(assignee: User | None, agency_id: uuid.UUID | None) -> None:
    if assignee is not None and (
        assignee.agency_id != agency_id
        or not assignee.works_on_cases
        or not assignee.is_active
    ):
        raise ValidationError(
            {"assigned_to": _("Choose an active case worker of your agency.")}
        )


def _next_reference(agency_id: uuid.UUID) -> str:
    agency = Agency.objects.select_for_update().get(pk=agency_id)
    Agency.objects.filter(pk=agency.pk).update(case_counter=F("case_counter") + 1)
    return f"{agency.code.upper()}-{timezone.now().year}-{agency.case_counter + 1:06d}"


@transaction.atomic
def open_case(
    person: Person,
    *,
    acting_user: User,
    types: Iterable[str],
    risk: str,
    reason: str,
    assigned_to: User | None = None,
    lawful_basis: dict[str, Any] | None = None,
) -> Case:
    """Open a case for `person`, assigned to `assigned_to` (default: the opener).
    Case management needs the person's consent or another lawful basis: one already
    recorded, or `lawful_basis` (the fields of `record_consent`), recorded with it."""
    _check_actor(acting_user, person.agency_id)
    refuse_anonymised(person)
    types = sorted(set(types))
    if not types or not set(types) <= set(CaseType.Code.values):
        raise ValidationError(
            {"types": _("Choose at least one case type from the list.")}
        )
    if risk not in Case.Risk.values:
        raise ValidationError({"risk": _("Choose a risk level.")})
    reason = clean_text(
        reason, field="opening_reason", max_length=MAX_REASON_LENGTH, required=True
    )
    assignee = acting_user if assigned_to is None else assigned_to
    _check_assignee(assignee, person.agency_id)
    _ensure_basis(person, acting_user, lawful_basis)
    case = Case.objects.create(
        agency_id=person.agency_id,
        reference=_next_reference(person.agency_id),
        primary_person=person,
        risk=risk,
        assigned_to=assignee,
        opened_at=timezone.now(),
        opened_by=acting_user,
        opening_reason=reason,
    )
    CaseType.objects.bulk_create(CaseType(case=case, code=code) for code in types)
    _log(case, acting_user, CaseEvent.Kind.OPENED, {"types": types, "risk": risk})
    return case


@transaction.atomic
def assign_case(case: Case, *, acting_user: User, assignee: User | None) -> Case:
    _lock(case, acting_user)
    _check_assignee(assignee, case.agency_id)
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    _log(
        case,
        acting_user,
        CaseEvent.Kind.ASSIGNED,
        {"assignee": assignee and assignee.pk},
    )
    return case


@transaction.atomic
def change_case_status(case: Case, *, acting_user: User, status: str) -> Case:
    """Move an open case one step along its workflow (see `workflow.NEXT`)."""
    _lock(case, acting_user)
    if not workflow.can_move(case.status, status):
        raise ValidationError(
            {"status": _("A case cannot move from this status to that one.")}
        )
    previous, case.status = case.status, status
    case.save(update_fields=["status", "updated_at"])
    _log(
        case,
        acting_user,
        CaseEvent.Kind.STATUS_CHANGED,
        {"from": previous, "to": status},
    )
    return case


@transaction.atomic
def change_case_risk(case: Case, *, acting_user: User, risk: str) -> Case:
    _lock(case, acting_user)
    if risk not in Case.Risk.values:
        raise ValidationError({"risk": _("Choose a risk level.")})
    previous, case.risk = case.risk, risk
    case.save(update_fields=["risk", "updated_at"])
    _log(case, acting_user, CaseEvent.Kind.RISK_CHANGED, {"from": previous, "to": risk})
    return case


@transaction.atomic
def add_note(case: Case, *, acting_user: User, body: str) -> Note:
    _lock(case, acting_user)
    body = clean_text(body, field="body", max_length=MAX_NOTE_LENGTH, required=True)
    note = Note.objects.create(case=case, author=acting_user, body=body)
    _log(case, acting_user, CaseEvent.Kind.NOTE_ADDED, {"note": str(note.pk)})
    return note


@transaction.atomic
def add_case_member(
    case: Case,
    person: Person,
    *,
    acting_user: User,
    relationship: str,
    lawful_basis: dict[str, Any] | None = None,
) -> CaseMember:
    """Add a relative or companion to the case. Their data are managed on the case too,
    so they need their own lawful basis for case management (see `open_case`)."""
    _lock(case, acting_user)
    if person.agency_id != case.agency_id:
        raise PermissionError("The person belongs to another agency.")
    refuse_anonymised(person)
    _ensure_basis(person, acting_user, lawful_basis)
    if relationship not in CaseMember.Relationship.values:
        raise ValidationError({"relationship": _("Choose a relationship.")})
    if (
        person.pk == case.primary_person_id
        or case.members.filter(person=person).exists()
    ):
        raise ValidationError({"person": _("This person is already on the case.")})
    member = CaseMember.objects.create(
        case=case, person=person, relationship=relationship
    )
    _log(case, acting_user, CaseEvent.Kind.MEMBER_ADDED, {"person": str(person.pk)})
    return member


@transaction.atomic
def close_case(case: Case, *, acting_user: User, reason: str, note: str = "") -> Case:
    _lock(case, acting_user, open_only=False)
    if case.status == Case.Status.CLOSED:
        raise ValidationError({"status": _("The case is already closed.")})
    if reason not in Case.ClosureReason.values:
        raise ValidationError({"closure_reason": _("Choose a reason for closing.")})
    note = clean_text(note, field="closure_note", max_length=MAX_REASON_LENGTH)
    if reason == Case.ClosureReason.OTHER and not note:
        raise ValidationError({"closure_note": _("Explain the reason for closing.")})
    case.status = Case.Status.CLOSED
    case.closed_at = timezone.now()
    case.closure_reason = reason
    case.closure_note = note
    case.save(
        update_fields=[
            "status",
            "closed_at",
            "closure_reason",
            "closure_note",
            "updated_at",
        ]
    )
    _log(case, acting_user, CaseEvent.Kind.CLOSED, {"reason": reason})
    return case


@transaction.atomic
def reopen_case(case: Case, *, acting_user: User, reason: str) -> Case:
    _lock(case, acting_user, open_only=False)
    if case.status != Case.Status.CLOSED:
        raise ValidationError({"status": _("Only a closed case can be reopened.")})
    require_basis(case.primary_person, Consent.Purpose.CASE_MANAGEMENT)
    reason = clean_text(
        reason, field="reason", max_length=MAX_REASON_LENGTH, required=True
    )
    case.status = Case.Status.OPEN
    case.closed_at = None
    case.closure_reason = ""
    case.closure_note = ""
    case.save(
        update_fields=[
            "status",
            "closed_at",
            "closure_reason",
            "closure_note",
            "updated_at",
        ]
    )
    _log(case, acting_user, CaseEvent.Kind.REOPENED, {"reason_given": True})
    # The reason is part of the case story, so it is kept as a note.
    Note.objects.create(case=case, author=acting_user, body=reason)
    return case


@transaction.atomic
def close_transferred(case: Case, *, accepted_by: User, referral_id: uuid.UUID) -> Case:
    """Close a case whose transfer another agency has accepted. The referral's rules
    authorised the acceptance; the timeline names who accepted, of which agency."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
    case.refresh_from_db()
    if case.status == Case.Status.CLOSED:
        return case
    case.status = Case.Status.CLOSED
    case.closed_at = timezone.now()
    case.closure_reason = Case.ClosureReason.REFERRED
    case.save(update_fields=["status", "closed_at", "closure_reason", "updated_at"])
    _log(
        case,
        accepted_by,
        CaseEvent.Kind.CLOSED,
        {"reason": case.closure_reason, "referral": str(referral_id)},
    )
    return case


# For the domain apps that act on a case and write its timeline (referrals): the same
# locking and logging as the case's own actions.
lock_for_change = _lock
lock_case_row = _lock_row
log_event = _log
