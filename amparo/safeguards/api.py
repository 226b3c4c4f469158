"""The worklist and the case file over the API:

- `GET /api/v1/obligations/?filter=all|mine|due_soon|overdue|critical|register` (or `?case=ID`
  for every obligation of one case), most urgent first, cursor pages;
- `GET /api/v1/cases/{case_id}/facts`, newest first, and `POST` to record one;
- `POST /api/v1/cases/{case_id}/jurisdiction` to judge the case by another profile.
"""

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from amparo.accounts.models import User
from amparo.cases.queries import access_case, view_case
from amparo.core.pagination import keyset_page
from amparo.safeguards import actions, queries
from amparo.safeguards.models import CaseFact, Obligation

router = Router(tags=["safeguards"])


class ObligationOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    case_reference: str = Field(alias="case.reference")
    person_id: uuid.UUID
    rule_id: str
    key: str
    due: str
    due_at: datetime | None = Field(
        description="The deadline, in the place of detention's time zone"
    )  # `_out` gives it, and `met_at`, in that zone
    time_zone: str
    status: str
    severity: str
    citations: list[str]
    triggered_by: list[str] = Field(description="Ids of the facts that started it")
    met_by: list[str] = Field(description="Ids of the facts that met it")
    met_at: datetime | None
    met_late: bool
    note: str
    details: dict[str, Any]
    updated_at: datetime


class ObligationPage(Schema):
    items: list[ObligationOut]
    next_cursor: str | None


class WorklistQuery(Schema):
    filter: queries.Worklist = Field(
        queries.Worklist.ALL,
        description="all, mine, due_soon (within 24 h), overdue or critical: what is "
        "still to be done (open, overdue, escalated); register: one row per open "
        "detention episode (its limit), the detention register",
    )
    case: uuid.UUID | None = Field(
        None, description="Every obligation of this case, whatever its status"
    )
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


class FactIn(Schema):
    kind: str = Field(description="A fact kind (docs/safeguards.md)")
    at: datetime = Field(description="When it happened: ISO 8601 with its zone")
    data: dict[str, Any] = Field(
        default_factory=dict, description="The kind's own fields"
    )


class FactOut(Schema):
    id: uuid.UUID
    kind: str
    at: datetime = Field(alias="local_at")
    recorded_by: int = Field(alias="recorded_by_id")
    data: dict[str, Any]
    created_at: datetime


class FactPage(Schema):
    items: list[FactOut]
    next_cursor: str | None


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


class JurisdictionIn(Schema):
    jurisdiction: str = Field(description="A profile's code, e.g. mexico")


class JurisdictionOut(Schema):
    case_id: uuid.UUID
    jurisdiction: str
    evaluated_at: datetime | None


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, no-any-return]


@router.get(
    "/obligations/", response=ObligationPage, summary="Worklist: obligations to act on"
)
def list_obligations(
    request: HttpRequest, params: Query[WorklistQuery]
) -> dict[str, object]:
    user = _user(request)
    if params.case is not None:
        obligations = queries.obligations_of(view_case(user, params.case))
    else:
        obligations = queries.worklist(user, params.filter, timezone.now())
    page = queries.worklist_page(
        obligations, cursor=params.cursor, size=params.limit, people=False
    )
    return {"items": [_out(o) for o in page.items], "next_cursor": page.next_cursor}


def _out(obligation: Obligation) -> dict[str, Any]:
    """`ObligationOut`'s fields as a dict: validated from plain values, a page of 50
    costs a fifth of what reading each attribute from the model through the schema
    did."""
    o = obligation
    return {
        "id": o.id,
        "case_id": o.case_id,
        "case.reference": o.case.reference,
        "person_id": o.person_id,
        "rule_id": o.rule_id,
        "key": o.key,
        "due": o.due,
        "due_at": o.local(o.due_at),
        "time_zone": o.time_zone,
        "status": o.status,
        "severity": o.severity,
        "citations": o.citations,
        "triggered_by": o.triggered_by,
        "met_by": o.met_by,
        "met_at": o.local(o.met_at),
        "met_late": o.met_late,
        "note": o.note,
        "details": o.details,
        "updated_at": o.updated_at,
    }


@router.get(
    "/cases/{case_id}/facts", response=FactPage, summary="A case's facts, newest first"
)
def list_facts(
    request: HttpRequest, case_id: uuid.UUID, page: Query[PageQuery]
) -> dict[str, object]:
    case = view_case(_user(request), case_id)
    facts = keyset_page(
        queries.facts_of(case), field="at", cursor=page.cursor, size=page.limit
    )
    return {"items": facts.items, "next_cursor": facts.next_cursor}


@router.post(
    "/cases/{case_id}/facts",
    response={201: FactOut},
    summary="Record a fact (its obligations are recomputed at once)",
)
def record_fact(
    request: HttpRequest, case_id: uuid.UUID, payload: FactIn
) -> Status[CaseFact]:
    user = _user(request)
    case = access_case(user, case_id)
    fact = actions.record_fact(
        case, acting_user=user, kind=payload.kind, at=payload.at, data=payload.data
    )
    return Status(201, fact)


@router.post(
    "/cases/{case_id}/jurisdiction",
    response=JurisdictionOut,
    summary="Judge the case by a jurisdiction's profile",
)
def set_jurisdiction(
    request: HttpRequest, case_id: uuid.UUID, payload: JurisdictionIn
) -> dict[str, object]:
    user = _user(request)
    case = access_case(user, case_id)
    settings = actions.set_jurisdiction(
        case, acting_user=user, code=payload.jurisdiction
    )
    return {
        "case_id": case.pk,
        "jurisdiction": settings.jurisdiction,
        "evaluated_at": settings.evaluated_at,
    }
