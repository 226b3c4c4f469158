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

    class Kind(models.TextChoices):
        PROTECTION = "protection", _("Protection or service provider")
        IMMIGRATION_ENFORCEMENT = (
            "immigration_enforcement",
            _("Immigration enforcement"),
        )
        LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")

    # The firewall (DESIGN §3): data collected to protect people never flows to an
    # enforcement body. Such an agency's users see no person and no case, its own
    # included, and no referral, transfer or export may name it as a recipient.
    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, default=Kind.PROTECTION
    )
    team_sharing = models.BooleanField(
        _("case workers see their team's cases"),
        default=False,
        help_text=_("Otherwise a case worker sees only the cases assigned to them."),
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


def is_enforcement(agency: "Agency | None") -> bool:
    return agency is not None and agency.kind != Agency.Kind.PROTECTION


class Team(TimestampedModel):
    """A group of case workers with their supervisor, inside one agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="accounts_team_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Case worker")
        SUPERVISOR = "supervisor", _("Supervisor")
        LEGAL_OFFICER = "legal_officer", _("Legal officer")
        AGENCY_ADMIN = "agency_admin", _("Agency administrator")
        DPO = "dpo", _("Data protection officer")
        STATISTICIAN = "statistician", _("Statistician")
        SYSADMIN = "sysadmin", _("System administrator")

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
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    role__in=[
                        "caseworker",
                        "supervisor",
                        "legal_officer",
                        "agency_admin",
                        "dpo",
                        "statistician",
                        "sysadmin",
                    ]
                ),
                name="accounts_user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def works_on_cases(self) -> bool:
        """Case workers and supervisors handle people's records. Every other role
        sees no case content: statisticians aggregates, administrators users and
        configuration, the data-protection officer the audit trail (and case content
        only through a reasoned, time-limited access, to come), legal officers the
        escalations sent to them (to come)."""
        return (
            self.agency_id is not None
            and self.role in {self.Role.CASEWORKER, self.Role.SUPERVISOR}
            and not is_enforcement(self.agency)
        )

    @property
    def sees_whole_agency(self) -> bool:
        """A supervisor without a team supervises the whole (small) agency."""
        return self.role == self.Role.SUPERVISOR and self.team_id is None

    def sees_team_cases(self, agency: Agency) -> bool:
        """Supervisors see their team's cases; case workers too where the agency
        shares cases within teams."""
        if self.team_id is None:
            return False
        return self.role == self.Role.SUPERVISOR or agency.team_sharing


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
