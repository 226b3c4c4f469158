"""User management by an agency's administrator: the users of their own agency, no
case content. Everyone else gets 404, as for any page they have no business seeing."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts import actions, forms, queries
from amparo.accounts.decorators import AuthenticatedRequest, denied
from amparo.accounts.models import User
from amparo.core.errors import add_to_form

View = Callable[..., HttpResponse]


def agency_admin_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not queries.manages_users(request.user):  # type: ignore[arg-type]
            raise denied(request)
        return view(request, *args, **kwargs)

    return wrapper


@agency_admin_required
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    users = queries.users_managed_by(request.user)
    return render(request, "accounts/user_list.html", {"users": users})


@agency_admin_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.NewUserForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = actions.add_user(
                data["username"],
                acting_user=request.user,
                role=data["role"],
                password=data["password"],
                team=data["team"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except PermissionError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            add_to_form(form, error)
        else:
            if not password:
                messages.success(request, _("The user is created."))
                return redirect("accounts:user_edit", user_id=user.pk)
            # Shown in this answer only, never stored in clear nor kept in the session.
            response = render(
                request,
                "accounts/user_created.html",
                {"managed": user, "password": password},
            )
            add_never_cache_headers(response)
            return response
    return render(request, "accounts/user_form.html", {"form": form, "managed": None})


@agency_admin_required
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    user = queries.access_managed_user(request.user, user_id)
    form = forms.EditUserForm(request.POST or None, admin=request.user, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.update_user(
                user,
                acting_user=request.user,
                role=data["role"],
                team=data["team"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except PermissionError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            add_to_form(form, error)
            user.refresh_from_db()
        else:
            if changed:
                messages.success(request, _("Saved."))
            return redirect("accounts:user_edit", user_id=user.pk)
    return render(
        request, "accounts/user_form.html", _edit_context(request, user, form)
    )


def _edit_context(
    request: AuthenticatedRequest, user: User, form: forms.EditUserForm
) -> dict[str, object]:
    return {
        "form": form,
        "managed": user,
        # A system administrator is shown, not managed (see actions.GRANTABLE_ROLES).
        "manageable": user.role != User.Role.SYSADMIN,
        "is_self": user.pk == request.user.pk,
    }


def _apply(
    request: AuthenticatedRequest,
    user_id: int,
    action: Callable[..., object],
    done: str,
    unchanged: str,
) -> HttpResponse:
    user = queries.access_managed_user(request.user, user_id)
    try:
        result = action(user, acting_user=request.user)
    except PermissionError as error:
        raise PermissionDenied from error
    messages.success(request, done if result else unchanged)
    return redirect("accounts:user_edit", user_id=user.pk)


@agency_admin_required
@require_POST
def user_deactivate(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    return _apply(
        request,
        user_id,
        actions.deactivate_user,
        _("The user is deactivated and their API tokens are revoked."),
        _("The user was already inactive."),
    )


@agency_admin_required
@require_POST
def user_reactivate(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    return _apply(
        request,
        user_id,
        actions.reactivate_user,
        _("The user can log in again."),
        _("The user was already active."),
    )


@agency_admin_required
@require_POST
def user_reset_two_factor(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    return _apply(
        request,
        user_id,
        actions.reset_user_two_factor,
        _("The second factor is reset: the user links a new authenticator at login."),
        _("The user had no authenticator linked."),
    )
