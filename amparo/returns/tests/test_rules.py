"""The rules on returns (resolution 68/179 paras 5(i) and 4(g)): the screening and its
supervisor's approval before a return, each concern the screening finds (and a pending
asylum claim, by itself) blocking the return until resolved, the follow-up after the
return, and the best interests determination an unaccompanied child's return needs.

Times are days after T0 (a Monday, 09:00 UTC); the engine takes `now` explicitly."""

from datetime import UTC, datetime, timedelta

import pytest

from amparo.returns.rules import AREAS, RESOLUTION
from amparo.safeguards import engine, profiles
from amparo.safeguards.casefile import contradictions
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
INTERNATIONAL = profiles.load("international")

OPEN, MET, OVERDUE = Status.OPEN, Status.MET, Status.OVERDUE
NA, ESCALATED = Status.NOT_APPLICABLE, Status.ESCALATED
INFO, WARNING, CRITICAL = Severity.INFO, Severity.WARNING, Severity.CRITICAL

SCREENING = "returns.screening"
CONCERN = "returns.concern"
FOLLOW_UP = "returns.follow_up"
BID = "children.best_interests_determination"


# --- Facts, briefly ------------------------------------------------------------------


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def fact(fact_id: str, kind: str, days: float, **data: object) -> Fact:
    return Fact(fact_id, kind, at(days), "worker", data)


def planned(
    days: float = 0, *, fact_id: str = "p", ret: str = "R1", planned_for: str = ""
) -> Fact:
    data: dict[str, object] = {
        "return": ret,
        "return_type": "forced",
        "country": "MA",
        "destination_kind": "nationality",
    }
    if planned_for:
        data["planned_for"] = planned_for
    return fact(fact_id, "return_planned", days, **data)


def screened(days: float, *, fact_id: str = "s", ret: str = "R1", **areas: str) -> Fact:
    """A screening: every area clear unless named."""
    found = {area: areas.pop(area, "clear") for area in AREAS}
    assert not areas, f"no such areas: {areas}"
    return fact(fact_id, "return_screened", days, **{"return": ret}, **found)


def approved(days: float, *, fact_id: str = "a", ret: str = "R1") -> Fact:
    return fact(fact_id, "return_screening_approved", days, **{"return": ret})


def ready(days: float, *, fact_id: str = "r", ret: str = "R1") -> Fact:
    return fact(fact_id, "return_ready", days, **{"return": ret})


def cancelled(days: float, *, fact_id: str = "x", ret: str = "R1") -> Fact:
    return fact(fact_id, "return_cancelled", days, **{"return": ret})


def completed(days: float, *, fact_id: str = "c", ret: str = "R1") -> Fact:
    return fact(fact_id, "return_completed", days, **{"return": ret})


def followed_up(days: float, *, fact_id: str = "f", ret: str = "R1") -> Fact:
    return fact(
        fact_id,
        "return_followed_up",
        days,
        **{"return": ret},
        reached=True,
        received=True,
        reintegration_support=True,
    )


def asylum(days: float, status: str = "asylum_seeker", *, fact_id: str = "as") -> Fact:
    return fact(fact_id, "asylum_status", days, status=status)


def child(days: float, status: str = "unaccompanied", *, fact_id: str = "ch") -> Fact:
    return fact(fact_id, "child_status", days, status=status, with_whom="nobody")


# --- Evaluation ----------------------------------------------------------------------


def obligations(
    rule_id: str, facts: list[Fact], now: float | datetime
) -> list[Obligation]:
    case = CaseFile("case", "person", "international", tuple(facts))
    when = now if isinstance(now, datetime) else at(now)
    return engine.evaluate(case, INTERNATIONAL, when, only=[rule_id])


def one(rule_id: str, facts: list[Fact], now: float | datetime, key: str) -> Obligation:
    found = [o for o in obligations(rule_id, facts, now) if o.key == key]
    assert len(found) == 1, f"{rule_id} {key}: {found}"
    return found[0]


def screening(facts: list[Fact], now: float | datetime, key: str = "R1") -> Obligation:
    return one(SCREENING, facts, now, key)


def concern(facts: list[Fact], now: float | datetime, area: str) -> Obligation:
    return one(CONCERN, facts, now, f"R1/{area}")


def concern_keys(facts: list[Fact], now: float) -> list[str]:
    return [o.key for o in obligations(CONCERN, facts, now)]


def follow_up(facts: list[Fact], now: float) -> Obligation:
    return one(FOLLOW_UP, facts, now, "R1")


# --- returns.screening ---------------------------------------------------------------


def test_nothing_planned_nothing_due():
    assert obligations(SCREENING, [asylum(0, "none")], 5) == []


