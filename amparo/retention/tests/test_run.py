"""`amparo retention run`: exactly what is past its period is anonymised, statistics
stay the same, no trace of a name is left, and a second run changes nothing."""

from collections import Counter
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.cases.actions import add_case_member, close_case, reopen_case
from amparo.cases.models import Case, CaseEvent, CaseMember, CaseType, Note
from amparo.cases.tests.factories import ORAL_CONSENT, make_case
from amparo.people.models import Consent, NameKey, Nationality, Person, PersonName
from amparo.retention import actions
from amparo.retention.actions import run_retention
from amparo.retention.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db

AUGUST = "2026-08-01 03:00Z"


def _run(**options):
    return run_retention(now=timezone.now(), batch_size=500, **options)


def _anonymised_cases():
    return set(
        Case.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
    )


def _anonymised_persons():
    return set(
        Person.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
    )


def _statistics() -> dict[str, Counter]:
    """The aggregates the statistics module publishes."""
    persons = Person.objects.all()
    return {
        "persons by sex and nationality": Counter(
            Nationality.objects.values_list("person__sex", "country")
        ),
        "persons by sex and year of birth": Counter(
            (p.sex, p.birth_date and p.birth_date.year) for p in persons
        ),
        "persons by estimated age": Counter(
            persons.values_list("estimated_age", "age_estimated_on")
        ),
        "persons by country of birth and specific need": Counter(
            (p.country_of_birth, tuple(p.vulnerabilities)) for p in persons
        ),
        "persons by agency and month registered": Counter(
            (p.agency_id, timezone.localtime(p.created_at).strftime("%Y-%m"))
            for p in persons
        ),
        "cases by type and status": Counter(
            CaseType.objects.values_list("code", "case__status")
        ),
        "cases by risk and closure reason": Counter(
            Case.objects.values_list("risk", "closure_reason")
        ),
        "cases by month opened and closed": Counter(
            (
                timezone.localtime(c.opened_at).strftime("%Y-%m"),
                c.closed_at and timezone.localtime(c.closed_at).strftime("%Y-%m"),
            )
            for c in Case.objects.all()
        ),
        "case members by relationship": Counter(
            CaseMember.objects.values_list("relationship", flat=True)
        ),
        "timeline by kind": Counter(CaseEvent.objects.values_list("kind", flat=True)),
        "status changes": Counter(
            (e.data.get("from"), e.data.get("to"), e.data.get("reason"))
            for e in CaseEvent.objects.all()
        ),
    }


