"""Persons are made through the registration action, so that their names, search keys
and audit trail are exactly what a real registration writes."""

from datetime import date

from django.utils import timezone

from amparo.accounts.models import User
from amparo.people.actions import record_consent, register_person
from amparo.people.models import Consent, Person
from amparo.people.records import NameRecord, NationalityRecord, PersonRecord


def make_person(
    user: User,
    given: str = "Amina",
    family: str = "Diallo",
    *,
    aliases: tuple[tuple[str, str], ...] = (),
    birth_date: date | None = None,
    nationalities: tuple[str, ...] = (),
    **fields: object,
) -> Person:
    names = [NameRecord(given_names=given, family_names=family)]
    names += [
        NameRecord(given_names=g, family_names=f, kind="alias") for g, f in aliases
    ]
    record = PersonRecord(
        names=names,
        birth_date=birth_date,
        nationalities=[NationalityRecord(country=c) for c in nationalities],
        **fields,  # type: ignore[arg-type]
    )
    return register_person(record, acting_user=user)


def give_consent(person: Person, user: User, purpose: str) -> Consent:
    """The person's oral consent for `purpose`, recorded today by `user`."""
    return record_consent(
        person,
        acting_user=user,
        purpose=purpose,
        basis="consent",
        method="oral",
        given_by="person",
        obtained_on=timezone.localdate(),
    )
