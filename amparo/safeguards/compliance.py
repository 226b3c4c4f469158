"""Compliance figures for the statistics issue (issue 4): how often the resolution's
duties were kept, over the cases a caller may count. Read-only; nothing here widens
the `cases` it is given (a supervisor's visible cases, an agency's cases).

Every share comes with its numerator and denominator, so that the statistics issue
can apply disclosure control (suppress or round small cells) before publishing; the
share is None when the denominator is 0. The period is half-open, `[period_start,
period_end)`. Duties still to be done whose deadline has not passed at `now` cannot be
judged yet: they are left out of the denominator and counted in `pending`.

The figures read the obligations as the engine last computed them (`Obligation`), and,
for the detention episodes, the facts themselves. Every time is compared as an aware
time; the clear columns (rule, status, deadline, met, fact times) do the counting in
the database, and only the episode facts (and the few child-detention duties) are
decrypted.

Definitions (docs/safeguards.md, "Rules", and each rule's docstring):

- `informed_within_24h` (consular.inform_rights; A/RES/68/179 para 4(h), VCCR art.
  36(1)(b), ICJ Avena 2004): among the duties to tell a detained foreign national of
  their consular rights that are not `not_applicable` (a stateless person, a national
  of the detaining State, a person who died before being told) and whose clock
  started in the period, those met within 24 hours of the clock's start. The clock
  starts when the authorities knew or suspected the person was foreign, or at the
  detention if later: the latest of the facts that started the duty (its
  `triggered_by`). Pending: not met and 24 hours not yet gone at `now`.
- `informed_by_deadline`: the same duties, met by the profile's deadline (`met_at <=
  due_at`; the profile's `consular_rights_information`, which need not be 24 hours).
  A duty without a deadline (a profile without the figure) is left out.
- `notified_on_request_on_time` (consular.notify_on_request; VCCR art. 36(1)(b),
  ICRMW art. 16(7)), `mandatory_notifications_on_time`
  (consular.mandatory_notification; bilateral consular conventions) and their sum
  `consulates_notified_on_time`: among the duties due in the period (`due_at` in it)
  that are not `not_applicable` (withdrawn request, no consent from an asylum seeker
  or refugee, stateless, national), those met by the deadline. Met late, and open,
  overdue or escalated past the deadline, count as not on time; open or escalated
  and not yet due at `now` are pending. A mandatory notification that a legal officer
  decided to withhold (an asylum seeker's consulate) is met by that decision.
- `first_reviews_on_time` (detention.first_review; UNHCR Detention Guidelines 2012,
  Guideline 7, ICCPR art. 9(4)), `periodic_reviews_on_time` (detention.periodic_review;
  Guideline 7, WGAD Revised Deliberation No. 5) and their sum `reviews_on_time`: the
  same, for reviews by a judicial or independent authority. The rules count a judicial
  detention order as the first review, and a release as meeting a review (on time if
  before the deadline); a review that lapsed with a death is `not_applicable`.
- `episodes`, `episodes_open`, `persons_detained`, `median_detention`,
  `longest_detention`, `longest_detention_open` (A/RES/68/179 para 4(a); UNHCR
  Guideline 6): the detention episodes that overlap the period (started before its end
  and not ended by its start), one per `detention_started` episode id, ended by its
  `detention_ended` or the person's death, as the detention rules read them. Lengths
  are whole episodes (not clipped to the period), per episode even where a profile
  counts episodes together; an episode still open is counted up to `now` and in
  `episodes_open`. Persons are the cases' primary persons, each counted once.
- `children_detained` (detention.child; CMW GC No. 4 / CRC GC No. 23 (2017), CRC art.
  37(b)): distinct persons the rule found to be a child while detained (its duty is
  critical, whatever its status: met by release, escalated while detained, or
  `not_applicable` once the child turned 18 or died in detention), whose time as a
  child in detention overlaps the period.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from amparo.cases.models import Case
from amparo.safeguards.facts import aware
from amparo.safeguards.models import LIVE_STATUSES, CaseFact, Obligation
from amparo.safeguards.obligations import Severity, Status

# The issue asks "within 24 h" whatever the profile's deadline for the duty.
WITHIN = timedelta(hours=24)
INFORM_RIGHTS = "consular.inform_rights"
NOTIFY_ON_REQUEST = "consular.notify_on_request"
MANDATORY_NOTIFICATION = "consular.mandatory_notification"
FIRST_REVIEW = "detention.first_review"
PERIODIC_REVIEW = "detention.periodic_review"
CHILD = "detention.child"
_DEADLINE_RULES = (
    NOTIFY_ON_REQUEST,
    MANDATORY_NOTIFICATION,
    FIRST_REVIEW,
    PERIODIC_REVIEW,
)
# What starts an inform-rights clock: the suspicion or nationality and the custody.
_TRIGGER_KINDS = ("foreign_nationality_suspected", "nationality", "detention_started")
# A death ends an episode too (amparo.detention.rules.episodes); it has no data.
_EPISODE_KINDS = ("detention_started", "detention_ended", "death")
_CHUNK = 2000
# SQLite's limit on bound parameters, with room for the rest of the query.
_IN_CHUNK = 900
# A subquery of ids (`.values("pk")`), whatever the model.
_Ids = QuerySet[Any, Any]


@dataclass(frozen=True)
class Ratio:
    """`numerator` of `denominator` duties kept; `pending` were left out of the
    denominator as not yet due. `share` is None when the denominator is 0."""

    numerator: int = 0
    denominator: int = 0
    pending: int = 0
    share: float | None = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.numerator <= self.denominator or self.pending < 0:
            raise ValueError(f"not a ratio: {self.numerator}/{self.denominator}")
        share = self.numerator / self.denominator if self.denominator else None
        object.__setattr__(self, "share", share)

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(
            self.numerator + other.numerator,
            self.denominator + other.denominator,
            self.pending + other.pending,
        )


@dataclass(frozen=True)
class ComplianceFigures:
    """The figures of `figures()`; the module's docstring defines each."""

    period_start: datetime
    period_end: datetime
    now: datetime
    informed_within_24h: Ratio
    informed_by_deadline: Ratio
    consulates_notified_on_time: Ratio
    notified_on_request_on_time: Ratio
    mandatory_notifications_on_time: Ratio
    reviews_on_time: Ratio
    first_reviews_on_time: Ratio
    periodic_reviews_on_time: Ratio
    persons_detained: int
    episodes: int
    episodes_open: int
    median_detention: timedelta | None
    longest_detention: timedelta | None
    longest_detention_open: bool
    children_detained: int


