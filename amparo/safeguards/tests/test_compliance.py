"""Compliance figures: cases made and facts recorded through the real actions, so that
the obligations counted are exactly those the engine stores."""

import shutil
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amparo.cases.models import Case
from amparo.cases.queries import cases_visible_to
from amparo.cases.tests.factories import make_case
from amparo.safeguards import compliance, profiles
from amparo.safeguards.compliance import Ratio
from amparo.safeguards.tests.factories import detained_case, obligation, record

pytestmark = pytest.mark.django_db

# The statistics of March 2026, taken on its last day.
MARCH = datetime(2026, 3, 1, tzinfo=UTC)
APRIL = datetime(2026, 4, 1, tzinfo=UTC)
NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
T = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 10:00 in Mexico City
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _end_of_march():
    with time_machine.travel(NOW, tick=False):
        yield


def _figures(cases=None, *, now=NOW):
    return compliance.figures(
        Case.objects.all() if cases is None else cases,
        period_start=MARCH,
        period_end=APRIL,
        now=now,
    )


def _foreigner(user, at, country="HND", **kwargs):
    """Detained at `at`, their nationality known at once."""
    case = detained_case(user, at, **kwargs)
    record(case, user, "nationality", at, country=country, status="claimed")
    return case


def _release(case, user, at, episode="ep1"):
    record(case, user, "detention_ended", at, episode=episode, reason="released")


def _child(user, at, born="2010-05-01"):
    case = make_case(user, types=("detention",))
    record(case, user, "birth", at, date=born)
    return detained_case(user, at, case=case)


# --- Telling the person of their consular rights -----------------------------------


def test_informed_within_24_hours(caseworker):
    told = _foreigner(caseworker, T)
    record(told, caseworker, "rights_informed", T + 3 * HOUR, language="es")
    late = _foreigner(caseworker, T, "GTM")
    record(late, caseworker, "rights_informed", T + 30 * HOUR, language="es")
    _foreigner(caseworker, T, "SLV")  # never told: overdue
    stateless = _foreigner(caseworker, T, "XXA")
    assert obligation(stateless, "consular.inform_rights", "XXA").status == (
        "not_applicable"
    )

    figures = _figures()

    assert figures.informed_within_24h == Ratio(1, 3, 0)
    assert figures.informed_within_24h.share == pytest.approx(1 / 3)
    # The baseline's deadline is 24 hours too: the same duties are late by it.
    assert figures.informed_by_deadline == Ratio(1, 3, 0)


def test_the_24_hours_run_from_when_the_clock_started(caseworker):
    # Known to be foreign five hours into the detention: the clock starts then, and
    # telling him 26 hours into the detention is 21 hours into it.
    case = detained_case(caseworker, T)
    record(
        case, caseworker, "nationality", T + 5 * HOUR, country="HND", status="claimed"
    )
    record(case, caseworker, "rights_informed", T + 26 * HOUR, language="es")
    # A clock that started in February is February's figure, though met in March.
    february = _foreigner(caseworker, MARCH - 2 * HOUR)
    record(february, caseworker, "rights_informed", MARCH + 20 * HOUR, language="es")

    assert _figures().informed_within_24h == Ratio(1, 1, 0)


def test_a_duty_not_yet_due_is_pending_until_its_24_hours_are_gone(caseworker):
    _foreigner(caseworker, NOW - 2 * HOUR)

    assert _figures().informed_within_24h == Ratio(0, 0, 1)
    assert _figures().informed_within_24h.share is None
    # A day later, with no refresh run, the stored "open" duty is late all the same.
    later = _figures(now=NOW + 23 * HOUR)
    assert later.informed_within_24h == Ratio(0, 1, 0)
    assert later.informed_by_deadline == Ratio(0, 1, 0)


# Two jurisdictions of the tests' own: the shipped profiles all give 24 hours.
SLOWER = """
code = "slower"
name = "Forty-eight hours"
version = "2026-01-01"
country = "ZZZ"
time_zone = "UTC"

[figures.consular_rights_information]
value = 48
unit = "hours"
source = "Test profile"
confidence = "U"
effective_from = 2000-01-01
"""
SILENT = """
code = "silent"
name = "No figure"
version = "2026-01-01"
country = "ZZZ"
time_zone = "UTC"

[figures.consular_rights_information]
source = "Test profile: the law sets no time"
confidence = "U"
effective_from = 2000-01-01
"""


@pytest.fixture
def test_profiles(tmp_path, monkeypatch):
    shutil.copytree(profiles.PROFILES, tmp_path, dirs_exist_ok=True)
    (tmp_path / "slower.toml").write_text(SLOWER, encoding="utf-8")
    (tmp_path / "silent.toml").write_text(SILENT, encoding="utf-8")
    monkeypatch.setattr(profiles, "PROFILES", tmp_path)
    profiles.load.cache_clear()
    yield
    profiles.load.cache_clear()


