"""The worklist and case-file API: filters, scoping, pages and bad input."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amparo.accounts.actions import issue_api_token
from amparo.audit.models import AuditEvent
from amparo.cases.actions import assign_case, close_case
from amparo.cases.tests.factories import make_case
from amparo.safeguards.models import CaseFact
from amparo.safeguards.tests.factories import ZONE, detained_case, record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=30)
URL = "/api/v1/obligations/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _as(client, user):
    raw = issue_api_token(user, name="t", acting_user=user, scope="read_write")[1]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def _pairs(response):
    assert response.status_code == 200, response.content
    return {(o["rule_id"], o["key"]) for o in response.json()["items"]}


@pytest.fixture
def worklist_cases(caseworker, supervisor):
    """Detained 30 hours ago, not screened, nationality recorded: the screening (24 h)
    and telling the person of their rights (24 h) are overdue, the first review (48 h)
    is open; and the supervisor's own case, detained in Mexico an hour ago."""
    old = detained_case(caseworker, T0)
    record(old, caseworker, "nationality", T0, country="HND", status="claimed")
    mine = make_case(supervisor, types=("detention",))
    detained_case(
        supervisor, NOW - timedelta(hours=1), jurisdiction="mexico", case=mine
    )
    return old, mine


def test_the_worklists_of_a_case_worker(api, worklist_cases):
    old, _theirs = worklist_cases
    everything = _pairs(api.get(URL))
    assert ("detention.first_review", "ep1") in everything
    assert ("consular.inform_rights", "HND") in everything
    # Only the case worker's case, and only what is still to be done.
    assert {o["case_id"] for o in api.get(URL).json()["items"]} == {str(old.pk)}
    assert ("detention.child", "ep1") not in everything  # not applicable
    assert _pairs(api.get(URL, {"filter": "overdue"})) == {
        ("detention.vulnerability_screening", "ep1"),
        ("consular.inform_rights", "HND"),
    }
    assert _pairs(api.get(URL, {"filter": "due_soon"})) == {
        ("detention.first_review", "ep1"),
    }
    assert _pairs(api.get(URL, {"filter": "critical"})) == {
        ("consular.inform_rights", "HND"),
    }
    assert _pairs(api.get(URL, {"filter": "mine"})) == everything


def test_overdue_does_not_wait_for_the_refresh(api, caseworker):
    with time_machine.travel(T0, tick=False):
        case = detained_case(caseworker, T0)
    # Stored as open 30 hours ago; its deadline (24 h) has passed since.
    assert (
        case.obligations.get(rule_id="detention.vulnerability_screening").status
        == "open"
    )
    assert ("detention.vulnerability_screening", "ep1") in _pairs(
        api.get(URL, {"filter": "overdue"})
    )


def test_a_supervisor_sees_the_team_and_mine_is_their_own(
    client, supervisor, worklist_cases
):
    old, theirs = worklist_cases
    _as(client, supervisor)
    cases = {o["case_id"] for o in client.get(URL).json()["items"]}
    assert cases == {str(old.pk), str(theirs.pk)}
    mine = {o["case_id"] for o in client.get(URL, {"filter": "mine"}).json()["items"]}
    assert mine == {str(theirs.pk)}


def test_an_obligation_as_the_api_gives_it(api, worklist_cases):
    old, _ = worklist_cases
    items = api.get(URL, {"case": str(old.pk)}).json()["items"]
    first = next(o for o in items if o["rule_id"] == "detention.first_review")
    assert first["due_at"] == "2026-03-04T10:00:00-06:00"  # in the place's zone
    assert first["time_zone"] == ZONE
    assert first["status"] == "open"
    assert first["case_reference"] == old.reference
    assert first["details"]["source"]
    # The case's list holds every status, most urgent first, no deadline last.
    assert {o["status"] for o in items} >= {"open", "overdue", "not_applicable"}
    deadlines = [o["due_at"] for o in items]
    assert deadlines.index(None) > deadlines.index(first["due_at"])
    assert all(d is None for d in deadlines[deadlines.index(None) :])


def test_pages_follow_the_cursor(api, worklist_cases):
    old, _ = worklist_cases
    seen, cursor = [], None
    while True:
        params = {"case": str(old.pk), "limit": 2} | (
            {"cursor": cursor} if cursor else {}
        )
        page = api.get(URL, params).json()
        seen.extend(o["id"] for o in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = api.get(URL, {"case": str(old.pk), "limit": 100}).json()["items"]
    assert seen == [o["id"] for o in everything]
    assert len(seen) == len(set(seen)) > 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"filter": "urgent"}, "filter"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"case": "nope"}, "case"),
    ],
)
def test_bad_worklist_parameters_are_400(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["detail"]}


