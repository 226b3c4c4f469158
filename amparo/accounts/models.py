"""Agencies own records; users belong to one agency and act in one role."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.models import TimestampedModel


class Agency(TimestampedModel):
    """An organisation that owns the records it creates (NGO, UN agency, service)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Short code used in case references, e.g. 'acme'."),
    )
    # Cases get per-agency references AGENCY-YEAR-NUMBER; the counter is taken under a
    # row lock by the action that opens a case.
    case_counter = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Case worker")
        SUPERVISOR = "supervisor", _("Supervisor")
        STATISTICIAN = "statistician", _("Statistician")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("agency"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    role__in=["caseworker", "supervisor", "statistician"]
                ),
                name="accounts_user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def works_on_cases(self) -> bool:
        """Case workers and supervisors handle people's records; statisticians see
        aggregates only."""
        return self.agency_id is not None and self.role in {
            self.Role.CASEWORKER,
            self.Role.SUPERVISOR,
        }


class ApiToken(TimestampedModel):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    scope = models.CharField(
        _("scope"), max_length=10, choices=Scope.choices, default=Scope.READ
    )
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
