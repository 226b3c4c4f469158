"""The children's rules (resolution 68/179 para 5(g)): a guardian, the guardian's
suitability, the best interests assessment (BIA) and determination (BID), and the
follow-up after a reunification. Each rule in its scenarios: met on time, met late,
missing (open, then overdue as time passes), not applicable, and its special cases
(an age dispute, a child turning 18, a guardian replaced or found unsuitable, a BID
panel too small or reopened). Also consular.guardianship, which waits for a BIA.

Times are hours after T0 (a Monday, 09:00 UTC; the international profile counts in
UTC); the engine takes `now` explicitly."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from amparo.safeguards import engine, profiles
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = 24
INTL = profiles.load("international")
# The same baseline with a BID panel of one, to tell the author-alone clause apart
# from the panel's size.
PANEL_OF_ONE = replace(INTL, settings={**INTL.settings, "bid_panel_minimum": 1})

OPEN, MET, OVERDUE = Status.OPEN, Status.MET, Status.OVERDUE
NA, ESCALATED = Status.NOT_APPLICABLE, Status.ESCALATED
INFO, WARNING, CRITICAL = Severity.INFO, Severity.WARNING, Severity.CRITICAL

GUARDIAN = "children.guardian"
SUITABILITY = "children.guardian_suitability"
BIA = "children.best_interests_assessment"
BID = "children.best_interests_determination"
REUNIFICATION = "children.reunification_follow_up"


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# --- Facts, briefly ------------------------------------------------------------------


def fact(fact_id: str, kind: str, hours: float, by: str = "worker", **data) -> Fact:
    return Fact(fact_id, kind, at(hours), by, data)


def status(hours: float = 0, value: str = "unaccompanied", fact_id: str = "s1", **data):
    return fact(fact_id, "child_status", hours, status=value, **data)


def appointed(hours: float, guardian: str = "G1", kind: str = "professional"):
    return fact(
        f"appoint-{guardian}",
        "guardian_appointed",
        hours,
        guardian=guardian,
        guardian_type=kind,
    )


def checked(hours: float, guardian: str = "G1", suitable: bool = True):
    return fact(
        f"check-{guardian}",
        "guardian_suitability_checked",
        hours,
        guardian=guardian,
        suitable=suitable,
    )


def ended(hours: float, guardian: str = "G1", reason: str = "replaced"):
    return fact(
        f"end-{guardian}", "guardian_ended", hours, guardian=guardian, end_reason=reason
    )


def born(day: str, precision: str = "day") -> Fact:
    return fact("birth", "birth", -1000, date=day, precision=precision)


def dispute(hours: float = -1, is_open: bool = True) -> Fact:
    return fact(f"dispute-{hours}", "age_dispute", hours, open=is_open)


def assessed(hours: float, fact_id: str = "bia") -> Fact:
    return fact(
        fact_id, "bia_completed", hours, bia_form="short", child_views_recorded=True
    )


def proposed(hours: float, decision: str = "return", fact_id: str = "proposal") -> Fact:
    return fact(fact_id, "decision_proposed", hours, decision_type=decision)


def taken(hours: float, decision: str = "return", fact_id: str = "taken") -> Fact:
    return fact(fact_id, "decision_taken", hours, decision_type=decision)


def bid(
    hours: float,
    panel: tuple[str, ...] = ("m1", "m2", "m3"),
    signers: tuple[str, ...] | None = None,
    purpose: str = "durable_solution",
    author: str = "author",
    bid_id: str = "B1",
) -> list[Fact]:
    """A BID report by `author`, the undertakings of `signers` (the panel unless
    told), and the panel's decision: one hour apart from `hours`."""
    signed = panel if signers is None else signers
    return [
        fact(
            f"{bid_id}-report",
            "bid_report_submitted",
            hours,
            author,
            bid=bid_id,
            bid_purpose=purpose,
        ),
        *(
            fact(
                f"{bid_id}-signed-{m}",
                "bid_undertaking_signed",
                hours + 1,
                m,
                bid=bid_id,
            )
            for m in signed
        ),
        fact(
            f"{bid_id}-decided",
            "bid_decided",
            hours + 2,
            "supervisor",
            bid=bid_id,
            bid_decision="local integration",
            panel=list(panel),
        ),
    ]


