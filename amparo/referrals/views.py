"""Pages of referrals and transfers: send, see what was shared, answer; and the data-
protection officer's data-sharing agreements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required, denied
from amparo.accounts.models import User
from amparo.cases.queries import access_case
from amparo.core.errors import add_to_form
from amparo.referrals import actions, packet, queries
from amparo.referrals.forms import AcceptForm, AgreementForm, DeclineForm, ReferralForm
from amparo.referrals.models import SharedField


@login_required
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (user.works_on_cases or queries.receives_referrals(user)):
        raise denied(request)
    return render(
        request,
        "referrals/referral_list.html",
        {
            "received": queries.received_by_agency_of(user)[:100],
            "sent": queries.sent_by_agency_of(user)[:100],
        },
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def referral_new(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = ReferralForm(
        request.POST or None, agencies=queries.recipients_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            referral = actions.send_referral(
                case,
                acting_user=request.user,
                to_agency=data["to_agency"],
                kind=data["kind"],
                fields=data["share"],
                message=data["message"],
            )
        except ValidationError as error:
            add_to_form(form, error, rename={"fields": "share"})
        else:
            messages.success(request, _("The referral is sent."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/referral_new.html", {"case": case, "form": form})


@login_required
def referral_detail(request: AuthenticatedRequest, referral_id: str) -> HttpResponse:
    referral = queries.view_referral(request.user, referral_id)
    received = referral.to_agency_id == request.user.agency_id
    shared = packet.loads(referral.packet)
    workers = User.objects.filter(
        agency=request.user.agency,
        role__in=[User.Role.CASEWORKER, User.Role.SUPERVISOR],
        is_active=True,
    )
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "received": received,
            "shared": shared,
            "field_labels": [SharedField(f).label for f in referral.fields],
            "accept_form": AcceptForm(workers=workers),
            "decline_form": DeclineForm(),
        },
    )


@login_required
@require_POST
def referral_answer(
    request: AuthenticatedRequest, referral_id: str, answer: str
) -> HttpResponse:
    referral = queries.access_referral(request.user, referral_id)
    user = request.user
    try:
        if answer == "withdraw":
            actions.withdraw_referral(referral, acting_user=user)
        elif answer == "decline":
            actions.decline_referral(
                referral, acting_user=user, note=request.POST.get("note", "")
            )
        elif answer == "accept":
            form = AcceptForm(
                request.POST,
                workers=User.objects.filter(agency=user.agency, is_active=True),
            )
            if not form.is_valid():
                raise ValidationError(_("Choose a case worker from the list."))
            referral = actions.accept_referral(
                referral, acting_user=user, **form.cleaned_data
            )
        else:
            raise Http404
    except PermissionError:
        raise PermissionDenied from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer is recorded."))
        if referral.received_case_id is not None:
            return redirect("cases:detail", case_id=referral.received_case_id)
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role != User.Role.DPO:
        raise denied(request)
    agencies = queries.recipients_for(request.user)
    form = AgreementForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            actions.record_agreement(
                acting_user=request.user,
                to_agency=data["to_agency"],
                purpose=data["purpose"],
                fields=data["share"],
                safeguards=data["safeguards"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except ValidationError as error:
            add_to_form(form, error, rename={"fields": "share"})
        except PermissionError:
            raise PermissionDenied from None
        else:
            messages.success(request, _("The agreement is recorded."))
            return redirect("referrals:agreements")
    return render(
        request,
        "referrals/agreement_list.html",
        {"form": form, "agreements": queries.agreements_of(request.user)},
    )


@login_required
@require_POST
def agreement_end(request: AuthenticatedRequest, agreement_id: str) -> HttpResponse:
    agreement = get_object_or_404(queries.agreements_of(request.user), pk=agreement_id)
    actions.end_agreement(agreement, acting_user=request.user)
    messages.success(request, _("The agreement has ended."))
    return redirect("referrals:agreements")
