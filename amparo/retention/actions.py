"""Every write of retention: anonymising what is past its period, and the erasure
request workflow. Each runs in one transaction with its audit events; each can run
twice and the second time changes nothing."""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User, is_enforcement
from amparo.audit.actions import record as audit
from amparo.audit.actions import record_raw
from amparo.cases.models import Case
from amparo.core.names import search_form
from amparo.core.text import clean_text
from amparo.people.models import Person, PersonName
from amparo.retention import anonymisation as plan
from amparo.retention.models import ErasureRequest
from amparo.retention.queries import (
    DUE,
    RecordType,
    approved_erasures,
    blocking_cases,
    cases_of,
    retention_days,
)

MAX_REASON_LENGTH = 5_000
Progress = Callable[[str], None]


# --- Anonymising one record (inside the caller's transaction) ------------------------


def _reduce_rows(rule: plan.RowRule, rows: models.QuerySet[Any], **also: Any) -> int:
    """Apply `rule`'s field changes (and `also`) to every row of `rows`."""
    objs = list(rows)
    for obj in objs:
        values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        for name, value in {**plan.anonymised(rule, values), **also}.items():
            setattr(obj, name, value)
    if objs:
        # bulk_update writes the values as set: `updated_at` and `created_at` too.
        rows.model._default_manager.bulk_update(
            objs, [*plan.changed_fields(rule), *also]
        )
    return len(objs)


def _apply(rules: tuple[plan.RowRule, ...], pk: Any, *, now: datetime) -> None:
    """Apply every rule to the rows that belong to the record `pk`."""
    for rule in rules:
        if rule.fate == plan.Fate.KEPT:
            continue
        rows = apps.get_model(rule.model)._default_manager.filter(**{rule.via: pk})
        if rule.fate == plan.Fate.ERASED:
            rows.delete()
        elif rule.via == "pk":
            _reduce_rows(rule, rows, anonymised_at=now, updated_at=now)
        else:
            _reduce_rows(rule, rows)


def _anonymise_case(
    case: Case, *, now: datetime, actor: User | None, data: dict[str, Any]
) -> bool:
    if case.anonymised_at is not None:
        return False
    if case.status != Case.Status.CLOSED:
        raise ValueError("An open case is never anonymised.")
    _apply(plan.CASE_ROWS, case.pk, now=now)
    audit(actor, "retention.case.anonymised", case, data, agency_id=case.agency_id)
    return True


def _anonymise_person(
    person: Person, *, now: datetime, actor: User | None, data: dict[str, Any]
) -> bool:
    if person.anonymised_at is not None:
        return False
    _apply(plan.PERSON_ROWS, person.pk, now=now)
    # Every person has a primary name, which pages and forms expect; this one finds
    # nobody, having no search keys.
    PersonName.objects.create(
        person=person,
        kind=PersonName.Kind.PRIMARY,
        given_names=plan.PLACEHOLDER,
        search_form=search_form(plan.PLACEHOLDER),
    )
    audit(
        actor, "retention.person.anonymised", person, data, agency_id=person.agency_id
    )
    return True


# --- The retention run -----------------------------------------------------------------


@transaction.atomic
def anonymise_due(record_type: RecordType, ids: list[Any], *, now: datetime) -> int:
    """Anonymise those of `ids` that are still due (checked again under lock: a case
    reopened meanwhile is left alone). One batch, one transaction."""
    data = {
        "record_type": record_type.value,
        "period_days": retention_days(record_type),
    }
    rows = DUE[record_type](now).filter(pk__in=ids).select_for_update().order_by("pk")
    done = 0
    for row in rows:
        if record_type == RecordType.CLOSED_CASE:
            done += _anonymise_case(row, now=now, actor=None, data=data)
        else:
            done += _anonymise_person(row, now=now, actor=None, data=data)
    return done


