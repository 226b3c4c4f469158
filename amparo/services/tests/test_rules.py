"""The rule of service referrals (services.urgent_referral: an urgent referral accepted
within the profile's 24 hours) and the referral's part in protection.assistance (a
referral to a medical, psychosocial or legal provider meets the duty to offer that
assistance after a positive decision on reasonable grounds).

The engine's tests take facts and `now` explicitly; times are hours after T0, a Monday
09:00 UTC (the international profile counts in UTC). The last tests go through the
database: the materialised obligation, as time and the provider's answer change it."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import give_consent
from amparo.safeguards import engine, profiles
from amparo.safeguards.actions import refresh_due
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.models import CaseFact
from amparo.safeguards.models import Obligation as StoredObligation
from amparo.safeguards.obligations import Obligation, Severity, Status
from amparo.safeguards.tests.factories import record
from amparo.services import actions
from amparo.services.tests.factories import make_provider, make_referral

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
INTL = profiles.load("international")
URGENT = "services.urgent_referral"
ASSISTANCE = "protection.assistance"

OPEN, MET, OVERDUE, NA = Status.OPEN, Status.MET, Status.OVERDUE, Status.NOT_APPLICABLE
INFO, WARNING, CRITICAL = Severity.INFO, Severity.WARNING, Severity.CRITICAL


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# --- Facts, briefly ------------------------------------------------------------------


def referred(
    hours: float, ref: str = "R1", service: str = "medical", urgency: str = "urgent"
) -> Fact:
    return Fact(
        f"sent-{ref}",
        "service_referred",
        at(hours),
        "worker",
        {"referral": ref, "service": service, "urgency": urgency},
    )


def moved(hours: float, status: str, ref: str = "R1") -> Fact:
    return Fact(
        f"{status}-{ref}",
        "service_referral_updated",
        at(hours),
        "worker",
        {"referral": ref, "status": status},
    )


def identified(hours: float, finding: str = "positive") -> Fact:
    return Fact(
        "rg",
        "trafficking_identified",
        at(hours),
        "supervisor",
        {
            "stage": "reasonable_grounds",
            "finding": finding,
            "decided_by": "Samir",
            "reasons": "The interview and the documents.",
        },
    )


def obligations(
    rule_id: str, facts: list[Fact], now: float, profile: profiles.Profile = INTL
) -> list[Obligation]:
    case = CaseFile("case", "person", "international", tuple(facts))
    return engine.evaluate(case, profile, at(now), only=[rule_id])


def urgent(
    facts: list[Fact], now: float, key: str = "R1", profile: profiles.Profile = INTL
) -> Obligation:
    found = [o for o in obligations(URGENT, facts, now, profile) if o.key == key]
    assert len(found) == 1, found
    return found[0]


# --- services.urgent_referral -----------------------------------------------------------


def test_an_urgent_referral_must_be_accepted_within_24_hours():
    duty = urgent([referred(0)], 1)
    assert (duty.status, duty.severity) == (OPEN, WARNING)
    assert duty.due_at == at(24)
    assert duty.triggered_by == ("sent-R1",)
    assert duty.met_by == ()
    assert (
        duty.due == "Urgent medical referral accepted by the provider, within 24 hours"
    )
    assert "A/RES/68/179 para 7" in duty.citations


def test_not_accepted_in_24_hours_it_is_overdue_and_critical():
    assert urgent([referred(0)], 23.9).status is OPEN
    duty = urgent([referred(0)], 24.1)
    assert (duty.status, duty.severity) == (OVERDUE, CRITICAL)


@pytest.mark.parametrize("status", ["accepted", "delivered"])
def test_acceptance_or_delivery_meets_it(status):
    duty = urgent([referred(0), moved(5, status)], 30)
    assert (duty.status, duty.severity) == (MET, INFO)
    assert duty.met_by == (f"{status}-R1",)
    assert duty.met_at == at(5)
    assert not duty.met_late


def test_a_late_acceptance_meets_it_late():
    duty = urgent([referred(0), moved(30, "accepted")], 31)
    assert duty.status is MET
    assert duty.met_late


def test_an_acceptance_after_now_is_not_known_yet():
    duty = urgent([referred(0), moved(30, "accepted")], 25)
    assert duty.status is OVERDUE


@pytest.mark.parametrize("status", ["declined", "closed"])
def test_declined_or_closed_before_acceptance_it_no_longer_applies(status):
    facts = [referred(0), moved(3, status)]
    assert urgent(facts, 2).status is OPEN  # not yet
    duty = urgent(facts, 30)
    assert (duty.status, duty.severity) == (NA, INFO)
    assert status in duty.note
    assert duty.details["missed"] is False


def test_declined_after_the_deadline_says_it_was_missed():
    duty = urgent([referred(0), moved(30, "declined")], 31)
    assert duty.status is NA
    assert duty.details["missed"] is True


def test_closed_after_acceptance_stays_met():
    duty = urgent([referred(0), moved(2, "accepted"), moved(50, "closed")], 60)
    assert duty.status is MET
    assert duty.met_by == ("accepted-R1",)


def test_a_routine_referral_raises_nothing():
    assert obligations(URGENT, [referred(0, urgency="routine")], 100) == []


def test_a_referral_after_now_is_not_known():
    assert obligations(URGENT, [referred(5)], 4) == []


def test_each_urgent_referral_has_its_own_duty():
    facts = [
        referred(0, "R1"),
        referred(1, "R2", service="shelter"),
        referred(2, "R3", urgency="routine"),
        moved(3, "accepted", "R2"),
    ]
    duties = {o.key: o for o in obligations(URGENT, facts, 30)}
    assert set(duties) == {"R1", "R2"}
    assert duties["R1"].status is OVERDUE  # R2's acceptance is not R1's
    assert duties["R2"].status is MET
    assert duties["R2"].due.startswith("Urgent shelter referral")


def test_without_the_figure_the_duty_is_not_applicable():
    profile = replace(
        INTL,
        figures={
            k: v for k, v in INTL.figures.items() if k != "urgent_referral_response"
        },
    )
    duty = urgent([referred(0)], 100, profile=profile)
    assert duty.status is NA
    assert "urgent_referral_response" in duty.note


# --- protection.assistance met by a referral -------------------------------------------

KINDS = ("medical", "psychosocial", "legal")


def assistance(facts: list[Fact], now: float) -> dict[str, Obligation]:
    return {o.key: o for o in obligations(ASSISTANCE, facts, now)}


@pytest.mark.parametrize("kind", KINDS)
def test_a_referral_to_the_service_after_the_decision_meets_its_duty(kind):
    facts = [identified(0), referred(10, service=kind, urgency="routine")]
    duties = assistance(facts, 100)
    assert (duties[kind].status, duties[kind].met_by) == (MET, ("sent-R1",))
    assert duties[kind].met_at == at(10)
    for other in set(KINDS) - {kind}:
        assert duties[other].status is OVERDUE, other


def test_a_referral_before_the_decision_does_not_meet_it():
    facts = [referred(0, service="medical"), identified(5)]
    duties = assistance(facts, 10)
    assert duties["medical"].status is OPEN
    assert assistance(facts, 100)["medical"].status is OVERDUE


def test_a_referral_to_another_service_meets_none():
    facts = [identified(0), referred(10, service="shelter")]
    assert {d.status for d in assistance(facts, 20).values()} == {OPEN}


def test_a_referral_without_a_positive_decision_raises_no_duty():
    assert obligations(ASSISTANCE, [referred(0)], 10) == []
    facts = [identified(0, "negative"), referred(1)]
    assert obligations(ASSISTANCE, facts, 10) == []


# --- Through the database ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_stored_duty_goes_overdue_with_time_and_is_met_on_acceptance(
    caseworker, supervisor
):
    with time_machine.travel(T0, tick=False):
        case = make_case(caseworker)
        give_consent(case.primary_person, caseworker, "referral")
        clinic = make_provider(supervisor)
        referral = make_referral(case, caseworker, clinic, urgency="urgent")
        duty = StoredObligation.objects.get(case=case, rule_id=URGENT)
        assert (duty.key, duty.status, duty.severity) == (
            str(referral.pk),
            "open",
            "warning",
        )
        assert duty.due_at == at(24)
    with time_machine.travel(at(23), tick=False):
        refresh_due()
    duty.refresh_from_db()
    assert duty.status == "open"
    with time_machine.travel(at(25), tick=False):
        refresh_due()
    duty.refresh_from_db()
    assert (duty.status, duty.severity) == ("overdue", "critical")
    with time_machine.travel(at(26), tick=False):
        actions.answer_referral(referral, acting_user=caseworker, status="accepted")
    duty.refresh_from_db()
    assert (duty.status, duty.severity) == ("met", "info")
    assert duty.met_at == at(26)


@pytest.mark.django_db
def test_a_stored_duty_no_longer_applies_once_the_referral_is_closed(
    caseworker, supervisor
):
    with time_machine.travel(T0, tick=False):
        case = make_case(caseworker)
        give_consent(case.primary_person, caseworker, "referral")
        referral = make_referral(
            case, caseworker, make_provider(supervisor), urgency="urgent"
        )
    with time_machine.travel(at(2), tick=False):
        actions.close_referral(referral, acting_user=caseworker, note="Went home")
    with time_machine.travel(at(30), tick=False):
        refresh_due()
    duty = StoredObligation.objects.get(case=case, rule_id=URGENT)
    assert duty.status == "not_applicable"


@pytest.mark.django_db
def test_a_routine_referral_stores_no_urgent_duty(caseworker, supervisor):
    with time_machine.travel(T0, tick=False):
        case = make_case(caseworker)
        give_consent(case.primary_person, caseworker, "referral")
        make_referral(case, caseworker, make_provider(supervisor), urgency="routine")
    assert not StoredObligation.objects.filter(case=case, rule_id=URGENT).exists()


SUGGESTING = [
    "deceived_nature_of_job",
    "deceived_work_contract",
    "excessive_working_days_or_hours",
    "low_or_no_salary",
    "confiscation_of_documents_destination",
    "debt_bondage_destination",
]


@pytest.mark.django_db
def test_a_stored_assistance_duty_is_met_by_a_referral_after_the_decision(
    caseworker, supervisor
):
    with time_machine.travel(at(0.5), tick=False):
        case = make_case(caseworker)
        give_consent(case.primary_person, caseworker, "referral")
        clinic = make_provider(supervisor, services=("medical", "psychosocial"))
        # A referral before the decision (at(1)) does not count.
        make_referral(case, caseworker, clinic, service="psychosocial")
    with time_machine.travel(at(10), tick=False):
        record(
            case,
            caseworker,
            "trafficking_screened",
            at(0),
            indicator_set="adult_labour",
            indicators=SUGGESTING,
        )
        record(
            case,
            supervisor,
            "trafficking_identified",
            at(1),
            stage="reasonable_grounds",
            finding="positive",
            decided_by="Samir",
            reasons="The interview.",
        )
        referral = make_referral(case, caseworker, clinic, service="medical")
    duties = dict(
        StoredObligation.objects.filter(case=case, rule_id=ASSISTANCE).values_list(
            "key", "status"
        )
    )
    assert duties == {"medical": "met", "psychosocial": "open", "legal": "open"}
    medical = StoredObligation.objects.get(case=case, rule_id=ASSISTANCE, key="medical")
    assert medical.met_at == at(10)
    sent = [
        f.pk
        for f in CaseFact.objects.filter(case=case, kind="service_referred")
        if f.data["referral"] == str(referral.pk)
    ]
    assert medical.met_by == [str(pk) for pk in sent]
