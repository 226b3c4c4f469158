"""Who exports what: a supervisor exports the trafficking cases they may see, an
outsider agency none of ours, a case worker nothing; every export is audited."""

import pytest
from openpyxl import load_workbook

from amparo.audit.models import AuditEvent
from amparo.cases.models import Case
from amparo.cases.tests.factories import make_case
from amparo.htcds.actions import export_cases, import_batch
from amparo.htcds.queries import cases_for_export
from amparo.htcds.tests.conftest import SAMPLE, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(template, tmp_path, boss, caseworker):
    rows = [SAMPLE, SAMPLE | {"prs_FirstName": "Оксана", "prs_SecondName": "Коваленко"}]
    assert not import_batch(
        fill(template, tmp_path / "in.xlsx", rows), acting_user=boss
    ).refused
    return list(Case.objects.all())


def test_an_outsider_agency_exports_none_of_ours(imported, other_supervisor, tmp_path):
    assert not cases_for_export(other_supervisor).exists()
    result = export_cases(tmp_path / "out.xlsx", acting_user=other_supervisor)
    assert result.count == 0
    sheet = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    assert sheet.max_row == 2  # the two header rows, no case


def test_only_trafficking_cases_are_exported(imported, boss, caseworker):
    make_case(caseworker, types=("general",))
    assert set(cases_for_export(boss)) == set(imported)


def test_a_supervisors_team_sees_its_own_and_unassigned_cases(
    imported, supervisor, boss
):
    # Samir supervises Carmen's team: her cases are his to export.
    assert cases_for_export(supervisor).count() == 2


def test_a_case_worker_does_not_export(imported, caseworker, tmp_path):
    with pytest.raises(PermissionError):
        export_cases(tmp_path / "out.xlsx", acting_user=caseworker)
    assert not (tmp_path / "out.xlsx").exists()


def test_an_export_is_audited_with_its_cases_and_digest(imported, boss, tmp_path):
    result = export_cases(tmp_path / "out.zip", acting_user=boss, format="xform")
    event = AuditEvent.objects.get(action="htcds.export.written")
    assert event.data["count"] == 2
    assert event.data["sha256"] == result.sha256
    assert sorted(event.data["cases"]) == sorted(str(c.pk) for c in imported)
