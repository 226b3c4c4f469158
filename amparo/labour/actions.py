"""Every write of labour rights: employers and recruiters, complaints with their
costs and status, and a domestic worker's ILO C189 checklist. One transaction each,
with its audit event (codes, never amounts or stories). A complaint or a checklist
"no" is also a fact of the case (`labour_finding`), so that the forced-labour
indicators it shows ask for a screening for trafficking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.actions import record as audit
from amparo.cases import actions as case_actions
from amparo.cases.models import Case
from amparo.core.countries import is_country
from amparo.core.text import clean_text
from amparo.labour import findings as checks
from amparo.labour.codes import Sector
from amparo.labour.entries import (
    ComplaintEntry,
    Errors,
    check_complaint,
    check_recovery,
)
from amparo.labour.models import Checklist, Complaint, Employer, RecruitmentCost
from amparo.labour.money import amount_error
from amparo.safeguards import actions as safeguards

MAX_TEXT = 20_000
Status = Complaint.Status
# Where a complaint can go from each status.
MOVES: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.REFERRED, Status.MEDIATION, Status.RESOLVED}),
    Status.REFERRED: frozenset({Status.MEDIATION, Status.RESOLVED}),
    Status.MEDIATION: frozenset({Status.REFERRED, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


@transaction.atomic
def record_employer(
    *,
    acting_user: User,
    kind: str,
    name: str,
    country: str,
    sector: str = "",
    licence: str = "",
) -> Employer:
    """An employer or recruiter, as the agency knows them (never a user)."""
    if not acting_user.works_on_cases or acting_user.agency_id is None:
        raise PermissionError("Only case workers and supervisors record employers.")
    errors = Errors()
    if kind not in Employer.Kind.values:
        errors.add("kind", _("Choose a kind from the list."))
    if not is_country(country):
        errors.add("country", _("Choose a country from the list."))
    if sector and sector not in Sector.values:
        errors.add("sector", _("Choose an ISIC Rev.4 section from the list."))
    errors.raise_if_any()
    name = clean_text(name, field="name", max_length=200, required=True)
    if Employer.objects.filter(
        agency_id=acting_user.agency_id, kind=kind, name=name, country=country
    ).exists():
        raise ValidationError({"name": _("This employer or recruiter is recorded.")})
    employer = Employer.objects.create(
        agency_id=acting_user.agency_id,
        kind=kind,
        name=name,
        country=country,
        sector=sector,
        licence=clean_text(licence, field="licence", max_length=100),
        recorded_by=acting_user,
    )
    audit(acting_user, "labour.employer.recorded", employer, {"kind": kind})
    return employer


@transaction.atomic
def record_complaint(
    case: Case, entry: ComplaintEntry, *, acting_user: User
) -> Complaint:
    """A complaint or claim on the worker's case. Refused with the field named, and
    nothing saved: an unknown type, a date in the future, a negative amount, a
    currency that is not ISO 4217, more recovered than owed without a reason, an
    employer of another agency."""
    case_actions.lock_for_change(case, acting_user)
    check_complaint(entry, case, today=timezone.localdate())
    complaint = Complaint(
        case=case,
        agency_id=case.agency_id,
        recorded_by=acting_user,
        **_fields(entry),
    )
    complaint.save()
    RecruitmentCost.objects.bulk_create(
        RecruitmentCost(
            complaint=complaint,
            category=c.category,
            amount=c.amount,
            currency=c.currency,
            paid_on=c.paid_on,
            paid_to=clean_text(c.paid_to, field="paid_to", max_length=200),
        )
        for c in entry.costs
    )
    _finding(case, acting_user, "complaint", str(complaint.pk), [entry.type])
    audit(
        acting_user,
        "labour.complaint.recorded",
        complaint,
        {"type": entry.type, "costs": len(entry.costs)},
        agency_id=case.agency_id,
    )
    return complaint


@transaction.atomic
def change_status(
    complaint: Complaint,
    *,
    acting_user: User,
    status: str,
    on: date,
    referred_to: str = "",
    outcome: str = "",
    amount_recovered: Decimal | None = None,
    recovery_note: str = "",
) -> Complaint:
    """Move the complaint on: referred (to whom), in mediation, resolved (with the
    outcome and what was recovered), closed."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    case_actions.lock_for_change(complaint.case, acting_user)
    errors = Errors()
    if status not in MOVES.get(complaint.status, frozenset()):
        errors.add("status", _("The complaint cannot move there from its status."))
    if on > timezone.localdate() or on < complaint.received_on:
        errors.add("on", _("The date must be between the complaint's and today."))
    if status == Status.REFERRED and referred_to not in Complaint.ReferredTo.values:
        errors.add("referred_to", _("Say to whom it was referred."))
    if status == Status.RESOLVED:
        if not outcome.strip():
            errors.add("outcome", _("Say how it was resolved."))
        errors.add("amount_recovered", amount_error(amount_recovered))
        check_recovery(errors, complaint.amount_owed, amount_recovered, recovery_note)
    errors.raise_if_any()
    complaint.status = status
    if status == Status.REFERRED:
        complaint.referred_to, complaint.referred_on = referred_to, on
    elif status == Status.MEDIATION:
        complaint.mediation_on = on
    elif status == Status.RESOLVED:
        complaint.resolved_on = on
        complaint.outcome = clean_text(outcome, field="outcome", max_length=MAX_TEXT)
        if amount_recovered is not None:
            complaint.amount_recovered = amount_recovered
            complaint.recovered_on = on
            complaint.recovery_note = clean_text(
                recovery_note, field="recovery_note", max_length=MAX_TEXT
            )
    else:
        complaint.closed_on = on
    complaint.save()
    audit(
        acting_user,
        "labour.complaint.status_changed",
        complaint,
        {"status": status, "referred_to": referred_to or None},
        agency_id=complaint.agency_id,
    )
    return complaint


@transaction.atomic
def record_checklist(
    case: Case, answers: dict[str, bool], *, acting_user: User, on: date
) -> Checklist:
    """A domestic worker's ILO C189 checklist; each "no" is a finding on the case."""
    case_actions.lock_for_change(case, acting_user)
    missing = [
        c.field for c in checks.CHECKS if not isinstance(answers.get(c.field), bool)
    ]
    errors = Errors()
    for name in missing:
        errors.add(name, _("Answer yes or no."))
    if on > timezone.localdate():
        errors.add("recorded_on", _("The date is in the future."))
    errors.raise_if_any()
    checklist = Checklist.objects.create(
        case=case,
        recorded_on=on,
        recorded_by=acting_user,
        **{c.field: answers[c.field] for c in checks.CHECKS},
    )
    found = checks.findings(answers)
    if found:
        _finding(
            case,
            acting_user,
            "checklist",
            str(checklist.pk),
            [c.complaint_type for c in found],
        )
    audit(
        acting_user,
        "labour.checklist.recorded",
        checklist,
        {"findings": [c.field for c in found]},
        agency_id=case.agency_id,
    )
    return checklist


def _finding(case: Case, user: User, source: str, ref: str, types: list[str]) -> None:
    safeguards.record_fact(
        case,
        acting_user=user,
        kind="labour_finding",
        at=timezone.now(),
        data={
            "ref": ref,
            "source": source,
            "forced_labour_indicators": checks.indicators(types),
        },
    )


def _fields(entry: ComplaintEntry) -> dict[str, object]:
    values = {
        name: getattr(entry, name)
        for name in ComplaintEntry.__dataclass_fields__
        if name != "costs"
    }
    for name in ("description", "recovery_note"):
        values[name] = clean_text(values[name], field=name, max_length=MAX_TEXT)
    return values
