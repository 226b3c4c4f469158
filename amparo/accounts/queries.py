"""Reads of users and tokens."""

from django.db.models import QuerySet
from django.utils import timezone

from amparo.accounts.actions import touch_api_token
from amparo.accounts.models import ApiToken, User


def assignable_workers(user: User) -> QuerySet[User]:
    """Colleagues to whom `user` may assign a case: active case-handling users of the
    same agency."""
    if not user.works_on_cases or user.agency_id is None:
        return User.objects.none()
    return User.objects.filter(
        agency_id=user.agency_id,
        is_active=True,
        role__in=[User.Role.CASEWORKER, User.Role.SUPERVISOR],
    ).order_by("first_name", "last_name", "username")


def api_token(raw: str) -> ApiToken | None:
    """The live token with this value: not revoked, not expired, its user active."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            digest=ApiToken.digest_of(raw),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    # Record use at most once a minute: a write per API call would double its cost.
    if (
        token.last_used_at is None
        or (timezone.now() - token.last_used_at).total_seconds() > 60
    ):
        touch_api_token(token)
    return token
