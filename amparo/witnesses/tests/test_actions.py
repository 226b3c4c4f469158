"""Protecting a person, changing the identity and the team, ending the protection:
who may, what is checked, and what the database holds afterwards (no trace of the
real identity in plain text while the protection holds; all of it back after)."""

import json
import re
from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from amparo.accounts.models import Team, User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.people.actions import update_person
from amparo.people.models import NameKey, Person, PersonName
from amparo.people.queries import search_persons
from amparo.people.records import NameRecord
from amparo.people.tests.factories import make_person
from amparo.witnesses import actions, identity
from amparo.witnesses.models import Protection, Reidentification
from amparo.witnesses.queries import protection_of
from amparo.witnesses.tests.conftest import (
    ALIAS,
    BIRTH,
    CONTACT,
    FAMILY,
    GIVEN,
    PLACE,
    REASON,
    secrets_in,
)

pytestmark = pytest.mark.django_db

PSEUDONYM = re.compile(r"^P-[A-HJ-NP-Z2-9]{6}$")


def _protect(person, user, *, kind="witness", reason=REASON, team=()):
    return actions.protect(
        person, acting_user=user, kind=kind, reason=reason, team=list(team)
    )


def _names(person):
    return sorted(
        (n.kind, n.given_names, n.family_names)
        for n in PersonName.objects.filter(person=person)
    )


def _keys(person):
    return set(NameKey.objects.filter(person=person).values_list("key", flat=True))


def _untouched(person):
    """Nothing was protected: no protection, the record as registered."""
    person.refresh_from_db()
    assert not Protection.objects.exists()
    assert person.display_name == f"{GIVEN} {FAMILY}"
    assert person.contact == CONTACT and person.birth_date == BIRTH
    assert ("primary", GIVEN, FAMILY) in _names(person)
    assert not AuditEvent.objects.filter(action__startswith="witnesses.").exists()


def _dump(*, skip=("witnesses_protection",)):
    """Every row of every table as the database holds it (the encrypted identity
    is checked on its own)."""
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in skip:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            text.extend(str(row) for row in cursor.fetchall())
    return "\n".join(text)


# --- Protecting ------------------------------------------------------------------------


def test_a_supervisor_who_sees_the_person_protects_them(
    witness, witness_case, supervisor, caseworker
):
    keys_before = _keys(witness)
    protection = _protect(witness, supervisor, team=[caseworker])
    assert PSEUDONYM.match(protection.pseudonym), protection.pseudonym
    assert protection_of(witness) == protection
    assert (protection.kind, protection.agency_id, protection.started_by) == (
        "witness",
        witness.agency_id,
        supervisor,
    )
    assert protection.reason == REASON
    assert protection.started_at is not None and protection.ended_at is None
    assert set(protection.team.all()) == {caseworker, supervisor}
    witness.refresh_from_db()
    assert witness.display_name == protection.pseudonym
    # Every name, the alias too, gives way to the pseudonym alone.
    assert _names(witness) == [("primary", protection.pseudonym, "")]
    assert _keys(witness).isdisjoint(keys_before)
    # What the work needs and does not single her out stays.
    assert witness.sex == "F" and witness.country_of_birth == "SEN"
    assert list(witness.nationalities.values_list("country", flat=True)) == ["SEN"]
    (event,) = AuditEvent.objects.filter(action="witnesses.protection.started")
    assert event.actor == supervisor
    assert event.subject_id == str(protection.pk)
    assert event.data == {
        "kind": "witness",
        "team": sorted([str(caseworker.pk), str(supervisor.pk)]),
    }


def test_a_victim_witness_is_protected_too(witness, supervisor):
    protection = _protect(witness, supervisor, kind="victim_witness")
    assert protection.kind == Protection.Kind.VICTIM_WITNESS


def test_the_acting_supervisor_is_always_on_the_team(witness, supervisor):
    protection = _protect(witness, supervisor, team=[])
    assert list(protection.team.all()) == [supervisor]


@pytest.mark.parametrize(
    "who",
    [
        "caseworker",
        "legal_officer",
        "dpo",
        "agency_admin",
        "statistician",
        "sysadmin",
        "outsider",
        "foreign_supervisor",
        "enforcer",
        "supervisor_of_another_team",
    ],
)
def test_only_a_supervisor_who_sees_the_person_protects(
    request, witness, witness_case, agency, who
):
    if who == "supervisor_of_another_team":
        other = Team.objects.create(agency=agency, name="Team B")
        user = UserFactory(
            username="tobias", agency=agency, role=User.Role.SUPERVISOR, team=other
        )
    else:
        user = request.getfixturevalue(who)
    with pytest.raises(PermissionError):
        _protect(witness, user)
    _untouched(witness)


