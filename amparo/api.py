"""The REST API under /api/v1/: token or session authentication, 400 with field-level
messages for bad input, 404 for anything the caller may not see."""

from typing import Any

from csp.decorators import csp_update
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from amparo.accounts.middleware import record_forbidden
from amparo.accounts.models import ApiToken, User
from amparo.accounts.queries import api_token
from amparo.cases.api import router as cases_router
from amparo.core.pagination import InvalidCursorError
from amparo.labour.api import router as labour_router
from amparo.people.api import router as people_router
from amparo.safeguards.api import router as safeguards_router

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenScopeError(PermissionError):
    pass


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = api_token(token)
        if found is None:
            return None
        if (
            request.method not in SAFE_METHODS
            and found.scope != ApiToken.Scope.READ_WRITE
        ):
            raise TokenScopeError
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Amparo API",
    version="1",
    description="Persons, protection cases and notes. Every list uses cursor pagination.",
    openapi_url="/schema/",
    docs_url="/docs/",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    # Swagger UI sets inline styles; only its page may use them.
    docs_decorator=csp_update({"style-src": ["'self'", "'unsafe-inline'"]}),
)
api.add_router("/v1/persons", people_router)
api.add_router("/v1/cases", cases_router)
# The worklist (/v1/obligations/) and the case file (/v1/cases/{id}/facts).
api.add_router("/v1", safeguards_router)
# Employers and recruiters, labour complaints, domestic workers' checklists.
api.add_router("/v1/labour", labour_router)


def _errors(items: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "detail": [{"field": field, "message": message} for field, message in items]
    }


@api.exception_handler(NinjaValidationError)
def invalid_shape(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    items = []
    for error in exc.errors:
        # ("body", "payload", "names", 0, "given_names") -> "names.0.given_names";
        # ("query", "person") -> "person"; ("path", "case_id") -> "case_id".
        location = [str(part) for part in error.get("loc", ())]
        parts = location[2:] if location[:1] == ["body"] else location[1:]
        items.append(
            (".".join(parts) or "body", str(error.get("msg") or _("Invalid.")))
        )
    return api.create_response(request, _errors(items), status=400)


@api.exception_handler(DjangoValidationError)
def invalid_content(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        items = [(f, m) for f, messages in exc.message_dict.items() for m in messages]
    else:
        items = [("body", m) for m in exc.messages]
    return api.create_response(request, _errors(items), status=400)


@api.exception_handler(InvalidCursorError)
def invalid_cursor(request: HttpRequest, exc: InvalidCursorError) -> HttpResponse:
    return api.create_response(request, _errors([("cursor", str(exc))]), status=400)


@api.exception_handler(PermissionError)
def forbidden(request: HttpRequest, exc: PermissionError) -> HttpResponse:
    record_forbidden(request)
    if isinstance(exc, TokenScopeError):
        detail = _("This token may only read.")
        return api.create_response(request, {"detail": detail}, status=403)
    return api.create_response(
        request, {"detail": _("Your role may not make this change.")}, status=403
    )
