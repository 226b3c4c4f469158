"""Recovery codes: ten single-use codes, shown once, that stand in for the
authenticator app when the phone is lost."""

import re
import time
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts import two_factor
from amparo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
CODE = re.compile(r'<li class="col-6 font-monospace fs-5 mb-1">([a-z2-7]{8})</li>')


@pytest.fixture(autouse=True)
def _require_2fa(settings):
    settings.AMPARO_REQUIRE_2FA = True


@pytest.fixture
def phone(caseworker):
    return TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _later(seconds=30):
    """After a wrong code django-otp makes the next try wait (1 s, 2 s, 4 s…)."""
    return time_machine.travel(
        datetime.fromtimestamp(time.time() + seconds, UTC), tick=True
    )


def _login(client, username="carmen"):
    response = client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302


def _verify(client, code):
    return client.post("/accounts/two-factor/?next=/people/", {"code": code})


def _shown_codes(response):
    return CODE.findall(response.content.decode())


def test_setting_up_the_app_ends_with_ten_codes_shown_once(client, caseworker):
    _login(client)
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    response = client.post(
        "/accounts/two-factor/setup/?next=/cases/", {"code": _code(device)}
    )
    assert response.status_code == 200
    codes = _shown_codes(response)
    assert len(set(codes)) == 10
    assert "no-store" in response["Cache-Control"]
    assert 'href="/cases/"' in response.content.decode()
    stored = StaticToken.objects.filter(device__user=caseworker)
    assert sorted(stored.values_list("token", flat=True)) == sorted(codes)
    event = AuditEvent.objects.get(action="accounts.recovery_codes.issued")
    assert event.actor == caseworker and event.data == {"count": 10}
    # Shown once: the page that lists them later gives only the count.
    page = client.get("/accounts/recovery-codes/").content.decode()
    assert "You have 10 unused recovery codes." in page
    assert not any(code in page for code in codes)


def test_a_recovery_code_logs_in_once(client, caseworker, phone):
    first, second, *_ = two_factor.issue_recovery_codes(caseworker)
    _login(client)
    response = _verify(client, f" {first[:4].upper()}-{first[4:]} ")
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    assert two_factor.recovery_codes_left(caseworker) == 9
    used = AuditEvent.objects.get(action="accounts.recovery_code.used")
    assert used.actor == caseworker and used.data == {"remaining": 9}
    assert first not in str(used.data)

    client.post("/accounts/logout/")
    _login(client)
    again = _verify(client, first)
    assert again.status_code == 200
    assert "This code does not match." in again.content.decode()
    assert client.get("/people/").status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.failed", data={"kind": "recovery_code"}
    ).exists()
    with _later():
        assert _verify(client, second).status_code == 302
        assert client.get("/people/").status_code == 200
    assert two_factor.recovery_codes_left(caseworker) == 8


def test_the_page_after_a_recovery_code_says_how_many_are_left(
    client, caseworker, phone
):
    code = two_factor.issue_recovery_codes(caseworker)[0]
    _login(client)
    response = client.post("/accounts/two-factor/", {"code": code}, follow=True)
    assert "You logged in with a recovery code; 9 are left." in (
        response.content.decode()
    )


def test_wrong_recovery_codes_are_slowed_down_without_touching_the_app(
    client, caseworker, phone
):
    code = two_factor.issue_recovery_codes(caseworker)[0]
    _login(client)
    assert _verify(client, "aaaaaaaa").status_code == 200
    # The recovery codes now wait a second: even the right one is refused...
    assert _verify(client, code).status_code == 200
    assert two_factor.recovery_codes_left(caseworker) == 10
    # ...while the authenticator, a device of its own, was not slowed down.
    assert _verify(client, _code(phone)).status_code == 302
    phone.refresh_from_db()
    assert phone.throttling_failure_count == 0


def test_new_codes_replace_the_old_ones(client, caseworker, phone):
    old = two_factor.issue_recovery_codes(caseworker)
    _login(client)
    assert _verify(client, _code(phone)).status_code == 302
    page = client.get("/accounts/recovery-codes/")
    assert "You have 10 unused recovery codes." in page.content.decode()
    response = client.post("/accounts/recovery-codes/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new = _shown_codes(response)
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticDevice.objects.filter(user=caseworker).count() == 1
    assert sorted(
        StaticToken.objects.filter(device__user=caseworker).values_list(
            "token", flat=True
        )
    ) == sorted(new)
    assert (
        AuditEvent.objects.filter(action="accounts.recovery_codes.issued").count() == 2
    )
    # The session verified before stays verified.
    assert client.get("/people/").status_code == 200
    client.post("/accounts/logout/")
    _login(client)
    assert _verify(client, old[0]).status_code == 200
    with _later():
        assert _verify(client, new[0]).status_code == 302


def test_a_password_alone_cannot_make_recovery_codes(client, caseworker, phone):
    """The two-factor pages are open to a session not yet verified; this one is not
    among them, and refuses such a session itself too."""
    _login(client)
    for response in (
        client.get("/accounts/recovery-codes/"),
        client.post("/accounts/recovery-codes/"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/")
    assert not StaticToken.objects.exists()


def test_the_page_itself_checks_the_session_is_verified(
    client, settings, caseworker, phone
):
    settings.AMPARO_REQUIRE_2FA = False
    client.force_login(caseworker)
    response = client.post("/accounts/recovery-codes/")
    assert response.status_code == 302
    assert (
        response["Location"] == "/accounts/two-factor/?next=/accounts/recovery-codes/"
    )
    assert not StaticToken.objects.exists()


def test_without_an_app_there_are_no_recovery_codes(client, settings, caseworker):
    settings.AMPARO_REQUIRE_2FA = False
    client.force_login(caseworker)
    response = client.post("/accounts/recovery-codes/")
    assert response["Location"] == "/accounts/two-factor/setup/"
    with pytest.raises(PermissionError):
        two_factor.issue_recovery_codes(caseworker)
    assert not StaticToken.objects.exists()


def test_the_outsider_cannot_use_anothers_codes(client, caseworker, outsider, phone):
    TOTPDevice.objects.create(user=outsider, name="phone", confirmed=True)
    code = two_factor.issue_recovery_codes(caseworker)[0]
    _login(client, "omar")
    assert _verify(client, code).status_code == 200
    assert two_factor.recovery_codes_left(caseworker) == 10


def test_the_reset_command_forgets_the_recovery_codes_too(caseworker, phone):
    two_factor.issue_recovery_codes(caseworker)
    call_command("resettwofactor", "carmen")
    assert not StaticDevice.objects.filter(user=caseworker).exists()
    assert not StaticToken.objects.exists()
