"""`amparo safeguards check` and `rules` start without Django: `amparo.cli` runs them
before Django's set-up and the local keys, as the management command `safeguards` would
run them. The other commands, `safeguards refresh` among them, still go through Django.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.core import management

from amparo import cli as amparo_cli

CASE = {
    "case_id": "case-0002",
    "person_id": "person-0002",
    "jurisdiction": "mexico",
    "facts": [
        {
            "id": "f1",
            "kind": "nationality",
            "at": "2026-03-02T10:00:00-06:00",
            "recorded_by": "officer-4",
            "data": {"country": "HND", "status": "confirmed"},
        },
        {
            "id": "f2",
            "kind": "detention_started",
            "at": "2026-03-02T10:00:00-06:00",
            "recorded_by": "officer-4",
            "data": {
                "episode": "ep1",
                "place": "Estación migratoria Siglo XXI, Tapachula",
                "time_zone": "America/Mexico_City",
                "authority": "Instituto Nacional de Migración",
                "order": "administrative",
                "legal_basis": "Ley de Migración art. 99 (presentación)",
            },
        },
    ],
}
AT = "2026-03-03T23:30:00-06:00"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    good = tmp_path / "mexico.json"
    good.write_text(json.dumps(CASE, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "broken.jsonl"
    unzoned = json.loads(json.dumps(CASE))
    unzoned["facts"][1]["at"] = "2026-03-02T10:00:00"
    bad.write_text(
        json.dumps(CASE) + "\n" + json.dumps(unzoned) + "\n", encoding="utf-8"
    )
    return {"good": str(good), "bad": str(bad), "missing": str(tmp_path / "no.json")}


def _outcome(run, argv, capsys, monkeypatch, stdin):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        run(argv)
        code = 0
    except SystemExit as stop:
        code = stop.code or 0
    out, err = capsys.readouterr()
    return code, out, err


# (words after `amparo safeguards`, standard input)
COMMANDS = [
    (["rules"], ""),
    (["rules", "--json"], ""),
    (["rules", "consular.inform_rights"], ""),
    (["rules", "no.such"], ""),
    (["rules", "--help"], ""),
    (["check", "--help"], ""),
    (["check"], ""),
    (["check", "{good}", "--at", AT], ""),
    (
        [
            "check",
            "{good}",
            "--at",
            AT,
            "--format",
            "jsonl",
            "--jurisdiction",
            "canada",
        ],
        "",
    ),
    (["check", "-", "--at", AT], json.dumps(CASE)),
    (["check", "{bad}"], ""),
    (["check", "{missing}"], ""),
    (["check", "{good}", "--at", "tomorrow"], ""),
    (["check", "{good}", "--verbosity", "2"], ""),
]


@pytest.mark.parametrize(
    ("words", "stdin"), COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS]
)
def test_without_django_as_with_it(words, stdin, files, capsys, monkeypatch):
    """Output, messages and exit code, byte for byte, of both ways in: `amparo.cli`
    before Django, and Django's command line handing over to the management command."""
    argv = ["amparo", "safeguards", *(w.format(**files) for w in words)]
    # Django's way in: the apps are set up already, and setting them up again would
    # reconfigure logging under pytest.
    monkeypatch.setattr(django, "setup", lambda *a, **k: None)
    through_django = _outcome(
        management.execute_from_command_line, argv, capsys, monkeypatch, stdin
    )

    def before_django(argv: list[str]) -> None:
        # Not a step towards Django's set-up or the keys: they would fail the test.
        with monkeypatch.context() as inside:
            for name in ("_ensure_local_secret_key", "_ensure_local_keyring"):
                inside.setattr(amparo_cli, name, _forbidden)
            inside.setattr(management, "execute_from_command_line", _forbidden)
            amparo_cli.main(argv)

    direct = _outcome(before_django, argv, capsys, monkeypatch, stdin)

    assert direct == through_django
    code, out, _ = direct
    assert code in (0, 2)
    assert (out == "") == (code == 2)  # bad input: nothing on stdout


def _forbidden(*args, **kwargs):
    raise AssertionError("the offline commands went through Django's set-up")


@pytest.mark.parametrize(
    "words",
    [
        ["safeguards", "refresh", "--batch-size", "10"],
        ["safeguards", "refresh", "--help"],
        ["safeguards"],
        ["safeguards", "--help"],
        ["help", "safeguards"],
        ["check"],
        ["retention", "run", "--dry-run"],
    ],
)
def test_every_other_command_goes_through_django(words, monkeypatch):
    called = []
    monkeypatch.setattr(
        amparo_cli, "_ensure_local_secret_key", lambda: called.append("key")
    )
    monkeypatch.setattr(amparo_cli, "_ensure_local_keyring", lambda *args: None)
    monkeypatch.setattr(
        management, "execute_from_command_line", lambda argv: called.append(argv)
    )
    amparo_cli.main(["/venv/bin/amparo", *words])
    assert called == ["key", ["amparo", *words]]


def _clean_environment(var: Path) -> dict[str, str]:
    """This environment without settings or keys, as on a newcomer's first run."""
    named = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "AMPARO_AUDIT_KEYS")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(named) and not k.startswith("AMPARO_ENCRYPTION_KEYS")
    }
    return env | {"AMPARO_VAR_DIR": str(var)}


def test_the_offline_commands_import_no_django_and_write_no_keys(files, tmp_path):
    var = tmp_path / "var"
    code = (
        "import sys\n"
        "from amparo.cli import main\n"
        "def run(*words):\n"
        "    try:\n"
        "        main(['amparo', 'safeguards', *words])\n"
        "    except SystemExit as stop:\n"
        "        return stop.code\n"
        "    return 0\n"
        "assert run('rules') == 0\n"
        "assert run('rules', 'no.such') == 2\n"
        f"assert run('check', {files['good']!r}, '--at', {AT!r}) == 0\n"
        f"assert run('check', {files['bad']!r}) == 2\n"
        "assert run('check', '--help') == 0\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=_clean_environment(var),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "consular.inform_rights" in done.stdout
    assert "Created a local" not in done.stderr
    assert not var.exists()


def test_the_installed_command_runs_offline_without_settings(files, tmp_path):
    """The console script itself, in an environment with no settings, no keys and a
    var/ that does not exist: the offline commands work, and leave nothing behind."""
    script = Path(sys.executable).with_name("amparo")
    # `make install` (pip install -e .) puts it there; every way to run the suite does.
    assert script.exists(), f"no console script at {script}: run `make install`"
    var = tmp_path / "var"

    def amparo(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [str(script), "safeguards", *words],
            env=_clean_environment(var),
            capture_output=True,
            text=True,
            check=False,
        )

    checked = amparo("check", files["good"], "--at", AT)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert json.loads(checked.stdout)["case_id"] == "case-0002"
    refused = amparo("check", files["bad"])
    assert (refused.returncode, refused.stdout) == (2, "")
    assert f"{files['bad']}: line 2: $.facts[1].at: " in refused.stderr
    assert not var.exists()
