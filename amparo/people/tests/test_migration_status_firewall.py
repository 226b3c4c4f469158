"""Migration status is recorded only to protect: no list, search, filter or API answer
can sort people by it (resolution 68/179 paras 1 and 4; the firewall of DESIGN §3)."""

import pytest

from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(caseworker):
    return [
        make_person(caseworker, "Amina", "Diallo", migration_status="irregular"),
        make_person(caseworker, "Saba", "Tekle", migration_status="refugee"),
    ]


def test_no_list_accepts_migration_status_as_a_filter(api, client, caseworker, people):
    everyone = {str(p.pk) for p in people}
    for params in ({"migration_status": "irregular"}, {"status": "irregular"}):
        listed = {p["id"] for p in api.get("/api/v1/persons/", params).json()["items"]}
        assert listed == everyone
    client.force_login(caseworker)
    page = client.get("/people/", {"migration_status": "irregular"}).content.decode()
    assert "Amina Diallo" in page and "Saba Tekle" in page


def test_no_list_or_search_answer_carries_it(api, people):
    for answer in (
        api.get("/api/v1/persons/").json(),
        api.get("/api/v1/persons/", {"q": "Amina"}).json(),
    ):
        for item in answer["items"]:
            assert "migration_status" not in item


def test_the_schema_offers_no_such_filter(client):
    schema = client.get("/api/schema/").json()
    for path in schema["paths"].values():
        for operation in path.values():
            names = {p["name"] for p in operation.get("parameters", [])}
            assert "migration_status" not in names
