"""The children's and returns' figures for the statistics issue (issue 5), over the
cases a caller may count. Read-only; nothing here widens the `cases` it is given.
Every share comes with its numerator and denominator (`compliance.Ratio`), so that the
statistics issue can apply disclosure control; the period is half-open,
`[period_start, period_end)`; duties not yet due at `now` are pending, out of the
denominator.

Definitions:

- `separated_children` (A/RES/68/179 para 5(g); CRC GC No. 6 paras 7-8): distinct
  persons identified as unaccompanied or separated in the period (a `child_status` of
  either, dated in it), by status, by sex, by age group at identification (0-4, 5-9,
  10-14, 15-17 from the person's date of birth, or estimated age, else unknown) and by
  nationality (the person's first recorded, else unknown).
- `guardians_on_time` (children.guardian), `assessments_on_time`
  (children.best_interests_assessment), `suitability_checks_on_time`
  (children.guardian_suitability), `returns_followed_up_on_time` (returns.follow_up):
  among the duties due in the period, not `not_applicable`, those met by the deadline.
- `days_to_guardian`: the median, in days, from identification to the guardian's
  appointment, of the guardian duties met whose deadline falls in the period.
- `bids_before_decisions` (children.best_interests_determination): among the duties
  whose decision was taken in the period, those met by a BID first (`met`) against
  those decided without one (`escalated`); open ones wait for their decision.
- `out_of_school` (para 5(h)): children whose latest `education_status`, recorded by
  the period's end, is `not_enrolled`, and the barriers recorded for them.
- `returns_screened` (paras 5(i), 4(g); returns.screening): among the returns planned
  in the period and not called off, those whose screening was approved before the
  return (`met`) against those marked ready or carried out without it (`escalated`);
  returns not yet screened or approved are pending.
- `returns_blocked`: concerns blocking a return now (returns.concern, escalated and not
  carried out).
"""

from __future__ import annotations

import statistics
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from amparo.cases.models import Case
from amparo.children.situation import SEPARATED
from amparo.people.models import Nationality, Person
from amparo.safeguards.compliance import Ratio, deadline_ratios
from amparo.safeguards.facts import aware
from amparo.safeguards.models import CaseFact, Obligation
from amparo.safeguards.obligations import Status

GUARDIAN = "children.guardian"
SUITABILITY = "children.guardian_suitability"
ASSESSMENT = "children.best_interests_assessment"
DETERMINATION = "children.best_interests_determination"
SCREENING = "returns.screening"
CONCERN = "returns.concern"
FOLLOW_UP = "returns.follow_up"
AGE_GROUPS = ((0, 4), (5, 9), (10, 14), (15, 17))
UNKNOWN = "unknown"
# How returns.concern notes a return carried out despite the concern.
RETURNED_DESPITE = "The person was returned"


@dataclass(frozen=True)
class ChildrenFigures:
    period_start: datetime
    period_end: datetime
    now: datetime
    separated_children: int
    by_status: dict[str, int]
    by_sex: dict[str, int]
    by_age_group: dict[str, int]
    by_nationality: dict[str, int]
    guardians_on_time: Ratio
    days_to_guardian: float | None
    suitability_checks_on_time: Ratio
    assessments_on_time: Ratio
    bids_before_decisions: Ratio
    out_of_school: int
    barriers: dict[str, int]
    returns_screened: Ratio
    returns_blocked: int
    returns_followed_up_on_time: Ratio


def figures(
    cases: QuerySet[Case],
    *,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
) -> ChildrenFigures:
    aware(period_start, "period_start")
    aware(period_end, "period_end")
    aware(now, "now")
    if period_end <= period_start:
        raise ValueError("The period must end after it starts.")
    scope = cases.values("pk")
    ratios = deadline_ratios(
        scope,
        period_start,
        period_end,
        now,
        rules=(GUARDIAN, SUITABILITY, ASSESSMENT, FOLLOW_UP),
    )
    identified = _identified(scope, period_start, period_end)
    out, barriers = _out_of_school(scope, period_end)
    return ChildrenFigures(
        period_start=period_start,
        period_end=period_end,
        now=now,
        separated_children=len(identified),
        by_status=dict(Counter(status for status, _at in identified.values())),
        **_breakdowns(identified),
        guardians_on_time=ratios[GUARDIAN],
        days_to_guardian=_days_to_guardian(scope, period_start, period_end),
        suitability_checks_on_time=ratios[SUITABILITY],
        assessments_on_time=ratios[ASSESSMENT],
        bids_before_decisions=_decided(scope, DETERMINATION, period_start, period_end),
        out_of_school=out,
        barriers=barriers,
        returns_screened=_decided(scope, SCREENING, period_start, period_end),
        returns_blocked=_blocked(scope),
        returns_followed_up_on_time=ratios[FOLLOW_UP],
    )


