from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required, denied
from amparo.accounts.models import User, is_enforcement
from amparo.core.errors import add_to_form
from amparo.people.queries import access_person, view_person
from amparo.retention import actions, queries
from amparo.retention.anonymisation import ALWAYS_KEPT
from amparo.retention.forms import DecisionForm, ErasureRequestForm
from amparo.retention.models import ErasureRequest

View = Callable[..., HttpResponse]


def officer_required(view: View) -> View:
    """The agency's data-protection officer; everyone else gets 404, audited."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        if (
            user.role != User.Role.DPO
            or user.agency_id is None
            or is_enforcement(user.agency)
        ):
            raise denied(request)
        return view(request, *args, **kwargs)

    return wrapper


@officer_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    periods = [
        (
            queries.RECORD_TYPE_LABELS[record_type],
            queries.retention_days(record_type),
            queries.RECORD_TYPE_SETTINGS[record_type],
        )
        for record_type in queries.RecordType
    ]
    return render(
        request,
        "retention/overview.html",
        {
            "periods": periods,
            "pending": queries.pending_erasures(request.user),
            "decided": queries.decided_erasures(request.user),
            **_rules(),
        },
    )


def _rules() -> dict[str, object]:
    return {
        "person_rules": queries.person_rules(),
        "case_rules": queries.case_rules(),
        "always_kept": ALWAYS_KEPT,
    }


@case_role_required
@require_http_methods(["GET", "POST"])
def erasure_request(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    person = (view_person if request.method == "GET" else access_person)(
        request.user, person_id
    )
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_erasure(
                person, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("The erasure is requested; the data-protection officer decides."),
            )
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "retention/erasure_request.html",
        {"form": form, "person": person, **_rules()},
        status=400 if form.errors else 200,
    )


@officer_required
def erasure_detail(request: AuthenticatedRequest, erasure_id: str) -> HttpResponse:
    erasure = queries.view_erasure(request.user, erasure_id)
    return _detail(request, erasure, DecisionForm())


def _detail(
    request: AuthenticatedRequest,
    erasure: ErasureRequest,
    form: DecisionForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "erasure": erasure,
        "preview": queries.erasure_preview(erasure),
        "form": form,
        "may_decide": erasure.status == ErasureRequest.Status.REQUESTED
        and erasure.requested_by_id != request.user.pk,
        **_rules(),
    }
    return render(request, "retention/erasure_detail.html", context, status=status)


@officer_required
@require_POST
def erasure_decide(request: AuthenticatedRequest, erasure_id: str) -> HttpResponse:
    erasure = queries.access_erasure(request.user, erasure_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decide = (
            actions.approve_erasure
            if form.cleaned_data["decision"] == "approve"
            else actions.reject_erasure
        )
        try:
            erasure = decide(
                erasure,
                acting_user=request.user,
                note=form.cleaned_data["decision_note"],
            )
        except PermissionError:
            raise PermissionDenied from None
        except ValidationError as error:
            if not set(error.message_dict) <= set(form.fields):
                # About the request's state (decided meanwhile), not this input.
                messages.error(request, " ".join(error.messages))
                return redirect("retention:erasure", erasure_id=erasure.pk)
            add_to_form(form, error)
        else:
            messages.success(request, str(_OUTCOME[erasure.status]))
            return redirect("retention:erasure", erasure_id=erasure.pk)
    return _detail(request, erasure, form, status=400)


_OUTCOME: dict[str, Promise] = {
    ErasureRequest.Status.APPROVED: gettext_lazy(
        "Approved. The data is erased as soon as the open cases are closed."
    ),
    ErasureRequest.Status.COMPLETED: gettext_lazy("Approved, and the data is erased."),
    ErasureRequest.Status.REJECTED: gettext_lazy("Rejected."),
}
