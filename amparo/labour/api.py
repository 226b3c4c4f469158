"""Labour rights over the API (`/api/v1/labour/`):

- `GET|POST /employers`: the agency's employers and recruiters;
- `GET /complaints?employer=&recruiter=&type=`: newest first, cursor pages;
- `POST /cases/{case_id}/complaints`: a complaint with its recruitment costs;
- `GET /complaints/{id}`, `POST /complaints/{id}/status`;
- `POST /cases/{case_id}/checklists`: a domestic worker's ILO C189 checklist.

Only case workers and supervisors: anyone else gets 404, as for a complaint or a case
they do not see."""

import uuid
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from amparo.accounts.decorators import denied
from amparo.accounts.models import User
from amparo.cases.queries import access_case
from amparo.core.pagination import keyset_page
from amparo.labour import actions, findings, queries
from amparo.labour.codes import ComplaintType
from amparo.labour.entries import ComplaintEntry, CostEntry
from amparo.labour.models import Checklist, Complaint, Employer

router = Router(tags=["labour"])
MAX_TEXT = actions.MAX_TEXT


class EmployerIn(Schema):
    kind: str = Field(description="employer, agency, broker or sub_agent")
    name: str = Field(max_length=200)
    country: str = Field(description="ISO 3166-1 alpha-3")
    sector: str = Field("", description="ISIC Rev.4 section, A to U")
    licence: str = Field("", max_length=100)


class EmployerOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    country: str
    sector: str
    licence: str
    created_at: datetime


class EmployerPage(Schema):
    items: list[EmployerOut]
    next_cursor: str | None


class CostIn(Schema):
    category: str = Field(description="ILO category: recruitment_fee, medical, ...")
    amount: Decimal
    currency: str = Field(description="ISO 4217")
    paid_on: date | None = None
    paid_to: str = Field("", max_length=200)


class CostOut(Schema):
    category: str
    amount: Decimal
    currency: str
    paid_on: date | None
    paid_to: str


class ComplaintIn(Schema):
    type: str = Field(description="A complaint type: unpaid_wages, ...")
    received_on: date
    employer: uuid.UUID | None = Field(None, description="An employer of your agency")
    recruiter: uuid.UUID | None = Field(
        None, description="A recruitment agency, broker or sub-agent of your agency"
    )
    country_of_employment: str = Field("", description="ISO 3166-1 alpha-3")
    description: str = Field("", max_length=MAX_TEXT)
    amount_owed: Decimal | None = None
    currency: str = Field("", description="ISO 4217, of the amounts owed and recovered")
    period_start: date | None = None
    period_end: date | None = None
    amount_recovered: Decimal | None = None
    recovered_on: date | None = None
    recovery_note: str = Field(
        "", max_length=MAX_TEXT, description="Why more was recovered than owed"
    )
    monthly_income: Decimal | None = Field(
        None, description="The worker's monthly income at destination (SDG 10.7.1)"
    )
    income_currency: str = Field("", description="ISO 4217")
    documents_held_by: str = Field(
        "", description="employer, recruiter, other or unknown"
    )
    receipt_given: bool | None = None
    injury_fatal: bool | None = None
    costs: list[CostIn] = Field(
        default_factory=list, description="Recruitment costs the worker paid"
    )


