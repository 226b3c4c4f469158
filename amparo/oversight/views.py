from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, denied
from amparo.accounts.models import User
from amparo.cases.queries import access_case, notes_of, timeline
from amparo.core.errors import add_to_form
from amparo.oversight import actions, forms, queries


@login_required
@require_http_methods(["GET", "POST"])
def grants(request: AuthenticatedRequest) -> HttpResponse:
    """The DPO asks for access to a case, and sees their grants, past and current."""
    if request.user.role != User.Role.DPO:
        raise denied(request)
    form = forms.AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = queries.case_by_reference(request.user, data["reference"])
        if case is None:
            form.add_error(
                "reference", _("Your agency has no case with this reference.")
            )
        else:
            try:
                actions.grant_content_access(
                    case, dpo=request.user, reason=data["reason"], hours=data["hours"]
                )
            except ValidationError as error:
                add_to_form(form, error)
            except PermissionError:
                raise PermissionDenied from None
            else:
                return redirect("oversight:case", case_id=case.pk)
    return render(
        request,
        "oversight/grants.html",
        {"form": form, "grants": queries.grants_of(request.user)[:200]},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def grant_end(request: AuthenticatedRequest, grant_id: str) -> HttpResponse:
    grant = queries.grant_of(request.user, grant_id)
    try:
        actions.end_content_access(grant, dpo=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your access to the case has ended."))
    return redirect("oversight:grants")


def _case_page(
    request: AuthenticatedRequest,
    review: queries.Review,
    *,
    failed: tuple[str, forms.AnswerForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The read-only case page; `failed` is an answer that did not go through (the
    escalation's id and its form), shown again with its errors."""
    case = review.case
    answerable = {str(e.pk) for e in review.escalations}
    items = []
    for escalation in queries.escalations_of(case):
        key = str(escalation.pk)
        form = None
        if failed is not None and failed[0] == key:
            form = failed[1]
        elif key in answerable:
            # One form per open escalation: its own ids on the page.
            form = forms.AnswerForm(auto_id=f"answer-{key}-%s")
        items.append((escalation, form))
    return render(
        request,
        "oversight/case.html",
        {
            "case": case,
            "grant": review.grant,
            "items": items,
            "notes": notes_of(case)[:100],
            "timeline": timeline(case)[:100],
        },
        status=status,
    )


@login_required
def case_review(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    """A case read-only, for the DPO holding a grant or the legal officer holding an
    open escalation of it."""
    return _case_page(request, queries.view_case_under_review(request.user, case_id))


@login_required
def person_review(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    review = queries.view_person_under_review(request.user, person_id)
    return render(
        request,
        "oversight/person.html",
        {
            "person": review.person,
            "cases": review.cases,
            "grant": review.grant,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalate(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    """A case worker or supervisor who sees the case asks a legal officer."""
    case = access_case(request.user, case_id)
    if not request.user.works_on_cases:
        raise PermissionDenied
    form = forms.EscalationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.escalate_case(
                case,
                acting_user=request.user,
                question=form.cleaned_data["question"],
                legal_officer=form.cleaned_data["legal_officer"],
            )
        except ValidationError as error:
            add_to_form(form, error)
        except PermissionError:
            raise PermissionDenied from None
        else:
            messages.success(request, _("The case is escalated to a legal officer."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "oversight/escalate.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def escalations(request: AuthenticatedRequest) -> HttpResponse:
    """The legal officer's open escalations."""
    if request.user.role != User.Role.LEGAL_OFFICER:
        raise denied(request)
    return render(
        request,
        "oversight/escalations.html",
        {"escalations": queries.escalations_for(request.user)},
    )


@login_required
@require_POST
def answer(request: AuthenticatedRequest, escalation_id: str) -> HttpResponse:
    escalation = queries.escalation_of(request.user, escalation_id)
    # The form only carries the text: the action decides first whether this user may
    # answer (403), then whether the answer will do (400).
    form = forms.AnswerForm(request.POST, auto_id=f"answer-{escalation.pk}-%s")
    form.is_valid()
    try:
        actions.answer_escalation(
            escalation,
            acting_user=request.user,
            answer=form.cleaned_data.get("answer", ""),
        )
    except PermissionError:
        raise PermissionDenied from None
    except ValidationError as error:
        if escalation.answered_at is not None:
            # Answered meanwhile (by a colleague, or a second click).
            messages.error(request, " ".join(error.messages))
            return redirect("oversight:escalations")
        add_to_form(form, error)
    else:
        messages.success(request, _("Your answer is sent; the escalation is closed."))
        return redirect("oversight:escalations")
    review = queries.case_under_review(request.user, escalation.case_id)
    return _case_page(request, review, failed=(str(escalation.pk), form), status=400)