def test_the_kind_is_one_of_the_two(witness, supervisor):
    with pytest.raises(ValidationError) as caught:
        _protect(witness, supervisor, kind="informant")
    assert set(caught.value.message_dict) == {"kind"}
    _untouched(witness)


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(witness, supervisor, reason):
    with pytest.raises(ValidationError) as caught:
        _protect(witness, supervisor, reason=reason)
    assert set(caught.value.message_dict) == {"reason"}
    _untouched(witness)


def test_a_protected_person_is_not_protected_twice(witness, supervisor, boss):
    first = _protect(witness, supervisor)
    for user in (supervisor, boss):
        with pytest.raises(ValidationError) as caught:
            _protect(witness, user)
        assert "already protected" in " ".join(caught.value.message_dict["kind"])
    assert list(Protection.objects.all()) == [first]
    witness.refresh_from_db()
    assert witness.display_name == first.pseudonym


@pytest.mark.parametrize(
    "member",
    [
        "outsider",  # another agency's case worker
        "foreign_supervisor",
        "legal_officer",
        "statistician",
        "dpo",
        "agency_admin",
        "inactive_caseworker",
    ],
)
def test_team_members_are_active_case_workers_and_supervisors_of_the_agency(
    request, witness, supervisor, caseworker, agency, member
):
    if member == "inactive_caseworker":
        user = UserFactory(
            username="ines", agency=agency, role=User.Role.CASEWORKER, is_active=False
        )
    else:
        user = request.getfixturevalue(member)
    with pytest.raises(ValidationError) as caught:
        _protect(witness, supervisor, team=[caseworker, user])
    assert set(caught.value.message_dict) == {"team"}
    _untouched(witness)


def test_the_database_holds_no_trace_of_the_real_identity_in_plain_text(
    witness, witness_case, supervisor, caseworker
):
    assert secrets_in(_dump()), "the secrets are in the registration"
    protection = _protect(witness, supervisor, team=[caseworker])
    witness.refresh_from_db()
    # The rows that held the identity.
    names = PersonName.objects.filter(person=witness)
    shown = [f"{n.given_names} {n.family_names} {n.search_form}" for n in names]
    assert secrets_in(" ".join(shown)) == []
    keys = " ".join(
        NameKey.objects.filter(person=witness).values_list("key", flat=True)
    )
    assert secrets_in(keys) == []
    for token in ("zephyr", "quarter", "zeffi", "zfrn", "qrtrmn"):
        assert token not in keys
    assert secrets_in(witness.display_name) == []
    assert witness.place_of_origin == "" and witness.contact == ""
    # The encrypted identity, as the database column holds it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity, reason FROM witnesses_protection WHERE id = %s",
            [protection.pk.hex],
        )
        rows = cursor.fetchall()
    assert len(rows) == 1
    raw_identity, raw_reason = rows[0]
    assert raw_identity.startswith("v1:") and raw_reason.startswith("v1:")
    assert secrets_in(raw_identity) == []
    assert "smuggling" not in raw_reason
    # Nor anywhere else in the database, the audit trail included.
    assert secrets_in(_dump()) == []
    # While the application still reads the identity back.
    real = identity.loads(Protection.objects.get().identity)
    assert [(n.given_names, n.family_names, n.kind) for n in real.names] == [
        (GIVEN, FAMILY, "primary"),
        (ALIAS, FAMILY, "alias"),
    ]
    assert (real.contact, real.place_of_origin, real.birth_date) == (
        CONTACT,
        PLACE,
        BIRTH,
    )


def test_the_birth_date_is_reduced_to_the_year(witness, supervisor):
    _protect(witness, supervisor)
    witness.refresh_from_db()
    assert witness.birth_date == date(1991, 1, 1)
    assert witness.birth_date_precision == Person.DatePrecision.YEAR


def test_a_month_precision_is_reduced_and_no_birth_date_stays_none(
    caseworker, supervisor
):
    by_month = make_person(
        caseworker, "Wenceslas", "Oyelowo", birth_date=date(2001, 5, 1)
    )
    by_month.birth_date_precision = Person.DatePrecision.MONTH
    by_month.save()
    by_age = make_person(
        caseworker,
        "Hypatia",
        "Mbeki",
        estimated_age=34,
        age_estimated_on=timezone.localdate(),
    )
    _protect(by_month, supervisor)
    _protect(by_age, supervisor)
    by_month.refresh_from_db()
    by_age.refresh_from_db()
    assert (by_month.birth_date, by_month.birth_date_precision) == (
        date(2001, 1, 1),
        "year",
    )
    assert by_age.birth_date is None and by_age.estimated_age == 34


