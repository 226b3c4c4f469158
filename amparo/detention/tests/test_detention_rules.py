"""The detention rules (issue 4, "Detention and alternatives"): scenario tables for each
rule (met on time, met late, overdue, not applicable, escalated), the special cases
(children by date, assessment and dispute; cumulative EU episodes; the 18-month
extension; Mexico's 36 hours), and properties: evaluation is deterministic, and a fact
no detention rule reads changes no detention obligation."""

import tomllib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.detention.rules import DETENTION_RULES, RESOLUTION
from amparo.safeguards import engine, profiles
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
INTERNATIONAL = profiles.load("international")

OPEN, MET, OVERDUE = Status.OPEN, Status.MET, Status.OVERDUE
NA, ESCALATED = Status.NOT_APPLICABLE, Status.ESCALATED
INFO, WARNING, CRITICAL = Severity.INFO, Severity.WARNING, Severity.CRITICAL


def at(when: float | datetime) -> datetime:
    """Hours after T0, or a time as it is."""
    return when if isinstance(when, datetime) else T0 + timedelta(hours=when)


def days(n: float) -> float:
    return n * 24


def fact(fact_id: str, kind: str, when: float | datetime, **data: object) -> Fact:
    return Fact(fact_id, kind, at(when), "worker", data)


def start(
    when: float | datetime = 0,
    *,
    episode: str = "E1",
    zone: str = "UTC",
    order: str = "administrative",
    fact_id: str | None = None,
) -> Fact:
    return fact(
        fact_id or f"start-{episode}",
        "detention_started",
        when,
        episode=episode,
        place="Centre",
        time_zone=zone,
        authority="immigration",
        order=order,
        legal_basis="removal",
    )


def review(
    fact_id: str,
    when: float | datetime,
    by: str = "judicial",
    outcome: str = "continued",
    episode: str = "E1",
) -> Fact:
    return fact(
        fact_id, "detention_reviewed", when, episode=episode, by=by, outcome=outcome
    )


def ended(
    fact_id: str, when: float | datetime, reason: str = "released", episode: str = "E1"
) -> Fact:
    return fact(fact_id, "detention_ended", when, episode=episode, reason=reason)


def screened(fact_id: str, when: float, positive: bool, episode: str = "E1") -> Fact:
    needs = ["torture_survivor"] if positive else []
    return fact(
        fact_id,
        "vulnerability_screened",
        when,
        episode=episode,
        positive=positive,
        needs=needs,
    )


def step(n: int, when: float, episode: str = "E1") -> Fact:
    return fact(
        f"step{n}",
        "alternatives_step",
        when,
        episode=episode,
        step=n,
        outcome="done",
        evidence="file",
    )


def evaluate(
    rule_id: str,
    facts: list[Fact],
    now: float | datetime,
    profile: profiles.Profile = INTERNATIONAL,
) -> list[Obligation]:
    case = CaseFile("case-1", "person-1", profile.code, tuple(facts))
    return engine.evaluate(case, profile, at(now), only=[rule_id])


def one(
    rule_id: str,
    facts: list[Fact],
    now: float | datetime,
    profile: profiles.Profile = INTERNATIONAL,
) -> Obligation:
    [obligation] = evaluate(rule_id, facts, now, profile)
    return obligation


def outcome(obligation: Obligation) -> tuple[object, ...]:
    return (
        obligation.status,
        obligation.severity,
        obligation.met_by,
        obligation.met_late,
    )


def profile_from(text: str) -> profiles.Profile:
    return profiles._parse(tomllib.loads(text), "test")


def figure(name: str, value: float | None, unit: str, **extra: str) -> str:
    lines = [f"[[figures.{name}]]"]
    if value is not None:
        lines += [f"value = {value}", f'unit = "{unit}"']
    lines += ['source = "test"', 'confidence = "U"']
    lines.append(f"effective_from = {extra.get('effective_from', '2000-01-01')}")
    if "effective_to" in extra:
        lines.append(f"effective_to = {extra['effective_to']}")
    return "\n".join(lines) + "\n"


HEADER = 'name = "Test"\nversion = "1"\ntime_zone = "UTC"\n'

# Like the EU Return Directive: 6 months, 18 once extended, episodes counted together.
EU = profile_from(
    f'code = "test_eu"\n{HEADER}[settings]\ncumulative_detention = true\n'
    + figure("detention_maximum", 6, "months")
    + figure("detention_maximum_extended", 18, "months")
)
# A fixed maximum of 30 days, 120 once extended (South Africa's shape), not cumulative.
THIRTY_DAYS = profile_from(
    f'code = "test_thirty"\n{HEADER}'
    + figure("detention_maximum", 30, "calendar_days")
    + figure("detention_maximum_extended", 120, "calendar_days")
)
# A maximum but no extended ceiling, and no figure for the reviews and the screening.
BARE = profile_from(
    f'code = "test_bare"\n{HEADER}'
    + figure("detention_maximum", 30, "calendar_days")
    + figure("detention_first_review", None, "")
    + figure("detention_periodic_review", None, "")
    + figure("vulnerability_screening", None, "")
    + figure("alternatives_review", None, "")
)

# The same answers must come from the shipped EU profile, once it is there.
EU_PROFILES = [pytest.param(EU, id="eu-like")] + [
    pytest.param(profiles.load(code), id=code)
    for code in ["eu_return_directive"]
    if (profiles.PROFILES / f"{code}.toml").is_file()
]


def mexico() -> profiles.Profile:
    """The shipped Mexico profile; the same figures built here if it is not there."""
    if (profiles.PROFILES / "mexico.toml").is_file():
        return profiles.load("mexico")
    return profile_from(
        'code = "mexico"\nname = "Mexico"\nversion = "1"\ncountry = "MEX"\n'
        'time_zone = "America/Mexico_City"\n[holidays]\ncountry = "MX"\n'
        "[settings]\nchildren_detention_prohibited = true\n"
        + figure("detention_maximum", 15, "working_days", effective_to="2023-03-15")
        + figure("detention_maximum", 36, "hours", effective_from="2023-03-15")
        + figure(
            "detention_maximum_extended", 60, "working_days", effective_to="2023-03-15"
        )
        + figure("detention_maximum_extended", 36, "hours", effective_from="2023-03-15")
    )


