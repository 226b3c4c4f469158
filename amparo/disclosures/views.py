from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required, denied
from amparo.accounts.models import User
from amparo.cases.models import SharedField
from amparo.cases.queries import access_case
from amparo.core.errors import add_to_form
from amparo.disclosures import actions, forms, queries
from amparo.disclosures.models import ExportRequest, FirewallOverride, OverrideApproval

# Firewall overrides


@login_required
def override_list(request: AuthenticatedRequest) -> HttpResponse:
    if not queries.may_list_overrides(request.user):
        raise denied(request)
    return render(
        request,
        "disclosures/override_list.html",
        {"overrides": queries.override_list(request.user)[:200]},
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def override_new(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    if request.user.role != User.Role.SUPERVISOR:
        raise PermissionDenied
    form = forms.OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            override = actions.request_override(
                case,
                acting_user=request.user,
                kind=data["kind"],
                recipient=data["recipient"],
                recipient_name=data["recipient_name"],
                legal_basis=data["legal_basis"],
                explanation=data["explanation"],
                purpose=data["purpose"],
                subject_notice=data["subject_notice"],
                notice_explanation=data["notice_explanation"],
                fields=data["share"],
            )
        except PermissionError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("The override is requested. It needs two approvals to be used."),
            )
            return redirect("disclosures:override_detail", override_id=override.pk)
    return render(
        request, "disclosures/override_form.html", {"form": form, "case": case}
    )


def _override_page(
    request: AuthenticatedRequest,
    override: FirewallOverride,
    form: forms.DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_decide = (
        override.current_status == FirewallOverride.Status.PENDING
        and queries.may_decide_override(request.user, override)
    )
    return render(
        request,
        "disclosures/override_detail.html",
        {
            "override": override,
            "approvals": override.approvals.select_related("approver"),
            "may_decide": may_decide,
            "form": form or forms.DecisionForm(),
            "field_labels": [SharedField(f).label for f in override.fields],
        },
        status=status,
    )


@login_required
def override_detail(request: AuthenticatedRequest, override_id: str) -> HttpResponse:
    return _override_page(request, queries.view_override(request.user, override_id))


@login_required
@require_POST
def override_decide(request: AuthenticatedRequest, override_id: str) -> HttpResponse:
    override = queries.access_override(request.user, override_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return _override_page(request, override, form, status=400)
    try:
        decided = actions.decide_override(
            override,
            acting_user=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        )
    except PermissionError as error:
        raise PermissionDenied from error
    except ValidationError as error:
        add_to_form(form, error)
        override.refresh_from_db()
        return _override_page(request, override, form, status=400)
    if decided.status == FirewallOverride.Status.PENDING:
        messages.success(request, _("Your decision is recorded."))
    else:
        messages.success(
            request,
            _("Your decision is recorded. The override is now: %(status)s.")
            % {"status": decided.get_status_display()},
        )
    return redirect("disclosures:override_detail", override_id=override.pk)


# Exports


@login_required
def export_list(request: AuthenticatedRequest) -> HttpResponse:
    if not queries.may_list_exports(request.user):
        raise denied(request)
    return render(
        request,
        "disclosures/export_list.html",
        {"exports": queries.export_list(request.user)[:200]},
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def export_new(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = forms.ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export = actions.request_export(
                case,
                acting_user=request.user,
                purpose=data["purpose"],
                recipient_agency=data["recipient"],
                recipient_name=data["recipient_name"],
                recipient_kind=data["recipient_kind"],
            )
        except PermissionError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "The export is requested. You can download it once the data "
                    "protection officer approves it."
                ),
            )
            return redirect("disclosures:export_detail", export_id=export.pk)
    return render(request, "disclosures/export_form.html", {"form": form, "case": case})


def _export_page(
    request: AuthenticatedRequest,
    export: ExportRequest,
    *,
    decision_form: forms.DecisionForm | None = None,
    passphrase_form: forms.PassphraseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    state = export.current_status
    return render(
        request,
        "disclosures/export_detail.html",
        {
            "export": export,
            "may_decide": state == ExportRequest.Status.REQUESTED
            and user.role == User.Role.DPO
            and user.pk != export.requested_by_id,
            "may_download": state == ExportRequest.Status.APPROVED
            and user.pk == export.requested_by_id,
            "decision_form": decision_form or forms.DecisionForm(),
            "passphrase_form": passphrase_form or forms.PassphraseForm(),
        },
        status=status,
    )


@login_required
def export_detail(request: AuthenticatedRequest, export_id: str) -> HttpResponse:
    return _export_page(request, queries.view_export(request.user, export_id))


@login_required
@require_POST
def export_decide(request: AuthenticatedRequest, export_id: str) -> HttpResponse:
    export = queries.access_export(request.user, export_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return _export_page(request, export, decision_form=form, status=400)
    try:
        decided = actions.decide_export(
            export,
            acting_user=request.user,
            approve=form.cleaned_data["decision"] == OverrideApproval.Decision.APPROVE,
            note=form.cleaned_data["note"],
        )
    except PermissionError as error:
        raise PermissionDenied from error
    except ValidationError as error:
        add_to_form(form, error)
        export.refresh_from_db()
        return _export_page(request, export, decision_form=form, status=400)
    messages.success(
        request,
        _("The export is %(status)s.") % {"status": decided.get_status_display()},
    )
    return redirect("disclosures:export_detail", export_id=export.pk)


@sensitive_post_parameters("passphrase", "passphrase_again")
@login_required
@require_POST
def export_download(request: AuthenticatedRequest, export_id: str) -> HttpResponse:
    export = queries.access_export(request.user, export_id)
    if request.user.pk != export.requested_by_id:
        raise PermissionDenied
    form = forms.PassphraseForm(request.POST)
    if form.is_valid():
        try:
            file = actions.download_export(
                export,
                acting_user=request.user,
                passphrase=form.cleaned_data["passphrase"],
                again=form.cleaned_data["passphrase_again"],
            )
        except PermissionError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            add_to_form(form, error)
        else:
            response = HttpResponse(file.content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
            add_never_cache_headers(response)
            return response
    export.refresh_from_db()
    return _export_page(request, export, passphrase_form=form, status=400)
