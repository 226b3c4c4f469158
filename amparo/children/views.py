"""The children's pages: the BIDs waiting for a decision (supervisors), signing the
undertaking of confidentiality (anyone working on the case), and recording the
panel's decision (a supervisor), and the children's and returns' figures
(supervisors). Reads through `queries` and `figures`; writes through
`safeguards.actions.record_fact`, whose preconditions (`children.preconditions`)
check the panel wherever the decision comes from."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required, denied
from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.cases.queries import access_case, cases_visible_to
from amparo.children import figures, queries
from amparo.children.forms import BidDecisionForm
from amparo.safeguards import actions
from amparo.safeguards.forms import PeriodForm


@case_role_required
def bids(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role != User.Role.SUPERVISOR:
        raise denied(request)
    waiting = queries.bids_waiting(request.user, timezone.now())
    names: dict[str, str] = {}
    for item in waiting:
        names |= queries.user_names(item.case, {item.bid.author})
    return render(request, "children/bids.html", {"waiting": waiting, "names": names})


@case_role_required
def figures_page(request: AuthenticatedRequest) -> HttpResponse:
    """The children's and returns' figures of the cases the supervisor sees, with
    numerators and denominators (what the statistics pages will publish)."""
    if request.user.role != User.Role.SUPERVISOR:
        raise denied(request)
    form = PeriodForm(request.GET or None)
    now = timezone.now()
    start, end = form.period(now) if form.is_valid() else PeriodForm.default(now)
    result = figures.figures(
        cases_visible_to(request.user), period_start=start, period_end=end, now=now
    )
    return render(
        request,
        "children/figures.html",
        {"form": form, "figures": result, "last_day": end - timedelta(days=1)},
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def bid_decide(request: AuthenticatedRequest, case_id: str, bid: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    if request.user.role != User.Role.SUPERVISOR:
        raise denied(request)
    if case.status == Case.Status.CLOSED:
        messages.error(request, _("The case is closed; reopen it to change it."))
        return redirect("cases:detail", case_id=case.pk)
    now = timezone.now()
    try:
        found = queries.determination(case, bid, now)
    except LookupError:
        raise Http404 from None
    names = queries.user_names(case, {found.author, *found.signers})
    form = BidDecisionForm(
        request.POST if request.method == "POST" else None,
        signers=[(s, names.get(s, s)) for s in found.signers],
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_fact(
                case,
                acting_user=request.user,
                kind="bid_decided",
                at=now,
                data={
                    "bid": found.id,
                    "bid_decision": form.cleaned_data["bid_decision"],
                    "panel": form.cleaned_data["panel"],
                },
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The panel's decision is recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "children/bid_decide.html",
        {"case": case, "bid": found, "names": names, "form": form},
    )


@case_role_required
@require_POST
def bid_sign(request: AuthenticatedRequest, case_id: str, bid: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    try:
        actions.record_fact(
            case,
            acting_user=request.user,
            kind="bid_undertaking_signed",
            at=timezone.now(),
            data={"bid": bid},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You signed the undertaking of confidentiality for this BID.")
        )
    return redirect("cases:detail", case_id=case.pk)
