import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from amparo.accounts.models import User
from amparo.audit.models import AuditEvent
from amparo.cases.models import Case, CaseMember
from amparo.children.queries import bids_waiting
from amparo.demo.actions import DEMO_PASSWORD, load_demo
from amparo.people.models import Person, PersonName
from amparo.people.queries import search_persons
from amparo.safeguards.models import Obligation
from amparo.safeguards.queries import Worklist, worklist
from amparo.services.models import Provider, ServiceReferral
from amparo.witnesses.models import Protection

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_a_second_run_adds_nothing():
    first = load_demo(persons=300)
    counts = (
        Person.objects.count(),
        Case.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )
    second = load_demo(persons=300)
    assert first.created and not second.created
    assert first.persons == Person.objects.count() == 300
    assert (
        Person.objects.count(),
        Case.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_demo_population_is_realistic_and_split_between_agencies():
    load_demo(persons=400)
    caseworker = User.objects.get(username="caseworker")
    outsider = User.objects.get(username="outsider")
    assert caseworker.check_password(DEMO_PASSWORD)
    assert {u.role for u in User.objects.filter(agency=caseworker.agency)} == {
        "caseworker",
        "supervisor",
        "statistician",
        "dpo",
        "legal_officer",
        "agency_admin",
    }
    assert Person.objects.filter(agency=caseworker.agency).count() == 360
    assert Person.objects.filter(agency=outsider.agency).count() == 40
    assert {n.script for n in PersonName.objects.all()} >= {
        "Latn",
        "Arab",
        "Cyrl",
        "Ethi",
    }
    assert set(Person.objects.values_list("birth_date_precision", flat=True)) == {
        "day",
        "month",
        "year",
    }
    assert Person.objects.filter(
        birth_date__isnull=True, estimated_age__isnull=False
    ).exists()
    assert CaseMember.objects.exists()
    types = set(Case.objects.values_list("types__code", flat=True))
    assert types == {"general", "child", "detention", "victim", "labour", "other"}
    assert Case.objects.filter(status="closed", closed_at__isnull=False).exists()
    # Every case's person has a lawful basis for case management, as the form asks.
    assert not Case.objects.exclude(
        primary_person__consents__purpose="case_management"
    ).exists()


def test_demo_people_are_found_by_search_in_another_script():
    load_demo(persons=400)
    caseworker = User.objects.get(username="caseworker")
    person = (
        PersonName.objects.filter(script="Arab", person__agency=caseworker.agency)
        .first()
        .person
    )
    arabic = person.names.get(script="Arab").full_name
    assert person in search_persons(caseworker, arabic)


def test_demo_command_prints_the_logins_and_refuses_bad_arguments(capsys):
    call_command("demo", "--persons", "20", "--print-logins")
    out = capsys.readouterr().out
    assert "Loaded 20 people" in out
    assert DEMO_PASSWORD in out
    for username in (
        "caseworker",
        "supervisor",
        "statistician",
        "dpo",
        "legal",
        "admin",
        "outsider",
        "partner",
    ):
        assert username in out
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("demo", "--persons", "0")


def test_demo_detentions_give_the_worklists_something_to_show():
    load_demo(persons=400)
    caseworker = User.objects.get(username="caseworker")
    detained = Case.objects.filter(safeguard_facts__kind="detention_started").distinct()
    assert 10 <= detained.count() <= 40
    assert not detained.exclude(agency=caseworker.agency).exists()
    statuses = set(
        Obligation.objects.filter(case__in=detained).values_list("status", flat=True)
    )
    # Duties met, still open and overdue, for the pages to show.
    assert {"met", "open", "overdue"} <= statuses
    assert worklist(caseworker, Worklist.ALL, timezone.now()).exists()


def test_demo_children_and_returns_give_their_pages_something_to_show():
    load_demo(persons=400)
    supervisor = User.objects.get(username="supervisor")
    children = Case.objects.filter(safeguard_facts__kind="child_status").distinct()
    assert children.count() == 12
    assert not children.exclude(agency=supervisor.agency).exists()
    guardians = set(
        Obligation.objects.filter(rule_id="children.guardian").values_list(
            "status", flat=True
        )
    )
    assert guardians & {"open", "overdue"} and "met" in guardians
    # Two BIDs wait for the third member of their panel.
    waiting = bids_waiting(supervisor, timezone.now())
    assert [len(w.bid.signers) for w in waiting] == [2, 2]
    screenings = Obligation.objects.filter(rule_id="returns.screening")
    assert set(screenings.values_list("status", flat=True)) == {"open", "met"}
    assert Obligation.objects.filter(
        rule_id="returns.concern", key="R1/reception", status="escalated"
    ).exists()


def test_demo_victims_have_screenings_and_a_reflection_period():
    load_demo(persons=400)
    screened = Case.objects.filter(safeguard_facts__kind="trafficking_screened")
    assert screened.distinct().count() == 3
    assert Obligation.objects.filter(
        rule_id="protection.reflection_period", status="open"
    ).exists()
    assistance = dict(
        Obligation.objects.filter(rule_id="protection.assistance").values_list(
            "key", "status"
        )
    )
    # Medical offered, legal and psychosocial met by referrals to services.
    assert assistance == {"medical": "met", "legal": "met", "psychosocial": "met"}


def test_demo_has_a_directory_referrals_and_a_protected_witness():
    load_demo(persons=400)
    providers = Provider.objects.all()
    assert providers.filter(enforcement=True).exists()
    assert providers.filter(amparo_agency__isnull=False).exists()
    referrals = ServiceReferral.objects.order_by("service")
    assert [(r.service, r.status) for r in referrals] == [
        ("legal", "accepted"),
        ("psychosocial", "sent"),
    ]
    protection = Protection.objects.get()
    assert protection.person.display_name == protection.pseudonym
    assert Obligation.objects.filter(
        rule_id="services.urgent_referral", status="met"
    ).exists()
