"""Two-factor login with a time-based one-time password (TOTP, RFC 6238), on
django-otp. Each step writes its audit event."""

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.models import User
from amparo.audit.actions import record


def has_second_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


@transaction.atomic
def pending_device(user: User) -> TOTPDevice:
    """The authenticator being set up: a new secret, until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Authenticator", confirmed=False
    )


@transaction.atomic
def confirm_device(request: HttpRequest, user: User, code: str) -> bool:
    """Confirm the pending authenticator with a code it shows; the session counts as
    verified from then on."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .first()
    )
    if device is None or not device.verify_token(code.strip()):
        record(user, "accounts.two_factor.setup_failed", user)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record(user, "accounts.two_factor.enabled", user)
    return True


def verify_second_factor(request: HttpRequest, user: User, code: str) -> bool:
    """Check a code against the user's confirmed authenticators (django-otp slows down
    repeated failures); the session counts as verified when it matches."""
    device = match_token(user, code.strip())
    if device is None:
        record(user, "accounts.two_factor.failed", user)
        return False
    otp_login(request, device)
    record(user, "accounts.two_factor.verified", user)
    return True


@transaction.atomic
def reset_second_factor(user: User, *, acting_user: User | None) -> int:
    """Forget the user's authenticators (a lost phone): at the next login they link a
    new one. How many were removed."""
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    record(acting_user, "accounts.two_factor.reset", user, {"devices": removed})
    return int(removed)
