from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required
from amparo.cases.queries import CaseFilters, filter_cases
from amparo.core.pagination import InvalidCursorError, keyset_page
from amparo.people import actions, queries
from amparo.people.forms import PersonForms


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
    return render(
        request, "people/person_detail.html", {"person": person, "cases": cases}
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