def test_an_update_of_a_protected_record_is_refused(witness, supervisor, caseworker):
    protection = _protect(witness, supervisor, team=[caseworker])
    witness.refresh_from_db()
    real = identity.loads(protection.identity)
    for user in (caseworker, supervisor):
        with pytest.raises(ValidationError) as caught:
            update_person(witness, real, acting_user=user)
        assert "protected as a witness" in " ".join(caught.value.messages)
    witness.refresh_from_db()
    assert witness.display_name == protection.pseudonym
    assert _names(witness) == [("primary", protection.pseudonym, "")]
    assert not AuditEvent.objects.filter(action="people.person.updated").exists()


def test_a_concurrent_second_protection_is_refused_as_already_protected(
    witness, supervisor, boss, monkeypatch
):
    first = _protect(witness, supervisor)
    # The second request checked before the first committed: it saw no protection.
    monkeypatch.setattr(actions, "protection_of", lambda person: None)
    with pytest.raises(ValidationError) as caught:
        _protect(witness, boss)
    assert "already protected" in " ".join(caught.value.message_dict["kind"])
    assert list(Protection.objects.all()) == [first]


# --- Changing the identity ------------------------------------------------------------


def _corrected(protection):
    real = identity.loads(Protection.objects.get(pk=protection.pk).identity)
    return replace(
        real,
        names=[NameRecord(given_names=GIVEN, family_names="Quartermain-Ndiaye")],
        contact="+221 77 000 4242",
    )


@pytest.mark.parametrize("member", ["caseworker", "supervisor"])
def test_a_team_member_changes_the_identity_and_the_record_keeps_the_pseudonym(
    request, witness, supervisor, caseworker, boss, member
):
    protection = _protect(witness, supervisor, team=[caseworker])
    user = request.getfixturevalue(member)
    actions.change_identity(protection, acting_user=user, record=_corrected(protection))
    witness.refresh_from_db()
    assert witness.display_name == protection.pseudonym
    assert _names(witness) == [("primary", protection.pseudonym, "")]
    assert witness.contact == "" and witness.birth_date == date(1991, 1, 1)
    stored = identity.loads(Protection.objects.get().identity)
    assert [n.full_text for n in stored.names] == [f"{GIVEN} Quartermain-Ndiaye"]
    assert stored.contact == "+221 77 000 4242" and stored.birth_date == BIRTH
    assert search_persons(boss, "Quartermain-Ndiaye") == []
    assert search_persons(boss, protection.pseudonym) == [witness]
    (event,) = AuditEvent.objects.filter(action="witnesses.identity.changed")
    assert event.actor == user and event.data == {}
    assert "Ndiaye" not in _dump() and "4242" not in _dump()


@pytest.mark.parametrize("who", ["boss", "colleague", "legal_officer", "outsider"])
def test_nobody_off_the_team_changes_the_identity(
    request, witness, witness_case, supervisor, caseworker, who
):
    protection = _protect(witness, supervisor, team=[caseworker])
    before = identity.loads(Protection.objects.get().identity)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionError):
        actions.change_identity(
            protection, acting_user=user, record=_corrected(protection)
        )
    assert identity.loads(Protection.objects.get().identity) == before


def test_an_invalid_identity_is_refused_and_nothing_changes(
    witness, supervisor, caseworker
):
    protection = _protect(witness, supervisor, team=[caseworker])
    before = identity.loads(Protection.objects.get().identity)
    bad = replace(_corrected(protection), birth_date=date(2999, 1, 1))
    with pytest.raises(ValidationError) as caught:
        actions.change_identity(protection, acting_user=caseworker, record=bad)
    assert "birth_date" in caught.value.message_dict
    assert identity.loads(Protection.objects.get().identity) == before
    witness.refresh_from_db()
    assert witness.display_name == protection.pseudonym
    assert _names(witness) == [("primary", protection.pseudonym, "")]


# --- Changing the team ----------------------------------------------------------------


def test_a_team_supervisor_changes_the_team(
    witness, supervisor, caseworker, colleague, outsider
):
    protection = _protect(witness, supervisor, team=[caseworker])
    actions.change_team(protection, acting_user=supervisor, team=[colleague])
    assert set(protection.team.all()) == {colleague, supervisor}
    with pytest.raises(ValidationError):
        actions.change_team(protection, acting_user=supervisor, team=[outsider])
    assert set(protection.team.all()) == {colleague, supervisor}
    (event,) = AuditEvent.objects.filter(action="witnesses.protection.team_changed")
    assert event.data == {"team": sorted([str(colleague.pk), str(supervisor.pk)])}


