"""Every write to a person's record. Each runs in one transaction with its audit event."""

import uuid
from dataclasses import fields

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.audit.actions import record as audit
from amparo.core.names import name_keys, search_form
from amparo.people.models import NameKey, Nationality, Person, PersonName
from amparo.people.records import PersonRecord, clean_person_record

_SCALAR_FIELDS = [
    f.name for f in fields(PersonRecord) if f.name not in {"names", "nationalities"}
]


@transaction.atomic
def register_person(record: PersonRecord, *, acting_user: User) -> Person:
    """Register a person in the acting user's agency. Raises ValidationError (keys name
    the fields) and writes nothing if the record is not valid."""
    agency_id = _require_case_role(acting_user)
    clean_person_record(record, today=timezone.localdate())
    person = Person(
        agency_id=agency_id, registered_by=acting_user, team_id=acting_user.team_id
    )
    _apply(person, record)
    audit(acting_user, "people.person.registered", person)
    return person


@transaction.atomic
def update_person(person: Person, record: PersonRecord, *, acting_user: User) -> Person:
    """Replace a person's record with `record`; the audit event lists the fields that
    changed, never their values."""
    _require_case_role(acting_user)
    if record.estimated_age == person.estimated_age and record.age_estimated_on is None:
        # An unchanged estimate keeps the day it was made; a new one is dated today.
        record.age_estimated_on = person.age_estimated_on
    clean_person_record(record, today=timezone.localdate())
    before = _snapshot(person)
    _apply(person, record)
    after = _snapshot(person)
    changed = sorted(k for k in after if before.get(k) != after[k])
    audit(acting_user, "people.person.updated", person, {"changed": changed})
    return person


def _require_case_role(user: User) -> uuid.UUID:
    """The user's agency, if the user may change person records."""
    if not user.works_on_cases or user.agency_id is None:
        raise PermissionError(
            "Only case workers and supervisors change person records."
        )
    return user.agency_id


def _apply(person: Person, record: PersonRecord) -> None:
    for name in _SCALAR_FIELDS:
        setattr(person, name, getattr(record, name))
    primary = next(n for n in record.names if n.kind == PersonName.Kind.PRIMARY)
    person.display_name = primary.full_text
    person.save()
    person.names.all().delete()
    PersonName.objects.bulk_create(
        PersonName(
            person=person,
            kind=n.kind,
            given_names=n.given_names,
            family_names=n.family_names,
            script=n.script,
            language=n.language,
            search_form=search_form(n.full_text),
        )
        for n in record.names
    )
    person.nationalities.all().delete()
    Nationality.objects.bulk_create(
        Nationality(person=person, country=n.country, status=n.status)
        for n in record.nationalities
    )
    NameKey.objects.filter(person=person).delete()
    keys = set().union(*(name_keys(n.full_text) for n in record.names))
    NameKey.objects.bulk_create(
        NameKey(person=person, agency_id=person.agency_id, key=key)
        for key in sorted(keys)
    )


def _snapshot(person: Person) -> dict[str, object]:
    values = {name: getattr(person, name) for name in _SCALAR_FIELDS}
    values["names"] = sorted(
        (n.kind, n.given_names, n.family_names, n.script, n.language)
        for n in person.names.all()
    )
    values["nationalities"] = sorted(
        (n.country, n.status) for n in person.nationalities.all()
    )
    return values