def _dump(*, audit: bool = True) -> str:
    """Every row of every table, as the database holds it."""
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not audit and table.startswith("audit_"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            text.extend(str(row) for row in cursor.fetchall())
    return "\n".join(text)


def test_exactly_what_is_past_its_period_is_anonymised(population, periods):
    p = population
    with time_machine.travel(AUGUST, tick=False):
        counts = _run()
    assert counts == {
        "erasure_request": 0,
        "closed_case": 1,
        "person_without_case": 1,
        "person_after_cases": 2,
    }
    assert _anonymised_cases() == {p.closed.pk}
    # Zenobia and the child were only on the anonymised case; Cornelius on no case.
    assert _anonymised_persons() == {p.zenobia.pk, p.ignatia.pk, p.cornelius.pk}


def test_the_periods_come_from_the_settings(population, periods):
    closed = population.closed
    # Closed 2026-01-10 10:00 UTC; 100 days later is 2026-04-20 10:00 UTC.
    with time_machine.travel("2026-04-20 09:59Z", tick=False):
        assert _run()["closed_case"] == 0
    with time_machine.travel("2026-04-20 10:00Z", tick=False):
        assert _run()["closed_case"] == 1
    assert _anonymised_cases() == {closed.pk}


def test_a_longer_period_in_the_settings_delays_the_anonymisation(
    population, periods, settings
):
    settings.AMPARO_RETENTION_DAYS = periods | {"closed_case": 365}
    with time_machine.travel(AUGUST, tick=False):
        assert _run()["closed_case"] == 0
    with time_machine.travel("2027-01-10 10:00Z", tick=False):
        assert _run()["closed_case"] == 1
    assert _anonymised_cases() == {population.closed.pk}


def test_persons_wait_for_their_own_period_after_their_last_case(
    population, periods, settings
):
    settings.AMPARO_RETENTION_DAYS = periods | {"person_after_cases": 30}
    p = population
    with time_machine.travel(AUGUST, tick=False):
        assert _run()["person_after_cases"] == 0
    with time_machine.travel("2026-08-31 03:00Z", tick=False):
        assert _run()["person_after_cases"] == 2
    assert {p.zenobia.pk, p.ignatia.pk} <= _anonymised_persons()


def test_an_open_case_is_never_anonymised_nor_anyone_on_it(population, periods):
    p = population
    with time_machine.travel("2040-01-01 00:00Z", tick=False):
        _run()
    assert p.open.pk not in _anonymised_cases()
    assert p.thaddeus.pk not in _anonymised_persons()
    p.open.refresh_from_db()
    assert p.open.opening_reason == "Needs legal counselling."


def test_a_person_on_an_open_case_as_a_member_is_kept(population, periods, caseworker):
    p = population
    with time_machine.travel("2026-02-01 10:00Z", tick=False):
        add_case_member(
            p.open,
            p.ignatia,
            acting_user=caseworker,
            relationship="other",
            lawful_basis=ORAL_CONSENT,
        )
    with time_machine.travel(AUGUST, tick=False):
        _run()
    assert p.ignatia.pk not in _anonymised_persons()
    assert p.zenobia.pk in _anonymised_persons()


def test_a_second_run_changes_nothing_and_reports_zero(population, periods):
    with time_machine.travel(AUGUST, tick=False):
        _run()
        before = _dump(audit=False)
        events = AuditEvent.objects.count()
        counts = _run()
    assert set(counts.values()) == {0}
    assert _dump(audit=False) == before
    # Only the second run's summary event was added.
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.order_by("-sequence").first().action == (
        "retention.run.completed"
    )


def test_aggregate_statistics_are_the_same_before_and_after(population, periods):
    before = _statistics()
    with time_machine.travel(AUGUST, tick=False):
        _run()
    assert _anonymised_persons() and _anonymised_cases()
    assert _statistics() == before


def test_no_name_contact_or_story_is_left_in_the_database(population, periods):
    before = _dump()
    assert all(secret in before for secret in SECRETS[:6])
    with time_machine.travel(AUGUST, tick=False):
        _run()
    dump = _dump()
    for secret in SECRETS:
        assert secret not in dump, secret
    # Encrypted columns: not even the ciphertext of the old value is left.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact, migration_status, place_of_origin"
            " FROM people_person WHERE anonymised_at IS NOT NULL"
        )
        assert set(cursor.fetchall()) == {("", "", "")}
        cursor.execute(
            "SELECT opening_reason, closure_note FROM cases_case"
            " WHERE anonymised_at IS NOT NULL"
        )
        assert cursor.fetchall() == [("", "")]
    # What the kept people still have is untouched.
    assert "Thaddeus" in dump and "Wolstenholme" in dump


