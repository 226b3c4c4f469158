"""Every URL of the application × every persona → the expected answer.

The routes are read from the URL configuration: a new page or endpoint without an
entry in POLICY fails `test_every_route_has_a_policy`, so none ships unexamined.

Personas (conftest.py): the case worker and the supervisor of agency A; the roles of
agency A that see no case content (statistician, legal officer, agency administrator,
data-protection officer, system administrator); an outsider (case worker of agency B);
an enforcement agency's supervisor (behind the firewall); and anonymous.
Every record used belongs to agency A. Expected answers: a status code, or "login"
(a redirect to the login page).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from amparo.accounts.actions import issue_api_token
from amparo.cases.actions import close_case
from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import make_person

# Roles that see no case content answer like the statistician.
NO_CASE_CONTENT = ("statistician", "legal_officer", "agency_admin", "dpo", "sysadmin")
PERSONAS = (
    "caseworker",
    "supervisor",
    *NO_CASE_CONTENT,
    "outsider",
    "enforcer",
    "anonymous",
)


@dataclass
class Context:
    """What a rule's `setup` gets: agency A's case (assigned to the case worker), a
    second person, and a way to get any persona or fixture by name."""

    case: Any
    other: Any
    fixture: Callable[[str], Any]


@dataclass
class Rule:
    method: str
    expect: dict[str, int | str]
    data: dict[str, Any] = field(default_factory=dict)
    closed_case: bool = False  # the case must be closed first (reopening)
    # Creates what the route needs beyond the case and its person (a referral, an
    # export request...) and returns values for the route's other parameters.
    setup: Callable[[Context], dict[str, str]] | None = None


def _web(
    ok: int, *, others: int | str = 404, outsider: int | str | None = None
) -> dict[str, int | str]:
    return {
        "caseworker": ok,
        "supervisor": ok,
        **dict.fromkeys(NO_CASE_CONTENT, others),
        "outsider": others if outsider is None else outsider,
        # Behind the firewall: an enforcement agency's supervisor sees nothing.
        "enforcer": others,
        "anonymous": "login",
    }


def _api(
    ok: int, *, statistician: int = 404, outsider: int = 404
) -> dict[str, int | str]:
    return {
        "caseworker": ok,
        "supervisor": ok,
        **dict.fromkeys(NO_CASE_CONTENT, statistician),
        "outsider": outsider,
        "enforcer": statistician,
        "anonymous": 401,
    }


PUBLIC_GET = dict.fromkeys(PERSONAS, 200)
CASE_BODY = {
    "person_id": "{person}",
    "types": ["general"],
    "risk": "low",
    "reason": "x",
}

POLICY: dict[tuple[str, str], Rule] = {
    ("i18n/setlang/", "set_language"): Rule(
        "post", dict.fromkeys(PERSONAS, 302), {"language": "fr"}
    ),
    ("accounts/login/", "login"): Rule(
        "get", dict.fromkeys(PERSONAS, 302) | {"anonymous": 200}
    ),
    ("accounts/logout/", "logout"): Rule("post", dict.fromkeys(PERSONAS, 302)),
    # Every account sets up its own second factor (no device yet: verify sends to setup).
    ("accounts/two-factor/setup/", "two_factor_setup"): Rule(
        "get", dict.fromkeys(PERSONAS, 200) | {"anonymous": "login"}
    ),
    ("accounts/two-factor/", "two_factor_verify"): Rule(
        "get", dict.fromkeys(PERSONAS, 302) | {"anonymous": "login"}
    ),
    ("", "dashboard"): Rule(
        "get", dict.fromkeys(PERSONAS, 200) | {"anonymous": "login"}
    ),
    # Lists and registration: an outsider uses them for their own agency.
    ("people/", "list"): Rule("get", _web(200, outsider=200)),
    ("people/register/", "register"): Rule("get", _web(200, outsider=200)),
    ("cases/", "list"): Rule("get", _web(200, outsider=200)),
    ("people/<uuid:person_id>/", "detail"): Rule("get", _web(200)),
    ("people/<uuid:person_id>/edit/", "edit"): Rule("get", _web(200)),
    ("cases/open/<uuid:person_id>/", "open"): Rule("get", _web(200)),
    ("cases/<uuid:case_id>/", "detail"): Rule("get", _web(200)),
    ("cases/<uuid:case_id>/<str:change>/", "change"): Rule(
        "post", _web(302), {"body": "x"}
    ),
    # The audit trail: the data-protection officer only.
    ("audit/", "search"): Rule(
        "get", {**dict.fromkeys(PERSONAS, 404), "dpo": 200, "anonymous": "login"}
    ),
    ("api/schema/", "openapi-json"): Rule("get", PUBLIC_GET),
    ("api/docs/", "openapi-view"): Rule("get", PUBLIC_GET),
    ("api/", "api-root"): Rule("get", dict.fromkeys(PERSONAS, 404)),
    ("api/v1/persons/", "list_persons"): Rule(
        "get", _api(200, statistician=200, outsider=200)
    ),
    ("api/v1/persons/", "create_person"): Rule(
        "post",
        _api(201, statistician=403, outsider=201),
        {"names": [{"given_names": "N"}]},
    ),
    ("api/v1/persons/<person_id>", "get_person"): Rule("get", _api(200)),
    ("api/v1/persons/<person_id>", "replace_person"): Rule(
        "put", _api(200), {"names": [{"given_names": "N"}]}
    ),
    ("api/v1/cases/", "list_cases"): Rule(
        "get", _api(200, statistician=200, outsider=200)
    ),
    ("api/v1/cases/", "create_case"): Rule("post", _api(201), CASE_BODY),
    ("api/v1/cases/<case_id>", "get_case"): Rule("get", _api(200)),
    ("api/v1/cases/<case_id>/notes", "list_notes"): Rule("get", _api(200)),
    ("api/v1/cases/<case_id>/notes", "create_note"): Rule(
        "post", _api(201), {"body": "x"}
    ),
    ("api/v1/cases/<case_id>/status", "set_status"): Rule(
        "post", _api(200), {"status": "assessed"}
    ),
    ("api/v1/cases/<case_id>/assign", "assign"): Rule(
        "post", _api(200), {"assigned_to": None}
    ),
    ("api/v1/cases/<case_id>/close", "close"): Rule(
        "post", _api(200), {"reason": "goals_met"}
    ),
    ("api/v1/cases/<case_id>/members", "add_member"): Rule(
        "post", _api(201), {"person_id": "{other}", "relationship": "child"}
    ),
    ("api/v1/cases/<case_id>/risk", "set_risk"): Rule(
        "post", _api(200), {"risk": "high"}
    ),
    ("api/v1/cases/<case_id>/reopen", "reopen"): Rule(
        "post", _api(200), {"reason": "x"}, closed_case=True
    ),
    ("api/v1/cases/<case_id>/timeline", "case_timeline"): Rule("get", _api(200)),
}


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def test_every_route_has_a_policy():
    missing = sorted(set(_routes()) - set(POLICY))
    assert not missing, f"routes without an access policy: {missing}"
    stale = sorted(set(POLICY) - set(_routes()))
    assert not stale, f"policies for routes that no longer exist: {stale}"


def _fill(value, names):
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "name"), sorted(POLICY))
def test_each_persona_gets_the_expected_answer(
    client,
    request,
    caseworker,
    supervisor,
    statistician,
    outsider,
    persona,
    route,
    name,
):
    rule = POLICY[(route, name)]
    case = make_case(caseworker)
    if rule.closed_case:
        close_case(case, acting_user=caseworker, reason="goals_met")
    other = make_person(caseworker, "Saba", "Tekle")
    names = {
        "person": str(case.primary_person_id),
        "person_id": str(case.primary_person_id),
        "other": str(other.pk),
        "case_id": str(case.pk),
        "change": "note",
    }
    if rule.setup is not None:
        names |= rule.setup(Context(case, other, request.getfixturevalue))
    # "<uuid:case_id>" and "<case_id>" both take names["case_id"].
    url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: names[m.group(1)], route)
    headers = {}
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        if route.startswith("api/v1/"):
            raw = issue_api_token(
                user, name="matrix", acting_user=user, scope="read_write"
            )[1]
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        else:
            client.force_login(user)
    data = _fill(rule.data, names)
    if route.startswith("api/") and rule.method != "get":
        response = getattr(client, rule.method)(
            url, data, content_type="application/json", **headers
        )
    else:
        response = getattr(client, rule.method)(url, data, **headers)
    expected = rule.expect[persona]
    if expected == "login":
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        ), (url, response.status_code)
    else:
        assert response.status_code == expected, (
            url,
            persona,
            response.status_code,
            response.content[:200],
        )
