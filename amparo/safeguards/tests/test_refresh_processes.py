"""A large refresh shared out among processes (PostgreSQL only: SQLite has one writer)
gives what one process gives, and leaves nothing due."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from amparo.safeguards.actions import recompute, refresh_due
from amparo.safeguards.models import Obligation
from amparo.safeguards.tests.factories import detained_case

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def _state():
    return sorted(
        Obligation.objects.values_list(
            "case_id", "rule_id", "key", "status", "severity", "recheck_at"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_processes_give_what_one_process_gives(caseworker):
    if connection.vendor != "postgresql":
        pytest.skip("the refresh shares out among processes on PostgreSQL only")
    with time_machine.travel(T0, tick=False):
        cases = [detained_case(caseworker, T0) for _ in range(6)]
    later = T0 + timedelta(hours=49)
    with time_machine.travel(later, tick=False):
        changes = refresh_due(batch_size=2, processes=2)
        in_processes = _state()
        assert changes.cases == len(cases)
        assert refresh_due(batch_size=2, processes=2).cases == 0
    overdue = Obligation.objects.filter(
        rule_id="detention.first_review", status="overdue"
    )
    assert overdue.count() == len(cases)
    # The same, in one process, from the same start.
    Obligation.objects.all().delete()
    with time_machine.travel(T0, tick=False):
        for case in cases:
            recompute(case, now=T0)
    with time_machine.travel(later, tick=False):
        assert refresh_due(batch_size=2, processes=1).cases == len(cases)
    assert _state() == in_processes
