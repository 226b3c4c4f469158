"""A person's record as JSON, for the encrypted identity of a protected person, and
the pseudonymous record that stands in for it."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, replace
from datetime import date
from typing import Any

from amparo.people.models import Person
from amparo.people.records import (
    NameRecord,
    NationalityRecord,
    PersonRecord,
    record_of,
)

__all__ = ["dumps", "loads", "new_pseudonym", "pseudonymous", "record_of"]

# No 0/O or 1/I: a pseudonym is read aloud and written down.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_pseudonym() -> str:
    """Language-neutral stored data: the same on every page in every language."""
    return "P-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def pseudonymous(record: PersonRecord, pseudonym: str) -> PersonRecord:
    """What the record shows while the person is protected: the pseudonym for every
    name, the year of birth only (statistics count ages), no place of origin and no
    contact. Sex, nationalities, languages and needs stay: the work needs them and
    they do not single the person out on their own."""
    birth = record.birth_date
    reduced = record.birth_date_precision != Person.DatePrecision.YEAR
    return replace(
        record,
        names=[NameRecord(given_names=pseudonym, family_names="")],
        birth_date=date(birth.year, 1, 1) if birth else None,
        birth_date_precision=Person.DatePrecision.YEAR
        if birth and reduced
        else record.birth_date_precision,
        place_of_origin="",
        contact="",
    )


def dumps(record: PersonRecord) -> str:
    return json.dumps(asdict(record), default=_default, ensure_ascii=False)


def loads(text: str) -> PersonRecord:
    raw: dict[str, Any] = json.loads(text)
    for name in ("birth_date", "age_estimated_on"):
        raw[name] = date.fromisoformat(raw[name]) if raw.get(name) else None
    raw["names"] = [NameRecord(**n) for n in raw["names"]]
    raw["nationalities"] = [NationalityRecord(**n) for n in raw["nationalities"]]
    return PersonRecord(**raw)


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
