"""Children and returns for the demo: the separated children's cases get their status,
guardians, assessments, education and, for two of them, a BID waiting for its panel;
a few adults' cases get a planned return, screened or not. All recorded through the
real action, so that the deadlines, the child's part of the case page, the BID panels
and the figures have something to show."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from amparo.accounts.models import Agency, User
from amparo.cases.models import Case
from amparo.people.models import Nationality
from amparo.safeguards.actions import record_fact

SEPARATED_CHILDREN = 12
RETURNS = 4
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


def add_children(agency: Agency, now: datetime, *, seed: int, panel: list[User]) -> int:
    """Record the children's facts on `agency`'s separated children's cases, and
    plan a few returns; `panel` signs the BIDs' undertakings (the first writes the
    reports). Returns how many children."""
    rng = random.Random(seed + 5)
    children = list(
        Case.objects.filter(agency=agency, types__code="child", members__isnull=True)
        .exclude(status=Case.Status.CLOSED)
        .exclude(assigned_to=None)
        .select_related("assigned_to", "primary_person")
        .filter(primary_person__birth_date__gt=now.date() - timedelta(days=18 * 365))
        .order_by("reference")
    )
    for number, case in enumerate(children):
        _child(case, case.assigned_to, now, rng, panel if number < 2 else [])  # type: ignore[arg-type]
    adults = (
        Case.objects.filter(agency=agency, types__code="general")
        .exclude(status=Case.Status.CLOSED)
        .exclude(assigned_to=None)
        .select_related("assigned_to")
        .order_by("reference")[:RETURNS]
    )
    for number, case in enumerate(adults):
        _return(case, case.assigned_to, now, number, panel[-1])  # type: ignore[arg-type]
    return len(children)


def _child(
    case: Case, worker: User, now: datetime, rng: random.Random, panel: list[User]
) -> None:
    identified = (now - timedelta(hours=rng.randint(2, 24 * 30))).replace(
        second=0, microsecond=0
    )

    def fact(kind: str, after: timedelta, by: User = worker, **data: object) -> None:
        at = identified + after
        if at < now:
            record_fact(case, acting_user=by, kind=kind, at=at, data=data)

    born = case.primary_person.birth_date
    if born is not None:
        fact("birth", timedelta(), date=born.isoformat())
    for nationality in Nationality.objects.filter(person_id=case.primary_person_id):
        fact("nationality", timedelta(), country=nationality.country, status="claimed")
    fact(
        "child_status",
        timedelta(minutes=5),
        status=rng.choice(("unaccompanied", "unaccompanied", "separated")),
        with_whom=rng.choice(("nobody", "other_children", "relative")),
        risk_level=rng.choice(("high", "medium", "low", "low")),
    )
    # Some duties met on time, some late, some not yet.
    if rng.random() < 0.6:
        fact(
            "guardian_appointed",
            timedelta(hours=rng.choice((3, 20, 40))),
            guardian="G1",
            guardian_type=rng.choice(("relative", "non_relative", "professional")),
        )
    if rng.random() < 0.5:
        fact(
            "bia_completed",
            timedelta(hours=rng.choice((10, 60, 100))),
            bia_form="short",
            child_views_recorded=True,
        )
    if rng.random() < 0.5:
        fact(
            "education_status",
            timedelta(days=2),
            enrolment=rng.choice(("enrolled", "not_enrolled")),
            barriers=rng.sample(["documents", "language", "fees", "distance"], 2),
        )
    if panel:
        fact("decision_proposed", timedelta(hours=1), decision_type="resettlement")
        fact(
            "bid_report_submitted",
            timedelta(hours=2),
            by=panel[0],
            bid="B1",
            bid_purpose="durable_solution",
        )
        # Two of the three have signed: the panel waits for the third.
        for member in panel[:2]:
            fact("bid_undertaking_signed", timedelta(hours=3), by=member, bid="B1")


def _return(
    case: Case, worker: User, now: datetime, number: int, approver: User
) -> None:
    planned = (now - timedelta(days=2)).replace(second=0, microsecond=0)
    country = (
        Nationality.objects.filter(person_id=case.primary_person_id)
        .values_list("country", flat=True)
        .first()
    ) or "MEX"
    data = {"return": "R1"}
    record_fact(
        case,
        acting_user=worker,
        kind="return_planned",
        at=planned,
        data=data
        | {
            "return_type": ("assisted_voluntary", "voluntary", "forced", "voluntary")[
                number % 4
            ],
            "country": country,
            "destination_kind": "nationality",
            "planned_for": (now + timedelta(days=10)).date().isoformat(),
        },
    )
    if number == 0:
        return  # not screened yet
    areas = CLEAR | ({"reception": "concern"} if number == 1 else {})
    record_fact(
        case,
        acting_user=worker,
        kind="return_screened",
        at=planned + timedelta(hours=4),
        data=data | areas,
    )
    if number >= 2:
        record_fact(
            case,
            acting_user=approver,
            kind="return_screening_approved",
            at=planned + timedelta(hours=6),
            data=data,
        )