@pytest.mark.usefixtures("test_profiles")
def test_within_24_hours_is_not_the_profiles_deadline(caseworker):
    slower = _foreigner(caseworker, T, jurisdiction="slower")
    record(slower, caseworker, "rights_informed", T + 30 * HOUR, language="es")
    assert obligation(slower, "consular.inform_rights", "HND").due_at == T + 48 * HOUR
    # No deadline in law: judged against 24 hours, not against a deadline.
    silent = _foreigner(caseworker, T, jurisdiction="silent")
    record(silent, caseworker, "rights_informed", T + 3 * HOUR, language="es")
    assert obligation(silent, "consular.inform_rights", "HND").due_at is None

    figures = _figures()

    assert figures.informed_within_24h == Ratio(1, 2, 0)
    assert figures.informed_by_deadline == Ratio(1, 1, 0)


# --- Telling the consulate ---------------------------------------------------------


def _asks(user, at, country="HND", notified_after=None):
    case = _foreigner(user, at - HOUR, country)
    record(case, user, "consular_notification_requested", at, country=country)
    if notified_after is not None:
        record(
            case,
            user,
            "consulate_notified",
            at + notified_after,
            country=country,
            about="detention",
        )
    return case


def test_consulates_notified_on_time(caseworker):
    _asks(caseworker, T, notified_after=5 * HOUR)  # on time
    late = _asks(caseworker, T, notified_after=40 * HOUR)
    assert obligation(late, "consular.notify_on_request", "HND").status == "met"
    _asks(caseworker, T)  # never: overdue
    _asks(caseworker, NOW - 20 * HOUR)  # due at 16:00 today: pending
    _asks(caseworker, MARCH - 2 * DAY)  # due in February: not March's
    stateless = _asks(caseworker, T, country="XXA")
    assert obligation(stateless, "consular.notify_on_request", "XXA").status == (
        "not_applicable"
    )
    # Jamaica is on the United States' mandatory-notification list.
    mandatory = _foreigner(caseworker, T, "JAM", jurisdiction="united_states")
    record(mandatory, caseworker, "rights_informed", T + HOUR, language="en")
    record(
        mandatory,
        caseworker,
        "consulate_notified",
        T + 2 * HOUR,
        country="JAM",
        about="detention",
    )

    figures = _figures()

    assert figures.notified_on_request_on_time == Ratio(1, 3, 1)
    assert figures.mandatory_notifications_on_time == Ratio(1, 1, 0)
    assert figures.consulates_notified_on_time == Ratio(2, 4, 1)
    assert figures.consulates_notified_on_time.share == 0.5


# --- Reviews of detention ----------------------------------------------------------


def test_reviews_on_time(caseworker):
    on_time = detained_case(caseworker, T)
    record(
        on_time,
        caseworker,
        "detention_reviewed",
        T + 24 * HOUR,
        episode="ep1",
        by="judicial",
        outcome="continued",
    )
    late = detained_case(caseworker, T)
    record(
        late,
        caseworker,
        "detention_reviewed",
        T + 60 * HOUR,
        episode="ep1",
        by="judicial",
        outcome="continued",
    )
    # Detained in February (its first review due then: February's figure); its first
    # periodic review, due 30 days after that review, held in March on time, and the
    # second due at 16:00 today: pending.
    february = detained_case(caseworker, datetime(2026, 2, 1, 16, 0, tzinfo=UTC))
    for at, by in (
        (datetime(2026, 2, 2, 16, 0, tzinfo=UTC), "judicial"),
        (T - DAY, "independent"),
    ):
        record(
            february,
            caseworker,
            "detention_reviewed",
            at,
            episode="ep1",
            by=by,
            outcome="continued",
        )
    assert obligation(late, "detention.first_review").met_late

    figures = _figures()

    assert figures.first_reviews_on_time == Ratio(1, 2, 0)
    assert figures.periodic_reviews_on_time == Ratio(1, 1, 1)
    assert figures.reviews_on_time == Ratio(2, 3, 1)


# --- Detention episodes ------------------------------------------------------------


def test_median_and_longest_detention(caseworker):
    ten = detained_case(caseworker, T)
    _release(ten, caseworker, T + 10 * DAY)
    thirty = detained_case(caseworker, T - 10 * DAY)  # from February
    _release(thirty, caseworker, T + 20 * DAY)
    january = detained_case(caseworker, datetime(2026, 1, 5, tzinfo=UTC))
    _release(january, caseworker, datetime(2026, 1, 15, tzinfo=UTC))

    figures = _figures()

    assert figures.episodes == 2
    assert figures.episodes_open == 0
    assert figures.persons_detained == 2
    assert figures.median_detention == 20 * DAY
    assert figures.longest_detention == 30 * DAY
    assert figures.longest_detention_open is False


