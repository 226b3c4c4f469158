"""`amparo safeguards refresh`: what time alone changes, and only that."""

from datetime import UTC, datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command

from amparo.cases.models import Case
from amparo.safeguards.actions import refresh_due
from amparo.safeguards.models import CaseSafeguards, Obligation
from amparo.safeguards.tests.factories import detained_case, obligation, record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _evaluated(case):
    return CaseSafeguards.objects.get(case=case).evaluated_at


def test_time_makes_an_open_duty_overdue(caseworker):
    with _at(T0):
        case = detained_case(caseworker, T0)
    assert obligation(case, "detention.first_review").status == "open"
    with _at(T0 + timedelta(hours=49)):
        changes = refresh_due()
    first = obligation(case, "detention.first_review")
    assert first.status == "overdue"
    assert first.severity == "critical"
    assert changes.cases == 1
    assert changes.updated >= 1
    assert changes.created == changes.deleted == 0
    assert first.recheck_at is None  # nothing more will change it but a fact


def test_time_raises_the_warning_at_80_percent(caseworker):
    with _at(T0):
        case = detained_case(caseworker, T0, jurisdiction="mexico")
    with _at(T0 + timedelta(hours=28)):
        refresh_due()
    assert obligation(case, "detention.maximum_period").severity == "info"
    with _at(T0 + timedelta(hours=29)):
        refresh_due()
    maximum = obligation(case, "detention.maximum_period")
    assert (maximum.status, maximum.severity) == ("open", "warning")
    assert maximum.recheck_at == T0 + timedelta(hours=36)
    with _at(T0 + timedelta(hours=37)):
        refresh_due()
    maximum = obligation(case, "detention.maximum_period")
    assert (maximum.status, maximum.severity) == ("overdue", "critical")


def test_a_consular_warning_the_rule_does_not_report_is_still_raised(caseworker):
    with _at(T0):
        case = detained_case(caseworker, T0)
        record(case, caseworker, "nationality", T0, country="HND", status="claimed")
    with _at(T0 + timedelta(hours=20)):
        refresh_due()
    inform = obligation(case, "consular.inform_rights", "HND")
    assert (inform.status, inform.severity) == ("open", "warning")


def test_refresh_touches_only_the_cases_that_are_due(caseworker):
    with _at(T0):
        early = detained_case(caseworker, T0)
    with _at(T0 + timedelta(hours=40)):
        late = detained_case(caseworker, T0 + timedelta(hours=40))
    untouched = {o.pk: o.updated_at for o in Obligation.objects.filter(case=late)}
    with _at(T0 + timedelta(hours=49)):
        changes = refresh_due()
    assert changes.cases == 1
    assert _evaluated(early) == T0 + timedelta(hours=49)
    assert _evaluated(late) == T0 + timedelta(hours=40)
    assert {
        o.pk: o.updated_at for o in Obligation.objects.filter(case=late)
    } == untouched
    assert obligation(late, "detention.first_review").status == "open"


def test_refresh_is_idempotent(caseworker):
    with _at(T0):
        case = detained_case(caseworker, T0)
    with _at(T0 + timedelta(hours=49)):
        first = refresh_due()
        rows = list(Obligation.objects.filter(case=case).values())
        second = refresh_due()
    assert first.cases == 1
    assert (second.cases, second.updated) == (0, 0)
    assert list(Obligation.objects.filter(case=case).values()) == rows


def test_refresh_goes_batch_by_batch(caseworker):
    with _at(T0):
        cases = [detained_case(caseworker, T0) for _ in range(5)]
    with _at(T0 + timedelta(hours=49)):
        changes = refresh_due(batch_size=2)
    assert changes.cases == 5
    assert all(
        obligation(c, "detention.first_review").status == "overdue" for c in cases
    )


