"""The children's consistency checks (amparo.children.checks), as
`casefile.contradictions` reports them: the fact that breaks the story, why, and the
field to correct. A consistent story gives none."""

from datetime import UTC, datetime, timedelta

import pytest

from amparo.safeguards.casefile import Contradiction, contradictions
from amparo.safeguards.facts import Fact

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fact(fact_id: str, kind: str, hours: float, by: str = "worker", **data) -> Fact:
    return Fact(fact_id, kind, T0 + timedelta(hours=hours), by, data)


def identified(hours: float = 0, status: str = "unaccompanied") -> Fact:
    return fact("status", "child_status", hours, status=status)


def appointed(hours: float, guardian: str = "G1") -> Fact:
    return fact(
        f"appoint-{guardian}",
        "guardian_appointed",
        hours,
        guardian=guardian,
        guardian_type="relative",
    )


def checked(hours: float, guardian: str = "G1") -> Fact:
    return fact(
        "check", "guardian_suitability_checked", hours, guardian=guardian, suitable=True
    )


def report(hours: float, bid: str = "B1", author: str = "author") -> Fact:
    return fact(
        f"report-{bid}",
        "bid_report_submitted",
        hours,
        author,
        bid=bid,
        bid_purpose="durable_solution",
    )


def signed(hours: float, member: str, bid: str = "B1") -> Fact:
    return fact(f"signed-{member}", "bid_undertaking_signed", hours, member, bid=bid)


def decided(hours: float, panel: list[str], bid: str = "B1") -> Fact:
    return fact(
        "decided",
        "bid_decided",
        hours,
        "supervisor",
        bid=bid,
        bid_decision="local integration",
        panel=panel,
    )


def reopened(hours: float, bid: str = "B1") -> Fact:
    return fact("reopened", "bid_reopened", hours, bid=bid, review_reason="new facts")


PANEL = ["m1", "m2", "m3"]


def consistent_bid(hours: float = 10) -> list[Fact]:
    return [
        report(hours),
        *(signed(hours + 1, m) for m in PANEL),
        decided(hours + 2, PANEL),
    ]


def fields(facts: list[Fact]) -> list[tuple[str, str]]:
    return [(c.fact_id, c.field) for c in contradictions(facts)]


# --- A consistent story ---------------------------------------------------------------


def test_a_consistent_story_has_no_contradictions():
    facts = [
        fact("birth", "birth", -100, date="2010-05-01"),
        fact("age", "age_assessed", -50, minimum_age=15, maximum_age=17),
        identified(0),
        appointed(5),
        checked(20),
        fact("end", "guardian_ended", 30, guardian="G1", end_reason="replaced"),
        appointed(31, "G2"),
        *consistent_bid(40),
        reopened(50),
        decided(60, PANEL),
    ]
    assert contradictions(facts) == []


def test_facts_are_read_in_time_order_whatever_the_order_given():
    facts = [*consistent_bid(10), appointed(5), identified(0)]
    assert contradictions(list(reversed(facts))) == []


# --- Age ------------------------------------------------------------------------------


def test_age_range_maximum_below_minimum():
    facts = [fact("age", "age_assessed", 0, minimum_age=17, maximum_age=15)]
    [found] = contradictions(facts)
    assert found == Contradiction("age", found.message, "data.maximum_age")
    assert "15" in found.message and "17" in found.message


@pytest.mark.parametrize("maximum", [17, 18, None])
def test_age_range_that_holds(maximum):
    data = {"minimum_age": 17} | ({} if maximum is None else {"maximum_age": maximum})
    assert contradictions([fact("age", "age_assessed", 0, **data)]) == []


# --- Guardians ------------------------------------------------------------------------


def test_guardian_appointed_before_the_child_was_identified():
    assert fields([appointed(0), identified(5)]) == [("appoint-G1", "at")]


def test_guardian_appointed_for_an_accompanied_child():
    facts = [identified(0, "accompanied"), appointed(5)]
    assert fields(facts) == [("appoint-G1", "at")]


@pytest.mark.parametrize("status", ["unaccompanied", "separated"])
def test_guardian_appointed_after_identification(status):
    assert contradictions([identified(0, status), appointed(5)]) == []


def test_suitability_check_of_an_unknown_guardian():
    facts = [identified(0), appointed(5, "G1"), checked(10, "G2")]
    [found] = contradictions(facts)
    assert (found.fact_id, found.field) == ("check", "data.guardian")
    assert "G2" in found.message


def test_suitability_check_before_the_guardian_was_appointed():
    facts = [identified(0), checked(5, "G1"), appointed(10, "G1")]
    assert fields(facts) == [("check", "data.guardian")]


def test_guardian_ended_that_was_never_appointed():
    end = fact("end", "guardian_ended", 10, guardian="G9", end_reason="replaced")
    assert fields([identified(0), appointed(5), end]) == [("end", "data.guardian")]


# --- Best interests determinations ----------------------------------------------------


def test_undertaking_for_a_bid_with_no_report():
    [found] = contradictions([signed(5, "m1")])
    assert (found.fact_id, found.field) == ("signed-m1", "data.bid")
    assert "B1" in found.message


def test_undertaking_before_its_report():
    facts = [signed(5, "m1"), report(10)]
    assert fields(facts) == [("signed-m1", "data.bid")]


def test_bid_decided_with_no_report():
    assert fields([decided(5, PANEL)]) == [("decided", "data.bid")]


def test_bid_decided_by_its_author_alone():
    facts = [report(0), signed(1, "author"), decided(2, ["author"])]
    [found] = contradictions(facts)
    assert (found.fact_id, found.field) == ("decided", "data.panel")
    assert "author" in found.message


def test_bid_decided_by_the_author_among_others_is_consistent():
    members = ["author", "m1", "m2"]
    facts = [report(0), *(signed(1, m) for m in members), decided(2, members)]
    assert contradictions(facts) == []


def test_bid_panel_member_who_signed_nothing():
    facts = [report(0), signed(1, "m1"), signed(1, "m2"), decided(2, PANEL)]
    [found] = contradictions(facts)
    assert (found.fact_id, found.field) == ("decided", "data.panel")
    assert "m3" in found.message
    assert "m1" not in found.message


def test_bid_undertaking_signed_after_the_decision_does_not_count():
    facts = [report(0), signed(1, "m1"), signed(1, "m2"), decided(2, PANEL)]
    late = [*facts, signed(3, "m3")]
    assert fields(late) == [("decided", "data.panel")]


def test_bid_undertaking_for_another_bid_does_not_count():
    facts = [
        report(0, "B1"),
        report(0, "B2"),
        signed(1, "m1"),
        signed(1, "m2"),
        fact("signed-other", "bid_undertaking_signed", 1, "m3", bid="B2"),
        decided(2, PANEL),
    ]
    assert fields(facts) == [("decided", "data.panel")]


def test_bid_reopened_before_any_decision():
    [found] = contradictions([report(0), reopened(5)])
    assert (found.fact_id, found.field) == ("reopened", "data.bid")
    assert "not decided" in found.message


def test_bid_reopened_twice_without_a_decision_between():
    second = fact("again", "bid_reopened", 20, bid="B1", review_reason="more")
    facts = [*consistent_bid(0), reopened(10), second]
    assert fields(facts) == [("again", "data.bid")]


def test_bid_reopened_with_no_report():
    assert fields([reopened(5)]) == [("reopened", "data.bid")]
