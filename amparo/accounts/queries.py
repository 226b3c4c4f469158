"""Reads of users and tokens."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.actions import touch_api_token
from amparo.accounts.models import ApiToken, Team, User
from amparo.audit.actions import record_denial


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


def manages_users(user: User) -> bool:
    """An agency's administrator manages the users of that agency, nothing else."""
    return user.role == User.Role.AGENCY_ADMIN and user.agency_id is not None


def users_managed_by(user: User) -> QuerySet[User]:
    """The users of the administrator's agency, each marked with whether they have
    linked an authenticator (`has_authenticator`). Nobody else manages any."""
    agency_id = user.agency_id
    if agency_id is None or not manages_users(user):
        return User.objects.none()
    linked = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(agency_id=agency_id)
        .select_related("team")
        .annotate(has_authenticator=Exists(linked))
        .order_by("username")
    )


def access_managed_user(user: User, user_id: int | str) -> User:
    """A user the administrator manages; Http404 otherwise. A refusal is audited."""
    try:
        return users_managed_by(user).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        record_denial(user, "accounts.user", user_id)
        raise Http404 from None


def teams_managed_by(user: User) -> QuerySet[Team]:
    agency_id = user.agency_id
    if agency_id is None or not manages_users(user):
        return Team.objects.none()
    return Team.objects.filter(agency_id=agency_id).order_by("name")
