from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from amparo.accounts.decorators import AuthenticatedRequest, denied
from amparo.accounts.models import User
from amparo.audit.actions import record_raw
from amparo.audit.forms import EventSearchForm
from amparo.audit.queries import EventFilters, search_events
from amparo.core.pagination import InvalidCursorError, keyset_page


@login_required
def event_search(request: AuthenticatedRequest) -> HttpResponse:
    """The data-protection officer's search of the audit trail. Others get 404."""
    if request.user.role != User.Role.DPO:
        raise denied(request)
    form = EventSearchForm(request.GET or None)
    filters = EventFilters(**form.cleaned_data) if form.is_valid() else EventFilters()
    try:
        page = keyset_page(
            search_events(request.user, filters),
            field="occurred_at",
            cursor=request.GET.get("after"),
            size=50,
        )
    except InvalidCursorError:
        return redirect("audit:search")
    # Reading the audit trail is itself audited; what was looked for is kept.
    record_raw(
        request.user,
        "audit.searched",
        subject_type="audit.auditevent",
        subject_id="",
        data={k: str(v) for k, v in vars(filters).items() if v},
    )
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "audit/event_search.html",
        {"form": form, "page": page, "filter_query": query.urlencode()},
    )
