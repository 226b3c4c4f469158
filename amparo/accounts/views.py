"""Login and logout, with their audit events. Django's views do the work."""

import base64
import time
from typing import Any

import segno
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from amparo.accounts import two_factor
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


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return resolve_url("web:dashboard")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required)
    if two_factor.has_second_factor(user):
        return redirect("accounts:two_factor_verify")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_device(request, user, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code",
            _("This code does not match. Check the time on your phone and try again."),
        )
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {"form": form, "qr_data_uri": qr, "secret": secret}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required)
    if not two_factor.has_second_factor(user):
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify_second_factor(request, user, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _("This code does not match."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})