def reopened(hours: float, bid_id: str = "B1") -> Fact:
    return fact(
        f"{bid_id}-reopened",
        "bid_reopened",
        hours,
        bid=bid_id,
        review_reason="new facts",
    )


def run(
    rule_id: str, facts: list[Fact], now: float, profile: profiles.Profile = INTL
) -> dict[str, Obligation]:
    case = CaseFile("case-1", "person-1", profile.code, tuple(facts))
    found = engine.evaluate(case, profile, at(now), only=[rule_id])
    assert all(o.rule_id == rule_id for o in found)
    keys = [o.key for o in found]
    assert len(keys) == len(set(keys)), keys
    return {o.key: o for o in found}


def one(
    rule_id: str, facts: list[Fact], now: float, profile: profiles.Profile = INTL
) -> Obligation:
    [obligation] = run(rule_id, facts, now, profile).values()
    return obligation


def outcome(obligation: Obligation) -> tuple[object, ...]:
    return (
        obligation.status,
        obligation.severity,
        obligation.met_by,
        obligation.met_late,
    )


# --- children.guardian: within 24 hours of identification ---------------------------


def test_guardian_appointed_on_time():
    found = one(GUARDIAN, [status(0), appointed(10)], 30)
    assert found.key == "1"
    assert found.due_at == at(24)
    assert outcome(found) == (MET, INFO, ("appoint-G1",), False)
    assert found.met_at == at(10)
    assert found.triggered_by == ("s1",)
    assert found.details["guardian"] == "G1"
    assert found.details["guardian_type"] == "professional"


def test_guardian_appointed_late():
    found = one(GUARDIAN, [status(0), appointed(30)], 40)
    assert outcome(found) == (MET, INFO, ("appoint-G1",), True)
    assert found.met_at > found.due_at


def test_guardian_missing_is_open_then_overdue():
    facts = [status(0)]
    before = one(GUARDIAN, facts, 10)
    assert (before.status, before.severity, before.due_at) == (OPEN, WARNING, at(24))
    after = one(GUARDIAN, facts, 30)
    assert (after.status, after.severity, after.due_at) == (OVERDUE, CRITICAL, at(24))


def test_separated_child_needs_a_guardian_too():
    found = one(GUARDIAN, [status(0, "separated")], 30)
    assert found.status is OVERDUE


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param([], id="nothing recorded"),
        pytest.param([status(0, "accompanied")], id="an accompanied child"),
        pytest.param([status(0, "other_vulnerable")], id="another vulnerable child"),
        pytest.param([status(40)], id="identified after now"),
    ],
)
def test_no_guardian_duty_without_separation(facts):
    assert run(GUARDIAN, facts, 30) == {}


@pytest.mark.parametrize(
    ("until", "missed"), [(12, False), (30, True)], ids=["before the deadline", "after"]
)
def test_guardian_duty_lapses_when_no_longer_separated(until, missed):
    facts = [status(0), status(until, "accompanied", fact_id="s2")]
    found = one(GUARDIAN, facts, 50)
    assert (found.status, found.severity) == (NA, INFO)
    assert found.details["missed"] is missed
    assert found.met_by == ()


def test_guardian_met_before_the_separation_ended_stays_met():
    facts = [status(0), appointed(5), status(12, "accompanied", fact_id="s2")]
    assert outcome(one(GUARDIAN, facts, 50)) == (MET, INFO, ("appoint-G1",), False)


def test_age_dispute_pending_the_duty_runs():
    # No date of birth, an open dispute: the benefit of the doubt, a child.
    facts = [dispute(-1), status(0)]
    found = one(GUARDIAN, facts, 30)
    assert (found.status, found.severity) == (OVERDUE, CRITICAL)
    assert "adult_at" not in found.details


def test_age_dispute_pending_outweighs_an_adult_birth_date():
    facts = [born("1990-01-01"), dispute(-1), status(0)]
    assert one(GUARDIAN, facts, 30).status is OVERDUE
    closed = [*facts, dispute(-0.5, is_open=False)]
    assert one(GUARDIAN, closed, 30).status is NA


def test_adult_at_identification_needs_no_guardian():
    found = one(GUARDIAN, [born("1990-01-01"), status(0)], 30)
    assert (found.status, found.severity, found.due_at) == (NA, INFO, None)
    assert found.key == "1"
    assert found.triggered_by == ("s1",)


