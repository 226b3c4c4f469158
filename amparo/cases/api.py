import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from amparo.accounts.models import User
from amparo.accounts.queries import assignable_workers
from amparo.cases import actions, queries
from amparo.cases.models import Case, CaseMember, Note
from amparo.core.pagination import keyset_page
from amparo.people.queries import access_person

router = Router(tags=["cases"])


class LawfulBasisIn(Schema):
    basis: str = Field(description="consent, vital_interest, public_interest, ...")
    method: str = Field("", description="For consent: oral, written or digital")
    given_by: str = Field(
        "", description="For consent: person, guardian, representative"
    )
    justification: str = Field("", max_length=5000, description="For any other basis")


class CaseIn(Schema):
    person_id: uuid.UUID
    types: list[str] = Field(min_length=1)
    risk: str
    reason: str = Field(max_length=5000)
    assigned_to: int | None = Field(None, description="User id; the caller when empty")
    lawful_basis: LawfulBasisIn | None = Field(
        None,
        description="Recorded with the case when the person has no lawful basis for "
        "case management yet; without either, the case is refused (400, field consent).",
    )


class CaseOut(Schema):
    id: uuid.UUID
    reference: str
    person_id: uuid.UUID = Field(alias="primary_person_id")
    person_name: str = Field(alias="primary_person.display_name")
    types: list[str]
    status: str
    risk: str
    assigned_to: int | None = Field(alias="assigned_to_id")
    opened_at: datetime
    closed_at: datetime | None
    closure_reason: str
    updated_at: datetime

    @staticmethod
    def resolve_types(case: Case) -> list[str]:
        return [t.code for t in case.types.all()]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseFilterQuery(Schema):
    status: str = ""
    type: str = ""
    risk: str = ""
    assigned_to_me: bool = False
    person: uuid.UUID | None = None
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


class NoteIn(Schema):
    body: str = Field(max_length=20_000)


class NoteOut(Schema):
    id: uuid.UUID
    body: str
    author: int = Field(alias="author_id")
    created_at: datetime


class NotePage(Schema):
    items: list[NoteOut]
    next_cursor: str | None


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


class StatusIn(Schema):
    status: str


class AssignIn(Schema):
    assigned_to: int | None


class MemberIn(Schema):
    person_id: uuid.UUID
    relationship: str
    lawful_basis: LawfulBasisIn | None = Field(
        None,
        description="The person's lawful basis for case management, recorded when "
        "none is yet; without either, the person is refused (400, field consent).",
    )


class MemberOut(Schema):
    person_id: uuid.UUID
    relationship: str


