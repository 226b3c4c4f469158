"""Labour rights over the API: each complaint type created and read back equal, bad
input refused with 400 and the field named (a cost's as `costs.1.currency`) and
nothing saved, the lists with their filters and cursor pages, the status of a
complaint, the ILO C189 checklist's findings. Whoever does not see the case gets 404."""

from decimal import Decimal

import pytest
import time_machine

from amparo.accounts.actions import issue_api_token
from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.cases.tests.factories import make_case
from amparo.labour.codes import ComplaintType
from amparo.labour.models import Checklist, Complaint, Employer, RecruitmentCost
from amparo.labour.tests.typical import (
    NOW,
    TYPICAL,
    api_body,
    expected,
    make_employer,
    make_recruiter,
)
from amparo.safeguards.models import Obligation

pytestmark = pytest.mark.django_db

URL = "/api/v1/labour"
JSON = "application/json"
CHECKLIST = {
    "recorded_on": "2026-03-01",
    "written_contract": True,
    "keeps_documents": False,
    "weekly_rest": True,
    "paid_monthly": False,
    "no_fees_deducted": True,
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return make_case(caseworker, types=("labour",))


@pytest.fixture
def employer(supervisor):
    return make_employer(supervisor)


@pytest.fixture
def recruiter(supervisor):
    return make_recruiter(supervisor)


def post(client, url, body):
    return client.post(url, body, content_type=JSON)


def create(api, case, body):
    return post(api, f"{URL}/cases/{case.pk}/complaints", body)


def as_client(client, user):
    """`client` calling the API with `user`'s token."""
    _token, raw = issue_api_token(user, name="t", acting_user=user, scope="read_write")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def fields(response) -> set[str]:
    assert response.status_code == 400, (response.status_code, response.content)
    return {e["field"] for e in response.json()["detail"]}


def messages(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def read_back(got: dict, sent: dict) -> dict:
    """What the API answers for each field sent, in the form sent (amounts as text
    with two decimals)."""
    values = {}
    for name, value in sent.items():
        answer = got[name]
        if name == "costs":
            answer = [read_back(a, s) for a, s in zip(answer, value, strict=True)]
        elif isinstance(value, str) and answer is not None and _is_amount(value):
            answer = str(Decimal(str(answer)))
        values[name] = answer
    return values


def _is_amount(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


@pytest.mark.parametrize("type_", ComplaintType.values)
def test_each_complaint_type_round_trips_through_the_api(
    api, case, employer, recruiter, type_
):
    body = api_body(type_, employer, recruiter)
    created = create(api, case, body)
    assert created.status_code == 201, created.content
    complaint_id = created.json()["id"]
    got = api.get(f"{URL}/complaints/{complaint_id}")
    assert got.status_code == 200
    answer = got.json()
    assert read_back(answer, body) == body
    assert answer["case_id"] == str(case.pk)
    assert answer["status"] == "received"
    assert created.json() == answer
    # Stored as sent.
    complaint = Complaint.objects.get(pk=complaint_id)
    assert complaint.type == type_
    assert complaint.description == expected(type_)["description"]
    assert complaint.costs.count() == len(TYPICAL[type_].get("costs", []))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount_owed": "-5"}, "amount_owed", "An amount cannot be negative."),
        ({"currency": "XYZ"}, "currency", "Not an ISO 4217 currency code"),
        ({"currency": "usd"}, "currency", "Not an ISO 4217 currency code"),
        (
            {"amount_owed": "100", "amount_recovered": "150", "recovery_note": ""},
            "recovery_note",
            "More was recovered than was owed",
        ),
        ({"received_on": "2026-03-03"}, "received_on", "The date is in the future."),
        ({"recovered_on": "2026-04-01"}, "recovered_on", "The date is in the future."),
        ({"amount_owed": None}, "amount_owed", "Give the amount owed."),
        ({"type": "wage_theft"}, "type", "Choose a type from the list."),
        ({"country_of_employment": "XX"}, "country_of_employment", "Choose a country"),
        ({"received_on": "yesterday"}, "received_on", ""),
        ({"amount_owed": "a lot"}, "amount_owed", ""),
    ],
)
def test_bad_complaint_input_is_400_with_the_field(
    api, case, employer, changes, field, message
):
    body = api_body("unpaid_wages", employer, None) | changes
    response = create(api, case, body)
    assert field in fields(response)
    assert message in messages(response)[field]
    assert not Complaint.objects.exists()


def test_a_bad_cost_is_named_by_its_index(api, case, recruiter):
    body = api_body("recruitment_fees", None, recruiter)
    body["costs"][1] |= {"currency": "ABC", "amount": "-1", "paid_on": "2027-01-01"}
    response = create(api, case, body)
    assert fields(response) == {"costs.1.currency", "costs.1.amount", "costs.1.paid_on"}
    assert not Complaint.objects.exists()
    assert not RecruitmentCost.objects.exists()
    body["costs"] = []
    assert fields(create(api, case, body)) == {"costs"}


def test_parties_come_from_the_agencys_list(api, case, employer, recruiter, outsider):
    theirs = make_employer(outsider)
    body = api_body("excessive_hours", None, None)
    assert fields(create(api, case, body | {"employer": str(theirs.pk)})) == {
        "employer"
    }
    # A recruiter given as the employer, an employer as the recruiter.
    response = create(
        api, case, body | {"employer": str(recruiter.pk), "recruiter": str(employer.pk)}
    )
    assert fields(response) == {"employer", "recruiter"}
    assert not Complaint.objects.exists()


def test_employers_are_listed_and_recorded(api, caseworker, employer, outsider):
    make_employer(outsider, name="Their farm")
    listed = api.get(f"{URL}/employers")
    assert listed.status_code == 200
    assert [e["name"] for e in listed.json()["items"]] == ["Finca El Sol"]
    body = {
        "kind": "broker",
        "name": "Juan Pérez",
        "country": "GTM",
        "licence": "",
    }
    created = post(api, f"{URL}/employers", body)
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "broker"
    assert created.json()["sector"] == ""
    assert Employer.objects.get(pk=created.json()["id"]).agency == caseworker.agency
    assert fields(post(api, f"{URL}/employers", body)) == {"name"}
    bad = body | {"kind": "boss", "country": "XX", "sector": "Z"}
    assert fields(post(api, f"{URL}/employers", bad)) == {"kind", "country", "sector"}
    page = api.get(f"{URL}/employers", {"limit": 1})
    assert len(page.json()["items"]) == 1
    rest = api.get(f"{URL}/employers", {"cursor": page.json()["next_cursor"]})
    names = {page.json()["items"][0]["name"], rest.json()["items"][0]["name"]}
    assert names == {"Finca El Sol", "Juan Pérez"}


def test_complaints_are_listed_by_employer_and_type_in_cursor_pages(
    api, case, caseworker, employer, recruiter
):
    other = make_employer(caseworker, name="Hotel Playa")
    made = {}
    for day, type_, party in (
        (10, "unpaid_wages", employer),
        (12, "document_retention", employer),
        (14, "unpaid_wages", employer),
        (16, "unpaid_wages", other),
    ):
        body = api_body(type_, employer, recruiter) | {
            "received_on": f"2026-02-{day}",
            "employer": str(party.pk),
            "recruiter": str(recruiter.pk) if day == 12 else None,
        }
        response = create(api, case, body)
        assert response.status_code == 201, response.content
        made[day] = response.json()["id"]
    everything = api.get(f"{URL}/complaints").json()
    assert [c["id"] for c in everything["items"]] == [made[d] for d in (16, 14, 12, 10)]
    assert everything["next_cursor"] is None
    first = api.get(
        f"{URL}/complaints",
        {"employer": str(employer.pk), "type": "unpaid_wages", "limit": 1},
    ).json()
    assert [c["id"] for c in first["items"]] == [made[14]]
    second = api.get(
        f"{URL}/complaints",
        {
            "employer": str(employer.pk),
            "type": "unpaid_wages",
            "limit": 1,
            "cursor": first["next_cursor"],
        },
    ).json()
    assert [c["id"] for c in second["items"]] == [made[10]]
    assert second["next_cursor"] is None
    # The list carries no story: that is for the complaint's own read.
    assert "description" not in second["items"][0]
    through = api.get(f"{URL}/complaints", {"recruiter": str(recruiter.pk)}).json()
    assert [c["id"] for c in through["items"]] == [made[12]]
    assert fields(api.get(f"{URL}/complaints", {"type": "theft"})) == {"type"}
    assert fields(api.get(f"{URL}/complaints", {"cursor": "nonsense"})) == {"cursor"}


def test_a_complaint_moves_through_its_statuses(api, case, employer):
    created = create(api, case, api_body("unpaid_wages", employer, None)).json()
    url = f"{URL}/complaints/{created['id']}/status"
    assert fields(post(api, url, {"status": "referred", "on": "2026-02-25"})) == {
        "referred_to"
    }
    assert fields(post(api, url, {"status": "closed", "on": "2026-02-25"})) == {
        "status"
    }
    moved = post(
        api, url, {"status": "referred", "on": "2026-02-25", "referred_to": "court"}
    )
    assert moved.status_code == 200
    assert (moved.json()["status"], moved.json()["referred_to"]) == (
        "referred",
        "court",
    )
    resolved = post(
        api,
        url,
        {
            "status": "resolved",
            "on": "2026-02-28",
            "outcome": "Settled before the court.",
            "amount_recovered": "12400.00",
        },
    )
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["resolved_on"] == "2026-02-28"
    assert resolved.json()["outcome"] == "Settled before the court."
    assert Decimal(str(resolved.json()["amount_recovered"])) == Decimal("12400")
    closed = post(api, url, {"status": "closed", "on": "2026-03-01"})
    assert closed.json()["closed_on"] == "2026-03-01"


def test_a_checklist_records_its_findings(api, case):
    response = post(api, f"{URL}/cases/{case.pk}/checklists", CHECKLIST)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert {k: answer[k] for k in CHECKLIST} == CHECKLIST
    assert [(f["field"], f["article"]) for f in answer["findings"]] == [
        ("keeps_documents", "ILO C189 art. 9(c)"),
        ("paid_monthly", "ILO C189 art. 12(1)"),
    ]
    assert answer["findings"][0]["complaint_type"] == "document_retention"
    assert Obligation.objects.filter(
        case=case, rule_id="labour.trafficking_screening"
    ).exists()
    future = CHECKLIST | {"recorded_on": "2026-03-05"}
    assert fields(post(api, f"{URL}/cases/{case.pk}/checklists", future)) == {
        "recorded_on"
    }
    missing = {k: v for k, v in CHECKLIST.items() if k != "weekly_rest"}
    assert fields(post(api, f"{URL}/cases/{case.pk}/checklists", missing)) == {
        "weekly_rest"
    }
    assert Checklist.objects.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "statistician", "enforcer"])
