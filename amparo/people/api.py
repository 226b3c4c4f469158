import uuid
from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from amparo.accounts.models import User
from amparo.core.pagination import keyset_page
from amparo.people import actions, queries
from amparo.people.models import Consent, Person
from amparo.people.records import NameRecord, NationalityRecord, PersonRecord

router = Router(tags=["persons"])


class NameSchema(Schema):
    given_names: str = Field("", max_length=200)
    family_names: str = Field("", max_length=200)
    kind: str = "primary"
    script: str = Field("", description="ISO 15924; detected from the text when empty")
    language: str = Field("", description="ISO 639 code of the name's language")


class NationalitySchema(Schema):
    country: str = Field(description="ISO 3166-1 alpha-3, or XXA for stateless")
    status: str = "claimed"


class PersonIn(Schema):
    names: list[NameSchema]
    sex: str = "U"
    birth_date: date | None = None
    birth_date_precision: str = "day"
    estimated_age: int | None = None
    age_estimated_on: date | None = None
    nationalities: list[NationalitySchema] = []
    country_of_birth: str = ""
    place_of_origin: str = Field("", max_length=200)
    preferred_language: str = ""
    languages: list[str] = []
    contact: str = Field("", max_length=2000)
    vulnerabilities: list[str] = []
    migration_status: str = ""

    def record(self) -> PersonRecord:
        data = self.dict(exclude={"names", "nationalities"})
        return PersonRecord(
            names=[NameRecord(**n.dict()) for n in self.names],
            nationalities=[NationalityRecord(**n.dict()) for n in self.nationalities],
            **data,
        )


class PersonSummary(Schema):
    id: uuid.UUID
    display_name: str
    sex: str
    birth_date: date | None
    birth_date_precision: str
    estimated_age: int | None
    created_at: datetime


class PersonOut(PersonSummary):
    names: list[NameSchema]
    nationalities: list[NationalitySchema]
    age_estimated_on: date | None
    country_of_birth: str
    place_of_origin: str
    preferred_language: str
    languages: list[str]
    contact: str
    vulnerabilities: list[str]
    migration_status: str
    updated_at: datetime

    @staticmethod
    def resolve_names(person: Person) -> list[NameSchema]:
        return [NameSchema.from_orm(n) for n in person.names.all()]

    @staticmethod
    def resolve_nationalities(person: Person) -> list[NationalitySchema]:
        return [NationalitySchema.from_orm(n) for n in person.nationalities.all()]


class PersonPage(Schema):
    items: list[PersonSummary]
    next_cursor: str | None


class PersonFilters(Schema):
    q: str = Field("", max_length=200, description="Name in any spelling or script")
    sex: str = ""
    nationality: str = Field("", description="ISO 3166-1 alpha-3")
    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, no-any-return]


@router.get("/", response=PersonPage, summary="List or search persons")
def list_persons(
    request: HttpRequest, filters: Query[PersonFilters]
) -> dict[str, object]:
    user = _user(request)
    if filters.q.strip():
        return {
            "items": queries.search_persons(user, filters.q, limit=filters.limit),
            "next_cursor": None,
        }
    persons = queries.filter_persons(
        user, sex=filters.sex, nationality=filters.nationality
    )
    page = keyset_page(
        persons, field="created_at", cursor=filters.cursor, size=filters.limit
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("/", response={201: PersonOut}, summary="Register a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    person = actions.register_person(payload.record(), acting_user=_user(request))
    return Status(201, queries.access_person(_user(request), person.pk))


@router.get("/{person_id}", response=PersonOut, summary="One person")
def get_person(request: HttpRequest, person_id: uuid.UUID) -> Person:
    return queries.view_person(_user(request), person_id)


@router.put("/{person_id}", response=PersonOut, summary="Replace a person's record")
def replace_person(
    request: HttpRequest, person_id: uuid.UUID, payload: PersonIn
) -> Person:
    user = _user(request)
    person = queries.access_person(user, person_id)
    actions.update_person(person, payload.record(), acting_user=user)
    return queries.access_person(user, person_id)


class ConsentIn(Schema):
    purpose: str = Field(description="case_management, referral, tracing, ...")
    basis: str = Field(description="consent, vital_interest, public_interest, ...")
    obtained_on: date
    method: str = Field("", description="For consent: oral, written or digital")
    given_by: str = Field(
        "", description="For consent: person, guardian, representative"
    )
    child_views: str = Field("", max_length=5000)
    language: str = ""
    interpreter: bool = False
    scope: str = Field("", max_length=500)
    justification: str = Field("", max_length=5000, description="For any other basis")


class ConsentOut(Schema):
    id: uuid.UUID
    purpose: str
    basis: str
    method: str
    given_by: str
    language: str
    interpreter: bool
    scope: str
    obtained_on: date
    recorded_by_id: int
    withdrawn_at: datetime | None
    withdrawal_reason: str


class WithdrawalIn(Schema):
    reason: str = Field(max_length=500)


@router.get(
    "/{person_id}/consents",
    response=list[ConsentOut],
    summary="Consents and lawful bases, newest first",
)
def list_consents(request: HttpRequest, person_id: uuid.UUID) -> list[Consent]:
    person = queries.view_person(_user(request), person_id)
    return list(queries.consent_history(person))


@router.post(
    "/{person_id}/consents",
    response={201: ConsentOut},
    summary="Record consent or another lawful basis for a purpose",
)
def create_consent(
    request: HttpRequest, person_id: uuid.UUID, payload: ConsentIn
) -> Status[Consent]:
    user = _user(request)
    person = queries.access_person(user, person_id)
    return Status(
        201, actions.record_consent(person, acting_user=user, **payload.dict())
    )


@router.post(
    "/{person_id}/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent or end a lawful basis",
)
def withdraw_consent(
    request: HttpRequest,
    person_id: uuid.UUID,
    consent_id: uuid.UUID,
    payload: WithdrawalIn,
) -> Consent:
    user = _user(request)
    person = queries.access_person(user, person_id)
    consent = person.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    return actions.withdraw_consent(consent, acting_user=user, reason=payload.reason)
