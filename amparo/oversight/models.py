"""Case content for roles that do not work on cases: a data-protection officer's
reasoned, time-limited access to one case, and a question escalated to a legal
officer. Each is the only way that role sees a case, and only while it lasts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel


class ContentAccessGrant(TimestampedModel):
    """A DPO's access to one case of their agency, for a stated reason, until
    `expires_at` or until they end it. Kept after it ends: it is the record of who
    looked, why and for how long."""

    dpo = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    # Encrypted: a review's reason can name a complaint, or the person it is about.
    reason = EncryptedTextField(_("reason"))
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("until"))
    revoked_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [
            # The access policy asks this on every request of a DPO.
            models.Index(
                fields=["dpo", "expires_at"], name="oversight_grant_active_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="oversight_grant_expires_after_granted",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("granted_at")),
                name="oversight_grant_revoked_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.granted_at:%Y-%m-%d %H:%M}"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Escalation(TimestampedModel):
    """A question about a case for the agency's legal officers (or the one named).
    Answering closes it; while it is open, they see the case read-only."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="escalations"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    legal_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal officer"),
    )
    question = EncryptedTextField(_("question"))
    answer = EncryptedTextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Open escalations of an agency: the legal officers' list and policy.
            models.Index(
                fields=["agency", "answered_at"], name="oversight_escalation_open_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True, answered_by__isnull=True)
                | models.Q(answered_at__isnull=False, answered_by__isnull=False),
                name="oversight_escalation_answered_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
