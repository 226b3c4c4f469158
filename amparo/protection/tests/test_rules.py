"""The protection rules (resolution 68/179 paras 5(a), 7): the decision on reasonable
grounds a screening that suggests trafficking asks for (protection.identification),
the recovery and reflection period a positive decision opens
(protection.reflection_period), the medical, psychosocial and legal assistance it
asks to offer (protection.assistance), and returns.concern, which blocks a return
while the period runs.

Times are days after T0 (a Monday, 09:00 UTC; the international profile counts in
UTC); the engine takes `now` explicitly."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from amparo.returns.rules import AREAS
from amparo.safeguards import engine, profiles
from amparo.safeguards.deadlines import Unit
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status
from amparo.safeguards.profiles import Figure

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
INTL = profiles.load("international")

OPEN, MET, OVERDUE = Status.OPEN, Status.MET, Status.OVERDUE
NA, ESCALATED = Status.NOT_APPLICABLE, Status.ESCALATED
INFO, WARNING, CRITICAL = Severity.INFO, Severity.WARNING, Severity.CRITICAL

IDENTIFICATION = "protection.identification"
REFLECTION = "protection.reflection_period"
ASSISTANCE = "protection.assistance"
CONCERN = "returns.concern"

# An adult/labour screening that suggests trafficking: deceptive recruitment (1 strong
# + 1 medium), exploitation (1 strong + 1 medium), coercion at destination (2 strong).
SUGGESTING = [
    "deceived_nature_of_job",
    "deceived_work_contract",
    "excessive_working_days_or_hours",
    "low_or_no_salary",
    "confiscation_of_documents_destination",
    "debt_bondage_destination",
]
# Exploitation and coercion at destination, but no recruitment dimension.
NOT_SUGGESTING = SUGGESTING[2:]


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def with_figure(days: int) -> profiles.Profile:
    """The international baseline with a reflection period of `days` calendar days."""
    figure = Figure(
        name="reflection_period",
        value=days,
        unit=Unit.CALENDAR_DAYS,
        source="a test profile",
        confidence="U",
        effective_from=date(2000, 1, 1),
    )
    return replace(INTL, figures={**INTL.figures, "reflection_period": (figure,)})


def without(name: str) -> profiles.Profile:
    return replace(INTL, figures={k: v for k, v in INTL.figures.items() if k != name})


# --- Facts, briefly ------------------------------------------------------------------


def fact(fact_id: str, kind: str, days: float, **data: object) -> Fact:
    return Fact(fact_id, kind, at(days), "worker", data)


def screened(
    days: float = 0,
    indicators: list[str] = SUGGESTING,
    indicator_set: str = "adult_labour",
    fact_id: str = "screen",
) -> Fact:
    return fact(
        fact_id,
        "trafficking_screened",
        days,
        indicator_set=indicator_set,
        indicators=list(indicators),
    )


def identified(
    days: float,
    finding: str = "positive",
    stage: str = "reasonable_grounds",
    fact_id: str = "rg",
) -> Fact:
    return Fact(
        fact_id,
        "trafficking_identified",
        at(days),
        "supervisor",
        {
            "stage": stage,
            "finding": finding,
            "decided_by": "Samir",
            "reasons": "The interview and the documents.",
        },
    )


def offered(days: float, kind: str) -> Fact:
    return fact(f"offer-{kind}", "assistance_offered", days, assistance=kind)


def planned(days: float, ret: str = "R1") -> Fact:
    return fact(
        f"plan-{ret}",
        "return_planned",
        days,
        **{
            "return": ret,
            "return_type": "forced",
            "country": "MA",
            "destination_kind": "nationality",
        },
    )


def return_fact(kind: str, days: float, ret: str = "R1", **data: str) -> Fact:
    return fact(f"{kind}-{ret}", kind, days, **{"return": ret}, **data)


def all_clear(days: float, ret: str = "R1") -> Fact:
    return return_fact("return_screened", days, ret, **dict.fromkeys(AREAS, "clear"))


# --- Evaluation ----------------------------------------------------------------------


def obligations(
    rule_id: str, facts: list[Fact], now: float, profile: profiles.Profile = INTL
) -> list[Obligation]:
    case = CaseFile("case", "person", "international", tuple(facts))
    return engine.evaluate(case, profile, at(now), only=[rule_id])


def one(
    rule_id: str,
    facts: list[Fact],
    now: float,
    key: str,
    profile: profiles.Profile = INTL,
) -> Obligation:
    found = [o for o in obligations(rule_id, facts, now, profile) if o.key == key]
    assert len(found) == 1, f"{rule_id} {key}: {found}"
    return found[0]


def identification(facts: list[Fact], now: float) -> Obligation:
    return one(IDENTIFICATION, facts, now, "reasonable_grounds")


def reflection(
    facts: list[Fact], now: float, profile: profiles.Profile = INTL
) -> Obligation:
    return one(REFLECTION, facts, now, "reflection", profile)


def concern(
    facts: list[Fact], now: float, profile: profiles.Profile = INTL
) -> Obligation:
    return one(CONCERN, facts, now, "R1/trafficking", profile)


# --- protection.identification ---------------------------------------------------------


def test_a_suggesting_screening_asks_for_a_decision_within_7_days():
    duty = identification([screened(0)], 1)
    assert (duty.status, duty.severity) == (OPEN, WARNING)
    assert duty.due_at == at(7)
    assert duty.triggered_by == ("screen",)
    assert duty.met_by == ()
    assert duty.due.endswith("within 7 calendar days")
    assert "CoE Anti-Trafficking Convention art. 10" in duty.citations


def test_the_decision_is_overdue_and_critical_after_7_days():
    assert identification([screened(0)], 6.9).status is OPEN
    duty = identification([screened(0)], 7.1)
    assert (duty.status, duty.severity) == (OVERDUE, CRITICAL)


@pytest.mark.parametrize("finding", ["positive", "negative"])
def test_a_decision_on_reasonable_grounds_meets_it(finding):
    duty = identification([screened(0), identified(3, finding)], 10)
    assert (duty.status, duty.severity) == (MET, INFO)
    assert duty.met_by == ("rg",)
    assert duty.met_at == at(3)
    assert not duty.met_late


def test_a_late_decision_meets_it_late():
    duty = identification([screened(0), identified(9, "negative")], 10)
    assert duty.status is MET
    assert duty.met_late


def test_a_decision_not_yet_made_at_now_does_not_meet_it():
    duty = identification([screened(0), identified(9)], 8)
    assert (duty.status, duty.severity) == (OVERDUE, CRITICAL)


def test_a_screening_that_does_not_suggest_raises_nothing():
    assert obligations(IDENTIFICATION, [screened(0, NOT_SUGGESTING)], 10) == []
    assert obligations(IDENTIFICATION, [screened(0, [])], 10) == []


@pytest.mark.parametrize("indicator_set", ["adult_sexual", "child_sexual"])
def test_a_screening_with_an_incomplete_set_raises_nothing(indicator_set):
    facts = [screened(0, ["forced_tasks_or_clients"], indicator_set)]
    assert obligations(IDENTIFICATION, facts, 10) == []


def test_a_childs_exploitation_alone_asks_for_a_decision():
    child = screened(
        0, ["excessive_working_days_or_hours", "hazardous_work"], "child_labour"
    )
    assert identification([child], 1).status is OPEN
    # The same indicators in an adult's screening suggest nothing.
    adult = screened(0, ["excessive_working_days_or_hours", "hazardous_work"])
    assert obligations(IDENTIFICATION, [adult], 1) == []


def test_the_deadline_runs_from_the_first_suggesting_screening():
    facts = [
        screened(0, NOT_SUGGESTING, fact_id="first"),
        screened(2, fact_id="second"),
    ]
    duty = identification(facts, 3)
    assert duty.due_at == at(9)
    assert duty.triggered_by == ("second",)


def test_a_screening_after_now_is_not_known():
    assert obligations(IDENTIFICATION, [screened(5)], 4) == []


# --- protection.reflection_period ------------------------------------------------------


def test_a_positive_decision_opens_a_30_day_period():
    duty = reflection([screened(0), identified(2)], 10)
    assert (duty.status, duty.severity) == (OPEN, INFO)
    assert duty.due_at == at(32)
    assert duty.triggered_by == ("rg",)
    assert "CoE Anti-Trafficking Convention art. 13" in duty.citations


def test_the_period_is_met_once_over_without_a_return():
    duty = reflection([screened(0), identified(2)], 33)
    assert (duty.status, duty.severity) == (MET, INFO)
    assert duty.met_at == at(32)


def test_a_return_inside_the_period_is_escalated():
    facts = [
        screened(0),
        identified(2),
        planned(5),
        return_fact("return_completed", 10),
    ]
    for now in (11, 40):
        duty = reflection(facts, now)
        assert (duty.status, duty.severity) == (ESCALATED, CRITICAL), now
        assert "return_completed-R1" in duty.note


def test_a_return_after_the_period_is_not_escalated():
    facts = [
        screened(0),
        identified(2),
        planned(5),
        return_fact("return_completed", 35),
    ]
    assert reflection(facts, 40).status is MET


def test_a_negative_decision_opens_no_period():
    facts = [screened(0), identified(2, "negative")]
    assert obligations(REFLECTION, facts, 10) == []
    assert obligations(REFLECTION, [screened(0)], 10) == []


def test_a_shorter_profile_figure_still_gives_30_days():
    short = with_figure(10)
    facts = [screened(0), identified(2)]
    duty = reflection(facts, 20, short)
    assert duty.status is OPEN
    assert duty.due_at == at(32)
    assert reflection(facts, 33, short).status is MET


def test_a_longer_profile_figure_is_honoured():
    duty = reflection([screened(0), identified(2)], 40, with_figure(45))
    assert duty.status is OPEN
    assert duty.due_at == at(47)


def test_without_a_figure_the_period_has_no_known_end():
    duty = reflection([screened(0), identified(2)], 100, without("reflection_period"))
    assert duty.status is OPEN
    assert duty.due_at is None


# --- protection.assistance -------------------------------------------------------------

KINDS = ("medical", "psychosocial", "legal")


def assistance(facts: list[Fact], now: float) -> dict[str, Obligation]:
    return {o.key: o for o in obligations(ASSISTANCE, facts, now)}


def test_a_positive_decision_asks_for_three_offers_within_72_hours():
    duties = assistance([screened(0), identified(2)], 3)
    assert set(duties) == set(KINDS)
    for kind, duty in duties.items():
        assert (duty.status, duty.severity) == (OPEN, WARNING), kind
        assert duty.due_at == at(5), kind
        assert duty.triggered_by == ("rg",), kind
        assert duty.due == f"Offer {kind} assistance, within 72 hours"


def test_offers_not_made_within_72_hours_are_overdue():
    duties = assistance([screened(0), identified(2)], 5.1)
    assert {(d.status, d.severity) for d in duties.values()} == {(OVERDUE, CRITICAL)}


@pytest.mark.parametrize("kind", KINDS)
def test_each_duty_is_met_by_an_offer_of_its_kind(kind):
    duties = assistance([screened(0), identified(2), offered(3, kind)], 6)
    assert (duties[kind].status, duties[kind].met_by) == (MET, (f"offer-{kind}",))
    assert duties[kind].met_at == at(3)
    for other in set(KINDS) - {kind}:
        assert duties[other].status is OVERDUE, other


def test_an_offer_of_another_kind_meets_none():
    duties = assistance([screened(0), identified(2), offered(3, "shelter")], 4)
    assert {d.status for d in duties.values()} == {OPEN}


def test_no_assistance_duty_without_a_positive_decision():
    assert obligations(ASSISTANCE, [screened(0)], 10) == []
    assert obligations(ASSISTANCE, [screened(0), identified(2, "negative")], 10) == []


# --- returns.concern: a return during the reflection period -------------------------


def test_a_return_planned_during_the_period_is_blocked():
    duty = concern([screened(0), identified(2), planned(5)], 10)
    assert (duty.status, duty.severity) == (ESCALATED, CRITICAL)
    assert duty.details["area"] == "trafficking"
    assert duty.details["period_ends_at"] == at(32).isoformat()
    assert duty.triggered_by == ("rg",)
    assert "CoE Anti-Trafficking Convention art. 13" in duty.citations


def test_a_screening_finding_trafficking_clear_does_not_lift_it():
    facts = [
        screened(0),
        identified(2),
        planned(5),
        all_clear(6),
        return_fact("return_screening_approved", 7),
    ]
    assert concern(facts, 10).status is ESCALATED


def test_a_return_planned_before_the_decision_is_blocked_too():
    facts = [planned(1), screened(0), identified(2)]
    assert concern(facts, 10).status is ESCALATED


def test_the_concern_is_met_once_the_period_is_over():
    facts = [screened(0), identified(2), planned(5), all_clear(6)]
    duty = concern(facts, 33)
    assert (duty.status, duty.severity) == (MET, INFO)
    assert duty.details["period_ends_at"] == at(32).isoformat()


def test_a_return_planned_after_the_period_raises_no_concern():
    facts = [screened(0), identified(2), planned(40)]
    keys = [o.key for o in obligations(CONCERN, facts, 41)]
    assert "R1/trafficking" not in keys


def test_a_negative_decision_raises_no_concern():
    facts = [screened(0), identified(2, "negative"), planned(5)]
    keys = [o.key for o in obligations(CONCERN, facts, 10)]
    assert "R1/trafficking" not in keys


def test_a_return_carried_out_during_the_period_stays_escalated():
    facts = [
        screened(0),
        identified(2),
        planned(5),
        return_fact("return_completed", 10),
    ]
    duty = concern(facts, 40)
    assert (duty.status, duty.severity) == (ESCALATED, CRITICAL)
    assert "return_completed-R1" in duty.note


def test_the_block_lasts_30_days_under_a_shorter_figure():
    facts = [screened(0), identified(2), planned(5)]
    duty = concern(facts, 20, with_figure(10))
    assert duty.status is ESCALATED
    assert duty.details["period_ends_at"] == at(32).isoformat()
