"""Lockout after repeated failed logins, with a back-off that doubles each time the
same account is locked out again within a day (django-axes does the counting)."""

import unicodedata
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from amparo.audit.actions import record_raw

FIRST_COOL_OFF = timedelta(minutes=15)
LONGEST_COOL_OFF = timedelta(hours=24)


def cool_off(request: HttpRequest | None) -> timedelta:
    """15 minutes after the first lockout, then 30, 60… up to a day, counted over the
    failures of the last 24 hours for the username tried."""
    from axes.models import AccessFailureLog

    username = _username(request)
    if not username:
        return FIRST_COOL_OFF
    since = timezone.now() - timedelta(hours=24)
    failures: int = AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=since
    ).count()
    # +1: django-axes asks while handling a failure it has not logged yet.
    lockouts = max(1, (failures + 1) // int(settings.AXES_FAILURE_LIMIT))
    return min(FIRST_COOL_OFF * (1 << (lockouts - 1)), LONGEST_COOL_OFF)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    username = _username(request)
    record_raw(
        None,
        "accounts.user.locked_out",
        subject_type="accounts.user",
        subject_id=username[:64],
    )
    minutes = int(cool_off(request).total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _username(request: HttpRequest | None) -> str:
    """The username as the login form cleans it (NFKC, no surrounding space), which is
    also how the failures are logged: "carmen " must count as "carmen"."""
    if request is None:
        return ""
    return username_of(request)


def username_of(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """For django-axes: the same cleaned username whether it reads the form's
    credentials or the raw request, so every spelling of a name counts as one."""
    raw = (credentials or {}).get("username") or (
        request.POST.get("username", "") if request else ""
    )
    return unicodedata.normalize("NFKC", str(raw)).strip()
