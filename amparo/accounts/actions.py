"""Creating agencies, users and API tokens. Each writes its audit event."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amparo.accounts.models import Agency, ApiToken, User
from amparo.audit.actions import record as audit


@transaction.atomic
def create_agency(
    name: str, *, code: str = "", acting_user: User | None = None
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
    agency = Agency.objects.create(name=name, code=code)
    audit(acting_user, "accounts.agency.created", agency)
    return agency


@transaction.atomic
def create_user(
    username: str,
    *,
    agency: Agency,
    role: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    acting_user: User | None = None,
) -> User:
    """Create a user of `agency`; the password must pass the configured validators."""
    if role not in User.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    user = User(
        username=username,
        agency=agency,
        role=role,
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


@transaction.atomic
def issue_api_token(
    user: User, *, name: str, acting_user: User
) -> tuple[ApiToken, str]:
    """A new API token for `user`. The raw token is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=ApiToken.digest_of(raw)
    )
    audit(acting_user, "accounts.api_token.issued", token)
    return token, raw


def touch_api_token(token: ApiToken) -> None:
    """Mark a token as used now. Not audited: it is bookkeeping of the token itself."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
