import subprocess
import sys

import pytest
import time_machine
from django.core.management import CommandError, call_command

from amparo.cases.models import Case

pytestmark = pytest.mark.django_db


def test_run_reports_what_it_anonymised_then_nothing(capsys, population, periods):
    with time_machine.travel("2026-08-01 03:00Z", tick=False):
        call_command("retention", "run", "--batch-size", "1")
        first = capsys.readouterr()
        call_command("retention", "run")
        second = capsys.readouterr().out
    assert "Closed cases, 100 days after closing: 1" in first.out
    assert "Persons on no case, 200 days after the last change to their record: 1" in (
        first.out
    )
    assert "Persons whose every case is anonymised, 0 days after the last one: 2" in (
        first.out
    )
    assert "closed_case: 1 anonymised" in first.err  # progress
    assert [line.rsplit(": ", 1)[1] for line in second.splitlines()[1:]] == ["0"] * 4


def test_a_dry_run_says_so_and_changes_nothing(capsys, population, periods):
    with time_machine.travel("2026-08-01 03:00Z", tick=False):
        call_command("retention", "run", "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("Dry run: what is due now; nothing was changed.")
    assert "Closed cases, 100 days after closing: 1" in out
    assert not Case.objects.filter(anonymised_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["run", "--batch-size", "0"], "argument --batch-size: 0 is less than 1"),
        (
            ["run", "--batch-size", "ten"],
            "argument --batch-size: 'ten' is not a whole number",
        ),
        (["purge"], "invalid choice: 'purge'"),
        ([], "the following arguments are required: command"),
        (["run", "--yes"], "unrecognized arguments: --yes"),
    ],
)
def test_bad_arguments_are_refused_clearly(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("retention", *arguments)


def test_the_amparo_command_exits_non_zero_on_bad_input(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "AMPARO_VAR_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }
    bad_batch = subprocess.run(
        [sys.executable, "-m", "amparo.cli", "retention", "run", "--batch-size", "-5"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad_batch.returncode != 0
    assert "--batch-size: -5 is less than 1" in bad_batch.stderr
    bad_period = subprocess.run(
        [sys.executable, "-m", "amparo.cli", "retention", "run", "--dry-run"],
        env=env | {"AMPARO_RETENTION_CLOSED_CASE_DAYS": "7"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad_period.returncode != 0
    assert (
        "AMPARO_RETENTION_CLOSED_CASE_DAYS=7 must be at least 30" in bad_period.stderr
    )