def test_a_planned_return_without_screening_is_open_with_no_deadline():
    found = screening([planned(0)], 400)
    assert (found.status, found.severity) == (OPEN, WARNING)
    assert found.due_at is None
    assert found.triggered_by == ("p",)
    assert found.met_by == ()


def test_the_planned_day_is_the_deadline_from_its_start_in_utc():
    found = screening([planned(0, planned_for="2026-03-10")], 1)
    assert found.due_at == datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    assert (found.status, found.severity) == (OPEN, WARNING)


@pytest.mark.parametrize(
    ("now", "status", "severity"),
    [
        pytest.param(
            datetime(2026, 3, 10, tzinfo=UTC), OPEN, WARNING, id="at midnight"
        ),
        pytest.param(
            datetime(2026, 3, 10, 0, 0, 1, tzinfo=UTC),
            OVERDUE,
            CRITICAL,
            id="just after",
        ),
        pytest.param(
            datetime(2026, 3, 20, tzinfo=UTC), OVERDUE, CRITICAL, id="days after"
        ),
    ],
)
def test_unscreened_on_the_planned_day_is_overdue_and_critical(now, status, severity):
    found = screening([planned(0, planned_for="2026-03-10")], now)
    assert (found.status, found.severity) == (status, severity)


def test_a_screening_alone_is_not_enough_it_needs_approval():
    found = screening([planned(0), screened(1)], 5)
    assert (found.status, found.severity) == (OPEN, WARNING)
    assert found.met_by == ()


def test_screened_then_approved_is_met_by_the_approval():
    found = screening(
        [planned(0, planned_for="2026-03-10"), screened(1), approved(2)], 20
    )
    assert (found.status, found.severity) == (MET, INFO)
    assert found.met_by == ("a",)
    assert found.met_at == at(2)


def test_an_approval_not_known_yet_does_not_count():
    facts = [planned(0), screened(1), approved(2)]
    assert screening(facts, 1.5).status is OPEN


def test_the_approval_of_another_return_does_not_count():
    facts = [
        planned(0),
        planned(0, fact_id="p2", ret="R2"),
        screened(1),
        screened(1, fact_id="s2", ret="R2"),
        approved(2, fact_id="a2", ret="R2"),
    ]
    assert screening(facts, 5).status is OPEN
    assert screening(facts, 5, key="R2").met_by == ("a2",)


def test_a_later_screening_needs_its_own_approval():
    first = [planned(0), screened(1, fact_id="s1"), approved(2, fact_id="a1")]
    again = [*first, screened(3, fact_id="s2", health="concern")]
    found = screening(again, 4)
    assert (found.status, found.severity) == (OPEN, WARNING)
    assert found.met_by == ()  # a1 approved s1, not s2

    found = screening([*again, approved(5, fact_id="a2")], 6)
    assert (found.status, found.met_by) == (MET, ("a2",))


@pytest.mark.parametrize("early", [ready, completed], ids=["ready", "completed"])
def test_ready_or_returned_before_an_approval_is_escalated(early):
    found = screening([planned(0), screened(1), early(2, fact_id="e")], 3)
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)
    assert "e" in found.note


@pytest.mark.parametrize("early", [ready, completed], ids=["ready", "completed"])
def test_an_approval_after_the_fact_does_not_undo_the_escalation(early):
    facts = [planned(0), screened(1), early(2, fact_id="e"), approved(3)]
    found = screening(facts, 4)
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)
    assert "e" in found.note


def test_returned_without_any_screening_is_escalated():
    found = screening([planned(0), completed(1)], 2)
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)


def test_ready_and_returned_after_the_approval_stays_met():
    facts = [planned(0), screened(1), approved(2), ready(3), completed(4)]
    found = screening(facts, 5)
    assert (found.status, found.met_by) == (MET, ("a",))


def test_a_cancelled_return_needs_no_screening():
    facts = [planned(0, planned_for="2026-03-10"), cancelled(3)]
    found = screening(facts, 30)  # long past the planned day: not overdue
    assert (found.status, found.severity) == (NA, INFO)
    assert screening(facts, 2).status is OPEN  # before it was called off


# --- returns.concern: each area of the screening -------------------------------------


def test_a_clear_or_irrelevant_screening_raises_no_concern():
    facts = [planned(0), screened(1, child="not_relevant", pregnancy="not_relevant")]
    assert concern_keys(facts, 2) == []


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_concern_in_each_area_blocks_the_return(area):
    found = concern([planned(0), screened(1, **{area: "concern"})], 2, area)
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)
    assert found.due_at is None
    assert found.triggered_by == ("s",)
    assert found.details["area"] == area
    assert RESOLUTION in found.citations
    assert set(AREAS[area][1]) <= set(found.citations)


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_concern_in_one_area_blocks_only_that_area(area):
    assert concern_keys([planned(0), screened(1, **{area: "concern"})], 2) == [
        f"R1/{area}"
    ]