def test_an_open_episode_is_counted_up_to_now(caseworker):
    detained_case(caseworker, NOW - 12 * DAY)
    five = detained_case(caseworker, T)
    _release(five, caseworker, T + 5 * DAY)
    died = detained_case(caseworker, T)
    record(died, caseworker, "death", T + 3 * DAY)

    figures = _figures()

    assert figures.episodes == 3
    assert figures.episodes_open == 1
    assert figures.median_detention == 5 * DAY
    assert figures.longest_detention == 12 * DAY
    assert figures.longest_detention_open is True


def test_a_person_detained_twice_counts_once(caseworker):
    case = detained_case(caseworker, T)
    _release(case, caseworker, T + 2 * DAY)
    detained_case(caseworker, T + 4 * DAY, episode="ep2", case=case)

    figures = _figures()

    assert (figures.episodes, figures.persons_detained) == (2, 1)
    assert figures.median_detention == (2 * DAY + (NOW - T - 4 * DAY)) / 2


# --- Children ------------------------------------------------------------------------


def test_children_detained(caseworker):
    child = _child(caseworker, T)
    assert obligation(child, "detention.child").status == "escalated"
    adult = _child(caseworker, T, born="1990-05-01")
    assert obligation(adult, "detention.child").status == "not_applicable"
    # Released in January: not a child detained in March.
    january = _child(caseworker, datetime(2026, 1, 5, tzinfo=UTC))
    _release(january, caseworker, datetime(2026, 1, 15, tzinfo=UTC))
    # Turned 18 in detention in March: the duty lapses, the child was detained.
    turned = _child(caseworker, T, born="2008-03-10")
    assert obligation(turned, "detention.child").status == "not_applicable"
    assert obligation(turned, "detention.child").severity == "critical"
    # Turned 18 in detention in February: still detained in March, but as an adult.
    _child(caseworker, datetime(2026, 2, 1, tzinfo=UTC), born="2008-02-10")

    figures = _figures()

    assert figures.children_detained == 2
    assert figures.persons_detained == 4


# --- Scope ---------------------------------------------------------------------------


def test_an_empty_scope_gives_zero_denominators_and_no_shares(caseworker):
    case = _foreigner(caseworker, T)
    record(case, caseworker, "rights_informed", T + HOUR, language="es")

    figures = _figures(Case.objects.none())

    for ratio in (
        figures.informed_within_24h,
        figures.informed_by_deadline,
        figures.consulates_notified_on_time,
        figures.notified_on_request_on_time,
        figures.mandatory_notifications_on_time,
        figures.reviews_on_time,
        figures.first_reviews_on_time,
        figures.periodic_reviews_on_time,
    ):
        assert ratio == Ratio(0, 0, 0)
        assert ratio.share is None
    assert figures.episodes == figures.episodes_open == 0
    assert figures.persons_detained == figures.children_detained == 0
    assert figures.median_detention is None
    assert figures.longest_detention is None
    assert figures.longest_detention_open is False


def _everything(user):
    """A case on which every figure counts one."""
    case = _child(user, T)
    record(case, user, "nationality", T, country="HND", status="claimed")
    record(case, user, "rights_informed", T + HOUR, language="es")
    record(case, user, "consular_notification_requested", T + HOUR, country="HND")
    record(
        case,
        user,
        "consulate_notified",
        T + 2 * HOUR,
        country="HND",
        about="detention",
    )
    record(
        case,
        user,
        "detention_reviewed",
        T + 3 * HOUR,
        episode="ep1",
        by="judicial",
        outcome="continued",
    )
    return case


def test_a_case_outside_the_scope_is_not_counted(caseworker, outsider):
    _everything(caseworker)
    _everything(outsider)

    whole = _figures()
    assert whole.informed_within_24h == Ratio(2, 2, 0)
    assert whole.episodes == 2

    figures = _figures(cases_visible_to(caseworker))

    assert figures.informed_within_24h == Ratio(1, 1, 0)
    assert figures.consulates_notified_on_time == Ratio(1, 1, 0)
    assert figures.first_reviews_on_time == Ratio(1, 1, 0)
    assert (figures.episodes, figures.persons_detained) == (1, 1)
    assert figures.children_detained == 1


def test_the_queries_do_not_grow_with_the_cases(caseworker):
    _everything(caseworker)
    with CaptureQueriesContext(connection) as one:
        _figures()
    for _ in range(3):
        _everything(caseworker)
    with CaptureQueriesContext(connection) as four:
        figures = _figures()

    assert figures.informed_within_24h == Ratio(4, 4, 0)
    assert len(four.captured_queries) == len(one.captured_queries) == 5


def test_naive_or_empty_periods_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        compliance.figures(
            Case.objects.all(),
            period_start=datetime(2026, 3, 1),  # noqa: DTZ001 - the point of the test
            period_end=APRIL,
            now=NOW,
        )
    with pytest.raises(ValueError, match="end after"):
        compliance.figures(
            Case.objects.all(), period_start=APRIL, period_end=MARCH, now=NOW
        )
