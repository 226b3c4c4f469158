"""A synthetic population of households, cases and notes. Pure Python and seeded, so
the same call gives the same people: the demo, the tests and `bench/` share it."""

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from amparo.demo.names_by_region import REGIONS, Region

CASE_TYPES = ("general", "child", "detention", "victim", "labour", "other")
STATUSES = ("open", "assessed", "plan", "in_progress", "closed")
RISKS = ("low", "medium", "high", "critical")
CLOSURE_REASONS = ("goals_met", "referred", "lost_contact", "declined")
NEEDS = ("CR", "DS", "SM", "SP", "WR", "ER", "LP", "TR", "SV", "PG")
NOTES = (
    "Met at the reception centre; needs legal counselling.",
    "Referred to the clinic for a medical check.",
    "Called the family; they will come on Thursday.",
    "Explained the asylum procedure with an interpreter.",
    "Follow-up visit done; the situation is stable.",
)


@dataclass
class DemoName:
    given_names: str
    family_names: str
    kind: str
    script: str
    language: str


@dataclass
class DemoPerson:
    id: uuid.UUID
    names: list[DemoName]
    sex: str
    birth_date: date | None
    birth_date_precision: str
    estimated_age: int | None
    age_estimated_on: date | None
    nationalities: list[tuple[str, str]]
    country_of_birth: str
    preferred_language: str
    languages: list[str]
    vulnerabilities: list[str]


@dataclass
class DemoCase:
    id: uuid.UUID
    person: DemoPerson
    members: list[tuple[DemoPerson, str]]
    types: list[str]
    status: str
    risk: str
    opened_at: datetime
    closed_at: datetime | None
    closure_reason: str
    notes: list[tuple[datetime, str]] = field(default_factory=list)


@dataclass
class Household:
    persons: list[DemoPerson]
    case: DemoCase


class PopulationGenerator:
    def __init__(self, *, seed: int, today: date, now: datetime) -> None:
        self.random = random.Random(seed)
        self.today = today
        self.now = now

    def households(self, persons: int) -> Iterator[Household]:
        """Households until `persons` people are made; each has one case."""
        made = 0
        while made < persons:
            size = min(persons - made, self.random.choice((1, 1, 1, 2, 3, 4, 5)))
            household = self._household(size)
            made += len(household.persons)
            yield household

    def separated_children(self, count: int) -> Iterator[Household]:
        """`count` children of 12 to 17 on the move alone, each with an open child
        protection case of their own (the children's safeguards need a child as the
        case's person)."""
        for _ in range(count):
            region = self.random.choice(REGIONS)
            family = self.random.choice(region.family)
            country = self.random.choice(region.countries)
            child = self._person(region, family, country, adult=False)
            age = self.random.randint(12, 17)
            child.birth_date = self.today - timedelta(
                days=age * 365 + self.random.randint(0, 364)
            )
            child.birth_date_precision = "day"
            child.estimated_age = child.age_estimated_on = None
            case = self._case(child, [])
            case.types, case.status = ["child"], "open"
            case.closed_at, case.closure_reason = None, ""
            yield Household([child], case)

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def _household(self, size: int) -> Household:
        region = self.random.choice(REGIONS)
        family = self.random.choice(region.family)
        country = self.random.choice(region.countries)
        head = self._person(region, family, country, adult=True)
        others = [
            (self._person(region, family, country, adult=False), "child")
            for _ in range(size - 1)
        ]
        return Household([head, *(p for p, _ in others)], self._case(head, others))

    def _person(
        self,
        region: Region,
        family: tuple[str, tuple[str, ...]],
        country: str,
        *,
        adult: bool,
    ) -> DemoPerson:
        native_given, latin_given, sex = self.random.choice(region.given)
        native_family, latin_family = family
        names = [
            DemoName(
                self.random.choice(latin_given),
                self.random.choice(latin_family),
                "primary",
                "Latn",
                "",
            )
        ]
        if region.script != "Latn":
            names.append(
                DemoName(
                    native_given,
                    native_family,
                    "transliteration",
                    region.script,
                    region.language,
                )
            )
        if self.random.random() < 0.3:
            names.append(
                DemoName(
                    self.random.choice(latin_given),
                    self.random.choice(latin_family),
                    "alias",
                    "Latn",
                    "",
                )
            )
        age = self.random.randint(18, 70) if adult else self.random.randint(0, 17)
        person = DemoPerson(
            id=self._uuid(),
            names=names,
            sex=sex if self.random.random() > 0.01 else "U",
            birth_date=None,
            birth_date_precision="day",
            estimated_age=None,
            age_estimated_on=None,
            nationalities=[
                (
                    country,
                    self.random.choice(("confirmed", "claimed", "claimed", "unknown")),
                )
            ],
            country_of_birth=country if self.random.random() < 0.9 else "",
            preferred_language=region.languages[0],
            languages=list(region.languages),
            vulnerabilities=self.random.sample(NEEDS, self.random.choice((0, 0, 1, 2))),
        )
        self._birth(person, age)
        return person

    def _birth(self, person: DemoPerson, age: int) -> None:
        roll = self.random.random()
        if roll < 0.15:
            person.estimated_age = age
            person.age_estimated_on = self.today - timedelta(
                days=self.random.randint(0, 700)
            )
            return
        born = self.today - timedelta(days=age * 365 + self.random.randint(0, 364))
        if roll < 0.7:
            person.birth_date, person.birth_date_precision = born, "day"
        elif roll < 0.85:
            person.birth_date, person.birth_date_precision = (
                born.replace(day=1),
                "month",
            )
        else:
            person.birth_date, person.birth_date_precision = (
                born.replace(month=1, day=1),
                "year",
            )

    def _case(self, head: DemoPerson, others: list[tuple[DemoPerson, str]]) -> DemoCase:
        opened = self.now - timedelta(
            days=self.random.randint(0, 730), minutes=self.random.randint(0, 1440)
        )
        status = self.random.choice(STATUSES)
        types = sorted(
            set(self.random.sample(CASE_TYPES, self.random.choice((1, 1, 2))))
        )
        case = DemoCase(
            id=self._uuid(),
            person=head,
            members=others,
            types=types,
            status=status,
            risk=self.random.choice(RISKS),
            opened_at=opened,
            closed_at=opened + timedelta(days=self.random.randint(1, 200))
            if status == "closed"
            else None,
            closure_reason=self.random.choice(CLOSURE_REASONS)
            if status == "closed"
            else "",
        )
        if case.closed_at and case.closed_at > self.now:
            case.closed_at = self.now
        for _ in range(self.random.choice((0, 1, 1, 2, 3))):
            at = opened + timedelta(hours=self.random.randint(1, 2000))
            case.notes.append((min(at, self.now), self.random.choice(NOTES)))
        return case
