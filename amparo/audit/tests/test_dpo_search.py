"""The data-protection officer searches the audit trail of their agency."""

import pytest

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.actions import add_note
from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _rows(page):
    return page.split("<tbody>")[1].split("</tbody>")[0]


def test_the_dpo_finds_what_happened_to_a_case(client, caseworker, dpo):
    case = make_case(caseworker)
    add_note(case, acting_user=caseworker, body="x")
    client.force_login(dpo)
    page = client.get("/audit/", {"subject_id": str(case.pk)}).content.decode()
    rows = _rows(page)
    assert "cases.case.opened" in rows and "cases.case.note_added" in rows
    assert "people.person.registered" not in rows


def test_filters_by_user_action_and_date(client, caseworker, supervisor, dpo):
    make_case(caseworker)
    make_person(supervisor, "Saba", "Tekle")
    client.force_login(dpo)
    by_samir = _rows(client.get("/audit/", {"actor": "samir"}).content.decode())
    assert (
        "people.person.registered" in by_samir and "cases.case.opened" not in by_samir
    )
    opened = _rows(client.get("/audit/", {"action": "cases."}).content.decode())
    assert "cases.case.opened" in opened and "people.person" not in opened
    future = _rows(client.get("/audit/", {"since": "2999-01-01"}).content.decode())
    assert "No events." in future


def test_the_search_itself_is_audited(client, dpo):
    client.force_login(dpo)
    client.get("/audit/", {"actor": "carmen"})
    event = AuditEvent.objects.get(action="audit.searched", actor=dpo)
    assert event.data == {"actor": "carmen"}


def test_a_dpo_of_another_agency_sees_none_of_this_agency(
    client, caseworker, other_agency
):
    make_case(caseworker)
    other_dpo = UserFactory(username="odile", agency=other_agency, role=User.Role.DPO)
    client.force_login(other_dpo)
    assert "cases.case.opened" not in _rows(client.get("/audit/").content.decode())


@pytest.mark.parametrize(
    "persona", ["caseworker", "supervisor", "statistician", "agency_admin", "sysadmin"]
)
def test_other_roles_get_404(client, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/audit/").status_code == 404
    assert AuditEvent.objects.filter(
        action="access.denied", actor=user, subject_id="/audit/"
    ).exists()
