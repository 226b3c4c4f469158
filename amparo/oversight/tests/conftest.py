import pytest

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.cases.actions import add_case_member
from amparo.cases.tests.factories import ORAL_CONSENT, make_case
from amparo.people.tests.factories import make_person

REASON = "Complaint by the data subject about a disclosure."


@pytest.fixture
def case(caseworker):
    """Agency A's case, assigned to Carmen, with a second person on it."""
    case = make_case(caseworker)
    child = make_person(caseworker, "Yusuf", "Diallo")
    add_case_member(
        case,
        child,
        acting_user=caseworker,
        relationship="child",
        lawful_basis=ORAL_CONSENT,
    )
    return case


@pytest.fixture
def child(case):
    return case.members.get().person


@pytest.fixture
def other_dpo(other_agency):
    return UserFactory(username="odile", agency=other_agency, role=User.Role.DPO)


@pytest.fixture
def other_legal_officer(other_agency):
    return UserFactory(
        username="olga", agency=other_agency, role=User.Role.LEGAL_OFFICER
    )
