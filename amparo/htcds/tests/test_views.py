"""The supervisor's import page, through real HTTP: a refused file's report with rows
and fields, nothing written; others get 404."""

import pytest

from amparo.cases.models import Case
from amparo.htcds.tests.conftest import SAMPLE, fill

pytestmark = [pytest.mark.django_db, pytest.mark.urls("amparo.htcds.tests.urls")]
URL = "/htcds/import/"


def post(client, path, **extra):
    with path.open("rb") as handle:
        data = {"file": handle, "consent_method": "oral", "risk": "high", **extra}
        return client.post(URL, data)


def test_a_supervisor_imports_a_file(client, boss, caseworker, template, tmp_path):
    client.force_login(boss)
    assert client.get(URL).status_code == 200
    response = post(client, fill(template, tmp_path / "f.xlsx", [SAMPLE]))
    assert response.status_code == 200
    assert "Imported 1 cases" in response.content.decode()
    assert Case.objects.count() == 1


def test_a_refused_file_lists_its_problems_and_imports_nothing(
    client, boss, caseworker, template, tmp_path
):
    client.force_login(boss)
    rows = [SAMPLE, SAMPLE | {"prs_Birthdate": "17/05/1994"}]
    response = post(client, fill(template, tmp_path / "f.xlsx", rows))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "row 4, Birthdate (prs_Birthdate): not a date: 17/05/1994" in page
    assert Case.objects.count() == 0


def test_a_dry_run_writes_nothing(client, boss, caseworker, template, tmp_path):
    client.force_login(boss)
    response = post(client, fill(template, tmp_path / "f.xlsx", [SAMPLE]), dry_run="on")
    assert "1 rows would be imported" in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize("who", ["caseworker", "outsider", "statistician"])
def test_anyone_but_a_supervisor_gets_404(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