@pytest.mark.parametrize("who", ["caseworker", "boss"])
def test_a_case_worker_or_a_supervisor_off_the_team_does_not_change_it(
    request, witness, supervisor, caseworker, colleague, who
):
    protection = _protect(witness, supervisor, team=[caseworker])
    with pytest.raises(PermissionError):
        actions.change_team(
            protection, acting_user=request.getfixturevalue(who), team=[colleague]
        )
    assert set(protection.team.all()) == {caseworker, supervisor}


# --- Ending ---------------------------------------------------------------------------


def test_ending_restores_the_record_and_empties_the_stored_identity(
    witness, witness_case, supervisor, caseworker, boss
):
    keys_before = _keys(witness)
    names_before = _names(witness)
    protection = _protect(witness, supervisor, team=[caseworker])
    assert search_persons(boss, f"{GIVEN} {FAMILY}") == []
    pending = actions.request_reidentification(
        protection, acting_user=boss, reason="The court asks who she is.", hours=4
    )
    actions.end_protection(protection, acting_user=supervisor, reason="Trial over.")
    witness.refresh_from_db()
    assert witness.display_name == f"{GIVEN} {FAMILY}"
    assert _names(witness) == names_before
    assert (witness.birth_date, witness.birth_date_precision) == (BIRTH, "day")
    assert (witness.contact, witness.place_of_origin) == (CONTACT, PLACE)
    assert _keys(witness) == keys_before
    assert search_persons(boss, f"{GIVEN} {FAMILY}") == [witness]
    assert search_persons(boss, ALIAS) == [witness]
    assert search_persons(boss, protection.pseudonym) == []
    ended = Protection.objects.get()
    assert ended.ended_at is not None and ended.ended_by == supervisor
    assert ended.end_reason == "Trial over."
    assert identity.loads(ended.identity).names == []
    assert secrets_in(ended.identity) == []
    assert protection_of(witness) is None
    pending.refresh_from_db()
    assert pending.status == Reidentification.Status.REFUSED
    assert pending.decided_at == ended.ended_at
    (event,) = AuditEvent.objects.filter(action="witnesses.protection.ended")
    assert event.actor == supervisor and event.data == {}
    # An ended protection takes no more changes.
    for change in (
        lambda: actions.end_protection(ended, acting_user=supervisor, reason="Again."),
        lambda: actions.change_team(ended, acting_user=supervisor, team=[]),
        lambda: actions.request_reidentification(
            ended, acting_user=boss, reason="Court.", hours=2
        ),
    ):
        with pytest.raises(ValidationError) as caught:
            change()
        assert "ended" in " ".join(caught.value.messages)


def test_an_ended_protection_can_be_followed_by_a_new_one(witness, supervisor):
    first = _protect(witness, supervisor)
    actions.end_protection(first, acting_user=supervisor, reason="Trial over.")
    witness.refresh_from_db()
    second = _protect(witness, supervisor)
    assert second.pseudonym != first.pseudonym
    assert protection_of(witness) == second
    real = identity.loads(second.identity)
    assert real.names[0].full_text == f"{GIVEN} {FAMILY}"


@pytest.mark.parametrize("who", ["boss", "caseworker", "legal_officer", "outsider"])
def test_only_a_supervisor_on_the_team_ends_the_protection(
    request, witness, witness_case, supervisor, caseworker, who
):
    protection = _protect(witness, supervisor, team=[caseworker])
    with pytest.raises(PermissionError):
        actions.end_protection(
            protection, acting_user=request.getfixturevalue(who), reason="Trial over."
        )
    witness.refresh_from_db()
    assert witness.display_name == protection.pseudonym
    assert Protection.objects.get().ended_at is None


def test_ending_needs_a_reason(witness, supervisor):
    protection = _protect(witness, supervisor)
    with pytest.raises(ValidationError) as caught:
        actions.end_protection(protection, acting_user=supervisor, reason=" ")
    assert set(caught.value.message_dict) == {"reason"}
    witness.refresh_from_db()
    assert witness.display_name == protection.pseudonym
    assert Protection.objects.get().ended_at is None


def test_no_audit_event_of_the_protection_holds_the_identity(
    witness, supervisor, caseworker, boss
):
    protection = _protect(witness, supervisor, team=[caseworker])
    actions.change_identity(
        protection, acting_user=caseworker, record=_corrected(protection)
    )
    actions.end_protection(protection, acting_user=supervisor, reason=REASON)
    events = AuditEvent.objects.filter(action__startswith="witnesses.")
    assert {e.action for e in events} == {
        "witnesses.protection.started",
        "witnesses.identity.changed",
        "witnesses.protection.ended",
    }
    for event in events:
        text = json.dumps(event.data) + event.subject_id
        assert secrets_in(text) == [] and "smuggling" not in text, event.action
