"""Personas for every test: who may see what.

- caseworker: agency A, works on cases; sees agency A's people and cases.
- supervisor: agency A, works on cases.
- statistician: agency A; sees aggregates only, never a person's record.
- outsider: a case worker of agency B; must get 404 for everything of agency A.
"""

import os
from pathlib import Path

import pytest
from django.utils import translation

from amparo.accounts.actions import issue_api_token
from amparo.accounts.models import Agency, Team, User
from amparo.accounts.tests.factories import AgencyFactory, UserFactory

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"


@pytest.fixture
def agency() -> Agency:
    return AgencyFactory(name="Agency A", code="a")


@pytest.fixture
def other_agency() -> Agency:
    return AgencyFactory(name="Agency B", code="b")


@pytest.fixture
def team(agency: Agency) -> Team:
    return Team.objects.create(agency=agency, name="Team A")


@pytest.fixture
def caseworker(agency: Agency, team: Team) -> User:
    """Sees the cases assigned to her (agency A does not share within teams)."""
    return UserFactory(
        username="carmen", agency=agency, role=User.Role.CASEWORKER, team=team
    )


@pytest.fixture
def supervisor(agency: Agency, team: Team) -> User:
    """Supervises Carmen's team: sees its cases."""
    return UserFactory(
        username="samir", agency=agency, role=User.Role.SUPERVISOR, team=team
    )


@pytest.fixture
def statistician(agency: Agency) -> User:
    return UserFactory(username="stella", agency=agency, role=User.Role.STATISTICIAN)


@pytest.fixture
def outsider(other_agency: Agency) -> User:
    return UserFactory(username="omar", agency=other_agency, role=User.Role.CASEWORKER)


@pytest.fixture
def shared_data() -> Path:
    """The real external data beside the project (../shared/data). Skips where it is
    absent (a user's machine); fails where AMPARO_REQUIRE_SHARED_DATA=1 (CI)."""
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    message = f"shared data not found at {SHARED_DATA}"
    if os.environ.get("AMPARO_REQUIRE_SHARED_DATA") == "1":
        pytest.fail(message + " and AMPARO_REQUIRE_SHARED_DATA=1")
    pytest.skip(message)


@pytest.fixture
def api(client, caseworker):
    """A test client that calls the API with the case worker's bearer token."""
    _token, raw = issue_api_token(
        caseworker, name="tests", acting_user=caseworker, scope="read_write"
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Arabic or French
    activates that language for the rest of the thread otherwise."""
    yield
    translation.deactivate()


@pytest.fixture
def legal_officer(agency: Agency) -> User:
    return UserFactory(username="lina", agency=agency, role=User.Role.LEGAL_OFFICER)


@pytest.fixture
def agency_admin(agency: Agency) -> User:
    return UserFactory(username="ahmed", agency=agency, role=User.Role.AGENCY_ADMIN)


@pytest.fixture
def dpo(agency: Agency) -> User:
    return UserFactory(username="dina", agency=agency, role=User.Role.DPO)


@pytest.fixture
def sysadmin(agency: Agency) -> User:
    return UserFactory(username="sami", agency=agency, role=User.Role.SYSADMIN)


@pytest.fixture
def enforcement_agency() -> Agency:
    return AgencyFactory(
        name="Border Police", code="bp", kind=Agency.Kind.IMMIGRATION_ENFORCEMENT
    )


@pytest.fixture
def enforcer(enforcement_agency: Agency) -> User:
    """A supervisor of an immigration-enforcement agency: behind the firewall, sees
    no person and no case, and receives nothing without a two-approver override."""
    return UserFactory(
        username="erik", agency=enforcement_agency, role=User.Role.SUPERVISOR
    )