def test_adult_by_age_assessment_needs_no_guardian():
    facts = [fact("age", "age_assessed", -5, minimum_age=19), status(0)]
    assert one(GUARDIAN, facts, 30).status is NA


# T0 is 2 March 2026 09:00 UTC: born 5 March 2008, the child turns 18 at 00:00 UTC on
# 5 March 2026, 63 hours after T0, after the 24-hour deadline.
TURNS_18 = born("2008-03-05")
BIRTHDAY = datetime(2026, 3, 5, tzinfo=UTC)


def test_child_turning_18_guardian_duty_runs_until_the_birthday():
    facts = [TURNS_18, status(0)]
    before = one(GUARDIAN, facts, 10)
    assert before.status is OPEN
    assert datetime.fromisoformat(before.details["adult_at"]) == BIRTHDAY
    overdue = one(GUARDIAN, facts, 30)
    assert (overdue.status, overdue.severity) == (OVERDUE, CRITICAL)
    assert datetime.fromisoformat(overdue.details["adult_at"]) == BIRTHDAY
    after = one(GUARDIAN, facts, 70)
    assert (after.status, after.severity) == (NA, INFO)
    assert after.details["missed"] is True
    assert "adult_at" not in after.details


def test_child_turning_18_before_the_deadline_missed_nothing():
    # Born 3 March 2008: 18 at 00:00 UTC on 3 March 2026, 15 hours after T0.
    found = one(GUARDIAN, [born("2008-03-03"), status(0)], 30)
    assert found.status is NA
    assert found.details["missed"] is False


def test_child_turning_18_met_in_time_stays_met():
    facts = [TURNS_18, status(0), appointed(10)]
    assert one(GUARDIAN, facts, 70).status is MET


def test_guardian_replaced_a_second_is_due_from_the_end():
    facts = [status(0), appointed(10), ended(100, "G1", "replaced")]
    found = run(GUARDIAN, facts, 110)
    assert sorted(found) == ["1", "2"]
    assert found["1"].status is MET
    second = found["2"]
    assert (second.status, second.severity, second.due_at) == (OPEN, WARNING, at(124))
    assert second.triggered_by == ("end-G1",)
    assert run(GUARDIAN, facts, 130)["2"].status is OVERDUE
    covered = run(GUARDIAN, [*facts, appointed(120, "G2")], 130)["2"]
    assert outcome(covered) == (MET, INFO, ("appoint-G2",), False)
    assert covered.details["guardian"] == "G2"


@pytest.mark.parametrize("reason", ["turned_18", "left_jurisdiction"])
def test_guardianship_ended_for_good_needs_no_other(reason):
    facts = [status(0), appointed(10), ended(100, "G1", reason)]
    assert sorted(run(GUARDIAN, facts, 200)) == ["1"]


def test_guardian_found_unsuitable_a_new_guardian_is_due():
    facts = [status(0), appointed(10, "G1", "relative"), checked(50, "G1", False)]
    found = run(GUARDIAN, facts, 80)
    assert sorted(found) == ["1", "2"]
    second = found["2"]
    assert (second.status, second.severity, second.due_at) == (
        OVERDUE,
        CRITICAL,
        at(74),
    )
    assert second.triggered_by == ("check-G1",)
    suitable = [status(0), appointed(10, "G1", "relative"), checked(50, "G1", True)]
    assert sorted(run(GUARDIAN, suitable, 80)) == ["1"]


# --- children.guardian_suitability: within 7 calendar days of the appointment -------

WEEK = 7 * DAY


def test_suitability_checked_on_time():
    facts = [status(0), appointed(10, "G1", "relative"), checked(50)]
    found = one(SUITABILITY, facts, 60)
    assert found.key == "G1"
    assert found.due_at == at(10 + WEEK)
    assert outcome(found) == (MET, INFO, ("check-G1",), False)
    assert found.triggered_by == ("appoint-G1",)
    assert found.details["guardian_type"] == "relative"


def test_suitability_checked_late():
    facts = [status(0), appointed(10, "G1", "non_relative"), checked(10 + WEEK + 1)]
    assert outcome(one(SUITABILITY, facts, 400)) == (MET, INFO, ("check-G1",), True)


def test_suitability_check_missing_is_open_then_overdue():
    facts = [status(0), appointed(10, "G1", "relative")]
    before = one(SUITABILITY, facts, 100)
    assert (before.status, before.severity) == (OPEN, INFO)
    after = one(SUITABILITY, facts, 10 + WEEK + 1)
    assert (after.status, after.severity) == (OVERDUE, WARNING)


