"""Two-factor login: every account links an authenticator before it sees anything,
and enters a code at each login."""

import time
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _require_2fa(settings):
    settings.AMPARO_REQUIRE_2FA = True


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _later(seconds=30):
    """After a wrong code django-otp makes the next try wait (1 s, 2 s, 4 s…)."""
    return time_machine.travel(
        datetime.fromtimestamp(time.time() + seconds, UTC), tick=True
    )


def _login(client, username="carmen"):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def test_a_new_account_must_set_up_an_authenticator_before_anything(client, caseworker):
    _login(client)
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/two-factor/"
    )
    setup = client.get("/accounts/two-factor/setup/")
    assert setup.status_code == 200
    assert 'src="data:image/svg+xml' in setup.content.decode()
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    assert (
        client.post("/accounts/two-factor/setup/", {"code": "000000"}).status_code
        == 200
    )
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()
    with _later():
        confirmed = client.post(
            "/accounts/two-factor/setup/?next=/people/", {"code": _code(device)}
        )
        # The end of setup shows the recovery codes, then goes on to `next`.
        assert confirmed.status_code == 200
        assert 'href="/people/"' in confirmed.content.decode()
        assert client.get("/people/").status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.enabled", actor=caseworker
    ).exists()


def test_each_login_asks_for_a_code(client, caseworker):
    device = TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    _login(client)
    assert client.get("/").status_code == 302
    wrong = client.post("/accounts/two-factor/", {"code": "123456"})
    assert "This code does not match." in wrong.content.decode()
    assert client.get("/").status_code == 302
    with _later():
        client.post("/accounts/two-factor/", {"code": _code(device)})
        assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.failed", actor=caseworker
    ).exists()


def test_the_api_refuses_an_unverified_session_but_takes_tokens(api, caseworker):
    browser = Client()
    _login(browser)
    assert browser.get("/api/v1/persons/").status_code == 403
    assert api.get("/api/v1/persons/").status_code == 200


def test_next_never_leaves_the_site(client, caseworker):
    device = TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    _login(client)
    response = client.post(
        "/accounts/two-factor/?next=https://evil.example/", {"code": _code(device)}
    )
    assert response["Location"] == "/"


def test_a_lost_authenticator_is_reset_from_the_command_line(
    client, caseworker, capsys
):
    from django.core.management import CommandError, call_command

    TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    call_command("resettwofactor", "carmen")
    assert "Removed 1 authenticator(s)" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert AuditEvent.objects.filter(action="accounts.two_factor.reset").exists()
    _login(client)
    assert client.get("/accounts/two-factor/").status_code == 302  # to setup
    with pytest.raises(CommandError, match="No user is called 'ghost'"):
        call_command("resettwofactor", "ghost")
