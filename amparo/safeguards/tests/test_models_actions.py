"""Recording facts: checked like a case file, refused when they contradict the record,
and the case's obligations recomputed in the same transaction."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from amparo.audit.models import AuditEvent
from amparo.cases.actions import close_case
from amparo.cases.models import Case
from amparo.cases.tests.factories import make_case
from amparo.safeguards import actions
from amparo.safeguards.models import CaseFact, CaseSafeguards, Obligation
from amparo.safeguards.queries import case_file
from amparo.safeguards.tests.factories import ZONE, detained_case, obligation, record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 10:00 in Mexico City


@pytest.fixture(autouse=True)
def _an_hour_later():
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        yield


def _rules(case):
    return dict(
        Obligation.objects.filter(case=case).values_list("rule_id", "status")
    ).keys()


def test_a_detention_creates_its_obligations_at_once(caseworker):
    case = detained_case(caseworker, T0)
    first = obligation(case, "detention.first_review")
    assert first.status == "open"
    assert first.severity == "info"
    assert first.due_at == T0 + timedelta(hours=48)
    # The deadline keeps the place's zone, for showing it in local time.
    assert first.time_zone == ZONE
    assert first.local(first.due_at).isoformat() == "2026-03-04T10:00:00-06:00"
    assert first.agency_id == case.agency_id
    assert first.person_id == case.primary_person_id
    assert first.citations[0] == "A/RES/68/179 para 4(a)"
    fact = CaseFact.objects.get(case=case)
    assert first.triggered_by == [str(fact.pk)]
    assert set(_rules(case)) >= {
        "detention.first_review",
        "detention.periodic_review",
        "detention.vulnerability_screening",
        "detention.child",
    }
    assert CaseSafeguards.objects.get(case=case).evaluated_at == T0 + timedelta(hours=1)


def test_the_fact_that_meets_a_duty_settles_it(caseworker):
    case = detained_case(caseworker, T0)
    review = record(
        case,
        caseworker,
        "detention_reviewed",
        T0 + timedelta(minutes=30),
        episode="ep1",
        by="judicial",
        outcome="continued",
    )
    first = obligation(case, "detention.first_review")
    assert first.status == "met"
    assert first.met_by == [str(review.pk)]
    assert first.met_at == T0 + timedelta(minutes=30)
    assert first.recheck_at is None  # only a new fact can change it now


def test_obligations_the_engine_no_longer_returns_are_deleted(caseworker):
    case = detained_case(caseworker, T0)
    record(case, caseworker, "foreign_nationality_suspected", T0)
    assert obligation(case, "consular.inform_rights", "unknown").status == "open"
    record(case, caseworker, "nationality", T0, country="HND", status="claimed")
    keys = Obligation.objects.filter(
        case=case, rule_id="consular.inform_rights"
    ).values_list("key", flat=True)
    assert list(keys) == ["HND"]


def test_the_jurisdiction_decides_the_figures(caseworker):
    case = detained_case(caseworker, T0, jurisdiction="mexico")
    maximum = obligation(case, "detention.maximum_period")
    assert maximum.status == "open"
    assert maximum.due_at == T0 + timedelta(hours=36)
    # The next look is the 80 % warning the rule reports, before the deadline.
    assert maximum.recheck_at == T0 + timedelta(hours=36 * 0.8)
    assert maximum.details["warning_at"]
    # Back to the baseline: no maximum in law, an indefinite-detention risk instead.
    actions.set_jurisdiction(case, acting_user=caseworker, code="international")
    assert obligation(case, "detention.maximum_period").status == "not_applicable"
    assert obligation(case, "detention.indefinite_risk").status == "open"
    assert AuditEvent.objects.filter(
        action="safeguards.jurisdiction.changed",
        data={"from": "mexico", "to": "international"},
    ).exists()


def test_an_unknown_jurisdiction_is_refused(caseworker):
    case = make_case(caseworker)
    with pytest.raises(ValidationError) as raised:
        actions.set_jurisdiction(case, acting_user=caseworker, code="thailand")
    assert "mexico" in raised.value.message_dict["jurisdiction"][0]
    assert not CaseSafeguards.objects.exists()


def test_the_warning_of_a_rule_that_does_not_report_it_is_found_from_its_start(
    caseworker,
):
    case = detained_case(caseworker, T0)
    record(case, caseworker, "nationality", T0, country="HND", status="claimed")
    inform = obligation(case, "consular.inform_rights", "HND")
    assert inform.due_at == T0 + timedelta(hours=24)
    # 80 % of 24 hours from the clock's start (one of the facts that started it).
    assert inform.recheck_at == T0 + timedelta(hours=24 * 0.8)


def test_facts_keep_the_offset_they_were_recorded_in(caseworker):
    case = make_case(caseworker)
    bangkok = datetime.fromisoformat("2026-03-02T23:30:00+07:00")
    record(case, caseworker, "birth", bangkok, date="2008-03-03")
    (fact,) = case_file(case).facts
    assert fact.at.isoformat() == "2026-03-02T23:30:00+07:00"
    assert fact.data == {"date": "2008-03-03"}


def test_fact_data_and_obligation_notes_are_encrypted_at_rest(caseworker):
    case = detained_case(caseworker, T0)
    record(case, caseworker, "asylum_status", T0, status="refugee")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_json FROM safeguards_casefact WHERE kind = 'asylum_status'"
        )
        (stored,) = cursor.fetchone()
        cursor.execute(
            "SELECT details_json FROM safeguards_obligation "
            "WHERE rule_id = 'detention.first_review'"
        )
        (details,) = cursor.fetchone()
    assert stored.startswith("v1:")
    assert "refugee" not in stored
    assert details.startswith("v1:")
    assert CaseFact.objects.get(kind="asylum_status").data == {"status": "refugee"}


def test_recording_is_audited_with_the_kind_and_no_values(caseworker):
    case = make_case(caseworker)
    fact = record(case, caseworker, "nationality", T0, country="SYR", status="claimed")
    event = AuditEvent.objects.get(action="safeguards.fact.recorded")
    assert event.subject_id == str(case.pk)
    assert event.data == {"fact": str(fact.pk), "kind": "nationality"}
    assert "SYR" not in str(event.data)
    # The case counts as changed for "recently updated" lists.
    case.refresh_from_db()
    assert case.updated_at == T0 + timedelta(hours=1)


def test_a_failure_after_the_fact_rolls_back_the_fact_and_the_obligations(
    caseworker, monkeypatch
):
    case = detained_case(caseworker, T0)
    before = list(
        Obligation.objects.filter(case=case).values("rule_id", "key", "status")
    )

    def broken(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(actions, "audit", broken)
    with pytest.raises(RuntimeError):
        record(case, caseworker, "rights_informed", T0, language="es")
    assert CaseFact.objects.filter(case=case).count() == 1
    assert (
        list(Obligation.objects.filter(case=case).values("rule_id", "key", "status"))
        == before
    )


def test_a_failing_recomputation_stores_no_fact(caseworker, monkeypatch):
    case = make_case(caseworker)

    def broken(*args, **kwargs):
        raise RuntimeError("engine failure")

    monkeypatch.setattr(actions.engine, "evaluate", broken)
    with pytest.raises(RuntimeError):
        record(case, caseworker, "detention_started", T0, episode="ep1", time_zone=ZONE)
    assert not CaseFact.objects.exists()
    assert not Obligation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="safeguards.").exists()


@pytest.mark.parametrize(
    ("kind", "after", "data", "field", "words"),
    [
        (
            "detention_ended",
            timedelta(hours=-1),
            {"episode": "ep1", "reason": "released"},
            "at",
            "before detention episode 'ep1' started",
        ),
        (
            "detention_started",
            timedelta(minutes=5),
            {"episode": "ep2", "time_zone": ZONE},
            "at",
            "still open",
        ),
        (
            "detention_reviewed",
            timedelta(minutes=5),
            {"episode": "ep9", "by": "judicial", "outcome": "continued"},
            "data.episode",
            "has no detention_started fact",
        ),
    ],
)
def test_contradictions_are_refused_with_a_message_and_nothing_stored(
    caseworker, kind, after, data, field, words
):
    case = detained_case(caseworker, T0)
    before = list(Obligation.objects.filter(case=case).values("id", "updated_at"))
    with pytest.raises(ValidationError) as raised:
        record(case, caseworker, kind, T0 + after, **data)
    messages = raised.value.message_dict[field]
    assert any(words in m for m in messages), messages
    assert CaseFact.objects.filter(case=case).count() == 1
    after_refusal = Obligation.objects.filter(case=case).values("id", "updated_at")
    assert list(after_refusal) == before
    assert AuditEvent.objects.filter(action="safeguards.fact.recorded").count() == 1


@pytest.mark.parametrize(
    ("kind", "at", "data", "field"),
    [
        ("travel_document", T0, {}, "kind"),
        ("nationality", T0, {"country": "ZZZ", "status": "claimed"}, "data.country"),
        ("nationality", T0, {"country": "MEX", "status": "sure"}, "data.status"),
        ("nationality", T0, {"country": "MEX"}, "data.status"),
        ("nationality", T0, {"country": "MEX", "status": "claimed", "x": 1}, "data.x"),
        ("birth", T0, {"date": "2008-02-31"}, "data.date"),
        (
            "detention_started",
            T0,
            {"episode": "e", "time_zone": "Mars/Olympus"},
            "data.time_zone",
        ),
        ("death", datetime(2026, 3, 2, 10, 0), {}, "at"),  # noqa: DTZ001 - no zone
        ("death", T0 + timedelta(days=1), {}, "at"),  # in the future
    ],
)
def test_bad_facts_are_refused_by_field(caseworker, kind, at, data, field):
    case = make_case(caseworker)
    with pytest.raises(ValidationError) as raised:
        actions.record_fact(case, acting_user=caseworker, kind=kind, at=at, data=data)
    assert field in raised.value.message_dict, raised.value.message_dict
    assert not CaseFact.objects.exists()


def test_only_those_who_work_on_the_case_record_facts(
    caseworker, statistician, outsider
):
    case = make_case(caseworker)
    for user in (statistician, outsider):
        with pytest.raises(PermissionError):
            record(case, user, "death", T0)
    close_case(case, acting_user=caseworker, reason="goals_met")
    with pytest.raises(ValidationError) as raised:
        record(case, caseworker, "death", T0)
    assert "status" in raised.value.message_dict
    assert not CaseFact.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "closed"
