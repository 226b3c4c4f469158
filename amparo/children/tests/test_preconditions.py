"""What recording a child's fact refuses beyond the case file's consistency
(amparo.children.preconditions), through `record_fact` against the database: the BID
panel's decision (a supervisor, a signed panel of the profile's minimum, not the
report's author alone, not twice without a reopening), a durable solution or a
separation from the parents only after such a BID, a reunification only after the
checks, one undertaking per signer; and two consistency refusals (a guardian before
the child was identified, an age range upside down). After every refusal nothing is
saved: the case's facts and obligations are as they were."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.cases.tests.factories import make_case
from amparo.safeguards.models import CaseFact
from amparo.safeguards.tests.factories import obligation, record, refused

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=10)
BID = "children.best_interests_determination"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
def panel(agency, team, supervisor) -> list[User]:
    """Three panel members of agency A's team: the supervisor and two more, made as
    conftest.py makes the supervisor."""
    more = [
        UserFactory(username=name, agency=agency, role=User.Role.SUPERVISOR, team=team)
        for name in ("sofia", "sara")
    ]
    return [supervisor, *more]


def pks(users) -> list[str]:
    return [str(u.pk) for u in users]


def report(case, author, hours: float = 2, bid: str = "B1", purpose="durable_solution"):
    return record(
        case, author, "bid_report_submitted", at(hours), bid=bid, bid_purpose=purpose
    )


def sign(case, members, hours: float = 3, bid: str = "B1") -> None:
    for member in members:
        record(case, member, "bid_undertaking_signed", at(hours), bid=bid)


def decide(case, supervisor, members, hours: float = 4, bid: str = "B1"):
    return record(
        case,
        supervisor,
        "bid_decided",
        at(hours),
        bid=bid,
        bid_decision="Local integration with the aunt.",
        panel=pks(members),
    )


def reopen(case, user, hours: float, bid: str = "B1"):
    return record(
        case, user, "bid_reopened", at(hours), bid=bid, review_reason="New facts."
    )


@pytest.fixture
def child(caseworker):
    """An unaccompanied child's case (the case worker's)."""
    case = make_case(caseworker)
    record(case, caseworker, "child_status", at(0), status="unaccompanied")
    return case


@pytest.fixture
def signed(child, caseworker, panel):
    """A BID report by the case worker, each panel member's undertaking signed."""
    report(child, caseworker)
    sign(child, panel)
    return child


# --- bid_decided ---------------------------------------------------------------------


def test_a_case_worker_may_not_record_the_panels_decision(signed, caseworker, panel):
    message = refused(
        signed,
        caseworker,
        "bid_decided",
        at(4),
        "kind",
        bid="B1",
        bid_decision="x",
        panel=pks(panel),
    )
    assert "supervisor" in message


def test_a_panel_of_two_is_refused_when_the_minimum_is_three(signed, supervisor, panel):
    message = refused(
        signed,
        supervisor,
        "bid_decided",
        at(4),
        "data.panel",
        bid="B1",
        bid_decision="x",
        panel=pks(panel[:2]),
    )
    assert "at least 3" in message


def test_a_panel_member_who_signed_no_undertaking_is_refused(
    child, caseworker, supervisor, panel
):
    report(child, caseworker)
    sign(child, panel[:2])
    refused(
        child,
        supervisor,
        "bid_decided",
        at(4),
        "data.panel",
        bid="B1",
        bid_decision="x",
        panel=pks(panel),
    )


def test_the_reports_author_may_not_decide_alone(child, caseworker, supervisor):
    report(child, caseworker)
    sign(child, [caseworker])
    message = refused(
        child,
        supervisor,
        "bid_decided",
        at(4),
        "data.panel",
        bid="B1",
        bid_decision="x",
        panel=[str(caseworker.pk)],
    )
    assert "author" in message


def test_a_decided_bid_is_refused_until_reopened(signed, caseworker, supervisor, panel):
    decide(signed, supervisor, panel, hours=4)
    message = refused(
        signed,
        supervisor,
        "bid_decided",
        at(5),
        "data.bid",
        bid="B1",
        bid_decision="Again.",
        panel=pks(panel),
    )
    assert "reopen" in message
    reopen(signed, caseworker, 6)
    again = decide(signed, supervisor, panel, hours=7)
    assert CaseFact.objects.filter(case=signed, kind="bid_decided").count() == 2
    assert again.data["panel"] == pks(panel)


def test_a_supervisors_valid_decision_is_saved_and_meets_the_bid_duty(
    caseworker, supervisor, panel
):
    case = make_case(caseworker)
    record(case, caseworker, "child_status", at(0), status="separated")
    record(
        case, caseworker, "decision_proposed", at(1), decision_type="local_integration"
    )
    duty = obligation(case, BID, "local_integration")
    assert duty.status == "open"
    report(case, caseworker)
    sign(case, panel)
    decision = decide(case, supervisor, panel)
    saved = CaseFact.objects.get(case=case, kind="bid_decided")
    assert saved.pk == decision.pk
    assert saved.recorded_by == supervisor
    assert saved.data["panel"] == pks(panel)
    duty = obligation(case, BID, "local_integration")
    assert duty.status == "met"
    assert duty.met_by == [str(decision.pk)]
    assert duty.met_at == at(4)


