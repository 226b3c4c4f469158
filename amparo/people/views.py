from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required
from amparo.cases.queries import CaseFilters, filter_cases
from amparo.core.errors import add_to_form
from amparo.core.pagination import InvalidCursorError, keyset_page
from amparo.people import actions, queries
from amparo.people.forms import ConsentForm, PersonForms, WithdrawConsentForm
from amparo.people.models import Consent


@case_role_required
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    if query:
        return render(
            request,
            "people/person_list.html",
            {"query": query, "results": queries.search_persons(request.user, query)},
        )
    try:
        page = keyset_page(
            queries.persons_visible_to(request.user),
            field="created_at",
            cursor=request.GET.get("after"),
            size=25,
        )
    except InvalidCursorError:
        return redirect("people:list")
    return render(request, "people/person_list.html", {"query": "", "page": page})


@case_role_required
@require_http_methods(["GET", "POST"])
def person_register(request: AuthenticatedRequest) -> HttpResponse:
    forms = PersonForms(request.POST or None)
    if request.method == "POST" and forms.is_valid():
        try:
            person = actions.register_person(forms.record(), acting_user=request.user)
        except ValidationError as error:
            forms.add_errors(error)
        else:
            messages.success(request, _("The person is registered."))
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"forms": forms, "person": None})


@case_role_required
def person_detail(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    person = queries.view_person(request.user, person_id)
    cases = filter_cases(request.user, CaseFilters(person_id=person.pk))
    active = queries.active_consents(person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "cases": cases,
            "consents": [
                (label, active.get(code)) for code, label in Consent.Purpose.choices
            ],
        },
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    person = (
        queries.view_person if request.method == "GET" else queries.access_person
    )(request.user, person_id)
    forms = PersonForms(request.POST or None, person=person)
    if request.method == "POST" and forms.is_valid():
        try:
            actions.update_person(person, forms.record(), acting_user=request.user)
        except ValidationError as error:
            forms.add_errors(error)
        else:
            messages.success(request, _("The record is saved."))
            return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/person_form.html", {"forms": forms, "person": person}
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def consent_record(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    person = (
        queries.view_person if request.method == "GET" else queries.access_person
    )(request.user, person_id)
    initial = {
        "obtained_on": timezone.localdate(),
        "purpose": request.GET.get("purpose"),
    }
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_consent(
                person, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The lawful basis is recorded."))
            return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/consent_form.html",
        {
            "person": person,
            "form": form,
            "history": queries.consent_history(person),
        },
    )


@case_role_required
@require_POST
def consent_withdraw(
    request: AuthenticatedRequest, person_id: str, consent_id: str
) -> HttpResponse:
    person = queries.access_person(request.user, person_id)
    consent = get_object_or_404(person.consents, pk=consent_id)
    form = WithdrawConsentForm(request.POST)
    if form.is_valid():
        try:
            actions.withdraw_consent(
                consent, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The withdrawal is recorded."))
    else:
        messages.error(request, _("Give the reason for the withdrawal."))
    return redirect("people:consent", person_id=person.pk)
