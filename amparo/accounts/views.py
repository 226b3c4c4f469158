"""Login and logout, with their audit events. Django's views do the work."""

import base64
import time
from typing import Any
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from amparo.accounts import two_factor
from amparo.accounts.forms import CodeForm, VerifyForm
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
            codes = two_factor.issue_recovery_codes(user)
            return _show_codes(request, codes, _next(request))
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
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_second_factor(
            request, user, form.cleaned_data["code"]
        )
        if device is not None:
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You logged in with a recovery code; %(left)d is left. "
                        "Make new ones under Recovery codes.",
                        "You logged in with a recovery code; %(left)d are left. "
                        "Make new ones under Recovery codes.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        form.add_error("code", _("This code does not match."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes for the logged-in user, replacing the old ones. Only from a
    session verified with a second factor: a password alone must never mint them."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required)
    if not two_factor.has_second_factor(user):
        return redirect("accounts:two_factor_setup")
    if not user.is_verified():  # type: ignore[attr-defined]
        verify = reverse("accounts:two_factor_verify")
        return redirect(f"{verify}?next={quote(request.path)}")
    if request.method == "POST":
        codes = two_factor.issue_recovery_codes(user)
        return _show_codes(request, codes, resolve_url("web:dashboard"))
    left = two_factor.recovery_codes_left(user)
    return render(request, "accounts/recovery_codes.html", {"left": left})


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    # Shown in this answer only: not kept in the session, not cached by the browser.
    response = render(
        request,
        "accounts/recovery_codes_issued.html",
        {"codes": codes, "next_url": next_url},
    )
    add_never_cache_headers(response)
    return response
