"""Every read of labour records. Employers and recruiters are the agency's own notes,
seen by its case workers and supervisors. A complaint is seen by those who see its
case; the list by employer shows the pattern across workers, each complaint still
only to those who see its case."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.actions import record_denial, record_view
from amparo.cases.models import Case
from amparo.cases.queries import cases_visible_to
from amparo.core.pagination import InvalidCursorError, Page
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
    user: User,
    *,
    employer: Employer | None = None,
    type: str = "",
    recruiter: Employer | None = None,
) -> QuerySet[Complaint]:
    """Newest first, for the complaints page and the API (an index each way)."""
    complaints = complaints_visible_to(user)
    if employer is not None:
        complaints = complaints.filter(employer=employer)
    if recruiter is not None:
        complaints = complaints.filter(recruiter=recruiter)
    if type:
        complaints = complaints.filter(type=type)
    return complaints.select_related("case", "employer", "recruiter").order_by(
        "-received_on", "-id"
    )


def against(party: Employer) -> dict[str, Employer]:
    """`complaints_list`'s filter for the complaints against `party`: as the employer,
    or as the recruiter for an agency, a broker or a sub-agent."""
    if party.kind == Employer.Kind.EMPLOYER:
        return {"employer": party}
    return {"recruiter": party}


def access_complaint(user: User, complaint_id: uuid.UUID | str) -> Complaint:
    """The complaint if `user` sees its case; Http404 otherwise. A refusal is audited."""
    try:
        return (
            complaints_visible_to(user)
            .select_related("case", "employer", "recruiter")
            .prefetch_related("costs")
            .get(pk=complaint_id)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "labour.complaint", complaint_id)
        raise Http404 from None


def view_complaint(user: User, complaint_id: uuid.UUID | str) -> Complaint:
    """`access_complaint` for showing the complaint (its story): the view is audited."""
    complaint = access_complaint(user, complaint_id)
    record_view(user, "labour.complaint.viewed", complaint)
    return complaint


def complaints_page(
    complaints: QuerySet[Complaint], *, cursor: str | None, size: int
) -> Page[Complaint]:
    """Keyset pages of `complaints` by (received_on, id) descending, the order of the
    indexes by employer and by agency: each page costs the same however deep it is.
    `core.pagination` pages by a moment; a complaint is dated by its day."""
    ordered = complaints.order_by("-received_on", "-id")
    if cursor:
        day, pk = _decode_cursor(cursor)
        ordered = ordered.filter(
            Q(received_on__lte=day) & (Q(received_on__lt=day) | Q(id__lt=pk))
        )
    items = list(ordered[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        raw = json.dumps([last.received_on.isoformat(), str(last.pk)]).encode()
        next_cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return Page(items=items, next_cursor=next_cursor)


def _decode_cursor(cursor: str) -> tuple[date, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        day, pk = json.loads(raw)
        return date.fromisoformat(day), uuid.UUID(pk)
    except (
        binascii.Error,
        ValueError,
        TypeError,
        AttributeError,
        UnicodeDecodeError,
    ) as error:
        raise InvalidCursorError(
            _("The cursor is not one this server gave out.")
        ) from error


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