def canada() -> profiles.Profile:
    if (profiles.PROFILES / "canada.toml").is_file():
        return profiles.load("canada")
    return profile_from(
        'code = "canada"\nname = "Canada"\nversion = "1"\ntime_zone = "America/Toronto"\n'
        + figure("detention_maximum", None, "")
        + figure("detention_first_review", 48, "hours")
        + figure("detention_second_review", 7, "calendar_days")
        + figure("detention_periodic_review", 30, "calendar_days")
    )


# --- The rules as registered ------------------------------------------------------


def test_every_detention_rule_is_registered_and_explained():
    rules = {k: v for k, v in engine.load_rules().items() if k.startswith("detention.")}
    assert sorted(rules) == list(DETENTION_RULES)
    for rule in rules.values():
        assert len(rule.explanation()) > 100
        assert RESOLUTION in rule.citations
        assert rule.title


def test_no_detention_no_obligation():
    assert evaluate("detention.first_review", [], 100) == []
    case = CaseFile("c", "p", "international", ())
    assert engine.evaluate(case, INTERNATIONAL, at(100), only=DETENTION_RULES) == []


def test_a_detention_that_starts_after_now_has_not_happened():
    assert evaluate("detention.first_review", [start(10)], 5) == []


def test_the_clock_can_be_travelled_instead_of_passing_now():
    with time_machine.travel(at(49), tick=False):
        obligation = one("detention.first_review", [start()], datetime.now(UTC))
    assert (obligation.status, obligation.severity) == (OVERDUE, CRITICAL)


def test_facts_of_an_episode_that_never_started_are_ignored():
    facts = [start(), review("r9", 10, episode="E9"), ended("x9", 20, episode="E9")]
    [obligation] = evaluate("detention.first_review", facts, 50)
    assert obligation.key == "E1"
    assert obligation.status is OVERDUE


# --- detention.first_review ---------------------------------------------------------

FIRST_REVIEW = [
    pytest.param([], 10, (OPEN, INFO, (), False), id="open"),
    pytest.param([review("r", 30)], 72, (MET, INFO, ("r",), False), id="met on time"),
    pytest.param(
        [review("r", 30, by="independent")],
        72,
        (MET, INFO, ("r",), False),
        id="met by an independent authority",
    ),
    pytest.param([review("r", 60)], 72, (MET, INFO, ("r",), True), id="met late"),
    pytest.param([], 49, (OVERDUE, CRITICAL, (), False), id="overdue"),
    pytest.param(
        [review("a", 30, by="administrative")],
        49,
        (OVERDUE, CRITICAL, (), False),
        id="an administrative review does not meet it",
    ),
    pytest.param(
        [review("r", 60)], 50, (OVERDUE, CRITICAL, (), False), id="a future review"
    ),
    pytest.param(
        [review("r", 30, episode="E2")],
        49,
        (OVERDUE, CRITICAL, (), False),
        id="another episode's review",
    ),
    pytest.param(
        [ended("x", 20)], 100, (MET, INFO, ("x",), False), id="released in time"
    ),
    pytest.param(
        [ended("x", 70)], 100, (MET, INFO, ("x",), True), id="released too late"
    ),
    pytest.param(
        [review("r", 30, outcome="released")],
        72,
        (MET, INFO, ("r",), False),
        id="a review that orders release",
    ),
    pytest.param(
        [fact("d", "death", 20)], 100, (NA, INFO, (), False), id="died in detention"
    ),
]


@pytest.mark.parametrize(("facts", "now", "expected"), FIRST_REVIEW)
def test_first_review(facts, now, expected):
    obligation = one("detention.first_review", [start(), *facts], now)
    assert outcome(obligation) == expected
    assert obligation.due_at == at(48)
    assert obligation.key == "E1"
    assert obligation.triggered_by == ("start-E1",)


def test_first_review_names_the_administrative_review_that_does_not_count():
    facts = [start(), review("a", 5, by="administrative"), review("r", 30)]
    obligation = one("detention.first_review", facts, 72)
    assert obligation.met_by == ("r",)
    assert obligation.details["administrative_reviews"] == ["a"]
    assert "judicial or other independent" in obligation.note


def test_first_review_is_met_by_a_judicial_order():
    obligation = one("detention.first_review", [start(order="judicial")], 100)
    assert outcome(obligation) == (MET, INFO, ("start-E1",), False)
    assert "judicial authority" in obligation.note


def test_first_review_without_a_figure_is_not_applicable():
    obligation = one("detention.first_review", [start()], 100, BARE)
    assert obligation.status is NA
    assert "detention_first_review" in obligation.note


def test_first_review_counts_in_the_place_of_detention():
    obligation = one("detention.first_review", [start(zone="Asia/Tokyo")], 10)
    assert obligation.due_at == at(48)
    assert obligation.due_at.tzinfo == ZoneInfo("Asia/Tokyo")


# --- detention.periodic_review -------------------------------------------------------


def test_periodic_reviews_follow_each_other_one_interval_apart():
    facts = [start(), review("r1", 24), review("r2", 24 + days(20))]
    first, second = evaluate("detention.periodic_review", facts, 24 + days(25))
    assert (first.key, second.key) == ("E1/review-1", "E1/review-2")
    assert first.due_at == at(24 + days(30))  # the first review anchors the chain
    assert outcome(first) == (MET, INFO, ("r2",), False)
    assert first.triggered_by == ("r1",)
    assert second.due_at == at(24 + days(50))
    assert outcome(second) == (OPEN, INFO, (), False)