def figures(
    cases: QuerySet[Case],
    *,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
) -> ComplianceFigures:
    """The compliance figures of `cases` for `[period_start, period_end)`, as of
    `now` (the current time: the obligations are the engine's latest). A handful of
    queries, whatever the number of cases."""
    aware(period_start, "period_start")
    aware(period_end, "period_end")
    aware(now, "now")
    if period_end <= period_start:
        raise ValueError("The period must end after it starts.")
    scope = cases.values("pk")
    deadlines = deadline_ratios(scope, period_start, period_end, now)
    within, by_deadline = _informed(scope, period_start, period_end, now)
    episodes = _overlapping(_episodes(scope, now), period_start, period_end)
    lengths = sorted(
        ((e.until(now) - e.start, e.end is None) for e in episodes.values()),
        key=lambda pair: pair[0],
    )
    longest = max(lengths, default=None)
    return ComplianceFigures(
        period_start=period_start,
        period_end=period_end,
        now=now,
        informed_within_24h=within,
        informed_by_deadline=by_deadline,
        consulates_notified_on_time=deadlines[NOTIFY_ON_REQUEST]
        + deadlines[MANDATORY_NOTIFICATION],
        notified_on_request_on_time=deadlines[NOTIFY_ON_REQUEST],
        mandatory_notifications_on_time=deadlines[MANDATORY_NOTIFICATION],
        reviews_on_time=deadlines[FIRST_REVIEW] + deadlines[PERIODIC_REVIEW],
        first_reviews_on_time=deadlines[FIRST_REVIEW],
        periodic_reviews_on_time=deadlines[PERIODIC_REVIEW],
        persons_detained=len({e.person_id for e in episodes.values()}),
        episodes=len(episodes),
        episodes_open=sum(1 for e in episodes.values() if e.end is None),
        median_detention=_median([length for length, _open in lengths]),
        longest_detention=longest[0] if longest else None,
        # Of equally long episodes, an open one: it is still growing.
        longest_detention_open=bool(longest and longest[1]),
        children_detained=_children(scope, episodes, period_start, period_end, now),
    )


