"""Deadlines: hours are elapsed time, days and months keep the local time of day in the
place's zone, working days skip that place's weekends and public holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.safeguards import profiles
from amparo.safeguards.deadlines import Duration, Unit, add, fraction_of
from amparo.safeguards.engine import deadline
from amparo.safeguards.facts import NaiveTimeError

MEXICO_CITY = ZoneInfo("America/Mexico_City")
LONDON = ZoneInfo("Europe/London")
TIJUANA = ZoneInfo("America/Tijuana")


def wall(moment: datetime) -> tuple[int, ...]:
    """What the local clock shows: year, month, day, hour, minute."""
    return tuple(moment.timetuple())[:5]


def elapsed(start: datetime, end: datetime) -> timedelta:
    # Subtracting two times that share a tzinfo compares wall clocks; UTC compares instants.
    return end.astimezone(UTC) - start.astimezone(UTC)


# Working days in Mexico ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Friday 13 September 2024 + 1: Saturday, Sunday and Monday 16 September
        # (Independence Day) are skipped.
        (
            datetime(2024, 9, 13, 10, 0, tzinfo=MEXICO_CITY),
            1,
            datetime(2024, 9, 17, 10, 0, tzinfo=MEXICO_CITY),
        ),
        # A Monday + 5 in an ordinary week: the next Monday.
        (
            datetime(2024, 9, 2, 10, 0, tzinfo=MEXICO_CITY),
            5,
            datetime(2024, 9, 9, 10, 0, tzinfo=MEXICO_CITY),
        ),
        # Art. 111's 15 working days from Monday 2 September 2024: the 16th does not count.
        (
            datetime(2024, 9, 2, 10, 0, tzinfo=MEXICO_CITY),
            15,
            datetime(2024, 9, 24, 10, 0, tzinfo=MEXICO_CITY),
        ),
        # Starting on a holiday: the first working day is the next day.
        (
            datetime(2024, 9, 16, 8, 0, tzinfo=MEXICO_CITY),
            1,
            datetime(2024, 9, 17, 8, 0, tzinfo=MEXICO_CITY),
        ),
        # Revolution Day (third Monday of November, 18 Nov 2024) and a weekend.
        (
            datetime(2024, 11, 15, 9, 0, tzinfo=MEXICO_CITY),
            1,
            datetime(2024, 11, 19, 9, 0, tzinfo=MEXICO_CITY),
        ),
        # Christmas and New Year.
        (
            datetime(2024, 12, 24, 12, 0, tzinfo=MEXICO_CITY),
            2,
            datetime(2024, 12, 27, 12, 0, tzinfo=MEXICO_CITY),
        ),
        (
            datetime(2024, 12, 31, 12, 0, tzinfo=MEXICO_CITY),
            1,
            datetime(2025, 1, 2, 12, 0, tzinfo=MEXICO_CITY),
        ),
    ],
)
def test_mexican_working_days_skip_weekends_and_holidays(
    start: datetime, days: int, due: datetime
) -> None:
    mexico = profiles.load("mexico")
    result = deadline(mexico, start, Duration(days, Unit.WORKING_DAYS))
    assert result == due
    assert result.tzinfo == MEXICO_CITY


def test_working_days_are_counted_on_the_local_calendar() -> None:
    # Sunday 15 September 2024, 20:00 in Mexico City is already Monday 02:00 UTC. Counted
    # in UTC the next working day would be Monday the 16th; locally it is Sunday, Monday is
    # Independence Day, so the deadline is Tuesday 20:00 local.
    start = datetime(2024, 9, 16, 2, 0, tzinfo=UTC)
    result = deadline(profiles.load("mexico"), start, Duration(1, Unit.WORKING_DAYS))
    assert result == datetime(2024, 9, 17, 20, 0, tzinfo=MEXICO_CITY)


def test_the_place_of_detention_overrides_the_profiles_zone() -> None:
    # Tijuana (Pacific time) detention: the same instant is Sunday 19:00 there; the deadline
    # keeps Tijuana's wall clock.
    start = datetime(2024, 9, 16, 2, 0, tzinfo=UTC)
    result = deadline(
        profiles.load("mexico"),
        start,
        Duration(1, Unit.WORKING_DAYS),
        "America/Tijuana",
    )
    assert result.tzinfo == TIJUANA
    assert wall(result) == (2024, 9, 17, 19, 0)


def test_without_a_calendar_only_weekends_are_skipped() -> None:
    start = datetime(2024, 9, 13, 10, 0, tzinfo=MEXICO_CITY)
    result = add(start, Duration(1, Unit.WORKING_DAYS), zone=MEXICO_CITY)
    assert result == datetime(2024, 9, 16, 10, 0, tzinfo=MEXICO_CITY)


def test_the_36_hours_of_the_scjn_ruling() -> None:
    mexico = profiles.load("mexico")
    figure = mexico.figure("detention_maximum", date(2024, 9, 13))
    assert figure is not None and figure.duration is not None
    start = datetime(2024, 9, 13, 22, 0, tzinfo=MEXICO_CITY)
    result = deadline(mexico, start, figure.duration)
    # Hours run through weekends and holidays alike.
    assert result == datetime(2024, 9, 15, 10, 0, tzinfo=MEXICO_CITY)


# Daylight saving time (Europe/London: clocks go forward 29 March 2026, back 25 October) --


def test_a_calendar_day_across_spring_forward_keeps_the_local_time() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)  # GMT
    result = add(start, Duration(1, Unit.CALENDAR_DAYS), zone=LONDON)
    assert wall(result) == (2026, 3, 29, 12, 0)  # BST
    assert result.utcoffset() == timedelta(hours=1)
    assert elapsed(start, result) == timedelta(hours=23)


def test_a_calendar_day_across_fall_back_keeps_the_local_time() -> None:
    start = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)  # BST
    result = add(start, Duration(1, Unit.CALENDAR_DAYS), zone=LONDON)
    assert wall(result) == (2026, 10, 25, 12, 0)  # GMT
    assert elapsed(start, result) == timedelta(hours=25)


def test_hours_across_spring_forward_count_elapsed_time() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    result = add(start, Duration(24, Unit.HOURS), zone=LONDON)
    assert elapsed(start, result) == timedelta(hours=24)
    assert wall(result) == (2026, 3, 29, 13, 0)  # BST wall clock
    assert result.tzinfo == LONDON


def test_hours_across_fall_back_count_elapsed_time() -> None:
    start = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    result = add(start, Duration(48, Unit.HOURS), zone=LONDON)
    assert elapsed(start, result) == timedelta(hours=48)
    assert wall(result) == (2026, 10, 26, 12, 0)  # GMT


# A start already in the place's zone shares its tzinfo with the result, and Python adds a
# timedelta to such a time on the wall clock: 12:00 GMT + 36 h would land on 00:00 BST, 35
# hours later. deadlines.add and fraction_of work in UTC to avoid it.


def test_hours_from_a_local_start_across_spring_forward_count_elapsed_time() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    result = add(start, Duration(36, Unit.HOURS), zone=LONDON)
    assert elapsed(start, result) == timedelta(hours=36)


def test_hours_from_a_local_start_across_fall_back_count_elapsed_time() -> None:
    start = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)
    result = add(start, Duration(36, Unit.HOURS), zone=LONDON)
    assert elapsed(start, result) == timedelta(hours=36)


def test_eighty_percent_warning_across_spring_forward_is_on_elapsed_time() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    due = datetime(2026, 3, 30, 1, 0, tzinfo=LONDON)  # 36 h of real time later
    warning = fraction_of(start, due, 0.5)
    assert elapsed(start, warning) == timedelta(hours=18)


def test_eighty_percent_warning_between_zones_is_on_elapsed_time() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    due = add(start, Duration(100, Unit.HOURS), zone=LONDON)
    warning = fraction_of(start, due, 0.8)
    assert elapsed(start, warning) == timedelta(hours=80)


def test_a_day_landing_in_the_skipped_hour_resolves_forward() -> None:
    # 01:30 on 29 March 2026 does not exist in London: the deadline is the instant the
    # clock would have shown it, 01:30 GMT = 02:30 BST, never an hour early.
    start = datetime(2026, 3, 28, 1, 30, tzinfo=LONDON)
    result = add(start, Duration(1, Unit.CALENDAR_DAYS), zone=LONDON)
    assert result.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_day_landing_in_the_repeated_hour_takes_the_first() -> None:
    start = datetime(2026, 10, 24, 1, 30, tzinfo=LONDON)
    result = add(start, Duration(1, Unit.CALENDAR_DAYS), zone=LONDON)
    assert result.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # BST


# Months -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 8, 31), 6, date(2025, 2, 28)),  # EU 6 months
        (date(2024, 8, 31), 18, date(2026, 2, 28)),  # EU 18 months
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 10, 31), 4, date(2026, 2, 28)),  # UK bail referral, across a year
        (date(2025, 5, 15), 4, date(2025, 9, 15)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_months_clamp_at_month_end(start: date, months: int, due: date) -> None:
    begin = datetime.combine(start, datetime.min.time()).replace(hour=9, tzinfo=LONDON)
    result = add(begin, Duration(months, Unit.MONTHS), zone=LONDON)
    assert result.date() == due
    assert result.hour == 9  # local time kept, GMT or BST alike


def test_eu_maximum_from_the_profile() -> None:
    eu = profiles.load("eu_return_directive")
    figure = eu.figure("detention_maximum_extended", date(2025, 8, 31))
    assert figure is not None and figure.duration is not None
    start = datetime(2025, 8, 31, 14, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    result = deadline(eu, start, figure.duration, "Europe/Madrid")
    assert result == datetime(2027, 2, 28, 14, 0, tzinfo=ZoneInfo("Europe/Madrid"))


# Bad input ----------------------------------------------------------------------------


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(NaiveTimeError):
        add(datetime(2025, 1, 1, 9, 0), Duration(1, Unit.HOURS), zone=LONDON)  # noqa: DTZ001


@pytest.mark.parametrize(
    "duration",
    [
        Duration(-1, Unit.HOURS),
        Duration(1.5, Unit.CALENDAR_DAYS),
        Duration(0.5, Unit.WORKING_DAYS),
        Duration(1.5, Unit.MONTHS),
    ],
)
def test_negative_or_fractional_days_are_refused(duration: Duration) -> None:
    with pytest.raises(ValueError, match=r"negative|whole"):
        add(datetime(2025, 1, 1, 9, 0, tzinfo=UTC), duration, zone=LONDON)


def test_fractional_hours_are_elapsed_time() -> None:
    start = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    result = add(start, Duration(1.5, Unit.HOURS), zone=LONDON)
    assert elapsed(start, result) == timedelta(minutes=90)


# Properties ---------------------------------------------------------------------------

ZONES = st.sampled_from(
    [
        "UTC",
        "Europe/London",
        "America/Mexico_City",
        "America/Tijuana",
        "Australia/Sydney",
        "Africa/Johannesburg",
    ]
)
INSTANTS = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(start=INSTANTS, hours=st.integers(min_value=0, max_value=24 * 400), zone=ZONES)
def test_hours_are_always_elapsed_time(start: datetime, hours: int, zone: str) -> None:
    result = add(start, Duration(hours, Unit.HOURS), zone=ZoneInfo(zone))
    assert elapsed(start, result) == timedelta(hours=hours)


@given(start=INSTANTS, days=st.integers(min_value=1, max_value=80))
def test_mexican_working_days_end_on_a_working_day(start: datetime, days: int) -> None:
    mexico = profiles.load("mexico")
    result = deadline(mexico, start, Duration(days, Unit.WORKING_DAYS))
    local_start = start.astimezone(MEXICO_CITY).date()
    assert result.weekday() < 5 and not mexico.is_holiday(result.date())
    counted = sum(
        1
        for offset in range(1, (result.date() - local_start).days + 1)
        if (day := local_start + timedelta(days=offset)).weekday() < 5
        and not mexico.is_holiday(day)
    )
    assert counted == days


@given(start=INSTANTS, days=st.integers(min_value=0, max_value=800), zone=ZONES)
def test_calendar_days_keep_the_local_date_and_time(
    start: datetime, days: int, zone: str
) -> None:
    place = ZoneInfo(zone)
    local = start.astimezone(place)
    result = add(start, Duration(days, Unit.CALENDAR_DAYS), zone=place)
    assert result.date() == local.date() + timedelta(days=days)
    assert result.time() == local.time()
