"""Referrals and transfers of a case to another agency.

Sharing across agencies happens only here (DESIGN §3): the sender chooses which fields
go, under a data-sharing agreement with the recipient and the person's consent (or
another lawful basis) for referral. The recipient never gets access to the sender's
case: it receives a copy of the chosen fields, taken when the referral is sent, and
opens its own case from it when it accepts.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import SharedField
from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel

__all__ = ["Referral", "SharedField", "SharingAgreement"]


class SharingAgreement(TimestampedModel):
    """A data-sharing agreement from one agency to another: for what purpose, which
    fields at most, under what safeguards, until when. Recorded by the sending agency's
    data-protection officer; a referral without an agreement in force is refused."""

    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient agency"),
    )
    purpose = models.CharField(_("purpose"), max_length=500)
    fields = models.JSONField(_("fields that may be shared"), default=list)
    safeguards = models.TextField(_("safeguards guaranteed in writing"))
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("data-sharing agreement")
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="referrals_agreement_period_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_agency=models.F("to_agency")),
                name="referrals_agreement_two_agencies",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_agency} → {self.to_agency}"


class Referral(TimestampedModel):
    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral (we keep our case)")
        TRANSFER = "transfer", _("Transfer (our case closes when they accept)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the recipient")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn by the sender")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="referrals"
    )
    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("recipient agency"),
    )
    # The agreement it was sent under; none only behind the firewall, where an
    # override approved by two people stands in for it.
    agreement = models.ForeignKey(
        SharingAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    override = models.ForeignKey(
        "disclosures.FirewallOverride",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consent = models.ForeignKey(
        "people.Consent", on_delete=models.PROTECT, related_name="+"
    )
    fields = models.JSONField(_("fields shared"))
    # The shared values as JSON, taken when sent: later edits of the sender's record
    # do not travel, and what the recipient saw is what was consented to.
    packet = EncryptedTextField()
    message = EncryptedTextField(_("message to the recipient"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_note = EncryptedTextField(_("answer"), blank=True)
    # The recipient's own case, opened from the packet on acceptance.
    received_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(
                fields=["to_agency", "status", "-sent_at"],
                name="referrals_inbox_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["referral", "transfer"]),
                name="referrals_referral_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["pending", "accepted", "declined", "withdrawn"]
                ),
                name="referrals_referral_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_agency=models.F("to_agency")),
                name="referrals_referral_two_agencies",
            ),
            models.CheckConstraint(
                condition=models.Q(agreement__isnull=False)
                | models.Q(override__isnull=False),
                name="referrals_referral_agreement_or_override",
            ),
            # Two pending referrals of one case to one agency would be a double send.
            models.UniqueConstraint(
                fields=["case", "to_agency"],
                condition=models.Q(status="pending"),
                name="referrals_one_pending_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.case} → {self.to_agency}"