def test_others_see_nothing(client, outsider, statistician, worklist_cases):
    old, _ = worklist_cases
    for user in (outsider, statistician):
        _as(client, user)
        for which in ("all", "mine", "due_soon", "overdue", "critical"):
            assert client.get(URL, {"filter": which}).json()["items"] == []
        assert client.get(URL, {"case": str(old.pk)}).status_code == 404
        assert client.get(f"/api/v1/cases/{old.pk}/facts").status_code == 404
        posted = client.post(
            f"/api/v1/cases/{old.pk}/facts",
            {"kind": "death", "at": NOW.isoformat()},
            content_type="application/json",
        )
        assert posted.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied").count() == 6


def test_a_case_assigned_away_leaves_the_worklist(
    api, caseworker, supervisor, worklist_cases
):
    old, _ = worklist_cases
    assign_case(old, acting_user=supervisor, assignee=supervisor)
    assert api.get(URL).json()["items"] == []


def test_record_and_list_facts(api, caseworker):
    case = make_case(caseworker)
    url = f"/api/v1/cases/{case.pk}/facts"
    created = api.post(
        url,
        {
            "kind": "detention_started",
            "at": "2026-03-03T15:00:00-06:00",
            "data": {"episode": "ep1", "time_zone": ZONE, "place": "Siglo XXI"},
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["at"] == "2026-03-03T15:00:00-06:00"
    assert body["data"]["place"] == "Siglo XXI"
    assert body["recorded_by"] == caseworker.pk
    later = api.post(
        url,
        {"kind": "death", "at": "2026-03-03T16:00:00-06:00"},
        content_type="application/json",
    )
    assert later.status_code == 201
    listed = api.get(url, {"limit": 1}).json()
    assert [f["kind"] for f in listed["items"]] == ["death"]
    rest = api.get(url, {"cursor": listed["next_cursor"]}).json()
    assert [f["kind"] for f in rest["items"]] == ["detention_started"]
    # The obligations followed: the person died in detention.
    statuses = {
        o["rule_id"]: o["status"]
        for o in api.get(URL, {"case": str(case.pk)}).json()["items"]
    }
    assert statuses["detention.first_review"] == "not_applicable"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"kind": "nationality", "data": {"country": "ZZZ", "status": "claimed"}},
            "data.country",
        ),
        ({"kind": "nationality", "data": {"country": "MEX"}}, "data.status"),
        ({"kind": "teleported"}, "kind"),
        ({"kind": "death", "at": "2026-03-03T10:00:00"}, "at"),
        ({"kind": "death", "at": "yesterday"}, "at"),
        ({"kind": "death", "at": "2027-01-01T00:00:00Z"}, "at"),
        ({"at": "2026-03-03T10:00:00Z"}, "kind"),
        (
            {
                "kind": "detention_ended",
                "data": {"episode": "ep1", "reason": "released"},
            },
            "data.episode",
        ),
        ({"kind": "death", "data": []}, "data"),
    ],
)
def test_bad_facts_are_400_with_the_field(api, caseworker, payload, field):
    case = make_case(caseworker)
    body = {"at": NOW.isoformat()} | payload
    response = api.post(
        f"/api/v1/cases/{case.pk}/facts", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert field in {e["field"] for e in detail}, detail
    assert all(e["message"] for e in detail)
    assert not CaseFact.objects.exists()


def test_a_contradiction_is_400_with_its_message(api, caseworker):
    case = detained_case(caseworker, T0)
    response = api.post(
        f"/api/v1/cases/{case.pk}/facts",
        {
            "kind": "detention_ended",
            "at": (T0 - timedelta(hours=2)).isoformat(),
            "data": {"episode": "ep1", "reason": "released"},
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    (error,) = response.json()["detail"]
    assert error["field"] == "at"
    assert "before detention episode 'ep1' started" in error["message"]
    assert CaseFact.objects.filter(case=case).count() == 1


def test_set_the_jurisdiction(api, caseworker):
    case = detained_case(caseworker, T0)
    url = f"/api/v1/cases/{case.pk}/jurisdiction"
    changed = api.post(url, {"jurisdiction": "mexico"}, content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["jurisdiction"] == "mexico"
    # 36 hours at most in Mexico; 30 have passed: past the 80 % warning.
    maximum = case.obligations.get(rule_id="detention.maximum_period")
    assert (maximum.status, maximum.severity) == ("open", "warning")
    refused = api.post(
        url, {"jurisdiction": "atlantis"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["detail"][0]["field"] == "jurisdiction"


def test_a_closed_case_leaves_the_worklists_but_keeps_its_obligations(
    api, caseworker, worklist_cases
):
    old, _ = worklist_cases
    close_case(old, acting_user=caseworker, reason="goals_met")
    for which in ("all", "mine", "due_soon", "overdue", "critical"):
        assert api.get(URL, {"filter": which}).json()["items"] == []
    assert api.get(URL, {"case": str(old.pk)}).json()["items"]
