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
    audit(acting_user, "accounts.user.created", user, {"role": role})
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