def test_the_author_with_two_others_is_a_valid_panel(
    signed, caseworker, supervisor, panel
):
    record(signed, caseworker, "bid_undertaking_signed", at(3), bid="B1")
    decide(signed, supervisor, [caseworker, *panel[:2]])
    assert CaseFact.objects.filter(case=signed, kind="bid_decided").count() == 1


# --- decision_taken: a durable solution or a separation after a BID -----------------


def test_resettlement_of_an_unaccompanied_child_needs_a_bid(
    signed, caseworker, supervisor, panel
):
    message = refused(
        signed,
        caseworker,
        "decision_taken",
        at(5),
        "data.decision_type",
        decision_type="resettlement",
    )
    assert "best interests determination" in message
    decide(signed, supervisor, panel)
    taken = record(
        signed, caseworker, "decision_taken", at(5), decision_type="resettlement"
    )
    assert taken.data == {"decision_type": "resettlement"}


def test_a_reopened_bid_does_not_allow_the_decision(
    signed, caseworker, supervisor, panel
):
    decide(signed, supervisor, panel)
    reopen(signed, caseworker, 5)
    refused(
        signed,
        caseworker,
        "decision_taken",
        at(6),
        "data.decision_type",
        decision_type="resettlement",
    )


def test_a_bid_for_another_purpose_does_not_allow_a_durable_solution(
    child, caseworker, supervisor, panel
):
    report(child, caseworker, purpose="separation_from_parents")
    sign(child, panel)
    decide(child, supervisor, panel)
    refused(
        child,
        caseworker,
        "decision_taken",
        at(5),
        "data.decision_type",
        decision_type="resettlement",
    )


def test_separation_from_the_parents_needs_a_bid_even_for_an_accompanied_child(
    caseworker, supervisor, panel
):
    case = make_case(caseworker)
    record(case, caseworker, "child_status", at(0), status="accompanied")
    # A durable solution for an accompanied child needs none.
    record(case, caseworker, "decision_taken", at(1), decision_type="resettlement")
    refused(
        case,
        caseworker,
        "decision_taken",
        at(5),
        "data.decision_type",
        decision_type="separation_from_parents",
    )
    report(case, caseworker, purpose="separation_from_parents")
    sign(case, panel)
    decide(case, supervisor, panel)
    record(
        case,
        caseworker,
        "decision_taken",
        at(5),
        decision_type="separation_from_parents",
    )
    assert CaseFact.objects.filter(case=case, kind="decision_taken").count() == 2


# --- reunified: after the relationship, the child's views and the family ------------


def _assessed(case, user, hours, **checks):
    values = {
        "relationship_verified": True,
        "child_views_recorded": True,
        "family_willing": True,
    }
    return record(case, user, "reunification_assessed", at(hours), **values | checks)


def test_reunified_is_refused_until_all_three_checks_are_true(child, caseworker):
    refused(child, caseworker, "reunified", at(1), "kind", country="MEX")
    for hours, missing in enumerate(
        ("relationship_verified", "child_views_recorded", "family_willing"), start=2
    ):
        _assessed(child, caseworker, hours, **{missing: False})
        refused(child, caseworker, "reunified", at(hours), "kind", country="MEX")
    _assessed(child, caseworker, 6)
    record(child, caseworker, "reunified", at(7), country="MEX")
    assert CaseFact.objects.filter(case=child, kind="reunified").count() == 1


def test_the_latest_reunification_check_counts(child, caseworker):
    _assessed(child, caseworker, 1)
    _assessed(child, caseworker, 2, family_willing=False)
    refused(child, caseworker, "reunified", at(3), "kind", country="MEX")


# --- bid_undertaking_signed: once per signer ----------------------------------------


def test_signing_the_undertaking_twice_is_refused(signed, supervisor, caseworker):
    message = refused(
        signed, supervisor, "bid_undertaking_signed", at(5), "data.bid", bid="B1"
    )
    assert "already" in message
    # Another signer may still sign.
    record(signed, caseworker, "bid_undertaking_signed", at(5), bid="B1")


def test_signing_for_another_bid_is_not_signing_twice(signed, supervisor, caseworker):
    report(signed, caseworker, hours=4, bid="B2")
    record(signed, supervisor, "bid_undertaking_signed", at(5), bid="B2")
    assert (
        CaseFact.objects.filter(
            case=signed, kind="bid_undertaking_signed", recorded_by=supervisor
        ).count()
        == 2
    )


# --- consistency refusals -------------------------------------------------------------


def test_a_guardian_appointed_before_identification_is_refused(caseworker):
    case = make_case(caseworker)
    refused(
        case,
        caseworker,
        "guardian_appointed",
        at(1),
        "at",
        guardian="G1",
        guardian_type="professional",
    )
    record(case, caseworker, "child_status", at(2), status="accompanied")
    refused(
        case,
        caseworker,
        "guardian_appointed",
        at(3),
        "at",
        guardian="G1",
        guardian_type="professional",
    )
    record(case, caseworker, "child_status", at(4), status="unaccompanied")
    record(
        case,
        caseworker,
        "guardian_appointed",
        at(5),
        guardian="G1",
        guardian_type="professional",
    )
    assert obligation(case, "children.guardian", "1").status == "met"


def test_an_age_range_upside_down_is_refused(caseworker):
    case = make_case(caseworker)
    message = refused(
        case,
        caseworker,
        "age_assessed",
        at(1),
        "data.maximum_age",
        minimum_age=15,
        maximum_age=14,
    )
    assert "below its minimum" in message
    record(case, caseworker, "age_assessed", at(1), minimum_age=15, maximum_age=15)
