"""The children's and returns' figures: counted from recorded facts and the
obligations they made, over the cases the caller may count, with numerators and
denominators; and the supervisor's page, which nobody else opens."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from amparo.cases.models import Case
from amparo.cases.queries import cases_visible_to
from amparo.cases.tests.factories import make_case
from amparo.children import figures
from amparo.people.tests.factories import make_person
from amparo.safeguards.tests.factories import record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=20)
PERIOD = {"period_start": T0 - timedelta(days=1), "period_end": T0 + timedelta(days=10)}
CLEAR = dict.fromkeys(
    (
        "child",
        "trafficking",
        "asylum",
        "non_refoulement",
        "health",
        "pregnancy",
        "family_unity",
        "reception",
    ),
    "clear",
)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def child_case(user, *, born: date, nationality: str, sex: str = "F") -> Case:
    person = make_person(user, birth_date=born, nationalities=(nationality,), sex=sex)
    return make_case(user, person)


def count(user):
    return figures.figures(cases_visible_to(user), now=NOW, **PERIOD)


def test_separated_children_with_their_breakdowns_and_days_to_a_guardian(caseworker):
    girl = child_case(caseworker, born=date(2012, 5, 1), nationality="AFG")
    boy = child_case(caseworker, born=date(2023, 1, 1), nationality="SYR", sex="M")
    record(girl, caseworker, "child_status", T0, status="unaccompanied")
    record(
        girl,
        caseworker,
        "guardian_appointed",
        T0 + timedelta(hours=12),
        guardian="G1",
        guardian_type="professional",
    )
    record(boy, caseworker, "child_status", T0, status="separated")
    record(
        boy,
        caseworker,
        "guardian_appointed",
        T0 + timedelta(days=3),
        guardian="G1",
        guardian_type="institutional",
    )
    # Accompanied: a child, but not separated; not counted.
    other = child_case(caseworker, born=date(2015, 1, 1), nationality="AFG")
    record(other, caseworker, "child_status", T0, status="accompanied")

    found = count(caseworker)

    assert found.separated_children == 2
    assert found.by_status == {"unaccompanied": 1, "separated": 1}
    assert found.by_sex == {"F": 1, "M": 1}
    assert found.by_age_group == {"10-14": 1, "0-4": 1}
    assert found.by_nationality == {"AFG": 1, "SYR": 1}
    # One guardian within 24 hours, one after three days.
    assert (found.guardians_on_time.numerator, found.guardians_on_time.denominator) == (
        1,
        2,
    )
    assert found.days_to_guardian == pytest.approx((0.5 + 3) / 2)


def test_a_case_the_user_does_not_see_is_not_counted(caseworker, outsider):
    case = child_case(caseworker, born=date(2012, 5, 1), nationality="AFG")
    record(case, caseworker, "child_status", T0, status="unaccompanied")
    assert count(caseworker).separated_children == 1
    assert count(outsider).separated_children == 0


def test_out_of_school_by_the_latest_record_with_its_barriers(caseworker):
    first = child_case(caseworker, born=date(2012, 5, 1), nationality="AFG")
    second = child_case(caseworker, born=date(2013, 5, 1), nationality="AFG")
    record(
        first,
        caseworker,
        "education_status",
        T0,
        enrolment="not_enrolled",
        barriers=["documents", "language"],
    )
    record(second, caseworker, "education_status", T0, enrolment="not_enrolled")
    record(
        second,
        caseworker,
        "education_status",
        T0 + timedelta(days=1),
        enrolment="enrolled",
    )
    found = count(caseworker)
    assert found.out_of_school == 1
    assert found.barriers == {"documents": 1, "language": 1}


def test_returns_screened_before_the_return_and_those_still_blocked(
    caseworker, supervisor
):
    cases = [make_case(caseworker) for _ in range(3)]
    for case in cases:
        record(
            case,
            caseworker,
            "return_planned",
            T0,
            **{"return": "R1"},
            return_type="voluntary",
            country="GTM",
            destination_kind="nationality",
        )
    screened, blocked, unscreened = cases
    record(
        screened,
        caseworker,
        "return_screened",
        T0 + timedelta(hours=1),
        **{"return": "R1"},
        **CLEAR,
    )
    record(
        screened,
        supervisor,
        "return_screening_approved",
        T0 + timedelta(hours=2),
        **{"return": "R1"},
    )
    record(
        blocked,
        caseworker,
        "return_screened",
        T0 + timedelta(hours=1),
        **{"return": "R1"},
        **(CLEAR | {"reception": "concern"}),
    )
    # Carried out with no screening at all: recorded as it happened, and escalated.
    record(
        unscreened,
        caseworker,
        "return_completed",
        T0 + timedelta(days=1),
        **{"return": "R1"},
    )

    found = count(supervisor)

    ratio = found.returns_screened
    assert (ratio.numerator, ratio.denominator, ratio.pending) == (1, 2, 1)
    assert found.returns_blocked == 1


def test_decisions_after_a_bid_against_those_without(caseworker):
    case = child_case(caseworker, born=date(2012, 5, 1), nationality="AFG")
    record(case, caseworker, "child_status", T0, status="unaccompanied")
    record(
        case,
        caseworker,
        "decision_proposed",
        T0 + timedelta(hours=1),
        decision_type="resettlement",
    )
    found = count(caseworker).bids_before_decisions
    assert (found.numerator, found.denominator, found.pending) == (0, 0, 1)


def test_only_a_supervisor_opens_the_figures_page(
    client, supervisor, caseworker, outsider
):
    client.force_login(supervisor)
    page = client.get("/children/figures/")
    assert page.status_code == 200
    assert "Guardians appointed on time" in page.content.decode()
    for user in (caseworker, outsider):
        client.force_login(user)
        assert client.get("/children/figures/").status_code == 404
