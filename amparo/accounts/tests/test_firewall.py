"""The firewall: an immigration- or law-enforcement agency's accounts see no person
and no case, not even records of their own agency, and cannot register anyone."""

import pytest

from amparo.accounts.models import Agency, User
from amparo.accounts.tests.factories import AgencyFactory, UserFactory
from amparo.cases.queries import cases_visible_to
from amparo.cases.tests.factories import make_case
from amparo.people.models import Person
from amparo.people.queries import persons_visible_to, search_persons
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(
    params=[Agency.Kind.IMMIGRATION_ENFORCEMENT, Agency.Kind.LAW_ENFORCEMENT]
)
def officer(request):
    agency = AgencyFactory(name="Border Police", code="bp", kind=request.param)
    return UserFactory(username="officer", agency=agency, role=User.Role.SUPERVISOR)


def test_an_enforcement_account_sees_nothing_anywhere(client, caseworker, officer):
    case = make_case(caseworker)
    assert not cases_visible_to(officer).exists()
    assert not persons_visible_to(officer).exists()
    assert search_persons(officer, "Amina Diallo") == []
    client.force_login(officer)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get("/people/").status_code == 404
    assert client.get("/api/v1/persons/").json()["items"] == []


def test_an_enforcement_account_cannot_register_anyone(officer):
    with pytest.raises(PermissionError):
        make_person(officer)
    assert not Person.objects.exists()


def test_its_own_agency_records_stay_out_of_its_sight(officer):
    """Even a record that somehow belongs to the enforcement agency is not shown."""
    colleague = UserFactory(
        username="clerk", agency=officer.agency, role=User.Role.CASEWORKER
    )
    assert not persons_visible_to(colleague).exists()
    assert not colleague.works_on_cases


def test_createagency_marks_an_enforcement_body(capsys):
    from django.core.management import call_command

    call_command(
        "createagency",
        "Border Police",
        "--code",
        "bp",
        "--kind",
        "immigration_enforcement",
    )
    assert Agency.objects.get(code="bp").kind == "immigration_enforcement"
