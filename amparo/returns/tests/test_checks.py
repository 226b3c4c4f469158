"""The return facts that cannot all be true (amparo.returns.checks, through
casefile.contradictions): a fact about a return that was not planned before it, and a
return planned twice under one id."""

from datetime import UTC, datetime, timedelta

import pytest

from amparo.safeguards.casefile import Contradiction, contradictions
from amparo.safeguards.facts import Fact

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

FOLLOWING = [
    "return_screened",
    "return_screening_approved",
    "return_ready",
    "return_cancelled",
    "return_completed",
    "return_followed_up",
]


def fact(fact_id: str, kind: str, days: float, ret: str = "R1") -> Fact:
    return Fact(fact_id, kind, T0 + timedelta(days=days), "worker", {"return": ret})


def planned(days: float, fact_id: str = "p", ret: str = "R1") -> Fact:
    return fact(fact_id, "return_planned", days, ret)


def about_returns(facts: list[Fact]) -> list[Contradiction]:
    return [c for c in contradictions(facts) if c.field == "data.return"]


@pytest.mark.parametrize("kind", FOLLOWING)
def test_a_fact_of_a_return_never_planned(kind):
    found = contradictions([fact("x", kind, 1)])
    assert [(c.fact_id, c.field) for c in found] == [("x", "data.return")]
    assert "R1" in found[0].message


@pytest.mark.parametrize("kind", FOLLOWING)
def test_a_fact_of_a_return_planned_only_after_it(kind):
    found = contradictions([fact("x", kind, 1), planned(2)])
    assert [(c.fact_id, c.field) for c in found] == [("x", "data.return")]


@pytest.mark.parametrize("kind", FOLLOWING)
def test_a_fact_of_another_return_than_the_planned_one(kind):
    found = contradictions([planned(0), fact("x", kind, 1, ret="R2")])
    assert [(c.fact_id, c.field) for c in found] == [("x", "data.return")]
    assert "R2" in found[0].message


def test_a_return_planned_twice_under_one_id():
    found = contradictions([planned(0, "p1"), planned(3, "p2")])
    assert [(c.fact_id, c.field) for c in found] == [("p2", "data.return")]
    assert "R1" in found[0].message


def test_two_returns_under_two_ids_are_consistent():
    assert contradictions([planned(0, "p1"), planned(3, "p2", ret="R2")]) == []


def test_a_consistent_story_has_no_contradiction():
    story = [
        planned(0),
        fact("s1", "return_screened", 1),
        fact("a1", "return_screening_approved", 2),
        fact("s2", "return_screened", 3),
        fact("a2", "return_screening_approved", 4),
        fact("r", "return_ready", 5),
        fact("c", "return_completed", 6),
        fact("f", "return_followed_up", 20),
        planned(7, "p2", ret="R2"),
        fact("x", "return_cancelled", 8, ret="R2"),
    ]
    assert contradictions(story) == []
    # The facts are read in time order, whatever the order given.
    assert contradictions(list(reversed(story))) == []


def test_each_bad_fact_is_named_once():
    facts = [
        fact("early", "return_screened", 0),
        planned(1),
        fact("ok", "return_screened", 2),
        planned(3, "again"),
        fact("stray", "return_ready", 4, ret="R9"),
    ]
    assert sorted(c.fact_id for c in about_returns(facts)) == [
        "again",
        "early",
        "stray",
    ]