# --- Duties with a deadline --------------------------------------------------------


def deadline_ratios(
    scope: _Ids,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
    rules: Sequence[str] = _DEADLINE_RULES,
) -> dict[str, Ratio]:
    """On time / judged, per rule of `rules`, of the duties due in the period, over
    the cases of `scope` (a subquery of case ids): one grouped query over clear
    columns. The children's figures use it too."""
    rows = (
        Obligation.objects.filter(
            case_id__in=scope,
            rule_id__in=rules,
            due_at__gte=period_start,
            due_at__lt=period_end,
        )
        .exclude(status=Status.NOT_APPLICABLE)
        .order_by()
        .values("rule_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(status=Status.MET, met_at__lte=F("due_at"))),
            # Not met and not yet past the deadline (`timed_status`: overdue only
            # once now > due_at); a stored "open" past it is late, refresh or not.
            pending=Count("pk", filter=Q(status__in=LIVE_STATUSES, due_at__gte=now)),
        )
    )
    found = {
        row["rule_id"]: Ratio(
            row["on_time"], row["total"] - row["pending"], row["pending"]
        )
        for row in rows
    }
    return {rule: found.get(rule, Ratio()) for rule in rules}


# --- Telling the person of their consular rights ---------------------------------


def _informed(
    scope: _Ids,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
) -> tuple[Ratio, Ratio]:
    """(within 24 hours, by the profile's deadline) of the inform-rights duties whose
    clock started in the period."""
    candidates = (
        Obligation.objects.filter(case_id__in=scope, rule_id=INFORM_RIGHTS)
        .exclude(status=Status.NOT_APPLICABLE)
        # A deadline is never before its clock's start: nothing due before the
        # period can have started in it.
        .filter(Q(due_at__gte=period_start) | Q(due_at__isnull=True))
        .order_by()
    )
    duties = list(
        candidates.values_list("triggered_by", "status", "due_at", "met_at").iterator(
            chunk_size=_CHUNK
        )
    )
    if not duties:
        return Ratio(), Ratio()
    started = _fact_times(
        candidates.values("case_id"),
        {str(pk) for triggered, *_rest in duties for pk in triggered},
    )
    within = _Tally()
    by_deadline = _Tally()
    for triggered, status, due_at, met_at in duties:
        times = [started.get(str(pk)) for pk in triggered]
        if not times or None in times:
            continue  # its case was deleted since: nothing left to judge
        start = max(t for t in times if t is not None)
        if not period_start <= start < period_end:
            continue
        met = met_at if status == Status.MET else None
        within.add(met, start + WITHIN, now)
        if due_at is not None:
            by_deadline.add(met, due_at, now)
    return within.ratio(), by_deadline.ratio()


def _fact_times(case_ids: _Ids, wanted: set[str]) -> dict[str, datetime]:
    """The times of the facts `wanted`, by id (as text): those of the kinds that
    start the clock in one query, any other (a rule that changed) by id."""
    found = {
        str(pk): at
        for pk, at in CaseFact.objects.filter(
            case_id__in=case_ids, kind__in=_TRIGGER_KINDS
        )
        .order_by()
        .values_list("pk", "at")
        .iterator(chunk_size=_CHUNK)
    }
    missing = [pk for pk in wanted - found.keys() if _is_uuid(pk)]
    for start in range(0, len(missing), _IN_CHUNK):
        found.update(
            (str(pk), at)
            for pk, at in CaseFact.objects.filter(
                pk__in=missing[start : start + _IN_CHUNK]
            ).values_list("pk", "at")
        )
    return found


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


