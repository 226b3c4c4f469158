from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required
from amparo.accounts.models import User
from amparo.cases import actions, forms, queries, workflow
from amparo.cases.models import Case, CaseMember
from amparo.core.errors import add_to_form
from amparo.core.pagination import InvalidCursorError, keyset_page
from amparo.people.models import Consent
from amparo.people.queries import access_person, lawful_basis, search_persons

Change = Callable[[Case, User, dict[str, Any]], object]


@case_role_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    filters = queries.CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.CaseFilters(
            status=data["status"],
            type=data["type"],
            risk=data["risk"],
            assigned_to_me=data["mine"],
        )
    try:
        page = keyset_page(
            queries.filter_cases(request.user, filters),
            field="updated_at",
            cursor=request.GET.get("after"),
            size=25,
        )
    except InvalidCursorError:
        return redirect("cases:list")
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "page": page, "filter_query": query.urlencode()},
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def case_open(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    person = access_person(request.user, person_id)
    form = forms.OpenCaseForm(
        request.POST or None,
        user=request.user,
        needs_basis=lawful_basis(person, Consent.Purpose.CASE_MANAGEMENT) is None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.open_case(
                person,
                acting_user=request.user,
                types=data["types"],
                risk=data["risk"],
                reason=data["reason"],
                assigned_to=data["assigned_to"],
                lawful_basis=form.lawful_basis(),
            )
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Case %s is open.") % case.reference)
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/case_open.html", {"form": form, "person": person})


@case_role_required
def case_detail(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = queries.view_case(request.user, case_id)
    context = _detail_context(request, case)
    if member_query := request.GET.get("member_q", "").strip()[:200]:
        on_case = {case.primary_person_id, *(m.person_id for m in case.members.all())}
        context["member_query"] = member_query
        context["member_results"] = [
            p for p in search_persons(request.user, member_query) if p.pk not in on_case
        ]
    return render(request, "cases/case_detail.html", context)


def _detail_context(
    request: AuthenticatedRequest, case: Case, **forms_: object
) -> dict[str, object]:
    status_form = forms.StatusForm()
    status_form.fields["status"].choices = [  # type: ignore[attr-defined]
        (s, Case.Status(s).label) for s in workflow.next_statuses(case.status)
    ]
    context: dict[str, object] = {
        "case": case,
        "timeline": queries.timeline(case)[:100],
        "notes": queries.notes_of(case)[:100],
        "note_form": forms.NoteForm(),
        "status_form": status_form,
        "risk_form": forms.RiskForm(initial={"risk": case.risk}),
        "assign_form": forms.AssignForm(
            user=request.user, initial={"assigned_to": case.assigned_to_id}
        ),
        "close_form": forms.CloseForm(),
        "reopen_form": forms.ReopenForm(),
        "member_form": forms.MemberForm(),
        "relationships": CaseMember.Relationship.choices,
    }
    context.update(forms_)
    return context


# Each change to a case is one small POST form on the detail page: parse the form,
# call the action, go back to the page; on error, show the page again with the error.
def _note(case: Case, user: User, data: dict[str, Any]) -> object:
    return actions.add_note(case, acting_user=user, body=data["body"])


def _status(case: Case, user: User, data: dict[str, Any]) -> object:
    return actions.change_case_status(case, acting_user=user, status=data["status"])


def _risk(case: Case, user: User, data: dict[str, Any]) -> object:
    return actions.change_case_risk(case, acting_user=user, risk=data["risk"])


def _assign(case: Case, user: User, data: dict[str, Any]) -> object:
    return actions.assign_case(case, acting_user=user, assignee=data["assigned_to"])


def _close(case: Case, user: User, data: dict[str, Any]) -> object:
    return actions.close_case(
        case, acting_user=user, reason=data["closure_reason"], note=data["closure_note"]
    )


def _member(case: Case, user: User, data: dict[str, Any]) -> object:
    person = access_person(user, data["person"])
    return actions.add_case_member(
        case, person, acting_user=user, relationship=data["relationship"]
    )


def _reopen(case: Case, user: User, data: dict[str, Any]) -> object:
    return actions.reopen_case(case, acting_user=user, reason=data["reason"])


CHANGES: dict[str, tuple[Callable[..., django_forms.Form], str, Change]] = {
    "note": (forms.NoteForm, "note_form", _note),
    "status": (forms.StatusForm, "status_form", _status),
    "risk": (forms.RiskForm, "risk_form", _risk),
    "assign": (forms.AssignForm, "assign_form", _assign),
    "close": (forms.CloseForm, "close_form", _close),
    "reopen": (forms.ReopenForm, "reopen_form", _reopen),
    "member": (forms.MemberForm, "member_form", _member),
}


@case_role_required
@require_POST
def case_change(
    request: AuthenticatedRequest, case_id: str, change: str
) -> HttpResponse:
    case = queries.access_case(request.user, case_id)
    if change not in CHANGES:
        raise Http404
    form_class, form_name, apply = CHANGES[change]
    form = (
        form_class(request.POST, user=request.user)
        if form_class is forms.AssignForm
        else form_class(request.POST)
    )
    if form.is_valid():
        try:
            apply(case, request.user, form.cleaned_data)
        except ValidationError as error:
            if not set(error.message_dict) <= set(form.fields):
                # About the case's state (already closed, closed meanwhile), not about
                # this form's input: the form may not even be shown any more.
                messages.error(request, " ".join(error.messages))
                return redirect("cases:detail", case_id=case.pk)
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:detail", case_id=case.pk)
    case = queries.access_case(request.user, case_id)
    context = _detail_context(request, case, **{form_name: form})
    return render(request, "cases/case_detail.html", context, status=400)
