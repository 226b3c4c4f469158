"""Brute force is locked out with back-off; idle sessions end; pages carry a strict
Content Security Policy."""

import pytest
import time_machine

from amparo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = (
    "correct-horse-battery"  # the personas' password (accounts/tests/factories.py)
)


def _try(client, password, username="carmen"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client, caseworker):
    for _ in range(4):
        assert _try(client, "guess").status_code == 200
    locked = _try(client, "guess")
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    assert _try(client, PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(
        action="accounts.user.locked_out", subject_id="carmen"
    ).exists()
    # Every refused attempt is a failed login, the ones refused by the lock too.
    assert AuditEvent.objects.filter(action="accounts.user.login_failed").count() == 6


def test_the_lockout_ends_after_its_cool_off_and_doubles_next_time(client, caseworker):
    with time_machine.travel("2026-11-30 10:00Z", tick=False):
        for _ in range(5):
            _try(client, "guess")
    with time_machine.travel("2026-11-30 10:16Z", tick=False):
        for _ in range(5):
            response = _try(client, "guess")
        assert "locked for 30 minutes" in response.content.decode()
    with time_machine.travel("2026-11-30 10:47Z", tick=False):
        assert _try(client, PASSWORD).status_code == 302


def test_another_account_is_not_locked_by_someone_elses_failures(
    client, caseworker, supervisor
):
    for _ in range(5):
        _try(client, "guess")
    assert _try(client, PASSWORD, username="samir").status_code == 302


def test_an_idle_session_ends(client, caseworker, settings):
    settings.AMPARO_SESSION_IDLE_SECONDS = 600
    with time_machine.travel("2026-11-30 10:00Z", tick=False):
        assert _try(client, PASSWORD).status_code == 302
        assert client.get("/").status_code == 200
    with time_machine.travel("2026-11-30 10:09Z", tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel("2026-11-30 10:30Z", tick=False):
        response = client.get("/")
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_a_session_ends_some_hours_after_login_even_if_busy(
    client, caseworker, settings
):
    settings.SESSION_COOKIE_AGE = 3600
    settings.AMPARO_SESSION_IDLE_SECONDS = 1800
    with time_machine.travel("2026-11-30 10:00Z", tick=False):
        _try(client, PASSWORD)
    for minute in (20, 40, 59):
        with time_machine.travel(f"2026-11-30 10:{minute}Z", tick=False):
            assert client.get("/").status_code == 200
    with time_machine.travel("2026-11-30 11:05Z", tick=False):
        assert client.get("/").status_code == 302


def test_pages_carry_a_strict_content_security_policy(client, caseworker):
    client.force_login(caseworker)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    docs = client.get("/api/docs/").headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs
    assert "script-src 'self'" in docs


def test_a_trailing_space_or_a_strangers_failure_does_not_lift_the_lock(
    client, caseworker
):
    with time_machine.travel("2026-11-30 10:00Z", tick=False):
        for _ in range(5):
            _try(client, "guess", username="carmen ")
    with time_machine.travel("2026-11-30 10:16Z", tick=False):
        for _ in range(5):
            response = _try(client, "guess", username="carmen ")
        assert "locked for 30 minutes" in response.content.decode()
    with time_machine.travel("2026-11-30 10:32Z", tick=False):
        _try(client, "guess", username="nobody-at-all")
        assert _try(client, PASSWORD).status_code == 429
