"""When the facts say a person is a child (resolution 68/179 para 5(g); CRC art. 1):
under 18 by the recorded date of birth (with only a year or month known, the youngest
possible age), by the minimum age of an age assessment (the lower bound is used), or
while an age dispute is open (the benefit of the doubt: CRC GC No. 6 para 31(i); Joint
GC No. 4/23 para 4). The latest record of birth or of an assessment is the current one.

Pure: imports nothing from Django. The detention rules use it for a child detained;
the children's rules will for guardianship and best interests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from amparo.safeguards.engine import each
from amparo.safeguards.facts import CaseFile, Fact

ADULTHOOD = 18
# An assessed minimum age beyond this is a typing error, not evidence.
MAXIMUM_AGE = 130
AGE_KINDS = ("birth", "age_assessed", "age_dispute")


@dataclass(frozen=True)
class Childhood:
    """When, within a window of time (a detention so far), the facts say the person
    was a child."""

    since: datetime
    until: datetime | None  # None: still a child at the end of the window
    # When a child at the end of the window turns 18, where no open dispute holds it.
    adult_at: datetime | None
    evidence: tuple[str, ...]
    basis: tuple[str, ...]


def is_child(case: CaseFile, at: datetime, zone: ZoneInfo) -> bool:
    """Whether the facts known at `at` say the person is a child at `at`, a birthday
    falling at midnight in `zone` (the place's)."""
    return childhood(case, at, (at, at), zone) is not None


def childhood(
    case: CaseFile, now: datetime, window: tuple[datetime, datetime], zone: ZoneInfo
) -> Childhood | None:
    """When the person was a child within `window` (its start and end: a detention
    so far), by the facts known at `now`; None if not at all."""
    # The kind first: comparing times in different zones costs more.
    known = [f for f in case.facts if f.kind in AGE_KINDS and f.at <= now]
    spans: list[tuple[datetime, datetime | None, Fact]] = []
    for kind in ("birth", "age_assessed"):
        # The latest record of each kind is the current one (corrections replace).
        latest = next((f for f in reversed(known) if f.kind == kind), None)
        adult_at = adulthood(latest, zone) if latest else None
        if latest is not None and adult_at is not None:
            spans.append((window[0], adult_at, latest))
    spans.extend(disputes(known))
    start, end = window
    inside = [
        (max(since, start), until, fact)
        for since, until, fact in spans
        if since <= end and (until is None or until > start)
    ]
    if not inside:
        return None
    since = min(s for s, _, _ in inside)
    ongoing = [u for _, u, _ in inside if u is None or u > end]
    until = None if ongoing else max(u for _, u, _ in inside if u is not None)
    adult_at = None
    if ongoing and None not in ongoing:
        adult_at = max(u for u in ongoing if u is not None)
    return Childhood(
        since=since,
        until=until,
        adult_at=adult_at,
        evidence=tuple(each(f.id for _, _, f in inside)),
        basis=tuple(each(f.kind for _, _, f in inside)),
    )


def adulthood(fact: Fact, zone: ZoneInfo) -> datetime | None:
    """The local midnight the person turns 18 at the youngest the fact allows."""
    if fact.kind == "birth":
        born = latest_birth_date(
            str(fact.get("date", "")), str(fact.get("precision", "day"))
        )
        if born is None:
            return None
        eighteen = years_after(born, ADULTHOOD)
    else:
        minimum = fact.get("minimum_age")
        if type(minimum) is not int or not 0 <= minimum <= MAXIMUM_AGE:
            return None
        # The youngest person of at least `minimum` years had that birthday that day.
        assessed = fact.at.astimezone(zone).date()
        eighteen = years_after(assessed, ADULTHOOD - minimum)
    return datetime.combine(eighteen, time(), tzinfo=zone)


def latest_birth_date(text: str, precision: str) -> date | None:
    """The latest date of birth the record allows: the end of its year or month."""
    parts = text.split("-")
    try:
        year = int(parts[0])
        if not MINYEAR < year < MAXYEAR - ADULTHOOD:
            return None
        if precision == "year" or len(parts) == 1:
            return date(year, 12, 31)
        month = int(parts[1])
        if precision == "month" or len(parts) == 2:
            following = date(year + month // 12, month % 12 + 1, 1)
            return following - timedelta(days=1)
        return date(year, month, int(parts[2]))
    except (ValueError, IndexError):
        return None


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year: the birthday is 1 March.
        return date(day.year + years, 3, 1)


def disputes(known: Sequence[Fact]) -> list[tuple[datetime, datetime | None, Fact]]:
    """The spans in which an age dispute was open (from opening to closing)."""
    spans: list[tuple[datetime, datetime | None, Fact]] = []
    opened: Fact | None = None
    for fact in known:
        if fact.kind != "age_dispute":
            continue
        if fact.get("open") is True and opened is None:
            opened = fact
        elif fact.get("open") is False and opened is not None:
            spans.append((opened.at, fact.at, opened))
            opened = None
    if opened is not None:
        spans.append((opened.at, None, opened))
    return spans
