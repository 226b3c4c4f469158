"""What recording a protection fact refuses, through `record_fact` against the
database (amparo.protection.preconditions, and returns.concern as seen by
amparo.returns.preconditions): an identification decision is a supervisor's, never the
case worker's; a supervisor's positive decision on reasonable grounds opens the
recovery and reflection period, and a return cannot be marked ready while it runs.
After every refusal nothing is saved: the case's facts and obligations are as they
were."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amparo.cases.tests.factories import make_case
from amparo.returns.rules import AREAS
from amparo.safeguards.models import CaseFact, Obligation
from amparo.safeguards.tests.factories import obligation, record, refused

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=10)
# Past the reflection period opened at(1): T0 + 30 days + 1 hour.
LATER = T0 + timedelta(days=40)

SUGGESTING = [
    "deceived_nature_of_job",
    "deceived_work_contract",
    "excessive_working_days_or_hours",
    "low_or_no_salary",
    "confiscation_of_documents_destination",
    "debt_bondage_destination",
]
R1 = {"return": "R1"}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


DECISION = {
    "stage": "reasonable_grounds",
    "finding": "positive",
    "decided_by": "Samir, supervisor",
    "reasons": "The interview and the documents.",
}


def decide(case, user, hours: float = 1, **changes: str):
    return record(case, user, "trafficking_identified", at(hours), **DECISION | changes)


@pytest.fixture
def screened(caseworker):
    """An adult's case (the case worker's) screened at T0 with indicators that suggest
    trafficking."""
    case = make_case(caseworker)
    record(
        case,
        caseworker,
        "trafficking_screened",
        at(0),
        indicator_set="adult_labour",
        indicators=SUGGESTING,
    )
    return case


# --- trafficking_identified: a supervisor's decision -----------------------------------


def test_the_screening_asks_for_a_decision(screened):
    duty = obligation(screened, "protection.identification", "reasonable_grounds")
    assert duty.status == "overdue"  # now is 10 days after the screening
    assert duty.due_at == T0 + timedelta(days=7)


def test_a_case_worker_may_not_decide_on_reasonable_grounds(screened, caseworker):
    message = refused(
        screened, caseworker, "trafficking_identified", at(1), "kind", **DECISION
    )
    assert "supervisor" in message
    assert not CaseFact.objects.filter(
        case=screened, kind="trafficking_identified"
    ).exists()
    assert not Obligation.objects.filter(
        case=screened, rule_id="protection.reflection_period"
    ).exists()
    duty = obligation(screened, "protection.identification", "reasonable_grounds")
    assert duty.status == "overdue"


def test_a_case_worker_may_not_make_the_conclusive_decision(
    screened, caseworker, supervisor
):
    decide(screened, supervisor)
    message = refused(
        screened,
        caseworker,
        "trafficking_identified",
        at(2),
        "kind",
        **DECISION | {"stage": "conclusive"},
    )
    assert "supervisor" in message
    assert (
        CaseFact.objects.filter(case=screened, kind="trafficking_identified").count()
        == 1
    )
    decide(screened, supervisor, 3, stage="conclusive")
    assert (
        CaseFact.objects.filter(case=screened, kind="trafficking_identified").count()
        == 2
    )


def test_the_supervisor_who_screened_does_not_decide(caseworker, supervisor):
    case = make_case(caseworker)
    record(
        case,
        supervisor,
        "trafficking_screened",
        at(0),
        indicator_set="adult_labour",
        indicators=SUGGESTING,
    )
    message = refused(
        case, supervisor, "trafficking_identified", at(1), "kind", **DECISION
    )
    assert "another authorised person" in message


def test_a_supervisors_decision_is_saved_and_opens_the_period(screened, supervisor):
    decision = decide(screened, supervisor)
    saved = CaseFact.objects.get(case=screened, kind="trafficking_identified")
    assert saved.pk == decision.pk
    assert saved.recorded_by == supervisor
    assert saved.data == DECISION
    met = obligation(screened, "protection.identification", "reasonable_grounds")
    assert (met.status, met.met_by) == ("met", [str(decision.pk)])
    period = obligation(screened, "protection.reflection_period", "reflection")
    assert period.status == "open"
    assert period.due_at == at(1) + timedelta(days=30)
    assert period.triggered_by == [str(decision.pk)]
    offers = Obligation.objects.filter(case=screened, rule_id="protection.assistance")
    assert sorted(offers.values_list("key", "status")) == [
        ("legal", "overdue"),  # 72 hours after at(1); now is 10 days later
        ("medical", "overdue"),
        ("psychosocial", "overdue"),
    ]


def test_a_negative_decision_opens_no_period(screened, supervisor):
    decide(screened, supervisor, finding="negative")
    assert not Obligation.objects.filter(
        case=screened, rule_id="protection.reflection_period"
    ).exists()
    met = obligation(screened, "protection.identification", "reasonable_grounds")
    assert met.status == "met"


def test_a_conclusive_decision_first_is_refused_as_inconsistent(screened, supervisor):
    message = refused(
        screened,
        supervisor,
        "trafficking_identified",
        at(1),
        "data.stage",
        **DECISION | {"stage": "conclusive"},
    )
    assert "reasonable grounds" in message


# --- return_ready during the reflection period -----------------------------------------


@pytest.fixture
def approved(screened, caseworker, supervisor):
    """The screened case with a positive decision at(1), and a return R1 planned,
    screened with every area clear and approved by the supervisor."""
    decide(screened, supervisor)
    record(
        screened,
        caseworker,
        "return_planned",
        at(2),
        **R1,
        return_type="assisted_voluntary",
        country="MEX",
        destination_kind="nationality",
    )
    record(
        screened,
        caseworker,
        "return_screened",
        at(3),
        **R1,
        **dict.fromkeys(AREAS, "clear"),
    )
    record(screened, supervisor, "return_screening_approved", at(4), **R1)
    assert obligation(screened, "returns.screening", "R1").status == "met"
    return screened


def test_a_return_is_not_ready_during_the_reflection_period(approved, caseworker):
    duty = obligation(approved, "returns.concern", "R1/trafficking")
    assert duty.status == "escalated"
    message = refused(approved, caseworker, "return_ready", at(5), "data.return", **R1)
    assert "Resolve a concern before return" in message
    assert "R1/trafficking" in message
    assert not CaseFact.objects.filter(case=approved, kind="return_ready").exists()


def test_a_return_is_ready_once_the_period_is_over(approved, caseworker):
    with time_machine.travel(LATER, tick=False):
        ready = record(approved, caseworker, "return_ready", LATER, **R1)
        assert CaseFact.objects.get(case=approved, kind="return_ready").pk == ready.pk
        assert obligation(approved, "returns.concern", "R1/trafficking").status == (
            "met"
        )
        period = obligation(approved, "protection.reflection_period", "reflection")
        assert period.status == "met"