@pytest.mark.parametrize("area", sorted(AREAS))
def test_an_approval_does_not_resolve_a_concern(area):
    facts = [planned(0), screened(1, **{area: "concern"}), approved(2)]
    assert concern(facts, 3, area).status is ESCALATED


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_later_screening_that_finds_the_area_clear_resolves_it(area):
    facts = [
        planned(0),
        screened(1, fact_id="s1", **{area: "concern"}),
        screened(4, fact_id="s2"),
    ]
    found = concern(facts, 5, area)
    assert (found.status, found.severity) == (MET, INFO)
    assert found.met_by == ("s2",)
    assert found.met_at == at(4)
    assert found.triggered_by == ("s1",)  # the concern stays on the record
    assert concern(facts, 3, area).status is ESCALATED  # before the new screening


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_concern_found_again_blocks_again(area):
    facts = [
        planned(0),
        screened(1, fact_id="s1", **{area: "concern"}),
        screened(2, fact_id="s2"),
        screened(3, fact_id="s3", **{area: "concern"}),
    ]
    assert concern(facts, 4, area).status is ESCALATED


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_concern_lapses_when_the_return_is_called_off(area):
    facts = [planned(0), screened(1, **{area: "concern"}), cancelled(2)]
    found = concern(facts, 3, area)
    assert (found.status, found.severity) == (NA, INFO)


@pytest.mark.parametrize("area", sorted(AREAS))
def test_returned_despite_a_concern_stays_escalated_with_a_note(area):
    facts = [planned(0), screened(1, **{area: "concern"}), completed(2, fact_id="c")]
    found = concern(facts, 3, area)
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)
    assert "c" in found.note and "returned" in found.note


def test_concerns_of_another_return_stay_with_it():
    facts = [
        planned(0),
        planned(0, fact_id="p2", ret="R2"),
        screened(1),
        screened(1, fact_id="s2", ret="R2", trafficking="concern"),
    ]
    assert concern_keys(facts, 2) == ["R2/trafficking"]


# --- returns.concern: a pending asylum claim blocks by itself ------------------------


@pytest.mark.parametrize("when", [-5, 2], ids=["before the plan", "after the plan"])
@pytest.mark.parametrize("status", ["asylum_seeker", "refugee"])
def test_a_pending_claim_or_refugee_status_blocks_though_screened_clear(when, status):
    facts = [planned(0), screened(1, asylum="clear"), asylum(when, status)]
    found = concern(facts, 3, "asylum")
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)
    assert found.triggered_by == ("as",)
    assert "1951 Refugee Convention art. 33(1)" in found.citations


def test_a_pending_claim_blocks_an_unscreened_return():
    found = concern([asylum(-5), planned(0)], 1, "asylum")
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)


def test_no_claim_no_asylum_concern():
    facts = [asylum(-5, "none"), planned(0), screened(1)]
    assert concern_keys(facts, 2) == []


@pytest.mark.parametrize("when", [-5, 2], ids=["claim before the plan", "claim after"])
def test_a_later_status_of_none_resolves_the_claim(when):
    facts = [
        planned(0),
        screened(1, asylum="clear"),
        asylum(when, fact_id="claim"),
        asylum(6, "none", fact_id="closed"),
    ]
    found = concern(facts, 7, "asylum")
    assert (found.status, found.severity) == (MET, INFO)
    assert found.met_by == ("closed",)
    assert found.triggered_by == ("claim",)
    assert concern(facts, 5, "asylum").status is ESCALATED  # before it closed


def test_returned_despite_a_pending_claim_is_escalated():
    facts = [asylum(-5), planned(0), screened(1), approved(2), completed(3)]
    found = concern(facts, 4, "asylum")
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)
    assert "c" in found.note


def test_a_screened_asylum_concern_is_resolved_by_a_change_of_status():
    facts = [
        asylum(-5, fact_id="claim"),
        planned(0),
        screened(1, asylum="concern"),
        asylum(3, "none", fact_id="closed"),
    ]
    found = concern(facts, 4, "asylum")
    assert (found.status, found.met_by) == (MET, ("closed",))


# --- returns.follow_up ---------------------------------------------------------------

DONE = [planned(0), screened(1), approved(2), completed(3)]


def test_no_follow_up_before_the_return():
    assert obligations(FOLLOW_UP, DONE[:3], 10) == []
    assert obligations(FOLLOW_UP, [*DONE[:3], cancelled(3)], 50) == []


def test_follow_up_is_due_30_days_after_the_return():
    found = follow_up(DONE, 10)
    assert found.due_at == at(33)
    assert (found.status, found.severity) == (OPEN, INFO)
    assert found.triggered_by == ("c",)
    assert found.met_by == ()


