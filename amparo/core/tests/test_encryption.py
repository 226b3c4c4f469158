"""Sensitive fields are encrypted at rest: a raw read of the database shows none of
them, a value cannot be moved to another column, and keys rotate without downtime."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from amparo.audit.models import AuditEvent
from amparo.cases.actions import add_note
from amparo.cases.models import Case, Note
from amparo.cases.tests.factories import make_case
from amparo.core.crypto import DecryptionError, Keyring, KeyringError
from amparo.people.models import Person
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

SECRETS = {
    "contact": "Room 12, Calle Libertad 4, call after 8pm",
    "migration_status": "irregular",
    "note": "She testified against the smuggler on 3 May",
}


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608 (test constants)
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def records(caseworker):
    person = make_person(
        caseworker,
        contact=SECRETS["contact"],
        migration_status=SECRETS["migration_status"],
    )
    case = make_case(caseworker, person)
    note = add_note(case, acting_user=caseworker, body=SECRETS["note"])
    return person, case, note


def test_sensitive_columns_hold_no_plaintext(records):
    person, case, note = records
    raw = {
        "contact": _raw("people_person", "contact", person.pk),
        "migration_status": _raw("people_person", "migration_status", person.pk),
        "note": _raw("cases_note", "body", note.pk),
        "reason": _raw("cases_case", "opening_reason", case.pk),
    }
    for name, value in raw.items():
        assert value.startswith("v1:test2:"), name
    assert SECRETS["contact"] not in raw["contact"]
    assert "irregular" not in raw["migration_status"]
    assert "smuggler" not in raw["note"]
    assert "counselling" not in raw["reason"]


def test_the_application_reads_plain_text(records):
    person, case, note = records
    assert Person.objects.get(pk=person.pk).contact == SECRETS["contact"]
    assert (
        Person.objects.get(pk=person.pk).get_migration_status_display() == "Irregular"
    )
    assert Note.objects.get(pk=note.pk).body == SECRETS["note"]
    assert Case.objects.get(pk=case.pk).opening_reason == "Needs legal counselling."


def test_a_value_moved_to_another_column_does_not_decrypt(records):
    person, _case, note = records
    stolen = _raw("cases_note", "body", note.pk)
    Person.objects.filter(pk=person.pk).update(contact="")  # reset, then paste raw
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET contact = %s WHERE id = %s",
            [stolen, person.pk.hex if connection.vendor == "sqlite" else person.pk],
        )
    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk)


def test_filtering_on_an_encrypted_value_is_refused_not_silently_empty(records):
    assert Person.objects.filter(contact="").count() == 0
    with pytest.raises(FieldError):
        list(Person.objects.filter(contact="x"))
    with pytest.raises(FieldError):
        list(Person.objects.filter(migration_status__icontains="irr"))


def test_rotation_re_encrypts_everything_under_the_new_key_and_can_be_rerun(
    records, settings, capsys
):
    person, _case, note = records
    old_keys = settings.AMPARO_ENCRYPTION_KEYS
    settings.AMPARO_ENCRYPTION_KEYS = Keyring.new_entry("test3") + "," + old_keys
    call_command("keys", "rotate")
    assert _raw("cases_note", "body", note.pk).startswith("v1:test3:")
    assert _raw("people_person", "contact", person.pk).startswith("v1:test3:")
    assert "re-encrypted" in capsys.readouterr().out
    call_command("keys", "rotate")
    rerun = (
        AuditEvent.objects.filter(action="keys.rotated").order_by("-sequence").first()
    )
    assert rerun.data["rewritten"] == 0
    # The old keys can now go: everything still reads.
    settings.AMPARO_ENCRYPTION_KEYS = settings.AMPARO_ENCRYPTION_KEYS.split(",")[0]
    assert Note.objects.get(pk=note.pk).body == SECRETS["note"]
    assert Person.objects.get(pk=person.pk).contact == SECRETS["contact"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "k1:c2hvcnQ=",
        "bad id!:" + "A" * 44,
        "k1:not base64!!",
        "k1:"
        + Keyring.new_entry("x").split(":")[1]
        + ",k1:"
        + Keyring.new_entry("y").split(":")[1],
    ],
)
def test_a_bad_keyring_is_refused_with_a_reason(text):
    with pytest.raises(KeyringError):
        Keyring.parse(text)


def test_keys_new_prints_an_entry_the_keyring_accepts(capsys):
    call_command("keys", "new", "2027-01")
    entry = capsys.readouterr().out.strip()
    assert Keyring.parse(entry).active_id == "2027-01"


def test_the_migration_encrypts_old_plaintext_once_and_reverses(records):
    """What 0002 of people and cases do to rows written before encryption."""
    from amparo.core.migration_support import decrypt_columns, encrypt_columns

    person, _case, _note = records
    pk = person.pk.hex if connection.vendor == "sqlite" else person.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET contact = %s WHERE id = %s",
            ["old plain text", pk],
        )
    forward = encrypt_columns("people_person", "people.person", ["contact"])
    backward = decrypt_columns("people_person", "people.person", ["contact"])
    # The helpers use only these two of the schema editor (SQLite's editor cannot be
    # opened inside the test's transaction).
    editor = SimpleNamespace(
        connection=connection, quote_name=connection.ops.quote_name
    )
    forward(None, editor)
    once = _raw("people_person", "contact", person.pk)
    forward(None, editor)  # a second run leaves encrypted values alone
    assert _raw("people_person", "contact", person.pk) == once
    assert Person.objects.get(pk=person.pk).contact == "old plain text"
    backward(None, editor)
    assert _raw("people_person", "contact", person.pk) == "old plain text"


def test_the_stored_length_does_not_tell_one_status_from_another():
    keyring = Keyring.parse(Keyring.new_entry("k"))
    lengths = {
        len(keyring.encrypt(status, context="people.person.migration_status"))
        for status in (
            "regular",
            "irregular",
            "asylum_seeker",
            "other_protection",
            "refugee",
        )
    }
    assert len(lengths) == 1