class CloseIn(Schema):
    reason: str
    note: str = Field("", max_length=5000)


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def _assignee(user: User, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    assignee = assignable_workers(user).filter(pk=user_id).first()
    if assignee is None:
        raise ValidationError(
            {"assigned_to": _("No active case worker of your agency has this id.")}
        )
    return assignee


@router.get("/", response=CasePage, summary="List cases")
def list_cases(
    request: HttpRequest, filters: Query[CaseFilterQuery]
) -> dict[str, object]:
    user = _user(request)
    cases = queries.filter_cases(
        user,
        queries.CaseFilters(
            status=filters.status,
            type=filters.type,
            risk=filters.risk,
            assigned_to_me=filters.assigned_to_me,
            person_id=filters.person,
        ),
    )
    page = keyset_page(
        cases, field="updated_at", cursor=filters.cursor, size=filters.limit
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("/", response={201: CaseOut}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn) -> Status[Case]:
    user = _user(request)
    person = access_person(user, payload.person_id)
    case = actions.open_case(
        person,
        acting_user=user,
        types=payload.types,
        risk=payload.risk,
        reason=payload.reason,
        assigned_to=_assignee(user, payload.assigned_to) or user,
        lawful_basis=payload.lawful_basis.dict() if payload.lawful_basis else None,
    )
    return Status(201, queries.access_case(user, case.pk))


@router.get("/{case_id}", response=CaseOut, summary="One case")
def get_case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return queries.view_case(_user(request), case_id)


@router.get(
    "/{case_id}/notes", response=NotePage, summary="A case's notes, newest first"
)
def list_notes(
    request: HttpRequest, case_id: uuid.UUID, page: Query[PageQuery]
) -> dict[str, object]:
    case = queries.view_case(_user(request), case_id)
    notes = keyset_page(
        queries.notes_of(case), field="created_at", cursor=page.cursor, size=page.limit
    )
    return {"items": notes.items, "next_cursor": notes.next_cursor}


@router.post("/{case_id}/notes", response={201: NoteOut}, summary="Add a note")
def create_note(
    request: HttpRequest, case_id: uuid.UUID, payload: NoteIn
) -> Status[Note]:
    user = _user(request)
    case = queries.access_case(user, case_id)
    return Status(201, actions.add_note(case, acting_user=user, body=payload.body))


@router.post(
    "/{case_id}/status", response=CaseOut, summary="Move a case along its workflow"
)
def set_status(request: HttpRequest, case_id: uuid.UUID, payload: StatusIn) -> Case:
    user = _user(request)
    case = queries.access_case(user, case_id)
    actions.change_case_status(case, acting_user=user, status=payload.status)
    return queries.access_case(user, case_id)


@router.post("/{case_id}/assign", response=CaseOut, summary="Assign a case")
def assign(request: HttpRequest, case_id: uuid.UUID, payload: AssignIn) -> Case:
    user = _user(request)
    case = queries.access_case(user, case_id)
    # The answer is the case as this change left it, even when the change takes it
    # out of the caller's sight (assigning it away): they made it, they see it once.
    return actions.assign_case(
        case, acting_user=user, assignee=_assignee(user, payload.assigned_to)
    )


@router.post("/{case_id}/close", response=CaseOut, summary="Close a case")
def close(request: HttpRequest, case_id: uuid.UUID, payload: CloseIn) -> Case:
    user = _user(request)
    case = queries.access_case(user, case_id)
    actions.close_case(case, acting_user=user, reason=payload.reason, note=payload.note)
    return queries.access_case(user, case_id)


@router.post(
    "/{case_id}/members", response={201: MemberOut}, summary="Add a person to a case"
)
def add_member(
    request: HttpRequest, case_id: uuid.UUID, payload: MemberIn
) -> Status[CaseMember]:
    user = _user(request)
    case = queries.access_case(user, case_id)
    person = access_person(user, payload.person_id)
    member = actions.add_case_member(
        case,
        person,
        acting_user=user,
        relationship=payload.relationship,
        lawful_basis=payload.lawful_basis.dict() if payload.lawful_basis else None,
    )
    return Status(201, member)


class RiskIn(Schema):
    risk: str


class ReopenIn(Schema):
    reason: str = Field(max_length=5000)


class EventOut(Schema):
    kind: str
    occurred_at: datetime
    actor: int = Field(alias="actor_id")
    data: dict[str, object]


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


@router.post("/{case_id}/risk", response=CaseOut, summary="Change a case's risk level")
def set_risk(request: HttpRequest, case_id: uuid.UUID, payload: RiskIn) -> Case:
    user = _user(request)
    case = queries.access_case(user, case_id)
    actions.change_case_risk(case, acting_user=user, risk=payload.risk)
    return queries.access_case(user, case_id)


@router.post("/{case_id}/reopen", response=CaseOut, summary="Reopen a closed case")
def reopen(request: HttpRequest, case_id: uuid.UUID, payload: ReopenIn) -> Case:
    user = _user(request)
    case = queries.access_case(user, case_id)
    actions.reopen_case(case, acting_user=user, reason=payload.reason)
    return queries.access_case(user, case_id)


@router.get(
    "/{case_id}/timeline", response=EventPage, summary="What happened, newest first"
)
def case_timeline(
    request: HttpRequest, case_id: uuid.UUID, page: Query[PageQuery]
) -> dict[str, object]:
    case = queries.view_case(_user(request), case_id)
    events = keyset_page(
        queries.timeline(case), field="occurred_at", cursor=page.cursor, size=page.limit
    )
    return {"items": events.items, "next_cursor": events.next_cursor}