PERIODIC = [
    pytest.param([review("r1", 24)], days(20), (OPEN, INFO, (), False), id="open"),
    pytest.param(
        [review("r1", 24), review("r2", days(29))],
        days(40),
        (MET, INFO, ("r2",), False),
        id="met on time",
    ),
    pytest.param(
        [review("r1", 24), review("r2", days(35))],
        days(40),
        (MET, INFO, ("r2",), True),
        id="met late",
    ),
    pytest.param(
        [review("r1", 24), review("a", days(20), by="administrative")],
        days(32),
        (OVERDUE, WARNING, (), False),
        id="overdue: an administrative review does not count",
    ),
    pytest.param(
        [review("r1", 24), ended("x", days(10))],
        days(40),
        (MET, INFO, ("x",), False),
        id="released before it fell due",
    ),
    pytest.param(
        [review("r1", 24), ended("x", days(33))],
        days(40),
        (MET, INFO, ("x",), True),
        id="released after it fell due",
    ),
    pytest.param(
        [review("r1", 24), fact("d", "death", days(10))],
        days(40),
        (NA, INFO, (), False),
        id="died in detention",
    ),
]


@pytest.mark.parametrize(("facts", "now", "expected"), PERIODIC)
def test_periodic_review(facts, now, expected):
    [obligation, *_] = evaluate("detention.periodic_review", [start(), *facts], now)
    assert obligation.key == "E1/review-1"
    assert obligation.due_at == at(24 + days(30))
    assert outcome(obligation) == expected


def test_periodic_review_runs_from_the_start_until_the_first_review():
    [obligation] = evaluate("detention.periodic_review", [start()], days(31))
    assert obligation.due_at == at(days(30))
    assert outcome(obligation) == (OVERDUE, WARNING, (), False)


def test_periodic_review_after_a_judicial_order_runs_from_the_order():
    facts = [start(order="judicial"), review("r1", days(10))]
    first, second = evaluate("detention.periodic_review", facts, days(12))
    assert first.due_at == at(days(30))
    assert outcome(first) == (MET, INFO, ("r1",), False)
    assert second.due_at == at(days(40))


def test_periodic_reviews_stop_with_the_release():
    facts = [start(), review("r1", 24), review("r2", days(20)), ended("x", days(25))]
    obligations = evaluate("detention.periodic_review", facts, days(400))
    assert [o.status for o in obligations] == [MET, MET]
    assert obligations[-1].met_by == ("x",)


def test_periodic_review_tells_to_record_a_release_a_review_ordered():
    facts = [start(), review("r1", 24), review("r2", days(20), outcome="released")]
    last = evaluate("detention.periodic_review", facts, days(21))[-1]
    assert "detention_ended" in last.note


def test_periodic_review_without_a_figure_is_not_applicable():
    [obligation] = evaluate("detention.periodic_review", [start()], 100, BARE)
    assert obligation.status is NA


def test_canada_second_review_within_seven_days_of_the_first():
    profile = canada()
    facts = [start(zone="America/Toronto"), review("r1", 24)]
    [second] = evaluate("detention.periodic_review", facts, days(9), profile)
    toronto = ZoneInfo("America/Toronto")
    # 04:00 on 3 March, 7 calendar days on: 04:00 local again, after the clocks change.
    assert second.due_at == datetime(2026, 3, 10, 4, 0, tzinfo=toronto)
    assert outcome(second) == (OVERDUE, WARNING, (), False)
    facts.append(review("r2", days(6)))
    _, third = evaluate("detention.periodic_review", facts, days(9), profile)
    assert third.due_at == at(days(36))  # then every 30 days


def test_calendar_days_keep_the_local_time_across_a_change_of_clock():
    begins = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    [obligation] = evaluate(
        "detention.periodic_review", [start(begins, zone="Europe/Madrid")], begins
    )
    assert obligation.due_at == datetime(
        2026, 4, 9, 10, 0, tzinfo=ZoneInfo("Europe/Madrid")
    )
    elapsed = obligation.due_at.astimezone(UTC) - begins.astimezone(UTC)
    assert elapsed == timedelta(days=30, hours=-1)  # summer time came in between


def test_a_transfer_moves_the_deadlines_to_the_new_place():
    begins = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    moved = fact(
        "t",
        "detention_transferred",
        begins + timedelta(days=2),
        episode="E1",
        place="Las Palmas",
        time_zone="Atlantic/Canary",
    )
    facts = [start(begins, zone="Europe/Madrid"), moved]
    [obligation] = evaluate("detention.periodic_review", facts, begins + timedelta(3))
    canary = ZoneInfo("Atlantic/Canary")
    # 09:00 on 10 March in the Canaries, 30 calendar days on: 09:00 (summer time).
    assert obligation.due_at == datetime(2026, 4, 9, 9, 0, tzinfo=canary)
    assert obligation.due_at.tzinfo == canary


# --- detention.maximum_period ---------------------------------------------------------

MAXIMUM = [
    pytest.param([], days(10), (OPEN, INFO, (), False), id="open"),
    pytest.param([], days(24), (OPEN, WARNING, (), False), id="warning at 80 %"),
    pytest.param([], days(23.9), (OPEN, INFO, (), False), id="before 80 %"),
    pytest.param([], days(30.1), (OVERDUE, CRITICAL, (), False), id="critical"),
    pytest.param(
        [ended("x", days(20))], days(40), (MET, INFO, ("x",), False), id="released"
    ),
    pytest.param(
        [ended("x", days(35))],
        days(40),
        (MET, INFO, ("x",), True),
        id="released too late",
    ),
    pytest.param(
        [fact("d", "death", days(5))], days(40), (NA, INFO, (), False), id="died"
    ),
]


