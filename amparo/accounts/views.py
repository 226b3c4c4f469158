"""Login and logout, with their audit events. Django's views do the work."""

import time
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse

from amparo.accounts.models import User
from amparo.audit.actions import record, record_raw


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The session's absolute limit counts from here (accounts.middleware).
        self.request.session["amparo_started_at"] = int(time.time())
        user = form.get_user()
        record(user, "accounts.user.logged_in", user)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        # The name typed is kept (it is a staff account, or a guess at one); the
        # password never is.
        username = str(form.data.get("username", ""))[:64]
        record_raw(
            None,
            "accounts.user.login_failed",
            subject_type="accounts.user",
            subject_id=username,
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if isinstance(request.user, User):
            record(request.user, "accounts.user.logged_out", request.user)
        return super().post(request, *args, **kwargs)
