import pytest

from amparo.audit.models import AuditEvent
from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def test_open_note_move_and_close_a_case(api, caseworker, supervisor):
    person = make_person(caseworker)
    created = api.post(
        URL,
        {
            "person_id": str(person.pk),
            "types": ["labour"],
            "risk": "high",
            "reason": "Unpaid wages.",
        },
        content_type="application/json",
    )
    assert created.status_code == 400
    assert created.json()["detail"][0]["field"] == "consent"
    created = api.post(
        URL,
        {
            "person_id": str(person.pk),
            "types": ["labour"],
            "risk": "high",
            "reason": "Unpaid wages.",
            "lawful_basis": {
                "basis": "consent",
                "method": "written",
                "given_by": "person",
            },
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert person.consents.get().method == "written"
    case_id = created.json()["id"]
    note = api.post(
        f"{URL}{case_id}/notes",
        {"body": "Employer contacted."},
        content_type="application/json",
    )
    assert note.status_code == 201
    assert (
        api.get(f"{URL}{case_id}/notes").json()["items"][0]["body"]
        == "Employer contacted."
    )
    moved = api.post(
        f"{URL}{case_id}/status",
        {"status": "assessed"},
        content_type="application/json",
    )
    assert moved.json()["status"] == "assessed"
    closed = api.post(
        f"{URL}{case_id}/close",
        {"reason": "goals_met"},
        content_type="application/json",
    )
    assert closed.json()["status"] == "closed"
    api.post(
        f"{URL}{case_id}/reopen", {"reason": "Back."}, content_type="application/json"
    )
    assigned = api.post(
        f"{URL}{case_id}/assign",
        {"assigned_to": supervisor.pk},
        content_type="application/json",
    )
    assert assigned.json()["assigned_to"] == supervisor.pk
    # Assigned away, the case leaves the case worker's sight (agency A shares no cases
    # within teams).
    assert api.get(f"{URL}{case_id}").status_code == 404
    actions = set(
        AuditEvent.objects.filter(subject_id=case_id).values_list("action", flat=True)
    )
    assert actions == {
        "cases.case.opened",
        "cases.case.note_added",
        "cases.case.status_changed",
        "cases.case.assigned",
        "cases.case.closed",
        "cases.case.reopened",
        "cases.case.viewed",  # reading the notes is a view of the case
        "access.denied",  # the last read, after the case was assigned away
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"types": []}, "types"),
        ({"types": ["unknown"]}, "types"),
        ({"risk": "extreme"}, "risk"),
        ({"reason": ""}, "opening_reason"),
        ({"assigned_to": 999999}, "assigned_to"),
    ],
)
def test_bad_case_input_is_400_with_the_field(api, caseworker, payload, field):
    person = make_person(caseworker)
    data = {
        "person_id": str(person.pk),
        "types": ["general"],
        "risk": "low",
        "reason": "x",
    } | payload
    response = api.post(URL, data, content_type="application/json")
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["detail"]}


def test_wrong_status_move_is_400(api, caseworker):
    case = make_case(caseworker)
    response = api.post(
        f"{URL}{case.pk}/status", {"status": "closed"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_list_filters_and_pages(api, caseworker):
    make_case(caseworker, risk="high", types=("child",))
    make_case(caseworker, risk="low")
    make_case(caseworker, risk="high")
    high = api.get(URL, {"risk": "high", "limit": 1}).json()
    assert len(high["items"]) == 1
    rest = api.get(
        URL, {"risk": "high", "limit": 1, "cursor": high["next_cursor"]}
    ).json()
    assert {high["items"][0]["risk"], rest["items"][0]["risk"]} == {"high"}
    assert rest["next_cursor"] is None
    child = api.get(URL, {"type": "child"}).json()["items"]
    assert [c["types"] for c in child] == [["child"]]


def test_a_statistician_may_not_open_a_case(client, caseworker, statistician):
    person = make_person(caseworker)
    client.force_login(statistician)
    response = client.post(
        URL,
        {
            "person_id": str(person.pk),
            "types": ["general"],
            "risk": "low",
            "reason": "x",
        },
        content_type="application/json",
    )
    # The person is invisible to a statistician, so the reference itself is unknown.
    assert response.status_code == 404


def test_add_a_member_through_the_api(api, caseworker):
    case = make_case(caseworker)
    child = make_person(caseworker, "Saba", "Tekle")
    url = f"{URL}{case.pk}/members"
    body = {"person_id": str(child.pk), "relationship": "child"}
    refused = api.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["detail"][0]["field"] == "consent"
    created = api.post(
        url,
        body
        | {
            "lawful_basis": {
                "basis": "legal_obligation",
                "justification": "Child protection law, art. 12: family tracing.",
            }
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert child.consents.get().basis == "legal_obligation"
    again = api.post(
        url,
        {"person_id": str(child.pk), "relationship": "child"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["detail"][0]["field"] == "person"


def test_bad_query_and_path_parameters_name_the_parameter(api):
    response = api.get(URL, {"person": "zzz", "limit": 1000})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["detail"]} == {"person", "limit"}
    response = api.get(f"{URL}not-a-uuid")
    assert response.json()["detail"][0]["field"] == "case_id"


def test_notes_come_in_pages_newest_first(api, caseworker):
    from amparo.cases.actions import add_note

    case = make_case(caseworker)
    for text in ("first", "second", "third"):
        add_note(case, acting_user=caseworker, body=text)
    page = api.get(f"{URL}{case.pk}/notes", {"limit": 2}).json()
    rest = api.get(
        f"{URL}{case.pk}/notes", {"limit": 2, "cursor": page["next_cursor"]}
    ).json()
    assert [n["body"] for n in page["items"] + rest["items"]] == [
        "third",
        "second",
        "first",
    ]
    assert rest["next_cursor"] is None


def test_risk_reopen_and_timeline(api, caseworker):
    case = make_case(caseworker)
    assert (
        api.post(
            f"{URL}{case.pk}/risk",
            {"risk": "critical"},
            content_type="application/json",
        ).json()["risk"]
        == "critical"
    )
    api.post(
        f"{URL}{case.pk}/close",
        {"reason": "goals_met"},
        content_type="application/json",
    )
    reopened = api.post(
        f"{URL}{case.pk}/reopen",
        {"reason": "New threat."},
        content_type="application/json",
    )
    assert reopened.json()["status"] == "open"
    kinds = [e["kind"] for e in api.get(f"{URL}{case.pk}/timeline").json()["items"]]
    assert kinds == ["reopened", "closed", "risk_changed", "opened"]
    assert (
        api.post(
            f"{URL}{case.pk}/reopen", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
