"""Pages of witness protection: a person's protection (protect, the identity for those
who may see it, the team, ending it, asking to re-identify) and the requests waiting
for an approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required, denied
from amparo.accounts.models import User
from amparo.core.errors import add_to_form
from amparo.people.forms import PersonForms
from amparo.witnesses import actions, queries
from amparo.witnesses.forms import ProtectForm, ReasonForm, RequestForm, TeamForm


@login_required
@require_http_methods(["GET", "POST"])
def person_protection(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    user = request.user
    person, protection = queries.protection_for(user, person_id)
    workers = User.objects.filter(
        agency_id=person.agency_id,
        role__in=[User.Role.CASEWORKER, User.Role.SUPERVISOR],
        is_active=True,
    ).order_by("username")
    forms: dict[str, object] = {}
    if protection is None:
        if not queries.can_protect(user):
            raise denied(request)
        form = ProtectForm(request.POST or None, workers=workers)
        if request.method == "POST" and form.is_valid():
            try:
                actions.protect(
                    person,
                    acting_user=user,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    team=form.cleaned_data["team"],
                )
            except ValidationError as error:
                add_to_form(form, error)
            except PermissionError:
                raise PermissionDenied from None
            else:
                messages.success(request, _("The person is protected."))
                return redirect("witnesses:person", person_id=person.pk)
        forms["protect"] = form
    elif request.method == "POST":
        raise PermissionDenied
    else:
        forms = {
            "request": RequestForm(),
            "team": TeamForm(
                workers=workers, initial={"team": list(protection.team.all())}
            ),
            "end": ReasonForm(),
        }
    on_team = protection is not None and queries.on_team(user, protection)
    return render(
        request,
        "witnesses/person.html",
        {
            "person": person,
            "protection": protection,
            "identity": queries.identity_for(user, protection) if protection else None,
            "on_team": on_team,
            "team_supervisor": on_team and queries.can_protect(user),
            "pending": queries.pending_request(user, protection)
            if protection
            else None,
            "granted": queries.current_reidentification(user, protection)
            if protection
            else None,
            "forms": forms,
        },
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def identity_edit(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    """The team corrects the identity with the person form, filled in from the
    encrypted record; the stored record keeps the pseudonym."""
    user = request.user
    person, protection = queries.protection_for(user, person_id)
    if protection is None or not queries.on_team(user, protection):
        raise denied(request)
    forms = PersonForms(
        request.POST or None, record=queries.identity_for(user, protection)
    )
    if request.method == "POST" and forms.is_valid():
        try:
            actions.change_identity(protection, acting_user=user, record=forms.record())
        except ValidationError as error:
            forms.add_errors(error)
        else:
            messages.success(request, _("The identity is saved."))
            return redirect("witnesses:person", person_id=person.pk)
    return render(
        request, "people/person_form.html", {"forms": forms, "person": person}
    )


@login_required
@require_POST
def protection_change(
    request: AuthenticatedRequest, person_id: str, change: str
) -> HttpResponse:
    user = request.user
    person, protection = queries.protection_for(user, person_id)
    if protection is None:
        raise denied(request)
    try:
        if change == "request":
            form = RequestForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    [str(m) for errors in form.errors.values() for m in errors]
                )
            actions.request_reidentification(
                protection, acting_user=user, **form.cleaned_data
            )
            messages.success(request, _("Your request waits for two approvals."))
        elif change == "team":
            workers = User.objects.filter(agency_id=person.agency_id)
            team_form = TeamForm(request.POST, workers=workers)
            if not team_form.is_valid():
                raise ValidationError(_("Choose people from the list."))
            actions.change_team(
                protection, acting_user=user, team=team_form.cleaned_data["team"]
            )
            messages.success(request, _("The team is changed."))
        elif change == "end":
            actions.end_protection(
                protection, acting_user=user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The protection has ended."))
        else:
            raise denied(request)
    except PermissionError:
        raise PermissionDenied from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("witnesses:person", person_id=person.pk)


@login_required
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    if not queries.decides(request.user):
        raise denied(request)
    return render(
        request,
        "witnesses/request_list.html",
        {"requests": queries.pending_for(request.user), "form": ReasonForm()},
    )


@login_required
@require_POST
def request_decide(
    request: AuthenticatedRequest, request_id: str, decision: str
) -> HttpResponse:
    reidentification = queries.request_to_decide(request.user, request_id)
    try:
        if decision == "approve":
            actions.approve(reidentification, acting_user=request.user)
        elif decision == "refuse":
            actions.refuse(
                reidentification,
                acting_user=request.user,
                reason=request.POST.get("reason", ""),
            )
        else:
            raise denied(request)
    except PermissionError:
        raise PermissionDenied from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect("witnesses:requests")
