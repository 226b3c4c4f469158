"""Deadlines in hours, calendar days, working days and months, counted in the time zone
of the place (of detention, usually): a day ends at that place's midnight, a working day
skips its weekends and public holidays, and a change of clock (DST) moves nothing."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from amparo.safeguards.facts import aware


class Unit(StrEnum):
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


@dataclass(frozen=True)
class Duration:
    value: float
    unit: Unit

    def __str__(self) -> str:
        return _text(self.value, self.unit)


@cache
def _text(value: float, unit: Unit) -> str:
    # Rules write a duration into the text of most duties: once each is enough.
    amount = int(value) if float(value).is_integer() else value
    return f"{amount} {unit.value.replace('_', ' ')}"


IsHoliday = Callable[[date], bool]


@cache
def time_zone(name: str) -> ZoneInfo:
    """`ZoneInfo(name)`, kept once loaded. ZoneInfo's own cache keeps only the last
    eight zones nobody holds: a batch of case files from twenty places read each zone's
    file again thousands of times (bench/safeguards.py)."""
    return ZoneInfo(name)


def no_holidays(_day: date) -> bool:
    return False


def add(
    start: datetime,
    duration: Duration,
    *,
    zone: ZoneInfo,
    is_holiday: IsHoliday = no_holidays,
) -> datetime:
    """`start` plus `duration`, as an aware time in `zone`. Hours are elapsed time;
    days and months keep the local time of day of `start`."""
    aware(start, "deadline start")
    if duration.value < 0:
        raise ValueError("A duration cannot be negative.")
    if duration.unit is Unit.HOURS:
        # Through UTC: arithmetic on two times of one zone follows the wall clock, and
        # 36 hours across a change of clock must stay 36 real hours.
        return (start.astimezone(UTC) + timedelta(hours=duration.value)).astimezone(
            zone
        )
    local = start.astimezone(zone)
    if duration.unit is Unit.CALENDAR_DAYS:
        day = local.date() + timedelta(days=_whole(duration))
    elif duration.unit is Unit.WORKING_DAYS:
        day = _working_days_after(local.date(), _whole(duration), is_holiday)
    else:
        day = _months_after(local.date(), _whole(duration))
    return _at_local(day, local, zone)


def fraction_of(start: datetime, deadline: datetime, share: float) -> datetime:
    """The moment `share` of the way from `start` to `deadline` (an 80 % warning)."""
    begin = start.astimezone(UTC)
    return (begin + (deadline.astimezone(UTC) - begin) * share).astimezone(start.tzinfo)


def _whole(duration: Duration) -> int:
    if not float(duration.value).is_integer():
        raise ValueError(f"{duration.unit.value} must be whole numbers")
    return int(duration.value)


def _working_days_after(day: date, count: int, is_holiday: IsHoliday) -> date:
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and not is_holiday(day):
            count -= 1
    return day


def _months_after(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _at_local(day: date, local: datetime, zone: ZoneInfo) -> datetime:
    wall = datetime.combine(day, local.timetz().replace(tzinfo=None))
    # A wall-clock time that the clock skips (spring forward) becomes the real moment
    # it stands for, shown in the time then in force (01:30 GMT is 02:30 BST).
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)
