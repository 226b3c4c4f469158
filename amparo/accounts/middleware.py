"""A session ends after a period without activity, and in any case some hours after
login: a case file left open on a shared computer closes itself."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

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
