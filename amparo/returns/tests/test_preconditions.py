"""What recording a return's fact refuses beyond the case file's consistency
(amparo.returns.preconditions), through `record_fact` against the database: a
screening approved by a supervisor, only once per screening; a return marked ready
only once screened and approved with nothing blocking it (a concern, a pending asylum
claim, an unaccompanied child's missing best interests determination). After every
refusal nothing is saved: the case's facts and obligations are as they were."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.cases.tests.factories import make_case
from amparo.returns.rules import AREAS
from amparo.safeguards.models import CaseFact, Obligation
from amparo.safeguards.tests.factories import obligation, record, refused

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def plan(case, user, hours: float = 1, ret: str = "R1"):
    return record(
        case,
        user,
        "return_planned",
        at(hours),
        **{
            "return": ret,
            "return_type": "assisted_voluntary",
            "country": "MEX",
            "destination_kind": "nationality",
        },
    )


def screen(case, user, hours: float, ret: str = "R1", **areas: str):
    """A screening: every area clear unless named."""
    found = {area: areas.pop(area, "clear") for area in AREAS}
    assert not areas, f"no such areas: {areas}"
    return record(case, user, "return_screened", at(hours), **{"return": ret}, **found)


def approve(case, supervisor, hours: float, ret: str = "R1"):
    return record(
        case, supervisor, "return_screening_approved", at(hours), **{"return": ret}
    )


def ready(case, user, hours: float, ret: str = "R1"):
    return record(case, user, "return_ready", at(hours), **{"return": ret})


R1 = {"return": "R1"}


@pytest.fixture
def planned(caseworker):
    """An adult's case (the case worker's) with a return R1 planned."""
    case = make_case(caseworker)
    plan(case, caseworker)
    return case


# --- return_screening_approved --------------------------------------------------------


def test_a_case_worker_may_not_approve_a_screening(planned, caseworker):
    screen(planned, caseworker, 2)
    message = refused(
        planned, caseworker, "return_screening_approved", at(3), "kind", **R1
    )
    assert "supervisor" in message


def test_an_unscreened_return_cannot_be_approved(planned, supervisor):
    message = refused(
        planned, supervisor, "return_screening_approved", at(3), "data.return", **R1
    )
    assert "not been screened" in message


def test_the_latest_screening_is_approved_once(planned, caseworker, supervisor):
    screen(planned, caseworker, 2)
    approve(planned, supervisor, 3)
    message = refused(
        planned, supervisor, "return_screening_approved", at(4), "data.return", **R1
    )
    assert "is approved" in message
    # A new screening needs, and may have, its own approval.
    screen(planned, caseworker, 5)
    approve(planned, supervisor, 6)
    assert obligation(planned, "returns.screening", "R1").status == "met"


def test_a_supervisors_approval_meets_the_screening_duty(
    planned, caseworker, supervisor
):
    screen(planned, caseworker, 2)
    assert obligation(planned, "returns.screening", "R1").status == "open"
    approval = approve(planned, supervisor, 3)
    duty = obligation(planned, "returns.screening", "R1")
    assert (duty.status, duty.met_by) == ("met", [str(approval.pk)])


# --- return_ready: screened, approved, nothing blocking ------------------------------


def test_ready_is_refused_without_a_screening(planned, caseworker):
    message = refused(planned, caseworker, "return_ready", at(2), "data.return", **R1)
    assert "Screen before return (R1)" in message


def test_ready_is_refused_with_a_screening_not_approved(planned, caseworker):
    screen(planned, caseworker, 2)
    message = refused(planned, caseworker, "return_ready", at(3), "data.return", **R1)
    assert "Screen before return (R1)" in message


def test_ready_is_refused_while_the_approved_screening_has_a_concern(
    planned, caseworker, supervisor
):
    screen(planned, caseworker, 2, health="concern")
    approve(planned, supervisor, 3)
    message = refused(planned, caseworker, "return_ready", at(4), "data.return", **R1)
    assert "Resolve a concern before return (R1/health)" in message
    assert "Screen before return" not in message  # that duty is met
    # A later screening that finds it clear, approved, unblocks the return.
    screen(planned, caseworker, 5)
    approve(planned, supervisor, 6)
    ready(planned, caseworker, 7)
    assert obligation(planned, "returns.concern", "R1/health").status == "met"


def test_ready_is_refused_while_the_person_seeks_asylum(caseworker, supervisor):
    case = make_case(caseworker)
    record(case, caseworker, "asylum_status", at(0), status="asylum_seeker")
    plan(case, caseworker)
    screen(case, caseworker, 2)
    approve(case, supervisor, 3)
    message = refused(case, caseworker, "return_ready", at(4), "data.return", **R1)
    assert "Resolve a concern before return (R1/asylum)" in message
    # The claim closed: nothing blocks any more.
    record(case, caseworker, "asylum_status", at(5), status="none")
    ready(case, caseworker, 6)


def test_ready_is_refused_for_an_unaccompanied_child_without_a_bid(
    agency, team, caseworker, supervisor
):
    case = make_case(caseworker)
    record(case, caseworker, "child_status", at(0), status="unaccompanied")
    plan(case, caseworker)
    screen(case, caseworker, 2)
    approve(case, supervisor, 3)
    message = refused(case, caseworker, "return_ready", at(4), "data.return", **R1)
    assert "Determine the child's best interests" in message
    assert "(return)" in message
    # A BID for a durable solution by a signed panel of three: the return may go on.
    panel = [
        supervisor,
        *(
            UserFactory(username=n, agency=agency, role=User.Role.SUPERVISOR, team=team)
            for n in ("sofia", "sara")
        ),
    ]
    record(
        case,
        caseworker,
        "bid_report_submitted",
        at(5),
        bid="B1",
        bid_purpose="durable_solution",
    )
    for member in panel:
        record(case, member, "bid_undertaking_signed", at(6), bid="B1")
    record(
        case,
        supervisor,
        "bid_decided",
        at(7),
        bid="B1",
        bid_decision="Return to the family.",
        panel=[str(m.pk) for m in panel],
    )
    ready(case, caseworker, 8)
    assert (
        obligation(case, "children.best_interests_determination", "return").status
        == "met"
    )


def test_ready_is_accepted_once_screened_clear_and_approved(
    planned, caseworker, supervisor
):
    screen(planned, caseworker, 2)
    approve(planned, supervisor, 3)
    fact = ready(planned, caseworker, 4)
    assert CaseFact.objects.get(case=planned, kind="return_ready").pk == fact.pk
    assert obligation(planned, "returns.screening", "R1").status == "met"
    assert not Obligation.objects.filter(case=planned, rule_id="returns.concern")


def test_another_returns_approval_does_not_make_this_one_ready(
    planned, caseworker, supervisor
):
    plan(planned, caseworker, 1, ret="R2")
    screen(planned, caseworker, 2, ret="R2")
    approve(planned, supervisor, 3, ret="R2")
    screen(planned, caseworker, 2)
    message = refused(planned, caseworker, "return_ready", at(4), "data.return", **R1)
    assert "(R1)" in message
    ready(planned, caseworker, 4, ret="R2")
