"""Creating agencies, users and API tokens. Each writes its audit event."""

import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amparo.accounts.models import Agency, ApiToken, Team, User
from amparo.accounts.two_factor import forget_devices
from amparo.audit.actions import record as audit


@transaction.atomic
def create_agency(
    name: str,
    *,
    code: str = "",
    team_sharing: bool = False,
    kind: str = Agency.Kind.PROTECTION,
    acting_user: User | None = None,
) -> Agency:
    name = name.strip()
    code = slugify(code or name)[:20]
    if not name:
        raise ValidationError({"name": _("An agency needs a name.")})
    if not code:
        raise ValidationError(
            {"code": _("An agency needs a code of letters or digits.")}
        )
    if Agency.objects.filter(name=name).exists():
        raise ValidationError({"name": _("An agency with this name exists.")})
    if Agency.objects.filter(code=code).exists():
        raise ValidationError({"code": _("An agency with this code exists.")})
    if kind not in Agency.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of agency.")})
    agency = Agency.objects.create(
        name=name, code=code, team_sharing=team_sharing, kind=kind
    )
    audit(
        acting_user, "accounts.agency.created", agency, {"team_sharing": team_sharing}
    )
    return agency


@transaction.atomic
def create_team(agency: Agency, name: str, *, acting_user: User | None = None) -> Team:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A team needs a name.")})
    if agency.teams.filter(name=name).exists():
        raise ValidationError({"name": _("The agency has a team with this name.")})
    team = Team.objects.create(agency=agency, name=name)
    audit(acting_user, "accounts.team.created", team)
    return team


@transaction.atomic
def create_user(
    username: str,
    *,
    agency: Agency,
    role: str,
    password: str,
    team: Team | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    acting_user: User | None = None,
) -> User:
    """Create a user of `agency`; the password must pass the configured validators."""
    if role not in User.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if team is not None and team.agency_id != agency.pk:
        raise ValidationError({"team": _("The team belongs to another agency.")})
    user = User(
        username=username,
        agency=agency,
        role=role,
        team=team,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    user.set_password(password)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user.save()
    given = {"email": email, "first_name": first_name, "last_name": last_name}
    audit(
        acting_user,
        "accounts.user.created",
        user,
        {
            "role": role,
            "team": str(team.pk) if team else None,
            "fields": sorted(name for name, value in given.items() if value),
        },
    )
    return user


MAX_TOKEN_DAYS = 365


@transaction.atomic
def issue_api_token(
    user: User,
    *,
    name: str,
    acting_user: User,
    scope: str = ApiToken.Scope.READ,
    days: int = 90,
) -> tuple[ApiToken, str]:
    """A new API token for `user`, read-only unless asked, expiring after `days`. The
    raw token is returned once and never stored."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read or read_write.")})
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("A token lasts from 1 to 365 days.")})
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=ApiToken.digest_of(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit(
        acting_user, "accounts.api_token.issued", token, {"scope": scope, "days": days}
    )
    return token, raw


@transaction.atomic
def revoke_api_tokens(user: User, *, acting_user: User | None, name: str = "") -> int:
    """Revoke the user's live tokens (those called `name`, if given); how many."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if name:
        tokens = tokens.filter(name=name)
    revoked = list(tokens)
    now = timezone.now()
    for token in revoked:
        token.revoked_at = now
        token.save(update_fields=["revoked_at", "updated_at"])
        audit(acting_user, "accounts.api_token.revoked", token)
    return len(revoked)


def touch_api_token(token: ApiToken) -> None:
    """Mark a token as used now. Not audited: it is bookkeeping of the token itself."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


# An agency's administrator manages its users (never a system administrator, who is
# configuration). Users are deactivated, never deleted: the audit trail names them.
GRANTABLE_ROLES = [role for role in User.Role.values if role != User.Role.SYSADMIN]


def _check_user_admin(acting_user: User, agency_id: object) -> None:
    if (
        acting_user.role != User.Role.AGENCY_ADMIN
        or acting_user.agency_id is None
        or acting_user.agency_id != agency_id
    ):
        raise PermissionError("Only the agency's administrator manages its users.")


def _lock_managed(user: User, acting_user: User) -> None:
    """Check the actor may manage `user`, lock the row and reload it."""
    _check_user_admin(acting_user, user.agency_id)
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
    user.refresh_from_db()
    _check_user_admin(acting_user, user.agency_id)
    if user.role == User.Role.SYSADMIN:
        raise PermissionError("A system administrator is not managed by an agency.")


def _check_grantable(role: str) -> None:
    if role not in User.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role not in GRANTABLE_ROLES:
        raise PermissionError("An agency administrator may not grant this role.")


@transaction.atomic
def add_user(
    username: str,
    *,
    acting_user: User,
    role: str,
    password: str = "",
    team: Team | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, str]:
    """A new user of the administrator's agency. Without a password, a random one is
    made; it is returned (to be shown once) and never stored in clear."""
    _check_user_admin(acting_user, acting_user.agency_id)
    _check_grantable(role)
    assert acting_user.agency is not None  # noqa: S101 (checked above)
    generated = "" if password else secrets.token_urlsafe(15)
    user = create_user(
        username,
        agency=acting_user.agency,
        role=role,
        password=password or generated,
        team=team,
        email=email,
        first_name=first_name,
        last_name=last_name,
        acting_user=acting_user,
    )
    return user, generated


@transaction.atomic
def update_user(
    user: User,
    *,
    acting_user: User,
    role: str,
    team: Team | None,
    email: str,
    first_name: str,
    last_name: str,
) -> list[str]:
    """Change a user's role, team and contact details; the fields changed."""
    _lock_managed(user, acting_user)
    _check_grantable(role)
    if user.pk == acting_user.pk and role != user.role:
        # An administrator who demotes themselves may leave the agency with none.
        raise PermissionError("An administrator may not change their own role.")
    if team is not None and team.agency_id != user.agency_id:
        raise ValidationError({"team": _("The team belongs to another agency.")})
    wanted = {
        "role": role,
        "team_id": team.pk if team else None,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(user, name, wanted[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=changed)
    fields = sorted(name.removesuffix("_id") for name in changed)
    data: dict[str, object] = {"fields": fields}
    if "role" in changed:
        data["role"] = role
    if "team_id" in changed:
        data["team"] = str(team.pk) if team else None
    audit(acting_user, "accounts.user.updated", user, data)
    return fields


@transaction.atomic
def deactivate_user(user: User, *, acting_user: User) -> bool:
    """Stop a user logging in or using the API (their tokens are revoked); whether
    anything changed. Their records and audit trail stay."""
    _lock_managed(user, acting_user)
    if user.pk == acting_user.pk:
        raise PermissionError("An administrator may not deactivate themselves.")
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = revoke_api_tokens(user, acting_user=acting_user)
    audit(
        acting_user,
        "accounts.user.deactivated",
        user,
        {"fields": ["is_active"], "tokens_revoked": revoked},
    )
    return True


@transaction.atomic
def reactivate_user(user: User, *, acting_user: User) -> bool:
    """Let a deactivated user log in again (with no API token: those were revoked)."""
    _lock_managed(user, acting_user)
    if user.is_active:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit(acting_user, "accounts.user.updated", user, {"fields": ["is_active"]})
    return True


@transaction.atomic
def reset_user_two_factor(user: User, *, acting_user: User) -> int:
    """Forget a user's authenticators and recovery codes (a lost phone): at their next
    login they link a new one. How many authenticators were removed."""
    _lock_managed(user, acting_user)
    removed = forget_devices(user)
    audit(acting_user, "accounts.user.two_factor_reset", user, {"devices": removed})
    return removed
