"""Pages of labour rights: the agency's employers and recruiters with the complaints
against each (the pattern across workers), the list of complaints, recording a
complaint or a domestic worker's ILO C189 checklist on a case, and a complaint's page
with its status. Only case workers and supervisors who see the case; others get 404."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required
from amparo.cases.queries import access_case
from amparo.core.errors import add_to_form
from amparo.core.pagination import InvalidCursorError
from amparo.labour import actions, queries
from amparo.labour.codes import ComplaintType
from amparo.labour.forms import (
    ChecklistForm,
    ComplaintForms,
    EmployerForm,
    StatusForm,
)
from amparo.labour.models import Complaint

PAGE_SIZE = 50


@case_role_required
@require_http_methods(["GET", "POST"])
def employer_list(request: AuthenticatedRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = actions.record_employer(
                acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request, _("%(name)s is recorded.") % {"name": employer.name}
            )
            return redirect("labour:employer", employer_id=employer.pk)
    return render(
        request,
        "labour/employer_list.html",
        {"employers": queries.employers_of(request.user), "form": form},
    )


@case_role_required
def employer_detail(request: AuthenticatedRequest, employer_id: str) -> HttpResponse:
    employer = queries.access_employer(request.user, employer_id)
    type_ = _type(request)
    complaints = queries.complaints_list(
        request.user, type=type_, **queries.against(employer)
    )
    return _complaint_page(
        request,
        "labour/employer_detail.html",
        complaints,
        {"employer": employer, "type": type_, "types": ComplaintType.choices},
    )


@case_role_required
def complaint_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    parties = queries.employers_of(user)
    key = _uuid(request.GET.get("employer", ""))
    party = parties.filter(pk=key).first() if key else None
    type_ = _type(request)
    complaints = queries.complaints_list(
        user, type=type_, **(queries.against(party) if party else {})
    )
    return _complaint_page(
        request,
        "labour/complaint_list.html",
        complaints,
        {
            "parties": parties,
            "party": party,
            "type": type_,
            "types": ComplaintType.choices,
        },
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def complaint_new(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    forms = ComplaintForms(
        request.POST or None, employers=queries.employers_of(request.user)
    )
    if request.method == "GET":
        forms.complaint.initial = {"received_on": timezone.localdate()}
    if request.method == "POST" and forms.is_valid():
        try:
            complaint = actions.record_complaint(
                case, forms.entry(), acting_user=request.user
            )
        except ValidationError as error:
            forms.add_errors(error)
        else:
            messages.success(request, _("The complaint is recorded."))
            return redirect("labour:complaint", complaint_id=complaint.pk)
    return render(request, "labour/complaint_form.html", {"case": case, "forms": forms})


@case_role_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request: AuthenticatedRequest, complaint_id: str) -> HttpResponse:
    user = request.user
    if request.method == "GET":
        complaint = queries.view_complaint(user, complaint_id)
    else:
        complaint = queries.access_complaint(user, complaint_id)
    moves = sorted(actions.MOVES.get(complaint.status, frozenset()))
    form = StatusForm(
        request.POST or None, moves=moves, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_status(complaint, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The complaint is updated."))
            return redirect("labour:complaint", complaint_id=complaint.pk)
    return render(
        request,
        "labour/complaint_detail.html",
        {
            "complaint": complaint,
            "form": form if moves else None,
            "case_open": complaint.case.status != complaint.case.Status.CLOSED,
        },
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def checklist_new(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = ChecklistForm(
        request.POST or None, initial={"recorded_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_checklist(
                case,
                form.answers(),
                acting_user=request.user,
                on=form.cleaned_data["recorded_on"],
            )
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The checklist is recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "labour/checklist_form.html", {"case": case, "form": form})


def _complaint_page(
    request: AuthenticatedRequest,
    template: str,
    complaints: QuerySet[Complaint],
    context: dict[str, object],
) -> HttpResponse:
    try:
        page = queries.complaints_page(
            complaints,
            cursor=request.GET.get("after"),
            size=PAGE_SIZE,
        )
    except InvalidCursorError:
        return redirect(request.path)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        template,
        {**context, "page": page, "filter_query": query.urlencode()},
    )


def _type(request: AuthenticatedRequest) -> str:
    value = request.GET.get("type", "")
    return value if value in ComplaintType.values else ""


def _uuid(value: str) -> uuid.UUID | None:
    """The employer filter's value if it is a key at all (else no employer)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
