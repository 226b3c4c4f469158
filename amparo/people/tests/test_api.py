import pytest

from amparo.audit.models import AuditEvent
from amparo.people.models import Person
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/"


def test_register_through_the_api(api, caseworker):
    payload = {
        "names": [
            {"given_names": "Dmytro", "family_names": "Shevchenko"},
            {
                "given_names": "Дмитро",
                "family_names": "Шевченко",
                "kind": "transliteration",
            },
        ],
        "sex": "M",
        "birth_date": "1988-04-02",
        "nationalities": [{"country": "UKR", "status": "confirmed"}],
        "languages": ["uk", "rus"],
    }
    response = api.post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["display_name"] == "Dmytro Shevchenko"
    assert body["languages"] == ["uk", "ru"]
    assert {n["script"] for n in body["names"]} == {"Latn", "Cyrl"}
    assert AuditEvent.objects.filter(
        action="people.person.registered", actor=caseworker
    ).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"names": []}, "names"),
        ({"names": [{"given_names": "A"}], "birth_date": "2999-01-01"}, "birth_date"),
        ({"names": [{"given_names": "A"}], "birth_date": "not a date"}, "birth_date"),
        ({"names": [{"given_names": "A"}], "estimated_age": 150}, "estimated_age"),
        (
            {"names": [{"given_names": "A"}], "country_of_birth": "XYZ"},
            "country_of_birth",
        ),
        (
            {"names": [{"given_names": "A"}], "nationalities": [{"country": "Q"}]},
            "nationalities.0.country",
        ),
        ({"names": [{"given_names": "A", "language": "nope"}]}, "names.0.language"),
    ],
)
def test_bad_input_is_400_with_the_field(api, payload, field):
    response = api.post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in {error["field"] for error in response.json()["detail"]}
    assert not Person.objects.exists()


def test_list_pages_with_a_cursor_and_searches(api, caseworker):
    for name in ("Saba", "Yonas", "Helen"):
        make_person(caseworker, name, "Tekle")
    first = api.get(URL, {"limit": 2}).json()
    second = api.get(URL, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None
    found = api.get(URL, {"q": "Yonass Teklay"}).json()["items"]
    assert found[0]["display_name"] == "Yonas Tekle"
    assert "migration_status" not in found[0]


def test_a_forged_cursor_is_400(api):
    response = api.get(URL, {"cursor": "forged"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "cursor"


def test_replace_a_record(api, caseworker):
    person = make_person(caseworker, "Olena", "Kovalenko")
    response = api.put(
        f"{URL}{person.pk}",
        {"names": [{"given_names": "Olena", "family_names": "Kowalenko"}], "sex": "F"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Olena Kowalenko"


def test_no_credentials_is_401_and_a_revoked_or_wrong_token_too(client, caseworker):
    assert client.get(URL).status_code == 401
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer wrong"
    assert client.get(URL).status_code == 401


def test_session_login_works_for_reads(client, caseworker):
    client.force_login(caseworker)
    assert client.get(URL).status_code == 200


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert "/api/v1/persons/" in schema.json()["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
