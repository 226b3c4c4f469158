"""Every read of labour records. Employers and recruiters are the agency's own notes,
seen by its case workers and supervisors. A complaint is seen by those who see its
case; the list by employer shows the pattern across workers, each complaint still
only to those who see its case."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from amparo.accounts.models import User
from amparo.audit.actions import record_denial
from amparo.cases.models import Case
from amparo.cases.queries import cases_visible_to
from amparo.labour import findings
from amparo.labour.models import Checklist, Complaint, Employer


def employers_of(user: User) -> QuerySet[Employer]:
    if not user.works_on_cases or user.agency_id is None:
        return Employer.objects.none()
    return Employer.objects.filter(agency_id=user.agency_id)


def access_employer(user: User, employer_id: uuid.UUID | str) -> Employer:
    try:
        return employers_of(user).get(pk=employer_id)
    except (Employer.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "labour.employer", employer_id)
        raise Http404 from None


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    if not user.works_on_cases or user.agency_id is None:
        return Complaint.objects.none()
    complaints = Complaint.objects.filter(agency_id=user.agency_id)
    if not user.sees_whole_agency:
        complaints = complaints.filter(case__in=cases_visible_to(user))
    return complaints


def complaints_list(
    user: User, *, employer: Employer | None = None, type: str = ""
) -> QuerySet[Complaint]:
    """Newest first, for the complaints page and the API (an index each way)."""
    complaints = complaints_visible_to(user)
    if employer is not None:
        complaints = complaints.filter(employer=employer)
    if type:
        complaints = complaints.filter(type=type)
    return complaints.select_related("case", "employer", "recruiter").order_by(
        "-received_on", "-id"
    )


def complaints_of_case(case: Case) -> QuerySet[Complaint]:
    """For a page that has checked that its user sees `case`."""
    return (
        Complaint.objects.filter(case=case)
        .select_related("employer", "recruiter")
        .prefetch_related("costs")
    )


def checklist_findings(case: Case) -> list[tuple[Checklist, list[findings.Check]]]:
    """Each checklist of the case with its findings, newest first."""
    return [
        (
            checklist,
            findings.findings(
                {c.field: getattr(checklist, c.field) for c in findings.CHECKS}
            ),
        )
        for checklist in Checklist.objects.filter(case=case)
    ]