class _Tally:
    """Kept / judged / pending, one duty at a time."""

    def __init__(self) -> None:
        self.kept = self.judged = self.pending = 0

    def add(self, met_at: datetime | None, limit: datetime, now: datetime) -> None:
        if met_at is not None and met_at <= limit:
            self.kept += 1
            self.judged += 1
        elif met_at is None and now <= limit:
            self.pending += 1
        else:
            self.judged += 1

    def ratio(self) -> Ratio:
        return Ratio(self.kept, self.judged, self.pending)


# --- Detention episodes --------------------------------------------------------------


@dataclass(frozen=True)
class _Episode:
    person_id: uuid.UUID
    start: datetime
    end: datetime | None  # None: still detained at `now`

    def until(self, now: datetime) -> datetime:
        return self.end if self.end is not None else now


def _episodes(scope: _Ids, now: datetime) -> dict[tuple[uuid.UUID, str], _Episode]:
    """Every episode of the cases by (case, episode id), read as the detention rules
    read them: facts up to `now`, the first start of an id, the first end (or death)
    at or after it."""
    starts: dict[tuple[uuid.UUID, str], tuple[datetime, uuid.UUID]] = {}
    ends: dict[tuple[uuid.UUID, str], list[datetime]] = defaultdict(list)
    deaths: dict[uuid.UUID, list[datetime]] = defaultdict(list)
    facts = (
        CaseFact.objects.filter(case_id__in=scope, kind__in=_EPISODE_KINDS, at__lte=now)
        .only("case_id", "kind", "at", "data_json")
        .annotate(person=F("case__primary_person_id"))
        .order_by()
    )
    for fact in facts.iterator(chunk_size=_CHUNK):
        if fact.kind == "death":
            deaths[fact.case_id].append(fact.at)
            continue
        episode = fact.data.get("episode")
        if fact.kind == "detention_started":
            # A start without an episode id is named by its own fact, like the rules.
            key = (fact.case_id, str(episode) if episode else str(fact.pk))
            if key not in starts or fact.at < starts[key][0]:
                starts[key] = (fact.at, fact.person)
        elif episode:
            ends[(fact.case_id, str(episode))].append(fact.at)
    found = {}
    for key, (start, person) in starts.items():
        closing = [t for t in (*ends[key], *deaths[key[0]]) if t >= start]
        found[key] = _Episode(person, start, min(closing, default=None))
    return found


def _overlapping(
    episodes: dict[tuple[uuid.UUID, str], _Episode],
    period_start: datetime,
    period_end: datetime,
) -> dict[tuple[uuid.UUID, str], _Episode]:
    return {
        key: e
        for key, e in episodes.items()
        if e.start < period_end and (e.end is None or e.end > period_start)
    }


def _median(lengths: list[timedelta]) -> timedelta | None:
    """The median of sorted `lengths`: of an even number, the mean of the middle two."""
    if not lengths:
        return None
    middle = len(lengths) // 2
    if len(lengths) % 2:
        return lengths[middle]
    return (lengths[middle - 1] + lengths[middle]) / 2


# --- Children ------------------------------------------------------------------------


def _children(
    scope: _Ids,
    episodes: dict[tuple[uuid.UUID, str], _Episode],
    period_start: datetime,
    period_end: datetime,
    now: datetime,
) -> int:
    """Distinct persons held as children during the period. The rule keeps a child's
    detention critical on the record even once `not_applicable` (turned 18 or died in
    detention); an adult's is `not_applicable` and info. Its deadline is when the
    person became a child in detention (`child_since`); when they stopped is only in
    the encrypted details, decrypted for these few duties."""
    if not episodes:
        return 0
    duties = (
        Obligation.objects.filter(
            case_id__in=scope, rule_id=CHILD, due_at__lt=period_end
        )
        .filter(~Q(status=Status.NOT_APPLICABLE) | Q(severity=Severity.CRITICAL))
        .only("case_id", "person_id", "key", "due_at", "details_json")
        .order_by()
    )
    persons = set()
    for duty in duties.iterator(chunk_size=_CHUNK):
        episode = episodes.get((duty.case_id, duty.key))
        if episode is None:
            continue
        until = duty.details.get("child_until")
        stopped = datetime.fromisoformat(until) if until else episode.until(now)
        if stopped > period_start:
            persons.add(duty.person_id)
    return len(persons)