def test_suitability_check_finding_unsuitable_meets_it():
    facts = [status(0), appointed(10, "G1", "relative"), checked(50, "G1", False)]
    assert one(SUITABILITY, facts, 400).status is MET


@pytest.mark.parametrize("kind", ["professional", "institutional"])
def test_vetted_guardians_need_no_check(kind):
    assert run(SUITABILITY, [status(0), appointed(10, "G1", kind)], 400) == {}


def test_suitability_check_lapses_when_the_guardianship_ends_first():
    facts = [status(0), appointed(10, "G1", "relative"), ended(50)]
    found = one(SUITABILITY, facts, 400)
    assert (found.status, found.severity) == (NA, INFO)
    assert found.details["missed"] is False
    late_end = [status(0), appointed(10, "G1", "relative"), ended(10 + WEEK + 5)]
    assert one(SUITABILITY, late_end, 400).details["missed"] is True


def test_suitability_check_after_the_guardianship_ended_does_not_meet_it():
    facts = [status(0), appointed(10, "G1", "relative"), ended(50), checked(60)]
    found = one(SUITABILITY, facts, 400)
    assert (found.status, found.met_by) == (NA, ())


# --- children.best_interests_assessment: 72 hours, 24 when urgent -------------------


def test_bia_on_time():
    found = one(BIA, [status(0), assessed(50)], 80)
    assert found.key == "1"
    assert found.due_at == at(72)
    assert outcome(found) == (MET, INFO, ("bia",), False)
    assert found.details["urgent"] is False


def test_bia_late():
    assert outcome(one(BIA, [status(0), assessed(80)], 90)) == (
        MET,
        INFO,
        ("bia",),
        True,
    )


def test_bia_missing_is_open_then_overdue():
    before = one(BIA, [status(0)], 50)
    assert (before.status, before.severity, before.due_at) == (OPEN, WARNING, at(72))
    after = one(BIA, [status(0)], 80)
    assert (after.status, after.severity) == (OVERDUE, CRITICAL)


def test_bia_before_identification_does_not_count():
    assert one(BIA, [assessed(-5), status(0)], 80).status is OVERDUE


def test_urgent_bia_within_24_hours():
    facts = [status(0, risk_level="high")]
    found = one(BIA, facts, 30)
    assert found.due_at == at(24)
    assert found.details["urgent"] is True
    assert (found.status, found.severity) == (OVERDUE, CRITICAL)
    met = one(BIA, [*facts, assessed(20)], 30)
    assert outcome(met) == (MET, INFO, ("bia",), False)
    assert one(BIA, [status(0, risk_level="medium")], 30).due_at == at(72)


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param([status(0, "accompanied")], id="accompanied"),
        pytest.param([born("1990-01-01"), status(0)], id="an adult at identification"),
    ],
)
def test_bia_not_owed(facts):
    assert run(BIA, facts, 100) == {}


def test_bia_lapses_when_no_longer_separated():
    found = one(BIA, [status(0), status(80, "accompanied", fact_id="s2")], 100)
    assert (found.status, found.details["missed"]) == (NA, True)


def test_bia_age_dispute_pending():
    assert one(BIA, [dispute(-1), status(0)], 80).status is OVERDUE


def test_bia_child_turning_18():
    facts = [TURNS_18, status(0)]
    before = one(BIA, facts, 50)
    assert before.status is OPEN
    assert datetime.fromisoformat(before.details["adult_at"]) == BIRTHDAY
    # 18 at hour 63, before the deadline at hour 72: nothing was missed.
    after = one(BIA, facts, 80)
    assert (after.status, after.details["missed"]) == (NA, False)


def test_bia_for_each_period_of_separation():
    facts = [
        status(0),
        assessed(10, "bia1"),
        status(100, "accompanied", fact_id="s2"),
        status(200, "separated", fact_id="s3"),
    ]
    found = run(BIA, facts, 300)
    assert found["1"].status is MET
    assert (found["2"].status, found["2"].due_at) == (OVERDUE, at(272))
    assert found["2"].triggered_by == ("s3",)


# --- children.best_interests_determination: a BID before the decision --------------


