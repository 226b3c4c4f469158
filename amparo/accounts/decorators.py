from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from amparo.accounts.models import User
from amparo.audit.actions import record_raw

View = Callable[..., HttpResponse]


class AuthenticatedRequest(HttpRequest):
    """A request behind `case_role_required`: its user is a logged-in Amparo user."""

    user: User


def case_role_required(view: View) -> View:
    """Logged in, in a role that works on people's records. Others get 404: a
    statistician sees aggregates only, and need not learn which records exist."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.works_on_cases:  # type: ignore[union-attr]
            raise denied(request)
        return view(request, *args, **kwargs)

    return wrapper


def denied(request: HttpRequest) -> Http404:
    """A page the user's role may not open: the refusal is audited, and the user gets
    404, as for a record that does not exist. Raise what it returns."""
    record_raw(
        request.user,  # type: ignore[arg-type]
        "access.denied",
        subject_type="url",
        subject_id=request.path[:64],
    )
    return Http404()
