"""The protection facts that cannot all be true (amparo.protection.checks, run by
amparo.safeguards.casefile.contradictions): a screening naming indicators its set does
not have, and a conclusive identification decision before any decision on reasonable
grounds."""

from datetime import UTC, datetime, timedelta

import pytest

from amparo.safeguards.casefile import Contradiction, contradictions
from amparo.safeguards.facts import Fact

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def screened(
    days: float,
    indicators: list[str],
    indicator_set: str = "adult_labour",
    fact_id: str = "screen",
) -> Fact:
    return Fact(
        fact_id,
        "trafficking_screened",
        at(days),
        "worker",
        {"indicator_set": indicator_set, "indicators": indicators},
    )


def identified(days: float, stage: str, finding: str = "positive", fact_id="") -> Fact:
    return Fact(
        fact_id or stage,
        "trafficking_identified",
        at(days),
        "supervisor",
        {
            "stage": stage,
            "finding": finding,
            "decided_by": "Samir",
            "reasons": "The interview.",
        },
    )


def test_a_screening_naming_an_indicator_not_in_its_set():
    found = contradictions(
        [screened(0, ["deceived_nature_of_job", "made_up", "also_made_up"])]
    )
    assert [(c.fact_id, c.field) for c in found] == [("screen", "data.indicators")]
    assert "adult_labour" in found[0].message
    assert "made_up" in found[0].message
    assert "also_made_up" in found[0].message
    assert "deceived_nature_of_job" not in found[0].message


def test_an_indicator_of_another_set_is_not_in_this_one():
    # "No social protection" is an adult/labour indicator the child set does not have.
    found = contradictions([screened(0, ["no_social_protection"], "child_labour")])
    assert [(c.fact_id, c.field) for c in found] == [("screen", "data.indicators")]
    assert contradictions([screened(0, ["no_social_protection"])]) == []


def test_a_conclusive_decision_before_reasonable_grounds():
    found = contradictions(
        [screened(0, ["deceived_nature_of_job"]), identified(1, "conclusive")]
    )
    assert found == [
        Contradiction(
            "conclusive",
            "a conclusive decision before any decision on reasonable grounds",
            "data.stage",
        )
    ]


def test_a_conclusive_decision_recorded_earlier_than_the_grounds():
    # The order of the story, not of the list, counts.
    found = contradictions(
        [identified(2, "reasonable_grounds"), identified(1, "conclusive")]
    )
    assert [(c.fact_id, c.field) for c in found] == [("conclusive", "data.stage")]


@pytest.mark.parametrize("finding", ["positive", "negative"])
def test_a_consistent_story_has_no_contradiction(finding):
    facts = [
        screened(
            0,
            [
                "deceived_nature_of_job",
                "excessive_working_days_or_hours",
                "debt_bondage_destination",
            ],
        ),
        identified(1, "reasonable_grounds", finding),
        identified(30, "conclusive", finding),
    ]
    assert contradictions(facts) == []


def test_an_empty_screening_is_consistent():
    assert contradictions([screened(0, [])]) == []