def test_bid_proposal_for_a_separated_child_is_open_with_no_deadline():
    found = one(BID, [status(0), proposed(10)], 20)
    assert found.key == "return"
    assert (found.status, found.severity, found.due_at) == (OPEN, WARNING, None)
    assert found.triggered_by == ("proposal",)
    assert found.details["panel_minimum"] == 3


def test_bid_met_by_a_signed_panel_of_three():
    found = one(BID, [status(0), proposed(10), *bid(20)], 30)
    assert outcome(found) == (MET, INFO, ("B1-decided",), False)
    assert found.met_at == at(22)
    assert found.details["bid"] == "B1"


def test_bid_met_by_a_panel_with_the_author_among_others():
    facts = [status(0), proposed(10), *bid(20, panel=("author", "m1", "m2"))]
    assert one(BID, facts, 30).status is MET


def test_bid_then_decision_taken_is_met():
    facts = [status(0), proposed(10), *bid(20), taken(40)]
    assert one(BID, facts, 50).status is MET


@pytest.mark.parametrize(
    ("panel", "signers"),
    [
        pytest.param(("m1", "m2"), None, id="a panel of 2, minimum 3"),
        pytest.param(
            ("m1", "m2", "m3"), ("m1", "m2"), id="a member who signed nothing"
        ),
        pytest.param(("m1", "m2", "m3"), ("author",), id="only the author signed"),
    ],
)
def test_bid_by_an_invalid_panel_does_not_meet_it(panel, signers):
    facts = [status(0), proposed(10), *bid(20, panel=panel, signers=signers)]
    found = one(BID, facts, 30)
    assert (found.status, found.met_by) == (OPEN, ())


def test_bid_by_the_author_alone_does_not_meet_it():
    # With a panel of one allowed, a signed member decides alone; the author never.
    alone = [status(0), proposed(10), *bid(20, panel=("author",))]
    assert one(BID, alone, 30, PANEL_OF_ONE).status is OPEN
    other = [status(0), proposed(10), *bid(20, panel=("m1",))]
    assert one(BID, other, 30, PANEL_OF_ONE).status is MET


def test_bid_for_another_purpose_does_not_meet_it():
    facts = [status(0), proposed(10), *bid(20, purpose="separation_from_parents")]
    assert one(BID, facts, 30).status is OPEN


def test_bid_reopened_no_longer_meets_it():
    facts = [status(0), proposed(10), *bid(20)]
    assert one(BID, facts, 30).status is MET
    assert one(BID, [*facts, reopened(40)], 50).status is OPEN
    # Decided again after the reopening: met again.
    again = fact(
        "B1-again",
        "bid_decided",
        60,
        "supervisor",
        bid="B1",
        bid_decision="local integration",
        panel=["m1", "m2", "m3"],
    )
    found = one(BID, [*facts, reopened(40), again], 70)
    assert (found.status, found.met_by) == (MET, ("B1-again",))


def test_decision_taken_without_bid_is_escalated():
    found = one(BID, [status(0), proposed(10), taken(20)], 30)
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)
    assert found.triggered_by == ("proposal", "taken")
    assert "taken" in found.note


def test_decision_taken_before_the_bid_is_escalated():
    found = one(BID, [status(0), proposed(10), taken(15), *bid(20)], 30)
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)


def test_separation_from_parents_needs_a_bid_for_an_accompanied_child():
    facts = [status(0, "accompanied"), proposed(10, "separation_from_parents")]
    found = one(BID, facts, 20)
    assert found.key == "separation_from_parents"
    assert (found.status, found.severity) == (OPEN, WARNING)
    decided = [*facts, *bid(12, purpose="separation_from_parents")]
    assert one(BID, decided, 20).status is MET
    escalated = [*facts, taken(15, "separation_from_parents")]
    assert one(BID, escalated, 20).status is ESCALATED


@pytest.mark.parametrize(
    "decision", ["return", "local_integration", "resettlement", "complementary_pathway"]
)
def test_durable_solution_for_an_accompanied_child_needs_no_bid(decision):
    found = one(BID, [status(0, "accompanied"), proposed(10, decision)], 20)
    assert (found.key, found.status, found.severity) == (decision, NA, INFO)
    assert found.note


def test_bid_not_needed_for_an_adult():
    found = one(BID, [born("1990-01-01"), status(0), proposed(10)], 20)
    assert found.status is NA


