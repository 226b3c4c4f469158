"""Who reaches what. An outsider (another agency) and a statistician get 404 for every
record of agency A, on every page and every API endpoint, for reads and writes; the
records are left untouched."""

import pytest

from amparo.accounts.actions import issue_api_token
from amparo.audit.models import AuditEvent
from amparo.cases.models import Case
from amparo.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(caseworker):
    return make_case(caseworker)


def _web(case):
    person = case.primary_person_id
    return [
        ("get", f"/people/{person}/", {}),
        ("get", f"/people/{person}/edit/", {}),
        ("post", f"/people/{person}/edit/", {"names-TOTAL_FORMS": "0"}),
        ("get", f"/cases/open/{person}/", {}),
        (
            "post",
            f"/cases/open/{person}/",
            {"types": "general", "risk": "low", "reason": "x"},
        ),
        ("get", f"/cases/{case.pk}/", {}),
        ("post", f"/cases/{case.pk}/note/", {"body": "x"}),
        ("post", f"/cases/{case.pk}/status/", {"status": "assessed"}),
        ("post", f"/cases/{case.pk}/risk/", {"risk": "low"}),
        ("post", f"/cases/{case.pk}/assign/", {"assigned_to": ""}),
        ("post", f"/cases/{case.pk}/close/", {"closure_reason": "goals_met"}),
        ("post", f"/cases/{case.pk}/reopen/", {"reason": "x"}),
        (
            "post",
            f"/cases/{case.pk}/member/",
            {"person": str(person), "relationship": "child"},
        ),
    ]


def _api(case):
    person = case.primary_person_id
    body = {
        "person_id": str(person),
        "types": ["general"],
        "risk": "low",
        "reason": "x",
    }
    return [
        ("get", f"/api/v1/persons/{person}", None),
        ("put", f"/api/v1/persons/{person}", {"names": [{"given_names": "X"}]}),
        ("get", f"/api/v1/cases/{case.pk}", None),
        ("post", "/api/v1/cases/", body),
        ("get", f"/api/v1/cases/{case.pk}/notes", None),
        ("post", f"/api/v1/cases/{case.pk}/notes", {"body": "x"}),
        ("post", f"/api/v1/cases/{case.pk}/status", {"status": "assessed"}),
        ("post", f"/api/v1/cases/{case.pk}/assign", {"assigned_to": None}),
        ("post", f"/api/v1/cases/{case.pk}/close", {"reason": "goals_met"}),
        ("post", f"/api/v1/cases/{case.pk}/risk", {"risk": "low"}),
        ("post", f"/api/v1/cases/{case.pk}/reopen", {"reason": "x"}),
        ("get", f"/api/v1/cases/{case.pk}/timeline", None),
        (
            "post",
            f"/api/v1/cases/{case.pk}/members",
            {"person_id": str(person), "relationship": "child"},
        ),
    ]


def _unchanged(case):
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.risk, fresh.assigned_to_id) == (
        case.status,
        case.risk,
        case.assigned_to_id,
    )
    assert not fresh.notes.exists()
    assert Case.objects.count() == 1
    changes = AuditEvent.objects.filter(action__regex=r"^(cases|people)\.")
    assert set(changes.values_list("action", flat=True)) == {
        "people.person.registered",
        "people.consent.recorded",
        "cases.case.opened",
    }


@pytest.mark.parametrize("persona", ["outsider", "statistician"])
def test_web_pages_are_404_for_those_who_may_not_see(client, case, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for method, url, data in _web(case):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    _unchanged(case)


@pytest.mark.parametrize("persona", ["outsider", "statistician"])
def test_api_is_404_for_those_who_may_not_see(client, case, persona, request):
    user = request.getfixturevalue(persona)
    _token, raw = issue_api_token(user, name="t", acting_user=user, scope="read_write")
    for method, url, data in _api(case):
        kwargs = {"content_type": "application/json"} if data is not None else {}
        response = getattr(client, method)(
            url, data, HTTP_AUTHORIZATION=f"Bearer {raw}", **kwargs
        )
        assert response.status_code == 404, (method, url, response.content)
    _unchanged(case)


@pytest.mark.parametrize("persona", ["outsider", "statistician"])
def test_lists_and_search_show_nothing_of_another_agency(
    client, case, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/api/v1/persons/").json()["items"] == []
    assert client.get("/api/v1/cases/").json()["items"] == []
    assert client.get("/api/v1/persons/", {"q": "Amina Diallo"}).json()["items"] == []
    if persona == "outsider":
        assert case.reference not in client.get("/cases/").content.decode()
        assert (
            "Nobody found."
            in client.get("/people/", {"q": "Amina Diallo"}).content.decode()
        )
        assert case.reference not in client.get("/").content.decode()


def test_anonymous_is_sent_to_login_and_the_api_says_401(client, case):
    for method, url, data in _web(case):
        response = getattr(client, method)(url, data)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        ), url
    for method, url, data in _api(case):
        kwargs = {"content_type": "application/json"} if data is not None else {}
        assert getattr(client, method)(url, data, **kwargs).status_code == 401, url
    _unchanged(case)


def test_the_case_worker_of_the_agency_sees_everything(client, case, caseworker):
    client.force_login(caseworker)
    for method, url, _data in _web(case):
        if method == "get":
            assert client.get(url).status_code == 200, url
