"""Two-factor login with a time-based one-time password (TOTP, RFC 6238), on
django-otp, and single-use recovery codes (django-otp's static plugin) for a lost or
forgotten phone. Each step writes its audit event."""

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.models import User
from amparo.audit.actions import record

RECOVERY_CODES = 10
TOTP_DIGITS = 6


def has_second_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: User) -> int:
    left: int = StaticToken.objects.filter(
        device__user=user, device__confirmed=True
    ).count()
    return left


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


@transaction.atomic
def issue_recovery_codes(user: User) -> list[str]:
    """Ten new single-use codes, replacing any the user had. Returned once to be shown;
    django-otp keeps them to compare and deletes each as it is used."""
    if not has_second_factor(user):
        raise PermissionError(
            "Recovery codes back up an authenticator; link one first."
        )
    # One device, its tokens replaced: a session verified with an old code stays
    # verified (it names the device), while the old codes stop working.
    device = StaticDevice.objects.select_for_update().filter(
        user=user
    ).first() or StaticDevice.objects.create(user=user, name="Recovery codes")
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODES:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    record(user, "accounts.recovery_codes.issued", user, {"count": RECOVERY_CODES})
    return sorted(codes)


def normalise_code(code: str) -> str:
    """Codes are shown in lower case; people type them with spaces, dashes, capitals."""
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def verify_second_factor(request: HttpRequest, user: User, code: str) -> Device | None:
    """Check a code against the user's confirmed authenticators, or, if it is not a
    six-digit code, against their recovery codes (a used one is gone). The session
    counts as verified when it matches; the device that matched is returned.

    Each kind is checked only against its own devices, so each keeps its own
    back-off (django-otp doubles the wait after each failure), and a recovery code
    never counts as a wrong authenticator code or the reverse."""
    code = normalise_code(code)
    recovery = not (code.isdigit() and len(code) == TOTP_DIGITS)
    devices: list[Device] = list(
        (StaticDevice if recovery else TOTPDevice)
        .objects.select_for_update()
        .filter(user=user, confirmed=True)
    )
    matched = next((d for d in devices if d.verify_token(code)), None)
    kind = "recovery_code" if recovery else "authenticator"
    if matched is None:
        record(user, "accounts.two_factor.failed", user, {"kind": kind})
        return None
    otp_login(request, matched)
    if recovery:
        left = recovery_codes_left(user)
        record(user, "accounts.recovery_code.used", user, {"remaining": left})
    else:
        record(user, "accounts.two_factor.verified", user)
    return matched


def forget_devices(user: User) -> int:
    """Delete the user's authenticators and recovery codes; how many authenticators.
    For the actions that reset a second factor, which audit it."""
    authenticators, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return int(authenticators)


@transaction.atomic
def reset_second_factor(user: User, *, acting_user: User | None) -> int:
    """Forget the user's authenticators and recovery codes (a lost phone): at the next
    login they link a new one. How many authenticators were removed."""
    removed = forget_devices(user)
    record(acting_user, "accounts.two_factor.reset", user, {"devices": removed})
    return removed