def test_the_command_prints_its_counts(caseworker, capsys):
    with _at(T0):
        detained_case(caseworker, T0)
    with _at(T0 + timedelta(hours=49)):
        call_command("safeguards", "refresh", "--batch-size", "10")
        first = capsys.readouterr().out
        call_command("safeguards", "refresh")
        second = capsys.readouterr().out
    assert first.startswith("1 cases re-evaluated:")
    assert second.startswith("0 cases re-evaluated: 0 obligations created, 0 updated")


def test_amparo_safeguards_refresh_on_the_command_line(caseworker, capsys, monkeypatch):
    from django.core.management import base, execute_from_command_line

    # The command closes the connections when done; the test's transaction needs its.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    with _at(T0):
        detained_case(caseworker, T0)
    with _at(T0 + timedelta(hours=49)):
        execute_from_command_line(
            ["amparo", "safeguards", "refresh", "--batch-size", "3"]
        )
    assert capsys.readouterr().out.startswith("1 cases re-evaluated:")
    with pytest.raises(SystemExit) as stopped:
        execute_from_command_line(
            ["amparo", "safeguards", "refresh", "--batch-size", "0"]
        )
    assert stopped.value.code == 2
    # Help is printed and refreshes nothing, without an error.
    capsys.readouterr()
    with _at(T0 + timedelta(hours=99)):
        execute_from_command_line(["amparo", "safeguards", "refresh", "--help"])
    printed = capsys.readouterr()
    assert "--batch-size" in printed.out and "re-evaluated" not in printed.out
    assert printed.err == ""


def test_a_detained_child_turning_18_is_noticed_at_midnight_in_the_place(caseworker):
    with _at(T0 + timedelta(hours=1)):
        case = detained_case(caseworker, T0)
        # 18 on 3 March 2026, the day after the detention (Mexico City time).
        record(case, caseworker, "birth", T0, date="2008-03-03")
    child = obligation(case, "detention.child")
    assert (child.status, child.severity) == ("escalated", "critical")
    midnight = datetime(2026, 3, 3, tzinfo=ZoneInfo("America/Mexico_City"))
    assert child.recheck_at == midnight
    assert CaseSafeguards.objects.get(case=case).recheck_at == midnight
    with _at(midnight - timedelta(minutes=1)):
        assert refresh_due().cases == 0
    with _at(midnight):
        assert refresh_due().cases == 1
    child = obligation(case, "detention.child")
    assert child.status == "not_applicable"
    assert child.details["child_until"].startswith("2026-03-03T00:00:00")
    # Only a new fact can change it now; the case's next look is its other duties'.
    assert child.recheck_at is None
    rechecks = Obligation.objects.filter(case=case).exclude(recheck_at=None)
    assert CaseSafeguards.objects.get(case=case).recheck_at == min(
        o.recheck_at for o in rechecks
    )


def test_a_re_evaluation_that_changes_nothing_writes_only_the_case_row(caseworker):
    with _at(T0):
        case = detained_case(caseworker, T0, jurisdiction="mexico")
    before = {
        o.pk: (o.updated_at, o.details) for o in Obligation.objects.filter(case=case)
    }
    # Looked at again before any of its moments (as after a restore, or by hand): the
    # days detained have grown, but nothing stored counts them.
    CaseSafeguards.objects.filter(case=case).update(recheck_at=T0 + timedelta(hours=1))
    with _at(T0 + timedelta(hours=2)):
        changes = refresh_due()
    assert (changes.cases, changes.created, changes.updated, changes.deleted) == (
        1,
        0,
        0,
        0,
    )
    after = {
        o.pk: (o.updated_at, o.details) for o in Obligation.objects.filter(case=case)
    }
    assert after == before
    row = CaseSafeguards.objects.get(case=case)
    assert row.evaluated_at == T0 + timedelta(hours=2)
    assert row.recheck_at == min(
        o.recheck_at for o in Obligation.objects.filter(case=case) if o.recheck_at
    )


