import pytest
import time_machine
from django.core.management import CommandError, call_command

from amparo.accounts.actions import issue_api_token, revoke_api_tokens
from amparo.audit.models import AuditEvent
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

PERSONS = "/api/v1/persons/"
NEW_PERSON = {"names": [{"given_names": "Saba"}]}


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_read_token_reads_but_may_not_write(client, caseworker):
    _token, raw = issue_api_token(caseworker, name="dashboard", acting_user=caseworker)
    assert client.get(PERSONS, **_bearer(raw)).status_code == 200
    response = client.post(
        PERSONS, NEW_PERSON, content_type="application/json", **_bearer(raw)
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "This token may only read."


def test_a_read_write_token_writes(client, caseworker):
    _token, raw = issue_api_token(
        caseworker, name="sync", acting_user=caseworker, scope="read_write"
    )
    response = client.post(
        PERSONS, NEW_PERSON, content_type="application/json", **_bearer(raw)
    )
    assert response.status_code == 201


def test_a_token_expires(client, caseworker):
    with time_machine.travel("2026-01-01 09:00Z", tick=False):
        _token, raw = issue_api_token(
            caseworker, name="short", acting_user=caseworker, days=1
        )
        assert client.get(PERSONS, **_bearer(raw)).status_code == 200
    with time_machine.travel("2026-01-02 09:01Z", tick=False):
        assert client.get(PERSONS, **_bearer(raw)).status_code == 401


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(
    client, caseworker
):
    _token, raw = issue_api_token(caseworker, name="laptop", acting_user=caseworker)
    assert revoke_api_tokens(caseworker, acting_user=None, name="laptop") == 1
    assert client.get(PERSONS, **_bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(action="accounts.api_token.revoked").count() == 1


def test_a_token_of_agency_b_reads_nothing_of_agency_a(client, caseworker, outsider):
    person = make_person(caseworker)
    _token, raw = issue_api_token(outsider, name="b", acting_user=outsider)
    assert client.get(f"{PERSONS}{person.pk}", **_bearer(raw)).status_code == 404
    assert client.get(PERSONS, **_bearer(raw)).json()["items"] == []


def test_token_commands(capsys, caseworker):
    call_command(
        "createtoken",
        caseworker.username,
        "--name",
        "sync",
        "--scope",
        "read_write",
        "--days",
        "30",
    )
    assert len(capsys.readouterr().out.strip()) > 30
    with pytest.raises(CommandError, match="1 to 365 days"):
        call_command("createtoken", caseworker.username, "--name", "x", "--days", "900")
    call_command("revoketokens", caseworker.username)
    assert "Revoked 1 token(s)" in capsys.readouterr().out