def test_what_an_anonymised_person_and_case_keep(population, periods):
    p = population
    with time_machine.travel(AUGUST, tick=False):
        _run()
    zenobia = Person.objects.get(pk=p.zenobia.pk)
    assert zenobia.display_name == "Anonymised"
    assert [n.full_name for n in zenobia.names.all()] == ["Anonymised"]
    assert not NameKey.objects.filter(person=zenobia).exists()
    assert (zenobia.sex, zenobia.birth_date, zenobia.birth_date_precision) == (
        "F",
        date(1990, 1, 1),
        "year",
    )
    assert sorted(n.country for n in zenobia.nationalities.all()) == ["COL", "VEN"]
    assert (zenobia.country_of_birth, zenobia.vulnerabilities) == ("VEN", ["WR"])
    assert (zenobia.contact, zenobia.migration_status, zenobia.languages) == (
        "",
        "",
        [],
    )
    consents = {c.purpose: c for c in Consent.objects.filter(person=zenobia)}
    assert consents["case_management"].basis == "consent"
    assert consents["case_management"].scope == ""
    assert consents["tracing"].justification == "Anonymised"
    assert consents["tracing"].withdrawal_reason == ""
    assert consents["tracing"].withdrawn_at is not None

    case = Case.objects.get(pk=p.closed.pk)
    assert case.reference == f"ANON-{case.pk.hex}"
    assert (case.status, case.risk, case.closure_reason) == (
        "closed",
        "medium",
        "other",
    )
    assert sorted(t.code for t in case.types.all()) == ["child", "general"]
    assert timezone.localtime(case.opened_at).date() == date(2026, 1, 1)
    assert timezone.localtime(case.closed_at).date() == date(2026, 1, 1)
    assert (case.opening_reason, case.closure_note) == ("", "")
    assert not Note.objects.filter(case=case).exists()
    assert [m.person_id for m in case.members.all()] == [p.ignatia.pk]
    events = {e.kind: e.data for e in case.events.all()}
    assert events["opened"] == {"types": ["child", "general"], "risk": "medium"}
    assert events["closed"] == {"reason": "other"}
    assert events["member_added"] == {} and events["note_added"] == {}
    # The search no longer finds her by any of her names.
    assert not PersonName.objects.filter(given_names="Zenobia").exists()


def test_each_anonymisation_is_audited_without_personal_data(population, periods):
    p = population
    with time_machine.travel(AUGUST, tick=False):
        _run()
    case_event = AuditEvent.objects.get(action="retention.case.anonymised")
    assert (case_event.subject_id, case_event.data) == (
        str(p.closed.pk),
        {"record_type": "closed_case", "period_days": 100},
    )
    # Filed under the record's agency, so that its data-protection officer sees it.
    assert case_event.actor is None and case_event.agency_id == p.closed.agency_id
    persons = {
        e.subject_id: e.data
        for e in AuditEvent.objects.filter(action="retention.person.anonymised")
    }
    assert persons == {
        str(p.zenobia.pk): {"record_type": "person_after_cases", "period_days": 0},
        str(p.ignatia.pk): {"record_type": "person_after_cases", "period_days": 0},
        str(p.cornelius.pk): {"record_type": "person_without_case", "period_days": 200},
    }
    summary = AuditEvent.objects.get(action="retention.run.completed")
    assert summary.data["anonymised"] == {
        "erasure_request": 0,
        "closed_case": 1,
        "person_without_case": 1,
        "person_after_cases": 2,
    }
    assert summary.data["period_days"] == periods
    text = str(list(AuditEvent.objects.values_list("data", flat=True)))
    assert not any(secret in text for secret in SECRETS)


def test_a_dry_run_counts_what_is_due_and_writes_nothing(population, periods):
    with time_machine.travel(AUGUST, tick=False):
        before = _dump()
        counts = _run(dry_run=True)
        assert _dump() == before
    assert counts["closed_case"] == 1 and counts["person_without_case"] == 1


