"""`amparo htcds import|export`: a refused file exits non-zero with each problem's row
and field, and nothing written."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.cases.models import Case
from amparo.htcds.tests.conftest import SAMPLE, fill

pytestmark = pytest.mark.django_db


def test_import_then_export(template, tmp_path, boss, caseworker, capsys):
    path = fill(template, tmp_path / "in.xlsx", [SAMPLE])
    call_command("htcds", "import", str(path), "--as", "beatriz", "--dry-run")
    assert "Dry run: 1 rows would be imported" in capsys.readouterr().out
    assert Case.objects.count() == 0
    call_command("htcds", "import", str(path), "--as", "beatriz")
    assert "Imported 1 cases" in capsys.readouterr().out
    out = tmp_path / "out.xlsx"
    call_command("htcds", "export", "--as", "beatriz", "--out", str(out))
    assert "Exported 1 cases" in capsys.readouterr().out
    assert out.exists()


def test_a_refused_file_names_row_and_field_and_writes_nothing(
    template, tmp_path, boss, caseworker, capsys
):
    path = fill(
        template, tmp_path / "in.xlsx", [SAMPLE, SAMPLE | {"prs_Gender": "Female"}]
    )
    with pytest.raises(CommandError, match="Refused: 1 problems in 2 rows"):
        call_command("htcds", "import", str(path), "--as", "beatriz")
    assert "row 4, Gender (prs_Gender): unknown code Female" in capsys.readouterr().out
    assert Case.objects.count() == 0


def test_rows_without_consent_take_the_stated_basis(
    template, tmp_path, boss, caseworker
):
    path = fill(template, tmp_path / "in.xlsx", [SAMPLE | {"con_Consent": None}])
    with pytest.raises(CommandError):
        call_command("htcds", "import", str(path), "--as", "beatriz")
    call_command(
        "htcds", "import", str(path), "--as", "beatriz", "--basis", "vital_interest",
        "--justification", "Identified victims whose safety needs case management.",
    )  # fmt: skip
    assert Case.objects.count() == 1


def test_a_case_worker_is_refused(template, tmp_path, caseworker):
    path = fill(template, tmp_path / "in.xlsx", [SAMPLE])
    with pytest.raises(CommandError, match="supervisor"):
        call_command("htcds", "import", str(path), "--as", "carmen")


def test_an_unknown_user_or_file_is_refused(tmp_path, boss):
    with pytest.raises(CommandError, match="No active user"):
        call_command("htcds", "export", "--as", "nobody", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="No such file"):
        call_command("htcds", "import", str(tmp_path / "none.xlsx"), "--as", "beatriz")
