"""Registration: what is stored, what is audited, and what bad input is refused."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amparo.audit.models import AuditEvent
from amparo.core.text import has_control_characters
from amparo.people.actions import register_person, update_person
from amparo.people.models import NameKey, Person
from amparo.people.records import NameRecord, NationalityRecord, PersonRecord
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_registration_stores_names_as_typed_and_writes_an_audit_event(caseworker):
    record = PersonRecord(
        names=[
            NameRecord(given_names="Mohamed", family_names="Al Hassan"),
            NameRecord(
                given_names="محمد",
                family_names="الحسن",
                kind="transliteration",
                language="ara",
            ),
        ],
        nationalities=[NationalityRecord(country="syr", status="confirmed")],
        preferred_language="ara",
        languages=["ar", "eng"],
    )
    person = register_person(record, acting_user=caseworker)

    names = {n.full_name: n for n in person.names.all()}
    assert names["محمد الحسن"].script == "Arab"
    assert names["محمد الحسن"].language == "ar"
    assert names["Mohamed Al Hassan"].kind == "primary"
    assert person.display_name == "Mohamed Al Hassan"
    assert person.agency == caseworker.agency
    assert [(n.country, n.status) for n in person.nationalities.all()] == [
        ("SYR", "confirmed")
    ]
    assert (person.preferred_language, person.languages) == ("ar", ["ar", "en"])
    assert NameKey.objects.filter(person=person, key="s:mhmd").exists()
    event = AuditEvent.objects.get(action="people.person.registered")
    assert (event.actor, event.subject_id, event.agency) == (
        caseworker,
        str(person.pk),
        caseworker.agency,
    )


def test_migration_status_is_never_required(caseworker):
    person = make_person(caseworker)
    assert person.migration_status == ""


@time_machine.travel("2026-06-15 12:00Z", tick=False)
def test_year_precision_keeps_only_the_year_and_estimates_are_dated_today(caseworker):
    person = make_person(
        caseworker, birth_date=date(1990, 7, 9), birth_date_precision="year"
    )
    assert person.birth_date == date(1990, 1, 1)
    child = make_person(caseworker, "Saba", "Tekle", estimated_age=15)
    assert child.age_estimated_on == date(2026, 6, 15)
    assert child.age_on(date(2028, 6, 16)) == 17


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"names": [NameRecord()]}, "names"),
        ({"birth_date": date(2999, 1, 1)}, "birth_date"),
        ({"estimated_age": -1}, "estimated_age"),
        ({"estimated_age": 121}, "estimated_age"),
        ({"country_of_birth": "XYZ"}, "country_of_birth"),
        (
            {"nationalities": [NationalityRecord(country="ZZZ")]},
            "nationalities.0.country",
        ),
        ({"preferred_language": "klingon"}, "preferred_language"),
        ({"languages": ["xx"]}, "languages"),
        ({"names": [NameRecord(given_names="A", language="qqq1")]}, "names.0.language"),
        ({"sex": "Q"}, "sex"),
        ({"vulnerabilities": ["NOPE"]}, "vulnerabilities"),
    ],
)
@time_machine.travel("2026-06-15 12:00Z", tick=False)
def test_bad_input_names_the_field_and_saves_nothing(caseworker, changes, field):
    record = PersonRecord(names=[NameRecord(given_names="Amina")])
    for key, value in changes.items():
        setattr(record, key, value)
    with pytest.raises(ValidationError) as raised:
        register_person(record, acting_user=caseworker)
    assert field in raised.value.message_dict
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_stateless_is_recorded_with_the_icao_code(caseworker):
    person = make_person(caseworker, nationalities=("XXA",))
    assert person.nationalities.get().country == "XXA"


def test_a_statistician_cannot_register_anyone(statistician):
    with pytest.raises(PermissionError):
        make_person(statistician)
    assert not Person.objects.exists()


def test_update_audits_which_fields_changed_not_their_values(caseworker):
    person = make_person(caseworker, "Olena", "Kovalenko")
    record = PersonRecord(
        names=[
            NameRecord(given_names="Olena", family_names="Kovalenko"),
            NameRecord(
                given_names="Олена", family_names="Коваленко", kind="transliteration"
            ),
        ],
        place_of_origin="Kharkiv",
    )
    update_person(person, record, acting_user=caseworker)
    event = AuditEvent.objects.get(action="people.person.updated")
    assert event.data == {"changed": ["names", "place_of_origin"]}
    assert "Kharkiv" not in str(event.data)
    assert NameKey.objects.filter(person=person, key="t:olena").exists()


def test_any_unicode_is_stored_exactly(caseworker, shared_data):
    lines = (shared_data / "fuzz" / "blns.txt").read_text(encoding="utf-8").splitlines()
    samples = [line for line in lines if line and not line.startswith("#")][:300:7]
    for text in samples:
        given = text.strip()[:200] or "x"
        if has_control_characters(given):
            with pytest.raises(ValidationError, match="control characters"):
                make_person(caseworker, given, "Test")
            continue
        person = make_person(caseworker, given, "Test")
        stored = person.names.get(kind="primary")
        assert stored.given_names == given


def test_the_longest_allowed_names_fit_every_column(caseworker):
    """200 characters in any script, including scripts that transliterate long."""
    for given in ("A" * 200, "東" * 200, "ገብረሚካኤል" * 25):
        person = make_person(caseworker, given[:200], "Z" * 200)
        assert person.names.get().given_names == given[:200]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date_precision": "garbage"}, "birth_date_precision"),
        (
            {"estimated_age": 5, "age_estimated_on": date(1800, 1, 1)},
            "age_estimated_on",
        ),
        ({"contact": "call\x00me"}, "contact"),
        ({"place_of_origin": "x" * 201}, "place_of_origin"),
        (
            {
                "names": [
                    NameRecord(given_names=f"N{i}", kind="alias") for i in range(21)
                ]
            },
            "names",
        ),
        ({"languages": ["ar"] * 21}, "languages"),
    ],
)
def test_more_bad_input_is_refused_without_a_date_of_birth_too(
    caseworker, changes, field
):
    record = PersonRecord(names=[NameRecord(given_names="Amina")])
    for key, value in changes.items():
        setattr(record, key, value)
    with pytest.raises(ValidationError) as raised:
        register_person(record, acting_user=caseworker)
    assert field in raised.value.message_dict
    assert not Person.objects.exists()


@time_machine.travel("2026-06-15 12:00Z", tick=False)
def test_age_counts_the_birthday_by_the_precision_of_the_date(caseworker):
    month = make_person(
        caseworker, birth_date=date(2000, 7, 20), birth_date_precision="month"
    )
    day = make_person(caseworker, "B", birth_date=date(2000, 7, 20))
    assert month.age_on(date(2026, 6, 30)) == 25
    assert month.age_on(date(2026, 7, 1)) == 26
    assert day.age_on(date(2026, 7, 19)) == 25
    assert day.age_on(date(2026, 7, 20)) == 26