@pytest.mark.parametrize(("facts", "now", "expected"), MAXIMUM)
def test_maximum_period(facts, now, expected):
    obligation = one("detention.maximum_period", [start(), *facts], now, THIRTY_DAYS)
    assert outcome(obligation) == expected
    assert obligation.due_at == at(days(30))
    assert obligation.details["maximum"] == "30 calendar days"
    assert obligation.details["warning_at"] == at(days(24)).isoformat()


def test_maximum_period_carries_when_detention_began_not_a_running_count():
    obligation = one("detention.maximum_period", [start()], days(12.5), THIRTY_DAYS)
    assert obligation.details["detained_since"] == at(0).isoformat()
    assert obligation.details["counted_from"] == at(0).isoformat()
    assert obligation.details["extended"] is False
    # Time alone between two thresholds changes nothing stored: `refresh` writes
    # only what changed.
    later = one("detention.maximum_period", [start()], days(13.5), THIRTY_DAYS)
    assert later == obligation


def test_maximum_period_extended():
    facts = [
        start(),
        fact("ext", "detention_extended", days(20), episode="E1", ground="documents"),
    ]
    obligation = one("detention.maximum_period", facts, days(40), THIRTY_DAYS)
    assert obligation.due_at == at(days(120))
    assert outcome(obligation) == (OPEN, INFO, (), False)
    assert obligation.details["extended"] is True
    assert "ext" in obligation.triggered_by
    late = one("detention.maximum_period", facts, days(97), THIRTY_DAYS)
    assert late.severity is WARNING
    assert (
        one("detention.maximum_period", facts, days(121), THIRTY_DAYS).status is OVERDUE
    )


def test_an_extension_without_an_extended_ceiling_changes_nothing():
    facts = [start(), fact("ext", "detention_extended", 10, episode="E1", ground="x")]
    obligation = one("detention.maximum_period", facts, days(5), BARE)
    assert obligation.due_at == at(days(30))
    assert "no extended maximum" in obligation.note


def test_release_for_no_prospect_of_removal_ends_the_episode():
    facts = [start(), ended("x", days(12), reason="no_prospect_of_removal")]
    obligation = one("detention.maximum_period", facts, days(50), THIRTY_DAYS)
    assert outcome(obligation) == (MET, INFO, ("x",), False)
    assert obligation.details["end_reason"] == "no_prospect_of_removal"
    assert obligation.details["detained_since"] == at(0).isoformat()
    # Nothing time-based is left open for the episode.
    case = CaseFile("c", "p", "test", (start(), *facts[1:]))
    for o in engine.evaluate(case, INTERNATIONAL, at(days(50)), only=DETENTION_RULES):
        assert o.status not in (OPEN, OVERDUE, ESCALATED), o


def test_no_statutory_maximum_leaves_the_maximum_not_applicable():
    obligation = one("detention.maximum_period", [start()], days(400))
    assert obligation.status is NA
    assert "detention.indefinite_risk" in obligation.note


