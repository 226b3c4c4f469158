"""Who is a child by the facts: date of birth (its precision), an age assessment's
lower bound, and an open age dispute (the benefit of the doubt)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amparo.children.age import childhood, is_child
from amparo.safeguards.facts import CaseFile, Fact

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")


def case(*facts: Fact) -> CaseFile:
    return CaseFile("c", "p", "international", facts)


def fact(fact_id: str, kind: str, days_before: float, **data: object) -> Fact:
    return Fact(fact_id, kind, NOW - timedelta(days=days_before), data=data)


def born(date: str, precision: str = "day", days_before: float = 100) -> Fact:
    return fact("b", "birth", days_before, date=date, precision=precision)


CHILD_OR_NOT = [
    pytest.param([born("2010-05-01")], True, id="15 by date of birth"),
    pytest.param([born("1990-05-01")], False, id="an adult by date of birth"),
    pytest.param([], False, id="nothing known: not presumed a child"),
    # Only the year: born at the latest on 31 December 2008, so 17 on 2 March 2026.
    pytest.param([born("2008", "year")], True, id="year only, youngest possible"),
    pytest.param([born("2008-01-01")], False, id="the same date known to the day"),
    pytest.param([born("2008-03", "month")], True, id="month only"),
    pytest.param(
        [fact("a", "age_assessed", 10, minimum_age=16)], True, id="assessed 16 or more"
    ),
    pytest.param(
        [fact("a", "age_assessed", 10, minimum_age=19)], False, id="assessed an adult"
    ),
    pytest.param(
        [born("1990-01-01"), fact("d", "age_dispute", 5, open=True)],
        True,
        id="an open dispute: benefit of the doubt",
    ),
    pytest.param(
        [
            born("1990-01-01"),
            fact("d", "age_dispute", 5, open=True),
            fact("e", "age_dispute", 1, open=False),
        ],
        False,
        id="the dispute closed",
    ),
    pytest.param(
        [born("1990-01-01", days_before=50), born("2011-06-01", days_before=10)],
        True,
        id="the latest record of birth replaces the earlier",
    ),
    pytest.param(
        [fact("a", "age_assessed", 10, minimum_age=200)],
        False,
        id="an impossible age is not evidence",
    ),
]


@pytest.mark.parametrize(("facts", "expected"), CHILD_OR_NOT)
def test_is_child(facts, expected):
    assert is_child(case(*facts), NOW, UTC_ZONE) is expected


def test_a_fact_recorded_later_is_not_known_yet():
    later = Fact("d", "age_dispute", NOW + timedelta(days=1), data={"open": True})
    assert not is_child(case(later), NOW, UTC_ZONE)


def test_the_18th_birthday_is_at_midnight_in_the_place():
    facts = case(born("2008-03-03"))
    mexico = ZoneInfo("America/Mexico_City")
    midnight = datetime(2026, 3, 3, tzinfo=mexico)
    assert is_child(facts, midnight - timedelta(seconds=1), mexico)
    assert not is_child(facts, midnight, mexico)
    found = childhood(facts, NOW, (NOW, NOW), mexico)
    assert found is not None and found.adult_at == midnight
    assert found.basis == ("birth",)
