"""A small population for the retention tests: distinctive names (so a raw dump of the
database can be searched for them), every kind of related row, open and closed cases.

On 2026-08-01, with the `periods` below, exactly these are due: the case closed on
2026-01-10 (100 days), the persons only on it (their every case is then anonymised),
and the person on no case last changed on 2026-01-05 (200 days)."""

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

from amparo.accounts.models import User
from amparo.cases.actions import add_case_member, add_note, close_case
from amparo.cases.models import Case
from amparo.cases.tests.factories import ORAL_CONSENT, make_case
from amparo.people.actions import record_consent, withdraw_consent
from amparo.people.models import Person
from amparo.people.tests.factories import make_person

# Only in the records that are due on 2026-08-01: none may survive their anonymisation.
SECRETS = (
    "Zenobia",
    "Quartermain",
    "Ignatia",
    "Featherstonehaugh",
    "Cornelius",
    "Abernathy",
    "Slept in the park",
    "Grandmother in Lyon",
    "unreachable by phone",
)


@dataclass
class Population:
    closed: Case  # Zenobia's, closed on 2026-01-10; Ignatia is a member
    open: Case  # Thaddeus's, opened on 2026-01-05 and never closed
    recent: Case  # Ximena's, closed on 2026-06-01
    zenobia: Person
    ignatia: Person  # a child, on Zenobia's case only
    thaddeus: Person
    ximena: Person
    cornelius: Person  # on no case, registered 2026-01-05
    perpetua: Person  # on no case, registered 2026-06-01


def _person(user: User, given: str, family: str, **fields: object) -> Person:
    return make_person(
        user,
        given,
        family,
        aliases=((given[::-1].title(), family),),
        contact=f"Call {given} on +33 6 12 34 56 78",
        place_of_origin=f"Villa {family}",
        migration_status="irregular",
        preferred_language="spa",
        languages=["spa", "fra"],
        **fields,
    )


@pytest.fixture
def population(caseworker: User) -> Population:
    with time_machine.travel("2026-01-05 10:00Z", tick=False):
        zenobia = _person(
            caseworker,
            "Zenobia",
            "Quartermain",
            sex="F",
            birth_date=date(1990, 7, 14),
            nationalities=("VEN", "COL"),
            country_of_birth="VEN",
            vulnerabilities=["WR"],
        )
        record_consent(
            zenobia,
            acting_user=caseworker,
            purpose="case_management",
            basis="consent",
            obtained_on=date(2026, 1, 5),
            method="oral",
            given_by="person",
            scope="Grandmother in Lyon",
        )
        record_consent(
            zenobia,
            acting_user=caseworker,
            purpose="tracing",
            basis="vital_interest",
            obtained_on=date(2026, 1, 5),
            justification="Zenobia is unreachable by phone",
        )
        ignatia = _person(
            caseworker,
            "Ignatia",
            "Featherstonehaugh",
            sex="F",
            estimated_age=9,
            age_estimated_on=date(2026, 1, 5),
            nationalities=("VEN",),
        )
        closed = make_case(caseworker, zenobia, types=("general", "child"))
        add_note(closed, acting_user=caseworker, body="Slept in the park.")
        add_case_member(
            closed,
            ignatia,
            acting_user=caseworker,
            relationship="child",
            lawful_basis=ORAL_CONSENT,
        )
        thaddeus = _person(
            caseworker,
            "Thaddeus",
            "Wolstenholme",
            sex="M",
            birth_date=date(1985, 3, 2),
            nationalities=("SYR",),
        )
        open_ = make_case(caseworker, thaddeus, types=("detention",), risk="high")
        cornelius = _person(
            caseworker, "Cornelius", "Abernathy", sex="M", nationalities=("SYR",)
        )
    with time_machine.travel("2026-01-10 10:00Z", tick=False):
        close_case(
            closed, acting_user=caseworker, reason="other", note="Slept in the park."
        )
        withdraw_consent(
            zenobia.consents.get(purpose="tracing"),
            acting_user=caseworker,
            reason="Grandmother in Lyon found",
        )
    with time_machine.travel("2026-05-01 10:00Z", tick=False):
        ximena = _person(
            caseworker, "Ximena", "Okonkwo", sex="X", nationalities=("HTI",)
        )
        recent = make_case(caseworker, ximena, types=("labour",), risk="low")
    with time_machine.travel("2026-06-01 10:00Z", tick=False):
        close_case(recent, acting_user=caseworker, reason="goals_met")
        perpetua = _person(
            caseworker, "Perpetua", "Lindqvist", sex="F", nationalities=("HTI",)
        )
    records = (closed, open_, recent, zenobia, ignatia, thaddeus, ximena, cornelius)
    for record in records:
        record.refresh_from_db()
    return Population(
        closed, open_, recent, zenobia, ignatia, thaddeus, ximena, cornelius, perpetua
    )


@pytest.fixture
def periods(settings):
    """Short periods, so that the tests can say exactly what is due when."""
    settings.AMPARO_RETENTION_DAYS = {
        "closed_case": 100,
        "person_without_case": 200,
        "person_after_cases": 0,
    }
    return settings.AMPARO_RETENTION_DAYS
