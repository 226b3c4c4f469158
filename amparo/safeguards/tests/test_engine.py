"""The engine core: facts, statuses, ordering, registration, and its purity."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amparo.safeguards import engine, profiles
from amparo.safeguards.facts import CaseFile, Fact, NaiveTimeError
from amparo.safeguards.obligations import Severity, Status, timed_status

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_a_time_without_a_zone_is_refused_everywhere():
    with pytest.raises(NaiveTimeError, match="fact f1"):
        Fact("f1", "death", datetime(2026, 3, 1, 9, 0))  # noqa: DTZ001
    case = CaseFile("c", "p", "international")
    with pytest.raises(NaiveTimeError, match="evaluation time"):
        engine.evaluate(case, profiles.load("international"), datetime(2026, 3, 1))  # noqa: DTZ001


def test_facts_are_kept_in_time_order_and_found_by_kind_and_data():
    later = Fact(
        "b", "detention_reviewed", T0 + timedelta(hours=5), data={"episode": "1"}
    )
    earlier = Fact("a", "detention_started", T0, data={"episode": "1"})
    other = Fact(
        "c", "detention_started", T0 + timedelta(days=9), data={"episode": "2"}
    )
    case = CaseFile("c", "p", "international", (later, other, earlier))
    assert [f.id for f in case.facts] == ["a", "b", "c"]
    assert case.first("detention_started") == earlier
    assert case.last("detention_started") == other
    assert case.first("detention_started", where={"episode": "2"}) == other
    assert case.first("death") is None


@pytest.mark.parametrize(
    ("met_at", "now", "status"),
    [
        (None, T0 - timedelta(seconds=1), Status.OPEN),
        (None, T0 + timedelta(seconds=1), Status.OVERDUE),
        (T0 - timedelta(hours=1), T0 + timedelta(days=1), Status.MET),
        (T0 + timedelta(hours=1), T0 + timedelta(days=1), Status.MET),  # late, met
        (T0 + timedelta(hours=1), T0 + timedelta(minutes=30), Status.OVERDUE),
    ],
)
def test_timed_status(met_at, now, status):
    assert timed_status(T0, met_at, now) is status


class _Probe(engine.Rule):
    """A rule for the test: one obligation a day after the first fact."""

    id = "test.probe"
    title = "Probe"
    citations = ("test",)

    def evaluate(self, case, profile, now):
        first = case.facts[0] if case.facts else None
        if first is None:
            return []
        due_at = first.at + timedelta(days=1)
        return [
            self.obligation(
                case,
                key=f"k{n}",
                due="probe",
                due_at=due_at if n else None,
                status=timed_status(due_at, None, now),
                severity=Severity.INFO,
                triggered_by=(first.id,),
            )
            for n in (0, 1)
        ]


@pytest.fixture
def probe():
    engine.register(_Probe)
    yield engine.rule("test.probe")
    engine._REGISTRY.pop("test.probe")


def test_evaluate_fills_the_case_and_orders_by_deadline(probe):
    case = CaseFile("case-1", "person-1", "international", (Fact("f", "death", T0),))
    found = engine.evaluate(
        case, profiles.load("international"), T0, only=["test.probe"]
    )
    assert [(o.key, o.case_id, o.person_id, o.citations) for o in found] == [
        ("k1", "case-1", "person-1", ("test",)),
        ("k0", "case-1", "person-1", ("test",)),  # no deadline sorts last
    ]
    assert found[0].as_json()["due_at"] == "2026-03-02T09:00:00+00:00"
    assert (
        probe.explanation()
        == "A rule for the test: one obligation a day after the first fact."
    )


def test_two_rules_with_one_id_and_unknown_rules_are_refused(probe):
    with pytest.raises(ValueError, match="two rules"):
        engine.register(_Probe)
    case = CaseFile("c", "p", "international")
    with pytest.raises(engine.UnknownRuleError):
        engine.evaluate(case, profiles.load("international"), T0, only=["no.such"])


def test_deadlines_follow_the_place_then_the_profile():
    mexico_city = engine.deadline(
        profiles.load("international"),
        T0,
        profiles.load("international")
        .figure("detention_first_review", T0.date())
        .duration,
        "America/Mexico_City",
    )
    assert mexico_city == T0 + timedelta(hours=48)
    assert mexico_city.tzinfo == ZoneInfo("America/Mexico_City")


def test_the_core_and_the_rules_import_nothing_from_django():
    code = (
        "import sys\n"
        "from amparo.safeguards import engine, profiles\n"
        "engine.load_rules()\n"
        "profiles.load('international')\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
