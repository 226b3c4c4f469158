"""What travels with a referral: the chosen fields of the person and the case, as
JSON, and back into a person record on the recipient's side."""

import json
from datetime import date
from typing import Any

from amparo.cases.models import Case
from amparo.people.models import Person
from amparo.people.records import NameRecord, NationalityRecord, PersonRecord
from amparo.referrals.models import SharedField

Packet = dict[str, Any]


def build_packet(case: Case, fields: list[str]) -> Packet:
    """The values of `fields` for the case's primary person and the case."""
    person: Person = case.primary_person
    packet: Packet = {}
    if SharedField.NAMES in fields:
        packet["names"] = [
            {
                "given_names": n.given_names,
                "family_names": n.family_names,
                "kind": n.kind,
                "script": n.script,
                "language": n.language,
            }
            for n in person.names.all()
        ]
    if SharedField.SEX in fields:
        packet["sex"] = person.sex
    if SharedField.BIRTH in fields:
        packet["birth_date"] = person.birth_date and person.birth_date.isoformat()
        packet["birth_date_precision"] = person.birth_date_precision
        packet["estimated_age"] = person.estimated_age
        packet["age_estimated_on"] = (
            person.age_estimated_on and person.age_estimated_on.isoformat()
        )
    if SharedField.NATIONALITIES in fields:
        packet["nationalities"] = [
            {"country": n.country, "status": n.status}
            for n in person.nationalities.all()
        ]
    if SharedField.ORIGIN in fields:
        packet["country_of_birth"] = person.country_of_birth
        packet["place_of_origin"] = person.place_of_origin
    if SharedField.LANGUAGES in fields:
        packet["preferred_language"] = person.preferred_language
        packet["languages"] = list(person.languages)
    if SharedField.CONTACT in fields:
        packet["contact"] = person.contact
    if SharedField.SPECIFIC_NEEDS in fields:
        packet["vulnerabilities"] = list(person.vulnerabilities)
    if SharedField.MIGRATION_STATUS in fields:
        packet["migration_status"] = person.migration_status
    if SharedField.CASE_TYPES in fields:
        packet["case_types"] = sorted(t.code for t in case.types.all())
        packet["risk"] = case.risk
    return packet


def pseudonymous(packet: Packet, pseudonym: str) -> Packet:
    """The copy of a protected witness's record: the pseudonym for every name, the
    year of birth only, no place of origin and no contact (amparo.witnesses)."""
    hidden = dict(packet)
    if "names" in hidden:
        hidden["names"] = [
            {
                "given_names": pseudonym,
                "family_names": "",
                "kind": "primary",
                "script": "",
                "language": "",
            }
        ]
    if hidden.get("birth_date"):
        hidden["birth_date"] = f"{hidden['birth_date'][:4]}-01-01"
        hidden["birth_date_precision"] = "year"
    for name in ("place_of_origin", "contact"):
        if name in hidden:
            hidden[name] = ""
    return hidden


def dumps(packet: Packet) -> str:
    return json.dumps(packet, ensure_ascii=False, sort_keys=True)


def loads(text: str) -> Packet:
    packet: Packet = json.loads(text)
    return packet


def person_record(packet: Packet) -> PersonRecord:
    """The recipient's new person record, from what was shared. A referral without
    names registers the person under a placeholder the recipient replaces."""
    names = [NameRecord(**n) for n in packet.get("names", [])] or [
        NameRecord(given_names="?", family_names="")
    ]
    return PersonRecord(
        names=names,
        sex=packet.get("sex", Person.Sex.UNKNOWN),
        birth_date=_date(packet.get("birth_date")),
        birth_date_precision=packet.get("birth_date_precision")
        or Person.DatePrecision.DAY,
        estimated_age=packet.get("estimated_age"),
        age_estimated_on=_date(packet.get("age_estimated_on")),
        nationalities=[NationalityRecord(**n) for n in packet.get("nationalities", [])],
        country_of_birth=packet.get("country_of_birth", ""),
        place_of_origin=packet.get("place_of_origin", ""),
        preferred_language=packet.get("preferred_language", ""),
        languages=packet.get("languages", []),
        contact=packet.get("contact", ""),
        vulnerabilities=packet.get("vulnerabilities", []),
        migration_status=packet.get("migration_status", ""),
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
