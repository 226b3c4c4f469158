"""The trafficking screening page: choose the indicator set, record what was observed,
and see the suggestion with its reasoning. Writes through `safeguards.actions.
record_fact`; the suggestion is `screening.suggest`, the same the rules read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required
from amparo.cases.models import Case
from amparo.cases.queries import access_case
from amparo.protection import screening
from amparo.protection.forms import ScreeningForm
from amparo.safeguards import actions, labels


@case_role_required
@require_http_methods(["GET", "POST"])
def screen(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    if case.status == Case.Status.CLOSED:
        messages.error(request, _("The case is closed; reopen it to change it."))
        return redirect("cases:detail", case_id=case.pk)
    source = request.POST if request.method == "POST" else request.GET
    set_code = source.get("set", "")
    if set_code not in screening.set_codes():
        return render(
            request,
            "protection/screening_sets.html",
            {
                "case": case,
                "sets": [
                    (code, labels.value_label("indicator_set", code), s.complete)
                    for code, s in screening.load()[1].items()
                ],
            },
        )
    form = ScreeningForm(
        request.POST if request.method == "POST" else None, set_code=set_code
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_fact(
                case,
                acting_user=request.user,
                kind="trafficking_screened",
                at=timezone.now(),
                data=form.fact_data(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("The screening is recorded; its suggestion is on the case page."),
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "protection/screening_form.html",
        {
            "case": case,
            "form": form,
            "set_code": set_code,
            "set_label": labels.value_label("indicator_set", set_code),
            "complete": screening.load()[1][set_code].complete,
        },
    )
