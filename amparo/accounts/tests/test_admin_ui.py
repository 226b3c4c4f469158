"""User management by an agency's administrator: the users of their own agency only,
no system administrator granted or touched, no lockout of themselves, every change
audited with the fields changed."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts import actions, two_factor
from amparo.accounts.actions import issue_api_token
from amparo.accounts.models import Team, User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

STRONG = "a-long-enough-passphrase"
NOT_ADMINS = (
    "caseworker",
    "supervisor",
    "statistician",
    "legal_officer",
    "dpo",
    "sysadmin",
    "outsider",
    "enforcer",
)


@pytest.fixture
def admin_client(client, agency_admin):
    client.force_login(agency_admin)
    return client


@pytest.fixture
def other_team(other_agency):
    return Team.objects.create(agency=other_agency, name="Team B")


@pytest.fixture
def other_admin(other_agency):
    return UserFactory(username="bea", agency=other_agency, role="agency_admin")


def _pages(user_id):
    return [
        ("get", "/accounts/users/"),
        ("get", "/accounts/users/new/"),
        ("post", "/accounts/users/new/"),
        ("get", f"/accounts/users/{user_id}/"),
        ("post", f"/accounts/users/{user_id}/"),
        ("post", f"/accounts/users/{user_id}/deactivate/"),
        ("post", f"/accounts/users/{user_id}/reactivate/"),
        ("post", f"/accounts/users/{user_id}/reset-two-factor/"),
    ]


def _new_user(**overrides):
    return {
        "username": "nadia",
        "first_name": "Nadia",
        "last_name": "Haddad",
        "email": "nadia@example.org",
        "role": "caseworker",
        "team": "",
        "password": STRONG,
        **overrides,
    }


def _edit(user, **overrides):
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "team": str(user.team_id or ""),
        **overrides,
    }


def _password_login():
    return Client().post(
        "/accounts/login/",
        {"username": "carmen", "password": "correct-horse-battery"},
    )


def _snapshot():
    return sorted(
        User.objects.values_list(
            "username", "role", "team_id", "email", "is_active", "agency_id"
        )
    )


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_nobody_but_the_agency_admin_reaches_the_pages(
    client, request, caseworker, persona
):
    client.force_login(request.getfixturevalue(persona))
    before = _snapshot()
    for method, url in _pages(caseworker.pk):
        data = _new_user() if method == "post" else {}
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (persona, method, url)
    assert _snapshot() == before
    assert AuditEvent.objects.filter(action="access.denied").count() == 8


def test_anonymous_is_sent_to_log_in(client, caseworker):
    for method, url in _pages(caseworker.pk):
        response = getattr(client, method)(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_an_admin_of_another_agency_gets_404_and_changes_nothing(
    client, caseworker, other_admin
):
    client.force_login(other_admin)
    TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    before = _snapshot()
    assert client.get("/accounts/users/").status_code == 200
    for method, url in _pages(caseworker.pk)[3:]:
        response = getattr(client, method)(url, _edit(caseworker, role="supervisor"))
        assert response.status_code == 404, url
    assert _snapshot() == before
    assert TOTPDevice.objects.filter(user=caseworker).exists()
    denied = AuditEvent.objects.filter(action="access.denied", actor=other_admin)
    assert {e.subject_id for e in denied} == {str(caseworker.pk)}
    with pytest.raises(PermissionError):
        actions.update_user(
            caseworker,
            acting_user=other_admin,
            role="supervisor",
            team=None,
            email="",
            first_name="",
            last_name="",
        )
    with pytest.raises(PermissionError):
        actions.deactivate_user(caseworker, acting_user=other_admin)


def test_the_list_shows_the_agencys_users_only(
    admin_client, agency_admin, caseworker, supervisor, outsider
):
    caseworker.last_login = caseworker.date_joined
    caseworker.save()
    TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=supervisor, name="new", confirmed=False)
    response = admin_client.get("/accounts/users/")
    page = response.content.decode()
    assert ">carmen</a>" in page and ">samir</a>" in page and ">ahmed</a>" in page
    assert "omar" not in page
    users = {u.username: u for u in response.context["users"]}
    assert set(users) == {"ahmed", "carmen", "samir"}
    assert users["carmen"].has_authenticator
    assert not users["samir"].has_authenticator  # not confirmed: not linked
    row = re.search(
        r"<tr>\s*<td><bdi>[^<]*</bdi></td>\s*<td><a[^>]*>carmen</a>.*?</tr>", page, re.S
    )
    assert row and "Team A" in row.group() and "Case worker" in row.group()


def test_the_navigation_links_the_users_page_for_admins_only(
    admin_client, client, caseworker
):
    assert 'href="/accounts/users/"' in admin_client.get("/").content.decode()
    client.force_login(caseworker)
    assert 'href="/accounts/users/"' not in client.get("/").content.decode()


def test_an_admin_creates_a_user_with_a_password(admin_client, agency_admin, team):
    response = admin_client.post(
        "/accounts/users/new/", _new_user(team=str(team.pk), role="supervisor")
    )
    nadia = User.objects.get(username="nadia")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{nadia.pk}/"
    assert (nadia.agency, nadia.role, nadia.team) == (
        agency_admin.agency,
        "supervisor",
        team,
    )
    assert nadia.check_password(STRONG) and nadia.is_active
    event = AuditEvent.objects.get(action="accounts.user.created")
    assert event.actor == agency_admin and event.subject_id == str(nadia.pk)
    assert event.data == {
        "role": "supervisor",
        "team": str(team.pk),
        "fields": ["email", "first_name", "last_name"],
    }
    assert STRONG not in str(event.data)


def test_an_admin_creates_a_user_with_a_password_shown_once(admin_client, agency_admin):
    response = admin_client.post("/accounts/users/new/", _new_user(password=""))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = re.search(
        r'<code id="initial-password"[^>]*>([^<]+)</code>', response.content.decode()
    )
    assert shown
    nadia = User.objects.get(username="nadia")
    assert nadia.check_password(shown.group(1)) and len(shown.group(1)) >= 20
    assert shown.group(1) not in nadia.password  # stored as a hash only
    assert shown.group(1) not in str(
        list(AuditEvent.objects.values_list("data", flat=True))
    )
    page = admin_client.get(f"/accounts/users/{nadia.pk}/").content.decode()
    assert shown.group(1) not in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "1234567890123"}, "password"),
        ({"username": "carmen"}, "username"),
        ({"username": "no spaces"}, "username"),
        ({"username": ""}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"role": "sysadmin"}, "role"),
        ({"role": "boss"}, "role"),
        ({"team": "other"}, "team"),
    ],
)
def test_bad_input_gives_field_errors_and_creates_nothing(
    admin_client, caseworker, other_team, change, field
):
    if change.get("team") == "other":
        change = {"team": str(other_team.pk)}
    before = _snapshot()
    response = admin_client.post("/accounts/users/new/", _new_user(**change))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(action="accounts.user.created").exists()


def test_the_role_menu_offers_no_system_administrator(admin_client, caseworker):
    for url in ("/accounts/users/new/", f"/accounts/users/{caseworker.pk}/"):
        page = admin_client.get(url).content.decode()
        assert 'value="agency_admin"' in page
        assert 'value="sysadmin"' not in page


def test_an_admin_changes_a_users_role_and_team(admin_client, agency_admin, caseworker):
    new_team = Team.objects.create(agency=agency_admin.agency, name="Team Z")
    response = admin_client.post(
        f"/accounts/users/{caseworker.pk}/",
        _edit(caseworker, role="legal_officer", team=str(new_team.pk)),
    )
    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert (caseworker.role, caseworker.team) == ("legal_officer", new_team)
    event = AuditEvent.objects.get(action="accounts.user.updated")
    assert event.actor == agency_admin and event.subject_id == str(caseworker.pk)
    assert event.data == {
        "fields": ["role", "team"],
        "role": "legal_officer",
        "team": str(new_team.pk),
    }
    # Saving again without a change records nothing.
    admin_client.post(f"/accounts/users/{caseworker.pk}/", _edit(caseworker))
    assert AuditEvent.objects.filter(action="accounts.user.updated").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "sysadmin"}, "role"),
        ({"team": "other"}, "team"),
        ({"email": "@@"}, "email"),
        ({"first_name": "x" * 151}, "first_name"),
    ],
)
def test_bad_edits_give_field_errors_and_change_nothing(
    admin_client, caseworker, other_team, change, field
):
    if change.get("team") == "other":
        change = {"team": str(other_team.pk)}
    before = _snapshot()
    response = admin_client.post(
        f"/accounts/users/{caseworker.pk}/", _edit(caseworker, **change)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(action="accounts.user.updated").exists()


def test_the_actions_refuse_what_the_forms_do_not_offer(
    agency_admin, caseworker, other_team
):
    with pytest.raises(PermissionError):
        actions.update_user(
            caseworker,
            acting_user=agency_admin,
            role="sysadmin",
            team=None,
            email="",
            first_name="",
            last_name="",
        )
    with pytest.raises(PermissionError):
        actions.add_user("x", acting_user=agency_admin, role="sysadmin")
    with pytest.raises(PermissionError):
        actions.add_user("x", acting_user=caseworker, role="caseworker")
    with pytest.raises(actions.ValidationError) as error:
        actions.update_user(
            caseworker,
            acting_user=agency_admin,
            role="caseworker",
            team=other_team,
            email="",
            first_name="",
            last_name="",
        )
    assert "team" in error.value.message_dict
    caseworker.refresh_from_db()
    assert caseworker.role == "caseworker" and caseworker.team.name == "Team A"


def test_an_admin_cannot_change_their_own_role(admin_client, agency_admin):
    url = f"/accounts/users/{agency_admin.pk}/"
    page = admin_client.get(url).content.decode()
    assert re.search(r'<select name="role"[^>]* disabled', page)
    # A forged value for the disabled field is ignored; the names still save.
    admin_client.post(url, _edit(agency_admin, role="caseworker", last_name="Ali"))
    agency_admin.refresh_from_db()
    assert (agency_admin.role, agency_admin.last_name) == ("agency_admin", "Ali")
    with pytest.raises(PermissionError):
        actions.update_user(
            agency_admin,
            acting_user=agency_admin,
            role="dpo",
            team=None,
            email="",
            first_name="",
            last_name="",
        )
    agency_admin.refresh_from_db()
    assert agency_admin.role == "agency_admin"


def test_a_system_administrator_is_shown_but_not_managed(admin_client, sysadmin):
    TOTPDevice.objects.create(user=sysadmin, name="phone", confirmed=True)
    url = f"/accounts/users/{sysadmin.pk}/"
    page = admin_client.get(url).content.decode()
    assert (
        "managed with the command line" in page
        and '<form method="post" novalidate>' not in page
    )
    before = _snapshot()
    assert admin_client.post(url, _edit(sysadmin, role="caseworker")).status_code == 403
    for action in ("deactivate", "reset-two-factor"):
        assert admin_client.post(f"{url}{action}/").status_code == 403
    assert _snapshot() == before
    assert TOTPDevice.objects.filter(user=sysadmin).exists()


def test_deactivating_stops_login_and_tokens_and_keeps_the_user(
    admin_client, client, agency_admin, caseworker
):
    token, raw = issue_api_token(caseworker, name="t", acting_user=caseworker)
    worker = Client()
    worker.force_login(caseworker)
    assert worker.get("/people/").status_code == 200
    response = admin_client.post(f"/accounts/users/{caseworker.pk}/deactivate/")
    assert response.status_code == 302
    caseworker.refresh_from_db()
    token.refresh_from_db()
    assert not caseworker.is_active and token.revoked_at is not None
    event = AuditEvent.objects.get(action="accounts.user.deactivated")
    assert event.actor == agency_admin
    assert event.data == {"fields": ["is_active"], "tokens_revoked": 1}
    assert _password_login().status_code == 200  # the form again: refused
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/persons/").status_code == 401
    # The session open on their computer ends too.
    assert "/accounts/login/" in worker.get("/people/")["Location"]
    # Again: nothing to do, nothing recorded.
    admin_client.post(f"/accounts/users/{caseworker.pk}/deactivate/")
    assert AuditEvent.objects.filter(action="accounts.user.deactivated").count() == 1
    # Reactivated, the user logs in again.
    admin_client.post(f"/accounts/users/{caseworker.pk}/reactivate/")
    caseworker.refresh_from_db()
    assert caseworker.is_active
    assert AuditEvent.objects.get(action="accounts.user.updated").data == {
        "fields": ["is_active"]
    }
    assert _password_login().status_code == 302


def test_an_admin_cannot_deactivate_themselves(admin_client, agency_admin):
    url = f"/accounts/users/{agency_admin.pk}/"
    assert "/deactivate/" not in admin_client.get(url).content.decode()
    assert admin_client.post(f"{url}deactivate/").status_code == 403
    agency_admin.refresh_from_db()
    assert agency_admin.is_active
    assert not AuditEvent.objects.filter(action="accounts.user.deactivated").exists()


def test_deactivation_is_a_post(admin_client, caseworker):
    url = f"/accounts/users/{caseworker.pk}/deactivate/"
    assert admin_client.get(url).status_code == 405
    caseworker.refresh_from_db()
    assert caseworker.is_active


def test_resetting_the_second_factor_forgets_the_app_and_the_codes(
    admin_client, agency_admin, caseworker
):
    TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    two_factor.issue_recovery_codes(caseworker)
    response = admin_client.post(f"/accounts/users/{caseworker.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert not StaticDevice.objects.filter(user=caseworker).exists()
    event = AuditEvent.objects.get(action="accounts.user.two_factor_reset")
    assert event.actor == agency_admin and event.subject_id == str(caseworker.pk)
    assert event.data == {"devices": 1}


def test_the_forms_keep_hostile_text_verbatim_and_escaped(admin_client, caseworker):
    hostile = "<script>alert(1)</script>"
    admin_client.post(
        f"/accounts/users/{caseworker.pk}/", _edit(caseworker, last_name=hostile)
    )
    caseworker.refresh_from_db()
    assert caseworker.last_name == hostile
    page = admin_client.get("/accounts/users/").content.decode()
    assert hostile not in page and "&lt;script&gt;" in page


def test_an_unknown_or_malformed_user_is_404(admin_client):
    assert admin_client.get("/accounts/users/999999/").status_code == 404
    assert admin_client.get("/accounts/users/abc/").status_code == 404
