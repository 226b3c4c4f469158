"""Pages of the service directory and of referrals to services: the directory and its
entries, referring a case's person, what a referral shared, and its answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required, denied
from amparo.accounts.models import Agency
from amparo.cases.queries import access_case
from amparo.core.errors import add_to_form
from amparo.referrals import packet
from amparo.referrals.models import SharedField
from amparo.services import actions, queries
from amparo.services.forms import AnswerForm, CloseForm, ProviderForm, ReferralForm
from amparo.services.models import ServiceType


@login_required
def directory(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not queries.sees_directory(user):
        raise denied(request)
    service = request.GET.get("service", "")
    providers = list(queries.directory(user))
    if service in ServiceType.values:
        providers = [p for p in providers if service in p.services]
    return render(
        request,
        "services/directory.html",
        {
            "providers": providers,
            "service": service,
            "services": ServiceType.choices,
            "keeps": queries.keeps_directory(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(
    request: AuthenticatedRequest, provider_id: str | None = None
) -> HttpResponse:
    user = request.user
    if not queries.keeps_directory(user):
        raise denied(request)
    provider = queries.provider_to_change(user, provider_id) if provider_id else None
    agencies = Agency.objects.exclude(users=user).order_by("name")
    form = ProviderForm(
        request.POST or None,
        agencies=agencies,
        initial=ProviderForm.initial_for(provider) if provider else {"active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_provider(form.entry(), acting_user=user, provider=provider)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The directory is updated."))
            return redirect("services:directory")
    return render(
        request, "services/provider_form.html", {"form": form, "provider": provider}
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def refer(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    providers = queries.directory(request.user).filter(active=True)
    initial = {"service": request.GET.get("service", "")}
    form = ReferralForm(request.POST or None, providers=providers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = actions.send_referral(
                case,
                acting_user=request.user,
                provider=data["provider"],
                service=data["service"],
                urgency=data["urgency"],
                fields=data["share"],
                message=data["message"],
                person_agreed=data["person_agreed"],
            )
        except ValidationError as error:
            add_to_form(form, error, rename={"fields": "share"})
        else:
            messages.success(request, _("The referral is sent."))
            return redirect("services:referral", referral_id=referral.pk)
    return render(request, "services/refer.html", {"case": case, "form": form})


@login_required
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (user.works_on_cases or queries.answers_in_amparo(user)):
        raise denied(request)
    return render(
        request,
        "services/referral_list.html",
        {
            "received": queries.received_by_agency_of(user)[:100],
            "sent": queries.sent_by_agency_of(user)[:100],
        },
    )


@login_required
def referral_detail(request: AuthenticatedRequest, referral_id: str) -> HttpResponse:
    referral = queries.view_referral(request.user, referral_id)
    user = request.user
    return render(
        request,
        "services/referral_detail.html",
        {
            "referral": referral,
            "shared": packet.loads(referral.packet),
            "field_labels": [SharedField(f).label for f in referral.fields],
            "can_close": queries.works_on(user, referral)
            and referral.status != referral.Status.CLOSED,
            "moves": [
                move
                for move in ("accepted", "delivered", "declined")
                if move in actions.MOVES[referral.status]
            ]
            if queries.answers_for_provider(user, referral)
            else [],
            "answer_form": AnswerForm(),
            "close_form": CloseForm(),
        },
    )


@login_required
@require_POST
def referral_move(
    request: AuthenticatedRequest, referral_id: str, move: str
) -> HttpResponse:
    referral = queries.access_referral(request.user, referral_id)
    try:
        if move == "close":
            actions.close_referral(
                referral, acting_user=request.user, note=request.POST.get("note", "")
            )
        elif move in actions.PROVIDER_MOVES:
            actions.answer_referral(
                referral,
                acting_user=request.user,
                status=move,
                reason=request.POST.get("reason", ""),
            )
        else:
            raise Http404
    except PermissionError:
        raise PermissionDenied from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The referral is updated."))
    return redirect("services:referral", referral_id=referral.pk)