def test_those_who_do_not_see_the_case_get_404(
    client, request, persona, case, caseworker, employer
):
    complaint = create(
        as_client(client, caseworker), case, api_body("unpaid_wages", employer, None)
    ).json()
    client = as_client(client, request.getfixturevalue(persona))
    answers = [
        client.get(f"{URL}/complaints/{complaint['id']}"),
        post(
            client,
            f"{URL}/complaints/{complaint['id']}/status",
            {"status": "mediation", "on": "2026-02-25"},
        ),
        create(client, case, api_body("excessive_hours", employer, None)),
        post(client, f"{URL}/cases/{case.pk}/checklists", CHECKLIST),
        client.get(f"{URL}/complaints", {"employer": str(employer.pk)}),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    lists = [client.get(f"{URL}/complaints"), client.get(f"{URL}/employers")]
    if persona == "outsider":
        # Their own agency's lists: none of agency A's.
        assert [a.json()["items"] for a in lists] == [[], []]
        assert (
            post(
                client,
                f"{URL}/employers",
                {"kind": "employer", "name": "X", "country": "MEX"},
            ).status_code
            == 201
        )
    else:
        assert [a.status_code for a in lists] == [404, 404]
        assert (
            post(
                client,
                f"{URL}/employers",
                {"kind": "employer", "name": "X", "country": "MEX"},
            ).status_code
            == 404
        )
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().status == "received"
    assert not Checklist.objects.exists()


def test_a_colleague_who_does_not_see_the_case_gets_404(
    client, api, agency, case, employer
):
    complaint = create(api, case, api_body("unpaid_wages", employer, None)).json()
    colleague = UserFactory(username="clara", agency=agency, role=User.Role.CASEWORKER)
    client = as_client(client, colleague)
    assert client.get(f"{URL}/complaints/{complaint['id']}").status_code == 404
    listed = client.get(f"{URL}/complaints", {"employer": str(employer.pk)})
    assert listed.json()["items"] == []


def test_a_closed_case_takes_no_new_complaint(api, case, caseworker, employer):
    from amparo.cases.actions import close_case

    close_case(case, acting_user=caseworker, reason="goals_met")
    response = create(api, case, api_body("excessive_hours", employer, None))
    assert fields(response) == {"status"}
    assert not Complaint.objects.exists()