def test_the_migration_has_every_case_but_the_anonymised_looked_at_again(caseworker):
    look_again = import_module(
        "amparo.safeguards.migrations.0002_case_recheck"
    ).look_again_at_every_case
    with _at(T0):
        case = detained_case(caseworker, T0)
        gone = detained_case(caseworker, T0)
    Case.objects.filter(pk=gone.pk).update(anonymised_at=T0)
    CaseSafeguards.objects.update(recheck_at=None)
    look_again(apps, None)  # at the database's clock
    marked = CaseSafeguards.objects.get(case=case).recheck_at
    assert marked is not None
    assert CaseSafeguards.objects.get(case=gone).recheck_at is None
    assert refresh_due(now=marked).cases == 1
    assert _evaluated(case) == marked
    assert _evaluated(gone) == T0


def test_a_case_evaluated_at_its_deadline_is_looked_at_just_after(caseworker):
    with _at(T0):
        case = detained_case(caseworker, T0)
    first = obligation(case, "detention.first_review")
    assert first.status == "open"
    due = first.due_at
    CaseSafeguards.objects.filter(case=case).update(recheck_at=due)
    with _at(due):
        refresh_due()  # at the deadline itself: not yet past it
    first = obligation(case, "detention.first_review")
    assert first.status == "open"
    assert first.recheck_at == due + timedelta(microseconds=1)
    with _at(due + timedelta(microseconds=1)):
        assert refresh_due().cases == 1
    assert obligation(case, "detention.first_review").status == "overdue"


def test_an_obligation_without_a_fingerprint_is_written_once_more(caseworker):
    with _at(T0):
        case = detained_case(caseworker, T0)
    stored = Obligation.objects.filter(case=case)
    fingerprints = dict(stored.values_list("pk", "fingerprint"))
    assert all(len(f) == 32 for f in fingerprints.values())
    stored.update(fingerprint="")  # as the migration leaves them
    CaseSafeguards.objects.filter(case=case).update(recheck_at=T0)
    with _at(T0 + timedelta(minutes=1)):
        first = refresh_due()
    assert first.updated == len(fingerprints)
    assert dict(stored.values_list("pk", "fingerprint")) == fingerprints
    CaseSafeguards.objects.filter(case=case).update(recheck_at=T0)
    with _at(T0 + timedelta(minutes=2)):
        assert refresh_due().updated == 0


def test_refresh_all_re_evaluates_every_case_but_the_anonymised(caseworker, capsys):
    with _at(T0):
        first = detained_case(caseworker, T0)
        second = detained_case(caseworker, T0, jurisdiction="mexico")
        gone = detained_case(caseworker, T0)
    Case.objects.filter(pk=gone.pk).update(anonymised_at=T0)
    # Nothing is due an hour later, until the rules or profiles change.
    with _at(T0 + timedelta(hours=1)):
        call_command("safeguards", "refresh")
        assert capsys.readouterr().out.startswith("0 cases re-evaluated")
        call_command("safeguards", "refresh", "--jurisdiction", "mexico")
        assert capsys.readouterr().out.startswith("1 cases re-evaluated")
        assert _evaluated(second) == T0 + timedelta(hours=1)
        assert _evaluated(first) == T0
        call_command("safeguards", "refresh", "--all")
        assert capsys.readouterr().out.startswith("2 cases re-evaluated")
    assert _evaluated(first) == T0 + timedelta(hours=1)
    assert _evaluated(gone) == T0


def test_refresh_refuses_an_unknown_jurisdiction(caseworker):
    with _at(T0):
        case = detained_case(caseworker, T0)
    with pytest.raises(CommandError, match="No jurisdiction profile atlantis"):
        call_command("safeguards", "refresh", "--jurisdiction", "atlantis")
    assert _evaluated(case) == T0
    with pytest.raises(CommandError, match="bad arguments"):
        call_command("safeguards", "refresh", "--all", "--jurisdiction", "mexico")