def _identified(
    scope: Any, period_start: datetime, period_end: datetime
) -> dict[Any, tuple[str, datetime]]:
    """Each person identified as unaccompanied or separated in the period: their
    first such status in it, and when."""
    found: dict[Any, tuple[str, datetime]] = {}
    rows = (
        CaseFact.objects.filter(
            case_id__in=scope,
            kind="child_status",
            at__gte=period_start,
            at__lt=period_end,
        )
        .select_related("case")
        .order_by("at", "pk")
        .only("at", "data_json", "case__primary_person_id")
    )
    for row in rows:
        status = row.data.get("status")
        if status in SEPARATED:
            found.setdefault(row.case.primary_person_id, (str(status), row.at))
    return found


def _breakdowns(identified: dict[Any, tuple[str, datetime]]) -> dict[str, Any]:
    persons = Person.objects.filter(pk__in=list(identified)).only(
        "sex", "birth_date", "estimated_age", "age_estimated_on"
    )
    first_nationality: dict[Any, str] = {}
    for person_id, country in (
        Nationality.objects.filter(person_id__in=list(identified))
        .order_by("person", "id")
        .values_list("person_id", "country")
    ):
        first_nationality.setdefault(person_id, country)
    sexes: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    for person in persons:
        sexes[person.sex] += 1
        groups[_age_group(person, identified[person.pk][1].date())] += 1
    nationalities = Counter(first_nationality.get(p, UNKNOWN) for p in identified)
    return {
        "by_sex": dict(sexes),
        "by_age_group": dict(groups),
        "by_nationality": dict(nationalities),
    }


def _age_group(person: Any, on: date) -> str:
    age: int | None = None
    if person.birth_date is not None:
        born = person.birth_date
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    elif person.estimated_age is not None:
        since = person.age_estimated_on or on
        age = person.estimated_age + (on - since).days // 365
    for low, high in AGE_GROUPS:
        if age is not None and low <= age <= high:
            return f"{low}-{high}"
    return UNKNOWN


def _days_to_guardian(
    scope: Any, period_start: datetime, period_end: datetime
) -> float | None:
    duties = list(
        Obligation.objects.filter(
            case_id__in=scope,
            rule_id=GUARDIAN,
            status=Status.MET,
            due_at__gte=period_start,
            due_at__lt=period_end,
        ).values_list("triggered_by", "met_at")
    )
    starts = dict(
        CaseFact.objects.filter(pk__in=[t[0] for t, _met in duties if t]).values_list(
            "pk", "at"
        )
    )
    days = [
        (met_at - starts[_uuid(t[0])]).total_seconds() / 86_400
        for t, met_at in duties
        if t and _uuid(t[0]) in starts and met_at is not None
    ]
    return statistics.median(days) if days else None


def _uuid(text: str) -> uuid.UUID:
    return uuid.UUID(text)


def _decided(
    scope: Any, rule_id: str, period_start: datetime, period_end: datetime
) -> Ratio:
    """Met / (met + escalated) of the duties of `rule_id` triggered in the period, by
    the time their obligation was last computed; open ones are pending."""
    rows = Obligation.objects.filter(case_id__in=scope, rule_id=rule_id).exclude(
        status=Status.NOT_APPLICABLE
    )
    triggers = dict(
        CaseFact.objects.filter(
            case_id__in=scope,
            kind__in=("decision_proposed", "return_planned"),
            at__gte=period_start,
            at__lt=period_end,
        ).values_list("pk", "at")
    )
    met = judged = pending = 0
    for status, triggered in rows.values_list("status", "triggered_by"):
        if not triggered or _uuid(triggered[0]) not in triggers:
            continue
        if status == Status.MET:
            met += 1
            judged += 1
        elif status == Status.ESCALATED:
            judged += 1
        else:
            pending += 1
    return Ratio(met, judged, pending)


def _out_of_school(scope: Any, period_end: datetime) -> tuple[int, dict[str, int]]:
    latest: dict[Any, dict[str, Any]] = {}
    for row in (
        CaseFact.objects.filter(
            case_id__in=scope, kind="education_status", at__lt=period_end
        )
        .order_by("at", "pk")
        .only("case_id", "data_json")
    ):
        latest[row.case_id] = row.data
    out = [d for d in latest.values() if d.get("enrolment") == "not_enrolled"]
    barriers: Counter[str] = Counter(b for d in out for b in d.get("barriers") or ())
    return len(out), dict(barriers)


def _blocked(scope: Any) -> int:
    """Escalated concerns of returns not carried out (the rule's note says which were:
    the few escalated rows are read, their notes decrypted)."""
    rows = Obligation.objects.filter(
        case_id__in=scope, rule_id=CONCERN, status=Status.ESCALATED
    ).only("note")
    return sum(1 for row in rows if not row.note.startswith(RETURNED_DESPITE))