def test_follow_up_met_by_a_follow_up_of_the_return():
    found = follow_up([*DONE, followed_up(20)], 40)
    assert (found.status, found.severity) == (MET, INFO)
    assert found.met_by == ("f",)
    assert not found.met_late


def test_follow_up_met_late():
    found = follow_up([*DONE, followed_up(40)], 41)
    assert (found.status, found.met_by) == (MET, ("f",))
    assert found.met_late


def test_follow_up_of_another_return_does_not_count():
    facts = [*DONE, planned(4, fact_id="p2", ret="R2"), followed_up(5, ret="R2")]
    assert follow_up(facts, 10).status is OPEN


@pytest.mark.parametrize(
    ("now", "status", "severity"),
    [(33, OPEN, INFO), (33.01, OVERDUE, WARNING), (60, OVERDUE, WARNING)],
    ids=["at the deadline", "just after", "long after"],
)
def test_follow_up_overdue_is_a_warning(now, status, severity):
    found = follow_up(DONE, now)
    assert (found.status, found.severity) == (status, severity)


# --- children.best_interests_determination -------------------------------------------


def test_an_unaccompanied_childs_planned_return_needs_a_bid():
    found = one(BID, [child(-10), planned(0)], 1, "return")
    assert (found.status, found.severity) == (OPEN, WARNING)
    assert found.triggered_by == ("p",)


def test_an_unaccompanied_child_returned_without_a_bid_is_escalated():
    facts = [child(-10), planned(0), screened(1), approved(2), completed(3)]
    found = one(BID, facts, 4, "return")
    assert (found.status, found.severity) == (ESCALATED, CRITICAL)


def test_an_accompanied_childs_or_an_adults_return_raises_no_bid_duty():
    assert obligations(BID, [child(-10, "accompanied"), planned(0)], 1) == []
    assert obligations(BID, [planned(0)], 1) == []


def test_no_planned_return_no_bid_for_a_return():
    assert [o.key for o in obligations(BID, [child(-10)], 1)] == []


# --- returns.concern and returns.screening: what counts, and when -------------------


def test_a_claim_lodged_after_the_return_raises_no_concern_for_it():
    done = [planned(0), screened(1), approved(2), completed(3)]
    assert concern_keys([*done, asylum(5)], 6) == []
    # Lodged before the return was carried out, it blocked it.
    before = concern([*done, asylum(2.5)], 6, "asylum")
    assert (before.status, before.severity) == (ESCALATED, CRITICAL)


def test_a_claim_closed_before_the_return_was_planned_raises_no_concern():
    facts = [
        asylum(-10, fact_id="claim"),
        asylum(-5, "none", fact_id="closed"),
        planned(0),
        screened(1),
    ]
    assert concern_keys(facts, 2) == []


def test_a_new_screening_after_ready_opens_the_screening_again():
    facts = [
        planned(0),
        screened(1, fact_id="s1"),
        approved(2),
        ready(3),
        screened(4, fact_id="s2"),
    ]
    assert screening(facts[:4], 3.5).status is MET
    found = screening(facts, 5)
    assert (found.status, found.severity) == (OPEN, WARNING)
    assert found.met_by == ()
    # Its own approval meets it again.
    again = screening([*facts, approved(6, fact_id="a2")], 7)
    assert (again.status, again.met_by) == (MET, ("a2",))


def test_a_screened_asylum_concern_is_resolved_by_a_status_of_none():
    facts = [
        planned(0),
        screened(1, asylum="concern"),
        asylum(3, "none", fact_id="closed"),
    ]
    assert concern(facts, 2, "asylum").status is ESCALATED
    found = concern(facts, 4, "asylum")
    assert (found.status, found.severity) == (MET, INFO)
    assert found.met_by == ("closed",)
    assert found.triggered_by == ("s",)


@pytest.mark.parametrize(
    "kind",
    [
        "return_screened",
        "return_screening_approved",
        "return_ready",
        "return_cancelled",
        "return_completed",
    ],
)
@pytest.mark.parametrize(
    ("plan_id", "other_id"),
    [("a", "z"), ("z", "a"), ("p", "p2"), ("p2", "p")],
    ids=["plan id first", "plan id last", "p p2", "p2 p"],
)
@pytest.mark.parametrize("plan_listed_first", [True, False])
def test_a_return_fact_at_the_instant_of_its_plan_is_no_contradiction(
    kind, plan_id, other_id, plan_listed_first
):
    plan = planned(0, fact_id=plan_id)
    other = (
        screened(0, fact_id=other_id)
        if kind == "return_screened"
        else fact(other_id, kind, 0, **{"return": "R1"})
    )
    facts = [plan, other] if plan_listed_first else [other, plan]
    assert contradictions(facts) == []
    # Another return's plan does not cover it.
    stray = fact(other_id, kind, 0, **{"return": "R2"})
    assert [c.fact_id for c in contradictions([plan, stray])] == [other_id]
