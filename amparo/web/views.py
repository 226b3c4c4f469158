from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.cases.models import Case
from amparo.cases.queries import CaseFilters, cases_visible_to, filter_cases


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = filter_cases(user, CaseFilters(assigned_to_me=True, include_closed=False))  # type: ignore[arg-type]
    recent = cases_visible_to(user).select_related("primary_person", "assigned_to")  # type: ignore[arg-type]
    return render(
        request,
        "web/dashboard.html",
        {
            "my_cases": mine.order_by("-updated_at", "-id")[:20],
            "recent_cases": recent.order_by("-updated_at", "-id")[:10],
            "statuses": Case.Status,
        },
    )