def run_retention(
    *,
    now: datetime,
    batch_size: int,
    dry_run: bool = False,
    progress: Progress = lambda _line: None,
) -> dict[str, int]:
    """Anonymise everything past its period, batch by batch (each its own transaction,
    so a run stopped halfway resumes where it stopped), after completing the approved
    erasure requests nothing blocks any more. Returns the count per record type; a dry
    run counts what is due now and writes nothing."""
    if batch_size < 1:
        raise ValueError("The batch size must be at least 1.")
    counts = {"erasure_request": _run_erasures(now, dry_run=dry_run)}
    for record_type in RecordType:
        counts[record_type.value] = _run_type(
            record_type, now, batch_size=batch_size, dry_run=dry_run, progress=progress
        )
    if not dry_run:
        record_raw(
            None,
            "retention.run.completed",
            subject_type="retention.run",
            subject_id="",
            data={
                "anonymised": counts,
                "period_days": {t.value: retention_days(t) for t in RecordType},
                "batch_size": batch_size,
            },
        )
    return counts


def _run_type(
    record_type: RecordType,
    now: datetime,
    *,
    batch_size: int,
    dry_run: bool,
    progress: Progress,
) -> int:
    due = DUE[record_type]
    if dry_run:
        return due(now).count()
    done = 0
    while ids := list(
        due(now).order_by("pk").values_list("pk", flat=True)[:batch_size]
    ):
        anonymised = anonymise_due(record_type, ids, now=now)
        if not anonymised:
            # Changed by someone meanwhile; the next run looks again.
            break
        done += anonymised
        progress(f"{record_type.value}: {done} anonymised")
    return done


def _run_erasures(now: datetime, *, dry_run: bool) -> int:
    done = 0
    for erasure in approved_erasures().select_related("person"):
        if dry_run:
            done += not blocking_cases(erasure.person).exists()
        else:
            done += complete_erasure(erasure.pk, now=now)
    return done


# --- Erasure requests ----------------------------------------------------------------


@transaction.atomic
def request_erasure(
    person: Person, *, acting_user: User, reason: str
) -> ErasureRequest:
    """A case worker or supervisor who can see `person` (the caller checked) asks the
    data-protection officer to erase the person's data."""
    if not acting_user.works_on_cases or acting_user.agency_id != person.agency_id:
        raise PermissionError("Only the person's agency's case workers ask for this.")
    reason = clean_text(
        reason, field="reason", max_length=MAX_REASON_LENGTH, required=True
    )
    # Under the person's lock, two requests at once cannot both pass the check.
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise ValidationError({"person": _("This person's data is already erased.")})
    pending = [ErasureRequest.Status.REQUESTED, ErasureRequest.Status.APPROVED]
    if ErasureRequest.objects.filter(person=person, status__in=pending).exists():
        raise ValidationError(
            {"person": _("An erasure of this person's data is already requested.")}
        )
    erasure = ErasureRequest.objects.create(
        agency_id=person.agency_id,
        person=person,
        requested_by=acting_user,
        reason=reason,
    )
    audit(acting_user, "retention.erasurerequest.requested", erasure, _about(erasure))
    return erasure


def _check_officer(user: User, erasure: ErasureRequest) -> None:
    if (
        user.role != User.Role.DPO
        or user.agency_id != erasure.agency_id
        or is_enforcement(user.agency)
    ):
        raise PermissionError("Only the agency's data-protection officer decides.")
    if user.pk == erasure.requested_by_id:
        raise PermissionError("Whoever asked for an erasure does not decide it.")


def _lock(erasure: ErasureRequest) -> ErasureRequest:
    return ErasureRequest.objects.select_for_update().get(pk=erasure.pk)


def _about(erasure: ErasureRequest, **more: Any) -> dict[str, Any]:
    return {"person": str(erasure.person_id), **more}