# EU: episodes count together, and an extension lifts the ceiling to 18 months.
FIRST_EPISODE = [start(), ended("x1", datetime(2026, 5, 2, 9, tzinfo=UTC))]
SECOND_START = datetime(2026, 7, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize("eu", EU_PROFILES)
def test_eu_episodes_count_together(eu):
    facts = [*FIRST_EPISODE, start(SECOND_START, episode="E2")]
    now = datetime(2026, 10, 1, tzinfo=UTC)
    first, second = evaluate("detention.maximum_period", facts, now, eu)
    assert (first.key, second.key) == ("E1", "E2")
    assert outcome(first) == (MET, INFO, ("x1",), False)
    # 61 days served in E1: E2 may last 6 months less those 61 days.
    assert second.due_at == datetime(2026, 11, 1, 9, tzinfo=UTC)
    assert second.status is OPEN
    assert second.severity is WARNING  # 80 % of the whole 6 months have gone
    # 61 days served in E1 move the count back from E2's start.
    assert (
        second.details["counted_from"]
        == (SECOND_START - timedelta(days=61)).isoformat()
    )
    assert second.details["detained_since"] == SECOND_START.isoformat()
    assert second.details["episodes_counted"] == ["E1", "E2"]
    assert second.triggered_by[:2] == ("start-E1", "start-E2")
    late = one_of(facts, datetime(2026, 11, 1, 10, tzinfo=UTC), eu, "E2")
    assert (late.status, late.severity) == (OVERDUE, CRITICAL)


def test_without_cumulative_detention_each_episode_counts_alone():
    facts = [*FIRST_EPISODE, start(SECOND_START, episode="E2")]
    separate = profile_from(
        f'code = "test_sep"\n{HEADER}' + figure("detention_maximum", 6, "months")
    )
    second = one_of(facts, datetime(2026, 10, 1, tzinfo=UTC), separate, "E2")
    assert second.due_at == datetime(2027, 1, 1, 9, tzinfo=UTC)
    assert (second.status, second.severity) == (OPEN, INFO)


def one_of(
    facts: list[Fact], now: datetime, profile: profiles.Profile, key: str
) -> Obligation:
    found = evaluate("detention.maximum_period", facts, now, profile)
    return next(o for o in found if o.key == key)


EXTENDED = fact(
    "ext",
    "detention_extended",
    datetime(2026, 8, 1, tzinfo=UTC),
    episode="E1",
    ground="no_cooperation",
)
EU_EXTENSION = [
    pytest.param(datetime(2026, 7, 31, tzinfo=UTC), (OPEN, WARNING), id="before it"),
    pytest.param(datetime(2026, 10, 1, tzinfo=UTC), (OPEN, INFO), id="extended"),
    pytest.param(datetime(2027, 6, 1, tzinfo=UTC), (OPEN, WARNING), id="80 % of 18"),
    pytest.param(datetime(2027, 9, 3, tzinfo=UTC), (OVERDUE, CRITICAL), id="past 18"),
]


@pytest.mark.parametrize("eu", EU_PROFILES)
@pytest.mark.parametrize(("now", "expected"), EU_EXTENSION)
def test_eu_extension_to_eighteen_months(now, expected, eu):
    obligation = one("detention.maximum_period", [start(), EXTENDED], now, eu)
    assert (obligation.status, obligation.severity) == expected
    if now > EXTENDED.at:
        assert obligation.due_at == datetime(2027, 9, 2, 9, tzinfo=UTC)
        assert obligation.details["maximum"] == "18 months"
    else:
        assert obligation.due_at == datetime(2026, 9, 2, 9, tzinfo=UTC)


def test_an_extension_after_the_maximum_ran_out_is_noted():
    late = fact(
        "ext",
        "detention_extended",
        datetime(2026, 9, 10, tzinfo=UTC),
        episode="E1",
        ground="x",
    )
    obligation = one(
        "detention.maximum_period",
        [start(), late],
        datetime(2026, 9, 11, tzinfo=UTC),
        EU,
    )
    assert obligation.status is OPEN
    assert "after the maximum period had run out" in obligation.note


def test_an_extension_in_an_earlier_counted_episode_carries_over():
    first = [start(), EXTENDED, ended("x1", datetime(2026, 8, 2, tzinfo=UTC))]
    facts = [*first, start(datetime(2026, 9, 1, 9, tzinfo=UTC), episode="E2")]
    second = one_of(facts, datetime(2026, 10, 1, tzinfo=UTC), EU, "E2")
    assert second.details["extended"] is True
    assert second.due_at > datetime(2027, 8, 1, tzinfo=UTC)


# Mexico: 36 hours from presentación since the Supreme Court's ruling of 15 March 2023.
MEXICO_CITY = ZoneInfo("America/Mexico_City")
PRESENTED = datetime(2026, 3, 2, 10, 0, tzinfo=MEXICO_CITY)
MEXICO_36H = [
    pytest.param([], 20, (OPEN, INFO, (), False), id="open"),
    pytest.param([], 29, (OPEN, WARNING, (), False), id="warning at 28.8 h"),
    pytest.param([], 37, (OVERDUE, CRITICAL, (), False), id="critical"),
    pytest.param(
        [ended("x", PRESENTED + timedelta(hours=30))],
        40,
        (MET, INFO, ("x",), False),
        id="released in time",
    ),
    pytest.param(
        [ended("x", PRESENTED + timedelta(hours=40))],
        50,
        (MET, INFO, ("x",), True),
        id="released late",
    ),
    pytest.param(
        [
            fact(
                "e",
                "detention_extended",
                PRESENTED + timedelta(hours=5),
                episode="E1",
                ground="identity",
            )
        ],
        37,
        (OVERDUE, CRITICAL, (), False),
        id="no extension beyond 36 hours",
    ),
]


@pytest.mark.parametrize(("facts", "hours", "expected"), MEXICO_36H)
def test_mexico_thirty_six_hours(facts, hours, expected):
    facts = [start(PRESENTED, zone="America/Mexico_City"), *facts]
    now = PRESENTED + timedelta(hours=hours)
    obligation = one("detention.maximum_period", facts, now, mexico())
    assert outcome(obligation) == expected
    assert obligation.due_at == PRESENTED + timedelta(hours=36)


def test_mexico_before_2023_counted_fifteen_working_days():
    presented = datetime(2022, 6, 1, 10, 0, tzinfo=MEXICO_CITY)  # a Wednesday
    facts = [start(presented, zone="America/Mexico_City")]
    obligation = one("detention.maximum_period", facts, presented, mexico())
    assert obligation.due_at == datetime(2022, 6, 22, 10, 0, tzinfo=MEXICO_CITY)


# --- detention.indefinite_risk ---------------------------------------------------------

INDEFINITE = [
    pytest.param([], days(10), days(30), (OPEN, WARNING, (), False), id="flagged"),
    pytest.param(
        [], days(31), days(30), (OVERDUE, CRITICAL, (), False), id="escalated"
    ),
    pytest.param(
        [review("a", days(20), by="administrative")],
        days(31),
        days(50),
        (OPEN, WARNING, (), False),
        id="any review resets the policy check",
    ),
    pytest.param(
        [ended("x", days(10))],
        days(60),
        days(30),
        (MET, INFO, ("x",), False),
        id="released",
    ),
    pytest.param(
        [ended("x", days(40))],
        days(60),
        days(30),
        (MET, INFO, ("x",), True),
        id="released after a missed check",
    ),
]


@pytest.mark.parametrize(("facts", "now", "due", "expected"), INDEFINITE)
def test_indefinite_risk(facts, now, due, expected):
    obligation = one("detention.indefinite_risk", [start(), *facts], now)
    assert outcome(obligation) == expected
    assert obligation.due_at == at(due)


def test_indefinite_risk_carries_when_detention_began():
    obligation = one("detention.indefinite_risk", [start()], days(45))
    assert obligation.details["detained_since"] == at(0).isoformat()
    assert one("detention.indefinite_risk", [start()], days(46)) == obligation


def test_indefinite_risk_is_not_applicable_under_a_maximum():
    obligation = one("detention.indefinite_risk", [start()], days(45), THIRTY_DAYS)
    assert obligation.status is NA
    assert "30 calendar days" in obligation.note


def test_indefinite_risk_in_a_country_without_a_maximum():
    obligation = one(
        "detention.indefinite_risk", [start(zone="America/Toronto")], 10, canada()
    )
    assert (obligation.status, obligation.severity) == (OPEN, WARNING)


# --- detention.child ---------------------------------------------------------------------


def birth(born: str, precision: str = "day") -> Fact:
    return fact("born", "birth", -days(1000), date=born, precision=precision)


CHILD = [
    pytest.param([birth("2010-05-01")], ESCALATED, ["birth"], id="child by date"),
    pytest.param([birth("1990-05-01")], NA, [], id="adult by date"),
    pytest.param([], NA, [], id="age unknown"),
    # Only the year known: born at the latest on 31 Dec 2008, so 17 on 2 March 2026.
    pytest.param([birth("2008", "year")], ESCALATED, ["birth"], id="year precision"),
    pytest.param([birth("2008-01-01", "year")], ESCALATED, ["birth"], id="year, dated"),
    pytest.param([birth("2008-01-01")], NA, [], id="the same date, known to the day"),
    # Born in March 2008, at the latest on the 31st: 17 on 2 March 2026.
    pytest.param([birth("2008-03", "month")], ESCALATED, ["birth"], id="month"),
    pytest.param([birth("2008-02-15", "month")], NA, [], id="February 2008 is 18"),
    pytest.param(
        [fact("aa", "age_assessed", 10, minimum_age=16)],
        ESCALATED,
        ["age_assessed"],
        id="child by assessment",
    ),
    pytest.param(
        [fact("aa", "age_assessed", 10, minimum_age=19)],
        NA,
        [],
        id="adult by assessment",
    ),
    pytest.param(
        [birth("1990-01-01"), fact("ad", "age_dispute", -10, open=True)],
        ESCALATED,
        ["age_dispute"],
        id="age disputed: benefit of the doubt",
    ),
    pytest.param(
        [
            fact("ad", "age_dispute", -20, open=True),
            fact("ac", "age_dispute", -10, open=False),
        ],
        NA,
        [],
        id="a dispute closed before detention",
    ),
    pytest.param(
        [birth("1990-01-01"), fact("aa", "age_assessed", 10, minimum_age=15)],
        ESCALATED,
        ["age_assessed"],
        id="any evidence of childhood counts",
    ),
]


@pytest.mark.parametrize(("facts", "status", "basis"), CHILD)
def test_child_in_detention(facts, status, basis):
    obligation = one("detention.child", [start(), *facts], 20)
    assert obligation.status is status
    if status is ESCALATED:
        assert obligation.severity is CRITICAL
        assert obligation.due_at == at(0)
        assert obligation.details["basis"] == basis
        assert obligation.triggered_by[0] == "start-E1"
        assert "best interests" in obligation.note
    else:
        assert obligation.severity is INFO


def test_a_dispute_opened_during_detention_makes_a_child_from_then():
    facts = [start(), fact("ad", "age_dispute", 30, open=True)]
    assert one("detention.child", facts, 20).status is NA
    obligation = one("detention.child", facts, 40)
    assert (obligation.status, obligation.severity) == (ESCALATED, CRITICAL)
    assert obligation.due_at == at(30)
    assert obligation.triggered_by == ("start-E1", "ad")


def test_a_dispute_closed_during_detention_ends_the_alert_but_keeps_the_record():
    facts = [
        start(),
        fact("ad", "age_dispute", 10, open=True),
        fact("ac", "age_dispute", 50, open=False),
        fact("aa", "age_assessed", 50, minimum_age=21),
    ]
    obligation = one("detention.child", facts, 60)
    assert (obligation.status, obligation.severity) == (NA, CRITICAL)
    assert obligation.details["child_since"] == at(10).isoformat()
    assert obligation.details["child_until"] == at(50).isoformat()


def test_a_dispute_opened_after_release_is_not_a_child_detained():
    facts = [start(), ended("x", 10), fact("ad", "age_dispute", 30, open=True)]
    assert one("detention.child", facts, 40).status is NA


CHILD_RELEASED = [
    pytest.param([ended("x", 30)], ("x",), id="released"),
    pytest.param(
        [fact("alt", "alternative_applied", 20, episode="E1", type="guarantor")],
        ("alt",),
        id="an alternative applied",
    ),
]


@pytest.mark.parametrize(("facts", "met_by"), CHILD_RELEASED)
def test_a_child_released_stays_on_record_as_critical(facts, met_by):
    obligation = one("detention.child", [start(), birth("2012-01-01"), *facts], 40)
    assert outcome(obligation) == (MET, CRITICAL, met_by, True)  # any detention is late


def test_a_child_who_turns_eighteen_in_detention():
    facts = [start(), birth("2008-03-05")]
    assert one("detention.child", facts, days(2)).status is ESCALATED
    before = one("detention.child", facts, days(2))
    # The moment it ends is stated, so that `refresh` looks again then.
    assert before.details["adult_at"] == "2026-03-05T00:00:00+00:00"
    obligation = one("detention.child", facts, days(4))
    assert obligation.status is NA
    assert obligation.details["child_until"] == "2026-03-05T00:00:00+00:00"
    assert "adult_at" not in obligation.details


def test_an_open_age_dispute_states_no_moment_of_adulthood():
    facts = [start(), birth("2008-03-05"), fact("ad", "age_dispute", 10, open=True)]
    obligation = one("detention.child", facts, days(2))
    assert obligation.status is ESCALATED
    assert "adult_at" not in obligation.details


def test_born_on_29_february_turns_eighteen_on_1_march():
    begins = datetime(2026, 2, 27, 9, tzinfo=UTC)
    facts = [start(begins), birth("2008-02-29")]
    assert one("detention.child", facts, begins + timedelta(days=1)).status is ESCALATED
    assert one("detention.child", facts, begins + timedelta(days=2)).status is NA


def test_a_birthday_comes_at_midnight_in_the_place_of_detention():
    begins = datetime(2026, 3, 1, 9, tzinfo=UTC)
    facts = [start(begins, zone="America/Mexico_City"), birth("2008-03-10")]
    # 03:00 UTC on 10 March is still the 9th in Mexico City.
    before = one("detention.child", facts, datetime(2026, 3, 10, 3, tzinfo=UTC))
    assert before.status is ESCALATED
    after = one("detention.child", facts, datetime(2026, 3, 10, 7, tzinfo=UTC))
    assert after.status is NA


def test_where_the_law_prohibits_detaining_children_it_says_so():
    facts = [start(PRESENTED, zone="America/Mexico_City"), birth("2012-01-01")]
    obligation = one("detention.child", facts, PRESENTED + timedelta(hours=1), mexico())
    assert obligation.details["prohibited"] is True
    assert "prohibits" in obligation.note
    assert one("detention.child", facts, PRESENTED).details["prohibited"] is False


def test_a_child_who_died_in_detention():
    facts = [start(), birth("2012-01-01"), fact("d", "death", 30)]
    obligation = one("detention.child", facts, 40)
    assert (obligation.status, obligation.severity) == (NA, CRITICAL)


# --- detention.vulnerability_screening -----------------------------------------------------

SCREENING = [
    pytest.param([], 5, (OPEN, INFO, (), False), False, id="open"),
    pytest.param(
        [screened("v", 10, positive=False)],
        30,
        (MET, INFO, ("v",), False),
        False,
        id="met on time",
    ),
    pytest.param(
        [screened("v", 30, positive=True)],
        40,
        (MET, INFO, ("v",), True),
        False,
        id="met late",
    ),
    pytest.param([], 25, (OVERDUE, WARNING, (), False), False, id="overdue"),
    pytest.param(
        [ended("x", 10)], 30, (NA, INFO, (), False), False, id="released before due"
    ),
    pytest.param(
        [ended("x", 30)], 40, (NA, INFO, (), False), True, id="released unscreened"
    ),
    pytest.param(
        [screened("v", 10, positive=True, episode="E2")],
        25,
        (OVERDUE, WARNING, (), False),
        False,
        id="another episode's screening",
    ),
]


@pytest.mark.parametrize(("facts", "now", "expected", "missed"), SCREENING)
def test_vulnerability_screening(facts, now, expected, missed):
    obligation = one("detention.vulnerability_screening", [start(), *facts], now)
    assert outcome(obligation) == expected
    assert obligation.due_at == at(24)
    assert obligation.details.get("missed", False) is missed


def test_vulnerability_screening_records_the_needs():
    facts = [start(), screened("v", 10, positive=True)]
    obligation = one("detention.vulnerability_screening", facts, 30)
    assert obligation.details["positive"] is True
    assert obligation.details["needs"] == ["torture_survivor"]


def test_vulnerability_screening_without_a_figure_is_not_applicable():
    obligation = one("detention.vulnerability_screening", [start()], 100, BARE)
    assert obligation.status is NA


# --- detention.alternatives_review ---------------------------------------------------------

ALL_STEPS = [step(n, 20 + n) for n in range(1, 6)]
ALTERNATIVES = [
    pytest.param([], 30, (OPEN, WARNING, (), False), id="open"),
    pytest.param(
        ALL_STEPS,
        50,
        (MET, INFO, ("step1", "step2", "step3", "step4", "step5"), False),
        id="five steps on time",
    ),
    pytest.param(
        [*ALL_STEPS[:4], step(5, 90)],
        100,
        (MET, INFO, ("step1", "step2", "step3", "step4", "step5"), True),
        id="five steps late",
    ),
    pytest.param(ALL_STEPS[:4], 90, (OVERDUE, CRITICAL, (), False), id="four steps"),
    pytest.param(
        [fact("alt", "alternative_applied", 40, episode="E1", type="reporting")],
        50,
        (MET, INFO, ("alt",), False),
        id="an alternative applied",
    ),
    pytest.param([ended("x", 60)], 90, (MET, INFO, ("x",), False), id="released"),
    pytest.param([ended("x", 100)], 110, (MET, INFO, ("x",), True), id="released late"),
    pytest.param(
        [
            *ALL_STEPS[:4],
            step(4, 30),
            fact(
                "b",
                "alternatives_step",
                30,
                episode="E1",
                step=True,
                outcome="x",
                evidence="y",
            ),
        ],
        90,
        (OVERDUE, CRITICAL, (), False),
        id="a repeated step and a non-number are not five steps",
    ),
]


@pytest.mark.parametrize(("facts", "now", "expected"), ALTERNATIVES)
def test_alternatives_review(facts, now, expected):
    facts = [start(), screened("v", 10, positive=True), *facts]
    obligation = one("detention.alternatives_review", facts, now)
    assert outcome(obligation) == expected
    assert obligation.due_at == at(10 + 72)
    assert obligation.triggered_by == ("start-E1", "v")


def test_alternatives_review_shows_its_progress():
    facts = [start(), screened("v", 10, positive=True), *ALL_STEPS[:2]]
    obligation = one("detention.alternatives_review", facts, 30)
    assert obligation.details["steps_recorded"] == [1, 2]
    assert obligation.details["needs"] == ["torture_survivor"]


ALTERNATIVES_NA = [
    pytest.param([], id="not screened"),
    pytest.param([screened("v", 10, positive=False)], id="a negative screen"),
    pytest.param(
        [screened("v", 10, positive=True, episode="E2")], id="another episode"
    ),
]


@pytest.mark.parametrize("facts", ALTERNATIVES_NA)
def test_alternatives_review_not_applicable(facts):
    obligation = one("detention.alternatives_review", [start(), *facts], 100)
    assert (obligation.status, obligation.severity) == (NA, INFO)


def test_alternatives_review_without_a_figure_is_not_applicable():
    facts = [start(), screened("v", 10, positive=True)]
    obligation = one("detention.alternatives_review", facts, 100, BARE)
    assert obligation.status is NA
    assert "alternatives_review" in obligation.note


# --- Properties ----------------------------------------------------------------------------

ZONES = ["UTC", "Europe/Madrid", "America/Mexico_City", "Asia/Tokyo"]
PROFILES = [INTERNATIONAL, EU, THIRTY_DAYS, BARE, mexico(), canada()]
UNRELATED_KINDS = [
    "nationality",
    "foreign_nationality_suspected",
    "asylum_status",
    "permanent_resident",
    "passport",
    "rights_informed",
    "consular_notification_requested",
    "consular_notification_declined",
    "consular_notification_consented",
    "consulate_notified",
    "consular_access_opposed",
    "communication_received",
    "communication_forwarded",
    "legal_review_completed",
    "guardianship_opened",
]
EPISODE_DATA = {
    "detention_reviewed": st.fixed_dictionaries(
        {
            "by": st.sampled_from(["judicial", "administrative", "independent"]),
            "outcome": st.sampled_from(["continued", "released"]),
        }
    ),
    "detention_extended": st.fixed_dictionaries({"ground": st.just("documents")}),
    "detention_transferred": st.fixed_dictionaries(
        {"place": st.just("Elsewhere"), "time_zone": st.sampled_from(ZONES)}
    ),
    "detention_ended": st.fixed_dictionaries(
        {"reason": st.sampled_from(["released", "removed", "no_prospect_of_removal"])}
    ),
    "vulnerability_screened": st.fixed_dictionaries(
        {"positive": st.booleans(), "needs": st.just(["older_person"])}
    ),
    "alternatives_step": st.fixed_dictionaries(
        {"step": st.integers(1, 5), "outcome": st.just("done")}
    ),
    "alternative_applied": st.fixed_dictionaries({"type": st.just("reporting")}),
}
PERSON_DATA = {
    "birth": st.fixed_dictionaries(
        {
            "date": st.dates(date(1990, 1, 1), date(2020, 1, 1)).map(str),
            "precision": st.sampled_from(["day", "month", "year"]),
        }
    ),
    "age_assessed": st.fixed_dictionaries({"minimum_age": st.integers(10, 30)}),
    "age_dispute": st.fixed_dictionaries({"open": st.booleans()}),
    "death": st.just({}),
}
HOURS = st.integers(-2000, 20000)


@st.composite
def detention_cases(draw: st.DrawFn) -> tuple[list[Fact], profiles.Profile, datetime]:
    facts = []
    for episode in draw(
        st.lists(st.sampled_from(["E1", "E2", "E3"]), unique=True, max_size=3)
    ):
        begins = draw(st.integers(0, 8000))
        facts.append(
            start(
                begins,
                episode=episode,
                zone=draw(st.sampled_from(ZONES)),
                order=draw(st.sampled_from(["administrative", "judicial"])),
            )
        )
        for n in range(draw(st.integers(0, 8))):
            kind = draw(st.sampled_from(sorted(EPISODE_DATA)))
            when = begins + draw(st.integers(0, 9000))
            data = draw(EPISODE_DATA[kind])
            facts.append(fact(f"{episode}-{n}", kind, when, episode=episode, **data))
    for n, kind in enumerate(
        draw(st.lists(st.sampled_from(sorted(PERSON_DATA)), max_size=4))
    ):
        facts.append(fact(f"person-{n}", kind, draw(HOURS), **draw(PERSON_DATA[kind])))
    return facts, draw(st.sampled_from(PROFILES)), at(draw(st.integers(0, 20000)))


def detention(
    facts: list[Fact], profile: profiles.Profile, now: datetime
) -> list[Obligation]:
    case = CaseFile("case-1", "person-1", profile.code, tuple(facts))
    return engine.evaluate(case, profile, now, only=DETENTION_RULES)


unrelated_facts = st.one_of(
    st.builds(
        lambda kind, when: fact("unrelated", kind, when, country="MEX", episode="E1"),
        st.sampled_from(UNRELATED_KINDS),
        HOURS,
    ),
    # A detention fact of an episode that never started is read by no rule either.
    st.builds(
        lambda kind, when, data: fact("unrelated", kind, when, episode="never", **data),
        st.sampled_from(sorted(EPISODE_DATA)),
        HOURS,
        st.just({"by": "judicial", "step": 1, "positive": True}),
    ),
)
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(detention_cases())
def test_evaluation_is_deterministic(drawn):
    facts, profile, now = drawn
    first = detention(facts, profile, now)
    assert detention(facts, profile, now) == first
    assert detention(list(reversed(facts)), profile, now) == first
    assert [o.as_json() for o in first] == [
        o.as_json() for o in detention(facts, profile, now)
    ]


@PROPERTY
@given(detention_cases(), unrelated_facts)
def test_an_unrelated_fact_changes_no_detention_obligation(drawn, unrelated):
    facts, profile, now = drawn
    assert detention([*facts, unrelated], profile, now) == detention(
        facts, profile, now
    )


@PROPERTY
@given(detention_cases())
def test_every_obligation_is_well_formed(drawn):
    facts, profile, now = drawn
    ids = {f.id for f in facts}
    for obligation in detention(facts, profile, now):
        assert obligation.key.split("/")[0] in {"E1", "E2", "E3"}
        assert set(obligation.triggered_by) <= ids
        assert set(obligation.met_by) <= ids
        assert (obligation.status is MET) == (obligation.met_at is not None)
        if obligation.due_at is not None:
            assert obligation.due_at.tzinfo is not None
        if obligation.status in (OPEN, OVERDUE):
            assert obligation.due_at is not None
            assert (obligation.status is OVERDUE) == (now > obligation.due_at)


BAD_AGE = [
    pytest.param(birth("not a date"), id="a date that is not one"),
    pytest.param(birth("9999-01-01"), id="a year out of range"),
    pytest.param(birth("2010-13-01"), id="month 13"),
    pytest.param(fact("aa", "age_assessed", 10, minimum_age=400), id="age 400"),
    pytest.param(fact("aa", "age_assessed", 10, minimum_age="16"), id="age as text"),
]


@pytest.mark.parametrize("evidence", BAD_AGE)
def test_age_evidence_that_cannot_be_read_is_no_evidence(evidence):
    assert one("detention.child", [start(), evidence], 20).status is NA
