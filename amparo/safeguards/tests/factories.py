"""Facts are recorded through the action, so that the obligations, the audit trail and
the checks are exactly what a real recording writes."""

from datetime import datetime
from typing import Any

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.cases.tests.factories import make_case
from amparo.safeguards.actions import record_fact, set_jurisdiction
from amparo.safeguards.models import CaseFact, Obligation

ZONE = "America/Mexico_City"


def record(case: Case, user: User, kind: str, at: datetime, **data: Any) -> CaseFact:
    return record_fact(case, acting_user=user, kind=kind, at=at, data=data)


def detained_case(
    user: User,
    at: datetime,
    *,
    jurisdiction: str = "",
    episode: str = "ep1",
    case: Case | None = None,
) -> Case:
    """A case (the user's) whose person was detained at `at` in Mexico City."""
    case = case or make_case(user, types=("detention",))
    if jurisdiction:
        set_jurisdiction(case, acting_user=user, code=jurisdiction)
    record(case, user, "detention_started", at, episode=episode, time_zone=ZONE)
    return case


def obligation(case: Case, rule_id: str, key: str = "ep1") -> Obligation:
    return Obligation.objects.get(case=case, rule_id=rule_id, key=key)