class ComplaintSummary(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    type: str
    status: str
    employer: uuid.UUID | None = Field(alias="employer_id")
    recruiter: uuid.UUID | None = Field(alias="recruiter_id")
    country_of_employment: str
    received_on: date
    created_at: datetime


class ComplaintOut(ComplaintSummary):
    description: str
    amount_owed: Decimal | None
    currency: str
    period_start: date | None
    period_end: date | None
    amount_recovered: Decimal | None
    recovered_on: date | None
    recovery_note: str
    monthly_income: Decimal | None
    income_currency: str
    documents_held_by: str
    receipt_given: bool | None
    injury_fatal: bool | None
    referred_to: str
    referred_on: date | None
    mediation_on: date | None
    resolved_on: date | None
    outcome: str
    closed_on: date | None
    costs: list[CostOut]
    updated_at: datetime

    @staticmethod
    def resolve_costs(complaint: Complaint) -> list[CostOut]:
        return [CostOut.from_orm(c) for c in complaint.costs.all()]


class ComplaintPage(Schema):
    items: list[ComplaintSummary]
    next_cursor: str | None


class ComplaintFilterQuery(Schema):
    employer: uuid.UUID | None = Field(None, description="Against this employer")
    recruiter: uuid.UUID | None = Field(None, description="Through this recruiter")
    type: str = ""
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


class StatusIn(Schema):
    status: str = Field(description="referred, mediation, resolved or closed")
    on: date
    referred_to: str = Field(
        "", description="When referred: inspectorate, court, union, embassy, other"
    )
    outcome: str = Field("", max_length=MAX_TEXT, description="When resolved")
    amount_recovered: Decimal | None = None
    recovery_note: str = Field("", max_length=MAX_TEXT)


class ChecklistIn(Schema):
    recorded_on: date
    written_contract: bool
    keeps_documents: bool
    weekly_rest: bool
    paid_monthly: bool
    no_fees_deducted: bool


class FindingOut(Schema):
    field: str
    article: str
    complaint_type: str
    finding: str


class ChecklistOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    recorded_on: date
    written_contract: bool
    keeps_documents: bool
    weekly_rest: bool
    paid_monthly: bool
    no_fees_deducted: bool
    findings: list[FindingOut] = Field(description='Each check answered "no"')

    @staticmethod
    def resolve_findings(checklist: Checklist) -> list[dict[str, str]]:
        answers = {c.field: getattr(checklist, c.field) for c in findings.CHECKS}
        return [
            {
                "field": c.field,
                "article": c.article,
                "complaint_type": c.complaint_type,
                "finding": str(c.finding),
            }
            for c in findings.findings(answers)
        ]


def _user(request: HttpRequest) -> User:
    """The caller, if their role works on cases; 404 otherwise (audited)."""
    user: User = request.auth  # type: ignore[attr-defined]
    if not user.works_on_cases:
        raise denied(request)
    return user


def _party(user: User, party_id: uuid.UUID | None, field: str) -> Employer | None:
    if party_id is None:
        return None
    party = queries.employers_of(user).filter(pk=party_id).first()
    if party is None:
        raise ValidationError({field: _("Choose from your agency's list.")})
    return party


@router.get("/employers", response=EmployerPage, summary="Employers and recruiters")
def list_employers(request: HttpRequest, page: Query[PageQuery]) -> dict[str, object]:
    employers = keyset_page(
        queries.employers_of(_user(request)),
        field="created_at",
        cursor=page.cursor,
        size=page.limit,
    )
    return {"items": employers.items, "next_cursor": employers.next_cursor}


@router.post(
    "/employers",
    response={201: EmployerOut},
    summary="Record an employer or recruiter",
)
def create_employer(request: HttpRequest, payload: EmployerIn) -> Status[Employer]:
    employer = actions.record_employer(acting_user=_user(request), **payload.dict())
    return Status(201, employer)


@router.get("/complaints", response=ComplaintPage, summary="Complaints, newest first")
def list_complaints(
    request: HttpRequest, filters: Query[ComplaintFilterQuery]
) -> dict[str, object]:
    user = _user(request)
    if filters.type and filters.type not in ComplaintType.values:
        raise ValidationError({"type": _("Choose a type from the list.")})
    complaints = queries.complaints_list(
        user,
        employer=queries.access_employer(user, filters.employer)
        if filters.employer
        else None,
        recruiter=queries.access_employer(user, filters.recruiter)
        if filters.recruiter
        else None,
        type=filters.type,
    )
    page = queries.complaints_page(
        complaints, cursor=filters.cursor, size=filters.limit
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post(
    "/cases/{case_id}/complaints",
    response={201: ComplaintOut},
    summary="Record a complaint on a case",
)
def create_complaint(
    request: HttpRequest, case_id: uuid.UUID, payload: ComplaintIn
) -> Status[Complaint]:
    user = _user(request)
    case = access_case(user, case_id)
    data = payload.dict(exclude={"costs", "employer", "recruiter"})
    entry = ComplaintEntry(
        employer=_party(user, payload.employer, "employer"),
        recruiter=_party(user, payload.recruiter, "recruiter"),
        costs=[CostEntry(**c.dict()) for c in payload.costs],
        **data,
    )
    complaint = actions.record_complaint(case, entry, acting_user=user)
    return Status(201, queries.access_complaint(user, complaint.pk))


@router.get(
    "/complaints/{complaint_id}", response=ComplaintOut, summary="One complaint"
)
def get_complaint(request: HttpRequest, complaint_id: uuid.UUID) -> Complaint:
    return queries.view_complaint(_user(request), complaint_id)


@router.post(
    "/complaints/{complaint_id}/status",
    response=ComplaintOut,
    summary="Move a complaint on",
)
def set_complaint_status(
    request: HttpRequest, complaint_id: uuid.UUID, payload: StatusIn
) -> Complaint:
    user = _user(request)
    complaint = queries.access_complaint(user, complaint_id)
    actions.change_status(complaint, acting_user=user, **payload.dict())
    return queries.access_complaint(user, complaint_id)


@router.post(
    "/cases/{case_id}/checklists",
    response={201: ChecklistOut},
    summary="Record a domestic worker's ILO C189 checklist",
)
def create_checklist(
    request: HttpRequest, case_id: uuid.UUID, payload: ChecklistIn
) -> Status[Checklist]:
    user = _user(request)
    case = access_case(user, case_id)
    answers = payload.dict(exclude={"recorded_on"})
    checklist = actions.record_checklist(
        case, answers, acting_user=user, on=payload.recorded_on
    )
    return Status(201, checklist)
