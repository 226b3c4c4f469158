"""The official HTCDS files from ../shared/data/htcds (never copied into the
repository), and copies of the Excel template filled in a temporary folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.htcds.build import Basis
from amparo.htcds.mapping import BY_NAME

TEMPLATE = "HTCDS_Excel_Spreadsheet_v2.0.xlsx"
XLSFORM_XML = "htcds_xlsform.xml"


@pytest.fixture
def htcds_dir(shared_data: Path) -> Path:
    return shared_data / "htcds"


@pytest.fixture
def template(htcds_dir: Path) -> Path:
    return htcds_dir / TEMPLATE


@pytest.fixture
def boss(agency, team) -> User:
    """The agency's supervisor without a team: sees (and exports) the whole agency."""
    return UserFactory(username="beatriz", agency=agency, role=User.Role.SUPERVISOR)


@pytest.fixture
def other_supervisor(other_agency) -> User:
    return UserFactory(
        username="olivia", agency=other_agency, role=User.Role.SUPERVISOR
    )


def fill(template: Path, target: Path, rows: list[dict[str, object]]) -> Path:
    """A copy of the official template with `rows` (HTCDS name -> cell value) from
    row 3, in the columns the template gives each field."""
    book = load_workbook(template)
    sheet = book.worksheets[0]
    for number, row in enumerate(rows, start=3):
        for name, value in row.items():
            sheet[f"{BY_NAME[name].column}{number}"] = value
    book.save(target)
    return target


WITHOUT_CONSENT = Basis(
    other="vital_interest",
    justification="Imported caseload of identified victims: their safety depends on "
    "continued case management.",
)

SAMPLE = {
    "cas_CaseOwner": "carmen",
    "prs_Salutation": "Ms",
    "prs_FirstName": "Amina",
    "prs_SecondName": "Diallo",
    "con_Consent": True,
    "prs_Birthdate": date(1994, 5, 17),
    "prs_Gender": "Feminine",
    "prs_Citizenship": "GN;SN",
    "prs_Email": "amina@example.org",
    "prs_MobilePhone": "+221771234567",
    "prs_MailingStreet": "12 rue des Lilas",
    "prs_MailingCity": "Lyon",
    "prs_MailingPostalCode": "69003",
    "prs_MailingCountry": "FR",
    "vic_TraffickingStatus": "ActualVictimOfTrafficking",
    "vic_TraffickingStatusDecisionMakingOrg": "NGO",
    "cas_Status": "Active",
}