@transaction.atomic
def approve_erasure(
    erasure: ErasureRequest, *, acting_user: User, note: str = ""
) -> ErasureRequest:
    """Approve, and erase at once if no open case blocks it; otherwise the request
    waits, approved, and `amparo retention run` erases once the cases are closed.
    Approving an approved or completed request again changes nothing."""
    _check_officer(acting_user, erasure)
    erasure = _lock(erasure)
    if erasure.status in {
        ErasureRequest.Status.APPROVED,
        ErasureRequest.Status.COMPLETED,
    }:
        return erasure
    if erasure.status == ErasureRequest.Status.REJECTED:
        raise ValidationError({"status": _("This request was already rejected.")})
    note = clean_text(note, field="decision_note", max_length=MAX_REASON_LENGTH)
    now = timezone.now()
    erasure.status = ErasureRequest.Status.APPROVED
    erasure.decided_by = acting_user
    erasure.decided_at = now
    erasure.decision_note = note
    erasure.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )
    blockers = _locked_blockers(erasure.person_id)
    audit(
        acting_user,
        "retention.erasurerequest.approved",
        erasure,
        _about(erasure, blocked_by=[str(pk) for pk in blockers]),
    )
    if not blockers:
        _erase(erasure, actor=acting_user, now=now)
    return erasure


@transaction.atomic
def reject_erasure(
    erasure: ErasureRequest, *, acting_user: User, note: str
) -> ErasureRequest:
    """Reject, saying why. Rejecting a rejected request again changes nothing."""
    _check_officer(acting_user, erasure)
    erasure = _lock(erasure)
    if erasure.status == ErasureRequest.Status.REJECTED:
        return erasure
    if erasure.status != ErasureRequest.Status.REQUESTED:
        raise ValidationError({"status": _("This request was already approved.")})
    note = clean_text(
        note, field="decision_note", max_length=MAX_REASON_LENGTH, required=True
    )
    erasure.status = ErasureRequest.Status.REJECTED
    erasure.decided_by = acting_user
    erasure.decided_at = timezone.now()
    erasure.decision_note = note
    erasure.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )
    audit(acting_user, "retention.erasurerequest.rejected", erasure, _about(erasure))
    return erasure


@transaction.atomic
def complete_erasure(erasure_id: uuid.UUID, *, now: datetime) -> bool:
    """Erase an approved request's data if nothing blocks it any more (the retention
    run calls this). False if it is still blocked, or not waiting."""
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure_id)
    if erasure.status != ErasureRequest.Status.APPROVED:
        return False
    if _locked_blockers(erasure.person_id):
        return False
    _erase(erasure, actor=None, now=now)
    return True


def _locked_blockers(person_id: uuid.UUID) -> list[uuid.UUID]:
    """The open cases of the person, with the person and all their cases locked, so
    that none is reopened between this check and the erasure."""
    person = Person.objects.select_for_update().get(pk=person_id)
    list(cases_of(person).select_for_update().values_list("pk"))
    return list(blocking_cases(person).values_list("pk", flat=True))


def _erase(erasure: ErasureRequest, *, actor: User | None, now: datetime) -> None:
    """The person and their own cases, anonymised together. Cases the person is only
    a member of belong to other people and keep their own retention period."""
    data = {"erasure_request": str(erasure.pk)}
    cases = Case.objects.filter(
        primary_person_id=erasure.person_id, anonymised_at__isnull=True
    ).order_by("pk")
    erased_cases = [
        str(case.pk)
        for case in cases
        if _anonymise_case(case, now=now, actor=actor, data=data)
    ]
    person = Person.objects.get(pk=erasure.person_id)
    _anonymise_person(person, now=now, actor=actor, data=data)
    ErasureRequest.objects.filter(pk=erasure.pk).update(
        status=ErasureRequest.Status.COMPLETED, updated_at=now
    )
    erasure.refresh_from_db()
    audit(
        actor,
        "retention.erasurerequest.completed",
        erasure,
        _about(erasure, cases=erased_cases),
    )