def test_batches_are_resumable_and_never_half_written(population, periods, monkeypatch):
    """A failure in the middle of a batch leaves that batch untouched; the next run
    takes up where the last one stopped."""
    real = actions._anonymise_person
    calls = []

    def fail_on_the_second(person, **kwargs):
        calls.append(person.pk)
        if len(calls) == 3:
            raise RuntimeError("power cut")
        return real(person, **kwargs)

    monkeypatch.setattr(actions, "_anonymise_person", fail_on_the_second)
    lines = []
    with time_machine.travel(AUGUST, tick=False), pytest.raises(RuntimeError):
        run_retention(now=timezone.now(), batch_size=2, progress=lines.append)
    # The first batches committed. The last one, of two persons, failed on its second
    # person: its first person, anonymised in the same transaction, is intact again.
    assert _anonymised_cases() == {population.closed.pk}
    assert _anonymised_persons() == {population.cornelius.pk}
    assert lines == ["closed_case: 1 anonymised", "person_without_case: 1 anonymised"]
    first = Person.objects.get(pk=calls[1])
    assert first.display_name != "Anonymised" and first.contact
    monkeypatch.setattr(actions, "_anonymise_person", real)
    with time_machine.travel(AUGUST, tick=False):
        counts = run_retention(now=timezone.now(), batch_size=1, progress=lines.append)
    assert counts == {
        "erasure_request": 0,
        "closed_case": 0,
        "person_without_case": 0,
        "person_after_cases": 2,
    }
    assert len(_anonymised_persons()) == 3


def test_a_case_reopened_after_it_was_picked_is_left_alone(population, periods):
    """Due-ness is checked again under the row lock."""
    p = population
    with time_machine.travel(AUGUST, tick=False):
        reopen_case(p.closed, acting_user=p.closed.opened_by, reason="Back again")
        assert (
            actions.anonymise_due(
                actions.RecordType.CLOSED_CASE, [p.closed.pk], now=timezone.now()
            )
            == 0
        )
    assert _anonymised_cases() == set()


def test_records_of_disclosure_keep_their_proof_and_lose_their_text(
    caseworker, supervisor, dpo, other_agency, enforcement_agency, periods
):
    # Imported here: a change in one of these apps then fails this test only.
    from amparo.disclosures.actions import request_export
    from amparo.disclosures.models import ExportRequest, FirewallOverride
    from amparo.disclosures.tests.factories import allow_sharing, make_override
    from amparo.oversight.actions import escalate_case, grant_content_access
    from amparo.oversight.models import ContentAccessGrant, Escalation
    from amparo.people.tests.factories import give_consent
    from amparo.referrals.actions import record_agreement, send_referral
    from amparo.referrals.models import Referral

    story = "Quintessa hid in the lorry"
    with time_machine.travel("2026-01-05 10:00Z", tick=False):
        case = make_case(caseworker)
        person = case.primary_person
        agreement = record_agreement(
            acting_user=dpo,
            to_agency=other_agency,
            purpose="Legal aid",
            fields=["names", "contact"],
            safeguards="MoU",
            valid_from=date(2020, 1, 1),
            valid_until=date(2099, 1, 1),
        )
        give_consent(person, caseworker, "referral")
        referral = send_referral(
            case,
            acting_user=caseworker,
            to_agency=agreement.to_agency,
            kind="referral",
            fields=["names", "contact"],
            message=story,
        )
        allow_sharing(person, caseworker)
        export = request_export(
            case, acting_user=caseworker, purpose=story, recipient_agency=other_agency
        )
        override = make_override(case, supervisor, enforcement_agency)
        grant = grant_content_access(case, dpo=dpo, reason=story, hours=8)
        escalation = escalate_case(case, acting_user=caseworker, question=story)
    with time_machine.travel("2026-01-10 10:00Z", tick=False):
        close_case(case, acting_user=caseworker, reason="goals_met")
    with time_machine.travel(AUGUST, tick=False):
        assert _run()["closed_case"] == 1
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.packet, referral.message) == ("{}", "Anonymised")
    assert referral.to_agency == other_agency
    assert sorted(referral.fields) == ["contact", "names"]
    assert ExportRequest.objects.get(pk=export.pk).purpose == "Anonymised"
    override = FirewallOverride.objects.get(pk=override.pk)
    assert (override.purpose, override.legal_basis_explanation) == (
        "Anonymised",
        "Anonymised",
    )
    assert override.legal_basis == "court_order"
    assert ContentAccessGrant.objects.get(pk=grant.pk).reason == "Anonymised"
    assert Escalation.objects.get(pk=escalation.pk).question == "Anonymised"