def test_return_planned_for_an_unaccompanied_child_raises_the_bid_duty():
    planned = fact(
        "plan",
        "return_planned",
        10,
        **{
            "return": "R1",
            "return_type": "assisted_voluntary",
            "country": "MEX",
            "destination_kind": "nationality",
        },
    )
    found = one(BID, [status(0), planned], 20)
    assert found.key == "return"
    assert (found.status, found.severity, found.due_at) == (OPEN, WARNING, None)
    assert found.triggered_by == ("plan",)
    assert one(BID, [status(0), planned, *bid(12)], 20).status is MET
    # Not for an accompanied child (nor an adult): no duty at all on their return.
    assert "return" not in run(BID, [status(0, "accompanied"), planned], 20)


def test_no_bid_duty_without_a_proposal():
    assert run(BID, [status(0), *bid(20)], 30) == {}


# --- children.reunification_follow_up: a visit within 30 calendar days --------------

MONTH = 30 * DAY


def reunited(hours: float = 0) -> Fact:
    return fact("reunified", "reunified", hours, country="MEX")


def visited(hours: float) -> Fact:
    return fact("visit", "reunification_visited", hours, visit_outcome="settled")


def test_reunification_visit_on_time():
    found = one(REUNIFICATION, [reunited(), visited(10 * DAY)], 40 * DAY)
    assert found.due_at == at(MONTH)
    assert outcome(found) == (MET, INFO, ("visit",), False)


def test_reunification_visit_late():
    found = one(REUNIFICATION, [reunited(), visited(MONTH + 1)], 40 * DAY)
    assert outcome(found) == (MET, INFO, ("visit",), True)


def test_reunification_visit_missing_is_open_then_overdue():
    before = one(REUNIFICATION, [reunited()], 10 * DAY)
    assert (before.status, before.severity) == (OPEN, INFO)
    after = one(REUNIFICATION, [reunited()], MONTH + 1)
    assert (after.status, after.severity) == (OVERDUE, WARNING)


def test_no_reunification_no_visit_due():
    assert run(REUNIFICATION, [status(0), visited(10)], 40 * DAY) == {}


# --- consular.guardianship waits for the child's best interests assessment ----------


def refugee_child_with_guardian(*more: Fact) -> list[Fact]:
    return [
        fact("nat", "nationality", -10, country="MEX", status="confirmed"),
        fact("asylum", "asylum_status", -10, status="refugee"),
        status(0),
        appointed(10),
        *more,
    ]


def test_consular_guardianship_blocked_until_a_bia_after_the_appointment():
    found = run("consular.guardianship", refugee_child_with_guardian(), 12)["MEX"]
    assert found.status is ESCALATED
    assert found.triggered_by == ("appoint-G1",)
    assert found.details["blocked_by"] == "best_interests_assessment"
    before = refugee_child_with_guardian(assessed(5, "early-bia"))
    still = run("consular.guardianship", before, 12)["MEX"]
    assert still.details["blocked_by"] == "best_interests_assessment"
    after = refugee_child_with_guardian(assessed(11))
    cleared = run("consular.guardianship", after, 12)["MEX"]
    assert "blocked_by" not in cleared.details
    assert cleared.status is ESCALATED  # a legal officer still decides


# --- children.best_interests_determination: judged as things stood ------------------


def test_a_bid_reopened_after_the_decision_was_taken_leaves_it_met():
    # The decision is judged by the BIDs as they stood when it was taken.
    facts = [status(0), proposed(10), *bid(20), taken(40), reopened(50)]
    found = one(BID, facts, 60)
    assert outcome(found) == (MET, INFO, ("B1-decided",), False)
    assert found.met_at == at(22)
    # Reopened before the decision was taken: the decision had no valid BID.
    early = [status(0), proposed(10), *bid(20), reopened(30), taken(40)]
    assert one(BID, early, 60).status is ESCALATED


def test_an_undertaking_signed_after_the_decision_does_not_mend_the_panel():
    short = bid(20, panel=("m1", "m2", "m3"), signers=("m1", "m2"))
    late = fact("B1-signed-m3", "bid_undertaking_signed", 30, "m3", bid="B1")
    found = one(BID, [status(0), proposed(10), *short, late], 40)
    assert (found.status, found.met_by) == (OPEN, ())
    # Signed in time, the same panel meets it.
    in_time = bid(20, panel=("m1", "m2", "m3"))
    assert one(BID, [status(0), proposed(10), *in_time], 40).status is MET
