"""Detentions for the demo: some of the demo agency's open detention cases get a
detention episode and the facts that follow it, recorded through the real action, so
that the worklists, the register and the case pages have deadlines met, due and
overdue to show."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from amparo.accounts.models import Agency, User
from amparo.cases.models import Case
from amparo.people.models import Nationality
from amparo.safeguards.actions import record_fact, set_jurisdiction

# (jurisdiction, place of detention, its zone)
PLACES = (
    ("mexico", "Estación migratoria Siglo XXI, Tapachula", "America/Mexico_City"),
    ("united_states", "El Paso Service Processing Center", "America/Denver"),
    ("eu_return_directive", "Pre-removal centre, Amygdaleza", "Europe/Athens"),
    ("international", "Holding facility, Tripoli", "Africa/Tripoli"),
)
DETAINED = 40


def add_detentions(agency: Agency, now: datetime, *, seed: int) -> int:
    """Detain the first open detention cases of `agency`; returns how many."""
    rng = random.Random(seed)
    cases = list(
        Case.objects.filter(agency=agency, types__code="detention")
        .exclude(status=Case.Status.CLOSED)
        .exclude(assigned_to=None)
        .select_related("assigned_to")
        .order_by("reference")[:DETAINED]
    )
    for index, case in enumerate(cases):
        _detain(case, case.assigned_to, now, rng, PLACES[index % len(PLACES)])  # type: ignore[arg-type]
    return len(cases)


def _detain(
    case: Case,
    worker: User,
    now: datetime,
    rng: random.Random,
    place: tuple[str, str, str],
) -> None:
    code, name, zone = place
    set_jurisdiction(case, acting_user=worker, code=code)
    started = (now - timedelta(hours=rng.randint(3, 24 * 40))).astimezone(
        ZoneInfo(zone)
    )
    start = started.replace(second=0, microsecond=0)

    def fact(kind: str, after: timedelta, **data: object) -> None:
        at = start + after
        if at < now:
            record_fact(case, acting_user=worker, kind=kind, at=at, data=data)

    fact("detention_started", timedelta(), episode="E1", place=name, time_zone=zone)
    for nationality in Nationality.objects.filter(person_id=case.primary_person_id):
        fact(
            "nationality",
            timedelta(minutes=30),
            country=nationality.country,
            status="claimed",
        )
    # Some duties met on time, some late, some not yet: a worklist worth reading.
    if rng.random() < 0.7:
        fact("rights_informed", timedelta(hours=rng.choice((2, 20, 30))), language="es")
    if rng.random() < 0.6:
        fact(
            "vulnerability_screened",
            timedelta(hours=rng.choice((6, 20, 40))),
            episode="E1",
            positive=rng.random() < 0.3,
        )
    if rng.random() < 0.5:
        fact(
            "detention_reviewed",
            timedelta(hours=rng.choice((24, 47, 60))),
            episode="E1",
            by="judicial",
            outcome="continued",
        )
