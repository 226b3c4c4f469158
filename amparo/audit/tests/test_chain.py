"""The audit trail is a hash chain: any change, removal or reordering shows."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from amparo.audit import chain
from amparo.audit.models import AuditEvent
from amparo.audit.queries import verify_chain
from amparo.cases.actions import add_note
from amparo.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(caseworker):
    case = make_case(caseworker)
    for text in ("one", "two", "three"):
        add_note(case, acting_user=caseworker, body=text)
    return list(AuditEvent.objects.order_by("sequence"))


def _raw(sql, params=()):
    """Change the table behind the application's back, as someone with database
    access would; on PostgreSQL that someone first switches the append-only trigger
    off for the session (a superuser can)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_events_are_numbered_and_linked(trail):
    assert [e.sequence for e in trail] == list(range(1, len(trail) + 1))
    assert trail[0].previous_hash == chain.GENESIS
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(trail))


def test_an_intact_chain_verifies(trail, capsys):
    call_command("audit", "verify")
    assert f"Audit chain intact: {len(trail)} events" in capsys.readouterr().out


def test_altering_one_row_in_the_database_breaks_the_chain_there(trail):
    target = trail[3]
    _raw(
        "UPDATE audit_auditevent SET action = %s WHERE sequence = %s",
        ["cases.case.tampered", target.sequence],
    )
    with pytest.raises(
        CommandError, match=f"broken at event {target.sequence} \\(altered\\)"
    ):
        call_command("audit", "verify")


def _forge(target, key, action="cases.case.forged"):
    return chain.event_hash(
        key,
        key_id=target.key_id,
        sequence=target.sequence,
        occurred_at=target.occurred_at,
        actor_id=target.actor_id,
        agency_id=target.agency_id,
        action=action,
        subject_type=target.subject_type,
        subject_id=target.subject_id,
        data=target.data,
        previous_hash=target.previous_hash,
    )


def test_rewriting_a_row_with_a_fresh_hash_breaks_the_next_link(trail):
    """Even someone who holds the key and re-seals one event breaks the next link."""
    from amparo.audit.keys import audit_keys

    target = trail[2]
    forged = _forge(target, audit_keys()[target.key_id])
    _raw(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE sequence = %s",
        ["cases.case.forged", forged, target.sequence],
    )
    assert verify_chain().first_break == chain.Break(target.sequence + 1, "relinked")


def test_without_the_key_the_whole_chain_cannot_be_rewritten(trail):
    """Someone with only database access rewrites an event and re-seals every link
    after it with a key of their own (or plain SHA-256): the chain still fails."""
    guessed = b"k" * 32
    previous = trail[0].previous_hash
    for event in trail:
        event.previous_hash = previous
        action = "cases.case.forged" if event.sequence == 2 else event.action
        event.hash = _forge(event, guessed, action=action)
        _raw(
            "UPDATE audit_auditevent SET action = %s, previous_hash = %s, hash = %s WHERE sequence = %s",
            [action, previous, event.hash, event.sequence],
        )
        previous = event.hash
    _raw("UPDATE audit_auditchainhead SET last_hash = %s", [previous])
    assert verify_chain().first_break == chain.Break(1, "altered")


def test_deleting_a_row_in_the_middle_or_at_the_end_shows(trail):
    _raw("DELETE FROM audit_auditevent WHERE sequence = %s", [len(trail)])
    assert verify_chain().first_break == chain.Break(len(trail), "missing")
    _raw("DELETE FROM audit_auditevent WHERE sequence = %s", [2])
    assert verify_chain().first_break == chain.Break(2, "missing")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgresql_itself_refuses_to_change_or_delete_an_event(trail):
    for sql in (
        "UPDATE audit_auditevent SET action = 'x'",
        "DELETE FROM audit_auditevent",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql)
    assert AuditEvent.objects.count() == len(trail)


def test_concurrent_style_writers_never_share_a_sequence(caseworker):
    """Many writes in one transaction, and after it, still give one unbroken chain."""
    case = make_case(caseworker)
    with transaction.atomic():
        for i in range(20):
            add_note(case, acting_user=caseworker, body=f"note {i}")
    result = verify_chain()
    assert result.first_break is None
    assert result.checked == AuditEvent.objects.count()


def test_deleting_the_head_row_shows_and_floats_are_refused(trail):
    from amparo.audit.actions import record_raw

    with pytest.raises(TypeError, match="floating-point"):
        record_raw(None, "x.y", subject_type="x", subject_id="1", data={"ratio": 1e16})
    _raw("DELETE FROM audit_auditchainhead")
    assert verify_chain().first_break == chain.Break(1, "head missing")
