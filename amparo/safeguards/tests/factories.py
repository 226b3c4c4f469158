"""Facts are recorded through the action, so that the obligations, the audit trail and
the checks are exactly what a real recording writes."""

from datetime import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

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


def state(case: Case) -> tuple[int, int, list[tuple[str, str, str]]]:
    """The number of the case's facts and obligations, and each obligation's status."""
    obligations = Obligation.objects.filter(case=case)
    return (
        CaseFact.objects.filter(case=case).count(),
        obligations.count(),
        sorted(obligations.values_list("rule_id", "key", "status")),
    )


def refused(
    case: Case, user: User, kind: str, when: datetime, field: str, **data: Any
) -> str:
    """Recording is refused on `field` alone and nothing is saved; the message."""
    before = state(case)
    with pytest.raises(ValidationError) as caught:
        record(case, user, kind, when, **data)
    assert set(caught.value.message_dict) == {field}, caught.value.message_dict
    assert state(case) == before
    return " ".join(caught.value.messages)
