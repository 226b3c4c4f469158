"""A session ends after a period without activity, and in any case some hours after
login: a case file left open on a shared computer closes itself."""

import time
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from amparo.audit.actions import record_raw

# Refreshing the expiry writes the session; once a minute is enough.
REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("amparo_started_at", now)
            if now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif now - session.get("amparo_refreshed_at", 0) > REFRESH_SECONDS:
                session.set_expiry(settings.AMPARO_SESSION_IDLE_SECONDS)
                session["amparo_refreshed_at"] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """With AMPARO_REQUIRE_2FA, a logged-in session reaches nothing but the two-factor
    pages, logout and the language switch until a one-time code has been entered.
    API calls with a bearer token are not sessions and pass (tokens are issued per
    user, scoped and expiring)."""

    OPEN = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.AMPARO_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(self.OPEN)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Two-factor login is required."}, status=403
                )
            return redirect(
                f"{reverse('accounts:two_factor_verify')}?next={quote(request.get_full_path())}"
            )
        return self.get_response(request)


class DenialAuditMiddleware:
    """A refused action on a record the user may see (403) is audited, like a refused
    access (404, recorded where the record is looked up): the data-protection officer
    sees who tried to do what they may not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied):
            record_forbidden(request)
        return None


def record_forbidden(request: HttpRequest) -> None:
    user = request.user if request.user.is_authenticated else None
    record_raw(
        user,
        "access.forbidden",
        subject_type="url",
        subject_id=request.path[:64],
        data={"method": request.method or ""},
    )
