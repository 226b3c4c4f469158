import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from amparo.accounts.models import Agency, User
from amparo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_createagency_and_createuser(capsys, monkeypatch):
    call_command("createagency", "Refugee Legal Aid", "--code", "rla")
    monkeypatch.setenv("AMPARO_PASSWORD", "a-long-enough-passphrase")
    call_command("createuser", "lina", "--agency", "rla", "--role", "supervisor")
    user = User.objects.get(username="lina")
    assert (user.agency.code, user.role) == ("rla", "supervisor")
    assert user.check_password("a-long-enough-passphrase")
    assert AuditEvent.objects.filter(action="accounts.user.created").exists()
    assert "Created supervisor lina" in capsys.readouterr().out


def test_createagency_refuses_a_duplicate():
    call_command("createagency", "Refugee Legal Aid", "--code", "rla")
    with pytest.raises(CommandError, match="code: An agency with this code exists"):
        call_command("createagency", "Another", "--code", "rla")
    assert Agency.objects.count() == 1


def test_createuser_refuses_a_weak_password_and_an_unknown_agency(monkeypatch):
    call_command("createagency", "Refugee Legal Aid", "--code", "rla")
    monkeypatch.setenv("AMPARO_PASSWORD", "short")
    with pytest.raises(CommandError, match="password"):
        call_command("createuser", "lina", "--agency", "rla", "--role", "caseworker")
    with pytest.raises(CommandError, match="No agency has the code 'nope'"):
        call_command("createuser", "lina", "--agency", "nope", "--role", "caseworker")
    assert not User.objects.exists()


def test_the_amparo_command_fails_clearly_on_bad_arguments_and_bad_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "AMPARO_VAR_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }
    bad_role = subprocess.run(
        [
            sys.executable,
            "-m",
            "amparo.cli",
            "createuser",
            "x",
            "--agency",
            "a",
            "--role",
            "boss",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad_role.returncode != 0
    assert "invalid choice: 'boss'" in bad_role.stderr
    bad_debug = subprocess.run(
        [sys.executable, "-m", "amparo.cli", "check"],
        env=env | {"AMPARO_DEBUG": "maybe"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad_debug.returncode != 0
    assert "AMPARO_DEBUG='maybe' is not a boolean" in bad_debug.stderr
    assert (tmp_path / "secret_key").exists()


def test_createtoken_prints_a_token_that_authenticates(client, capsys, caseworker):
    call_command("createtoken", caseworker.username, "--name", "mobile sync")
    raw = capsys.readouterr().out.strip()
    assert (
        client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        == 200
    )
    with pytest.raises(CommandError, match="No active user is called 'ghost'"):
        call_command("createtoken", "ghost", "--name", "x")


def test_createuser_puts_the_user_in_a_team(monkeypatch):
    call_command("createagency", "Refugee Legal Aid", "--code", "rla", "--team-sharing")
    monkeypatch.setenv("AMPARO_PASSWORD", "a-long-enough-passphrase")
    call_command(
        "createuser",
        "lina",
        "--agency",
        "rla",
        "--role",
        "caseworker",
        "--team",
        "North",
    )
    call_command(
        "createuser",
        "omar",
        "--agency",
        "rla",
        "--role",
        "supervisor",
        "--team",
        "North",
    )
    lina, omar = User.objects.get(username="lina"), User.objects.get(username="omar")
    assert lina.team == omar.team and lina.team.name == "North"
    assert lina.agency.team_sharing
